/*
 * logdirty-errors - XEN_DOMCTL_shadow_op's documented errors, its
 * command-line defaults, and that a failed call resets nothing.
 *
 * dom0 controls logdirty-target (domain 1). test.cfg boots the
 * hypervisor with "logdirty=wp logdirty_superpages=keep". Checks:
 *  - the stats domctl reports write-protect as the default mechanism and
 *    keep as the default policy (the command line), and mode 0 enables
 *    exactly that;
 *  - OFF, CLEAN and PEEK while log-dirty is off: -EINVAL;
 *  - bad modes (undefined bits, keep and shatter together, mechanism 7),
 *    an unknown op, ENABLE without ENABLE_LOG_DIRTY: -EINVAL; a mechanism
 *    the platform lacks (if any): -EOPNOTSUPP; the hardware domain as the
 *    target: -EINVAL;
 *  - ENABLE while enabled: -EBUSY;
 *  - CLEAN with pages one short of the domain's frames: -EINVAL; CLEAN
 *    into an address that is not mapped, or not RAM: -EFAULT; and none of
 *    the three reset anything: the next good CLEAN reports the page
 *    written before them;
 *  - CLEAN with a null bitmap resets without copying;
 *  - CLEAN and OFF issued by the target itself (unprivileged): -EPERM;
 *  - PEEK with an undefined mode bit: -EINVAL; a FINAL CLEAN of the
 *    paused target works and is counted; GET_ALLOCATION reports the
 *    target's p2m pool (XEN_DOMCTL_get_paging_mempool_size) in MiB,
 *    rounded up, and SET_ALLOCATION resizes that same pool;
 *  - OFF twice: 0, then -EINVAL; CLEAN after OFF: -EINVAL; the
 *    XEN_DOMCTL_SHADOW_OP_ENABLE spelling works too.
 */
#include "../logdirty-lib/ctl.c"

const char test_title[] = "log-dirty: shadow_op errors and defaults";

#define UNMAPPED_VA 0xdead00000000ULL /* beyond our 4 GiB identity map */
#define NOT_RAM_VA  0xc0000000ULL     /* mapped, but no RAM behind it */

static ld_bits_t got;

static void expect(long rc, long want, const char *what)
{
    if ( rc != want )
        xtf_failure("%s: %ld, expected %ld", what, rc, want);
}

static long shadow(uint32_t op, uint32_t mode)
{
    return ld_shadow(op, mode, NULL, 0, NULL);
}

static void check_defaults(void)
{
    struct xen_domctl_wren_logdirty s;

    if ( !ld_get_stats(&s) )
        return;
    if ( s.default_mech != WREN_LOGDIRTY_MECH_WP || !(s.flags & WREN_LOGDIRTY_F_DEFAULT_KEEP) )
        xtf_failure("defaults: mech %u flags %#x; the command line asks wp, keep", s.default_mech,
                    s.flags);
    if ( s.flags & WREN_LOGDIRTY_F_ENABLED )
        xtf_failure("log-dirty is on before anyone enabled it");
}

static void check_when_off(const char *when)
{
    printf("while off (%s)\n", when);
    expect(shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0), -XEN_EINVAL, "OFF while off");
    expect(ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL), -XEN_EINVAL, "CLEAN while off");
    expect(ld_report(XEN_DOMCTL_SHADOW_OP_PEEK, 0, got, NULL), -XEN_EINVAL, "PEEK while off");
}

static void check_bad_modes(void)
{
    const uint32_t enable = XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY;
    struct xen_domctl_wren_logdirty s;

    expect(shadow(enable, 1U << 20), -XEN_EINVAL, "undefined mode bit");
    expect(shadow(enable, WREN_LOGDIRTY_SP_KEEP | WREN_LOGDIRTY_SP_SHATTER), -XEN_EINVAL,
           "keep and shatter");
    expect(shadow(enable, WREN_LOGDIRTY_MECH(7)), -XEN_EINVAL, "mechanism 7");
    expect(shadow(99, 0), -XEN_EINVAL, "unknown op");
    expect(shadow(XEN_DOMCTL_SHADOW_OP_ENABLE, 0), -XEN_EINVAL, "ENABLE without LOG_DIRTY");
    expect(ld_shadow_on(0, enable, 0), -XEN_EINVAL, "the hardware domain");
    if ( !ld_get_stats(&s) )
        return;
    for ( uint32_t m = WREN_LOGDIRTY_MECH_WP; m <= WREN_LOGDIRTY_MECH_AD; m++ )
        if ( !(s.available & (1U << m)) )
            expect(shadow(enable, WREN_LOGDIRTY_MECH(m)), -XEN_EOPNOTSUPP, ld_mech_names[m]);
}

static bool enable_default(void)
{
    struct xen_domctl_wren_logdirty s;
    long rc = shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0);

    expect(rc, 0, "enable with mode 0");
    if ( rc || !ld_get_stats(&s) )
        return false;
    if ( s.mech != WREN_LOGDIRTY_MECH_WP || !(s.flags & WREN_LOGDIRTY_F_KEEP) )
        xtf_failure("mode 0 enabled mech %u flags %#x, not wp/keep", s.mech, s.flags);
    expect(shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0), -XEN_EBUSY, "enable twice");
    expect(ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL), 0, "first CLEAN");
    return true;
}

/* Failed CLEANs reset nothing: the page written before them still shows. */
static void check_failed_cleans(void)
{
    struct xen_domctl_wren_logdirty s;

    if ( !ld_get_stats(&s) )
        return;
    if ( !ld_job(LD_MB_WRITE_SET, 0x77, 1, 0) )
        return;
    expect(ld_shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, s.bitmap_pages - 1, NULL), -XEN_EINVAL,
           "CLEAN with a bitmap one page short");
    expect(ld_shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, (void *)UNMAPPED_VA, LD_MAX_GFNS, NULL),
           -XEN_EFAULT, "CLEAN into an unmapped address");
    expect(ld_shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, (void *)NOT_RAM_VA, LD_MAX_GFNS, NULL),
           -XEN_EFAULT, "CLEAN into an address with no RAM");
    expect(ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL), 0, "CLEAN after failures");
    if ( !bitmap_test(got, ld_pick(0x77, 0, LD_DATA_FIRST, ld_data_pages())) )
        xtf_failure("a failed CLEAN reset the bitmap: the written page is gone");
}

static void check_null_bitmap(void)
{
    if ( !ld_job(LD_MB_WRITE_SET, 0x78, 8, 0) )
        return;
    expect(ld_shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, NULL, 0, NULL), 0, "CLEAN, null bitmap");
    expect(ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL), 0, "CLEAN after it");
    if ( ld_count(got, LD_DATA_FIRST, ld_ram_end) )
        xtf_failure("CLEAN with a null bitmap did not reset: %lu data pages",
                    (unsigned long)ld_count(got, LD_DATA_FIRST, ld_ram_end));
}

/* The target asks for itself and for dom0: a domU may not. */
static void check_unprivileged(void)
{
    expect(ld_wait(ld_post(LD_MB_SHADOW_OP, LD_TARGET, XEN_DOMCTL_SHADOW_OP_CLEAN, 0)), -XEN_EPERM,
           "CLEAN from the target itself");
    expect(ld_wait(ld_post(LD_MB_SHADOW_OP, 0, XEN_DOMCTL_SHADOW_OP_OFF, 0)), -XEN_EPERM,
           "OFF of dom0 from the target");
}

static uint32_t allocation_mb(void)
{
    struct xen_domctl_shadow_op op = { .mb = 0 };

    expect(ld_shadow(XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION, 0, NULL, 0, &op), 0, "GET_ALLOCATION");
    return op.mb;
}

/* The same pool seen through both interfaces, and resized through one. */
static void check_allocation(void)
{
    uint64_t bytes = 0, mib = 1ULL << 20;
    uint32_t mb = allocation_mb();

    if ( xtf_get_paging_pool(LD_TARGET, &bytes) || !bytes )
        xtf_failure("get_paging_mempool_size: %lu bytes", (unsigned long)bytes);
    if ( mb != (bytes + mib - 1) / mib )
        xtf_failure("GET_ALLOCATION says %u MiB for a %lu-byte pool", mb, (unsigned long)bytes);
    struct xen_domctl set = {
        .cmd = XEN_DOMCTL_shadow_op,
        .domain = LD_TARGET,
        .u.shadow_op = { .op = XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION, .mb = 0 },
    };

    expect(hypercall_domctl(&set), -XEN_EBUSY, "SET_ALLOCATION 0 MiB (tables in use)");
    set.u.shadow_op.mb = mb + 1;
    expect(hypercall_domctl(&set), 0, "SET_ALLOCATION");
    if ( xtf_get_paging_pool(LD_TARGET, &bytes) || bytes != (mb + 1) * mib )
        xtf_failure("after SET_ALLOCATION %u MiB the pool is %lu bytes", mb + 1,
                    (unsigned long)bytes);
    printf("Allocation: %u MiB, set to %u MiB\n", mb, allocation_mb());
}

static void check_final_and_misc(void)
{
    struct xen_domctl_shadow_op op;
    struct xen_domctl_wren_logdirty s;

    expect(ld_report(XEN_DOMCTL_SHADOW_OP_PEEK, 1U << 4, got, NULL), -XEN_EINVAL,
           "PEEK with an undefined mode bit");
    if ( !ld_pause(true) )
        return;
    expect(ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL, got, &op), 0,
           "FINAL CLEAN of the paused target");
    ld_pause(false);
    if ( ld_get_stats(&s) && (s.final_rounds != 1 || op.pages != s.bitmap_pages) )
        xtf_failure("FINAL: final_rounds %lu, pages %lu of %lu", (unsigned long)s.final_rounds,
                    (unsigned long)op.pages, (unsigned long)s.bitmap_pages);
    check_allocation();
}

static void check_off(void)
{
    expect(shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0), 0, "OFF");
    check_when_off("after OFF");
    expect(shadow(XEN_DOMCTL_SHADOW_OP_ENABLE, XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY), 0,
           "ENABLE with ENABLE_LOG_DIRTY");
    expect(shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0), 0, "OFF again");
}

void test_main(void)
{
    if ( !ld_attach() )
        return;
    check_defaults();
    check_when_off("before enable");
    check_bad_modes();
    if ( enable_default() )
    {
        check_failed_cleans();
        check_null_bitmap();
        check_unprivileged();
        check_final_and_misc();
        check_off();
    }
    ld_audit("at the end");
    ld_job(XTF_MB_EXIT, 0, 0, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
