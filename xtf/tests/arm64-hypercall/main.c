/*
 * arm64-hypercall - Xen's Arm hypercall ABI from EL1 (HVC #0xEA1, x16,
 * x0..x4, result in x0) reaches the common dispatcher, and guest memory
 * is reached through the guest's own translation, on qemu-arm64.
 *
 * dom0, one vCPU, 16 MiB of RAM at 0x40000000. Checks:
 *  - xen_version(XENVER_version) is the ABI the banner printed, and
 *    XENVER_extraversion fills a buffer of ours (copy_to_guest);
 *  - hypercall numbers 60, 127 and 4000 give -ENOSYS;
 *  - a bad buffer gives -EFAULT and changes nothing: console_io from IPA
 *    0x1000 (no RAM there), from 8 bytes before the end of RAM (the rest
 *    past it), and extraversion into IPA 0x1000;
 *  - memory_op: current and maximum reservation of DOMID_SELF are the
 *    4096 pages we were built with;
 *  - hvm_op: a parameter set (HVM_PARAM_STORE_PFN) reads back the same;
 *  - sched_op yield returns 0, and everything still works afterwards.
 */
#include <xtf.h>
#include <public/version.h>
#include <public/memory.h>
#include <public/hvm/params.h>

const char test_title[] = "Arm hypercall ABI, bad numbers and bad buffers";

#define RAM_END    0x41000000UL /* 0x40000000 + 16 MiB */
#define NO_RAM_IPA 0x1000UL
#define RAM_PAGES  4096

static void expect(const char *what, long rc, long want)
{
    if ( rc == want )
        printf("  %-40s -> %ld: ok\n", what, rc);
    else
        xtf_failure("%s returned %ld, expected %ld", what, rc, want);
}

static void version(void)
{
    xen_extraversion_t extra;
    long v = hypercall_xen_version(XENVER_version, NULL);

    expect("xen_version(version)", v, (long)xtf_xen_version);
    memset(extra, 0x55, sizeof(extra));
    expect("xen_version(extraversion)", hypercall_xen_version(XENVER_extraversion, extra), 0);
    if ( strnlen(extra, sizeof(extra)) == sizeof(extra) )
        xtf_failure("extraversion is not a string");
    else
        printf("  extraversion '%s'\n", extra);
}

static void bad_numbers(void)
{
    static const unsigned int nrs[] = { 60, 127, 4000 };

    for ( unsigned int i = 0; i < ARRAY_SIZE(nrs); i++ )
    {
        char what[32];

        snprintf(what, sizeof(what), "hypercall %u", nrs[i]);
        expect(what, xtf_hypercall(nrs[i], 0, 0, 0, 0, 0), -XEN_ENOSYS);
    }
}

static void bad_buffers(void)
{
    expect("console_io from IPA 0x1000",
           hypercall_console_io(CONSOLEIO_write, 16, (const void *)NO_RAM_IPA), -XEN_EFAULT);
    expect("console_io across the end of RAM",
           hypercall_console_io(CONSOLEIO_write, 16, (const void *)(RAM_END - 8)), -XEN_EFAULT);
    expect("xen_version(extraversion) into 0x1000",
           hypercall_xen_version(XENVER_extraversion, (void *)NO_RAM_IPA), -XEN_EFAULT);
    expect("console_io of 5 good bytes", hypercall_console_io(CONSOLEIO_write, 5, "[ok]\n"), 0);
}

static void memory(void)
{
    domid_t self = DOMID_SELF;

    expect("memory_op(current_reservation)", hypercall_memory_op(XENMEM_current_reservation, &self),
           RAM_PAGES);
    expect("memory_op(maximum_reservation)", hypercall_memory_op(XENMEM_maximum_reservation, &self),
           RAM_PAGES);
}

static void params(void)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN, .value = 0x4321 };

    expect("hvm_op(set_param STORE_PFN)", hypercall_hvm_op(HVMOP_set_param, &p), 0);
    p.value = 0;
    expect("hvm_op(get_param STORE_PFN)", hypercall_hvm_op(HVMOP_get_param, &p), 0);
    expect("  the value read back", (long)p.value, 0x4321);
}

void test_main(void)
{
    version();
    bad_numbers();
    bad_buffers();
    memory();
    params();
    expect("sched_op(yield)", hypercall_yield(), 0);
    expect("xen_version after it all", hypercall_xen_version(XENVER_version, NULL),
           (long)xtf_xen_version);
    xtf_success(NULL);
}
