/*
 * bad-hypercall - nonsense hypercalls fail cleanly and hurt nobody.
 *
 * domU 1 (dom0 is "idle"; this domain gives the verdict). Checks:
 *  - hypercall numbers 60 and 127 (through the hypercall page) and 4000
 *    (raw VMCALL/VMMCALL, as no page stub exists for it) return -ENOSYS;
 *  - console_io(CONSOLEIO_write) from address 0 (unmapped in our page
 *    tables) and from 0xfff00000 (mapped, but no memory behind it) returns
 *    -EFAULT;
 *  - console_io with a huge length, whose buffer is followed by an
 *    unmapped guard page, returns -EFAULT or -EINVAL (a hypervisor may
 *    refuse the length up front or fault part-way);
 *  - afterwards the domain still runs and hypercalls still work.
 * console_io is refused to domUs with -EPERM (as on Xen, which allows
 * it only in a debug build) before the arguments are looked at; the
 * runner boots this test with "domu_console_io" so that the argument
 * errors above are what is checked. console-eperm checks the refusal.
 */
#include <xtf.h>
#include <public/version.h>

const char test_title[] = "Bad hypercalls fail cleanly";

/* Two pages: data at the end of the first, the second gets unmapped. */
static char guard_area[2 * PAGE_SIZE] __aligned(PAGE_SIZE);

static void expect(const char *what, long rc, long want, long alt)
{
    if ( rc == want || rc == alt )
        printf("  %-34s -> %ld: ok\n", what, rc);
    else
        xtf_failure("%s returned %ld, expected %ld", what, rc, want);
}

static void bad_numbers(void)
{
    static const unsigned int nrs[] = { 60, 127, 4000 };

    for ( unsigned int i = 0; i < ARRAY_SIZE(nrs); i++ )
    {
        char what[32];

        snprintf(what, sizeof(what), "hypercall %u", nrs[i]);
        expect(what, xtf_hypercall(nrs[i], 0, 0, 0, 0, 0), -XEN_ENOSYS, -XEN_ENOSYS);
    }
}

static void bad_console_io(void)
{
    char *tail = guard_area + PAGE_SIZE - 8;

    expect("console_io from 0", hypercall_console_io(CONSOLEIO_write, 16, NULL), -XEN_EFAULT,
           -XEN_EFAULT);
    expect("console_io from 0xfff00000",
           hypercall_console_io(CONSOLEIO_write, 16, (const void *)0xfff00000UL), -XEN_EFAULT,
           -XEN_EFAULT);

    memcpy(tail, "[guard]\n", 8);
    xtf_unmap_low_page((uintptr_t)(guard_area + PAGE_SIZE));
    expect("console_io of 0xffffffff bytes",
           hypercall_console_io(CONSOLEIO_write, 0xffffffffUL, tail), -XEN_EFAULT, -XEN_EINVAL);
}

void test_main(void)
{
    long v;

    bad_numbers();
    bad_console_io();

    v = hypercall_xen_version(XENVER_version, NULL);
    if ( v != (long)xtf_xen_version )
        xtf_failure("xen_version returns %#lx after the bad calls", v);
    xtf_success(NULL);
}
