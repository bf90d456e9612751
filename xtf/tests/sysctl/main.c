/*
 * sysctl - XEN_SYSCTL_physinfo tells the control domain about the host,
 * and nobody else.
 *
 * The same kernel runs as dom0 (the verdict) and as domain 1.
 *  - d1: physinfo must be -EPERM; it powers off if so and crashes if not,
 *    printing no verdict of its own; dom0 reads the shutdown reason.
 *  - dom0: the fields make sense (CPUs online <= max id + 1, free pages
 *    below total, hvm and hap capabilities, scrub_pages 0); a wrong
 *    interface_version is -EACCES, an unknown command -ENOSYS;
 *    free_pages moves by exactly the frames populate_physmap takes and
 *    decrease_reservation gives back (the gfns are decreased once first,
 *    so the shattered superpage's table exists before anything is
 *    counted).
 * Touches only dom0's own frames at [TEST_GFN, TEST_GFN + NR).
 */
#include <xtf.h>
#include <xtf/sysctl.h>
#include <xtf/p2m.h>
#include <public/memory.h>

const char test_title[] = "sysctl physinfo";

#define TEST_GFN XTF_GFN(0x1800UL) /* RAM + 24 MiB, inside dom0's RAM */
#define NR       37UL

static xen_pfn_t gfns[NR];

static void expect(const char *what, long got, long want)
{
    if ( got != want )
        xtf_failure("%s: got %ld, expected %ld", what, got, want);
    else
        printf("%-44s %ld as expected\n", what, got);
}

static long reservation(unsigned int op)
{
    struct xen_memory_reservation r = {
        .nr_extents = NR,
        .extent_order = 0,
        .domid = DOMID_SELF,
    };

    set_xen_guest_handle(r.extent_start, gfns);
    return hypercall_memory_op(op, &r);
}

static void check_fields(void)
{
    struct xen_sysctl_physinfo pi;
    long rc = xtf_physinfo(&pi);

    if ( rc )
    {
        xtf_failure("physinfo from dom0: %ld", rc);
        return;
    }
    printf("physinfo: %u CPUs (max id %u), %lu of %lu pages free, caps %#x\n", pi.nr_cpus,
           pi.max_cpu_id, (unsigned long)pi.free_pages, (unsigned long)pi.total_pages,
           pi.capabilities);
    if ( !pi.nr_cpus || pi.max_cpu_id + 1 < pi.nr_cpus )
        xtf_failure("nr_cpus %u, max_cpu_id %u", pi.nr_cpus, pi.max_cpu_id);
    if ( !pi.free_pages || pi.free_pages >= pi.total_pages )
        xtf_failure("free_pages %lu, total_pages %lu", (unsigned long)pi.free_pages,
                    (unsigned long)pi.total_pages);
    if ( !(pi.capabilities & XEN_SYSCTL_PHYSCAP_hvm) ||
         !(pi.capabilities & XEN_SYSCTL_PHYSCAP_hap) )
        xtf_failure("capabilities %#x lack hvm or hap", pi.capabilities);
    expect("scrub_pages", (long)pi.scrub_pages, 0);
}

static void check_errors(void)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_physinfo };

    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION + 1;
    expect("physinfo with a wrong interface_version",
           xtf_hypercall(__HYPERVISOR_sysctl, HC_PTR(&op), 0, 0, 0, 0), -XEN_EACCES);
    op.cmd = 0x6fff;
    expect("unknown sysctl command", hypercall_sysctl(&op), -XEN_ENOSYS);
}

/* Apply op to the NR test frames; returns how far free_pages rose. */
static long free_delta(unsigned int op, const char *what)
{
    uint64_t before = xtf_free_pages(), after;

    expect(what, reservation(op), NR);
    after = xtf_free_pages();
    return (long)(after - before);
}

static void check_accounting(void)
{
    for ( unsigned long i = 0; i < NR; i++ )
        gfns[i] = TEST_GFN + i;
    if ( !xtf_is_ram(TEST_GFN << PAGE_SHIFT, NR << PAGE_SHIFT) )
    {
        xtf_error("test frames are not in dom0's RAM");
        return;
    }
    free_delta(XENMEM_decrease_reservation, "decrease (shatters, not counted)");
    expect("free pages after populate", free_delta(XENMEM_populate_physmap, "populate"), -(long)NR);
    expect("free pages after decrease", free_delta(XENMEM_decrease_reservation, "decrease"),
           (long)NR);
    expect("free pages after populate again", free_delta(XENMEM_populate_physmap, "populate again"),
           -(long)NR);
}

static void check_domu(void)
{
    xtf_expect_domu_refused(1, "-EPERM");
}

static void __noreturn domu_main(void)
{
    struct xen_sysctl_physinfo pi;
    long rc = xtf_physinfo(&pi);

    printf("physinfo from a domU: %ld (expected %d)\n", rc, -XEN_EPERM);
    xtf_shutdown(rc == -XEN_EPERM ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void test_main(void)
{
    if ( !xtf_is_dom0 )
        domu_main();
    check_fields();
    check_errors();
    check_accounting();
    check_domu();
    xtf_success(NULL);
}
