/*
 * dirty-ring-errors - XEN_DOMCTL_wren_dirty_ring's refusals, each
 * decided before anything changes, against logdirty-target (domain 1):
 *  - with log-dirty off: ENABLE, STATUS, HARVEST and DISABLE are -EINVAL;
 *  - ring sizes that are not a power of two, below 128, above 65536, or
 *    (under PML) without room above the PML reserve: -EINVAL; IN fields
 *    an op does not take, an unknown op, the caller's own domain: -EINVAL;
 *  - ENABLE twice: -EBUSY; a vCPU that is not the domain's: -EINVAL;
 *    HARVEST with max 0 or no buffer: -EINVAL; into an unmapped buffer:
 *    -EFAULT, and nothing was taken (a good HARVEST gets the entries);
 *  - the target asking for itself or for dom0: -EPERM;
 *  - the p2m pool pays: in a pool with no page free ENABLE is -ENOMEM;
 *    in one that holds the rings once, enabling and disabling again and
 *    again works (DISABLE gives the charge back), and the pool cannot
 *    shrink under them until DISABLE;
 *  - DISABLE twice: -EINVAL; log-dirty OFF takes the rings with it;
 *  - destroying the target while a vCPU is stopped on a full ring works
 *    and gives back every frame it owned and its whole p2m pool.
 */
#include <xtf/sysctl.h>

#include "../logdirty-lib/ctl.c"
#include "../dirty-ring-lib/ring.c"

const char test_title[] = "dirty ring: domctl errors";

#define UNMAPPED_VA 0xdead00000000ULL /* beyond our 4 GiB identity map */

static ld_bits_t bm;
static unsigned int mech;

static void expect(long rc, long want, const char *what)
{
    if ( rc != want )
        xtf_failure("%s: %ld, expected %ld", what, rc, want);
}

static long op_with(uint32_t op, uint32_t vcpu, uint32_t entries, uint32_t max, uint64_t buffer)
{
    struct xen_domctl_wren_dirty_ring r = {
        .op = op, .vcpu = vcpu, .entries = entries, .max = max, .buffer = buffer
    };

    return dr_call(&r);
}

static void check_all_off(const char *when)
{
    struct xen_domctl_wren_dirty_ring r;
    static char what[96];

    snprintf(what, sizeof(what), "STATUS %s", when);
    expect(dr_status(0, &r), -XEN_EINVAL, what);
    snprintf(what, sizeof(what), "HARVEST %s", when);
    expect(dr_harvest(0, dr_buf, DR_BUF, &r), -XEN_EINVAL, what);
    snprintf(what, sizeof(what), "DISABLE %s", when);
    expect(dr_disable(), -XEN_EINVAL, what);
}

static uint32_t good_size(void)
{
    return mech == WREN_LOGDIRTY_MECH_PML ? 2048 : 128;
}

static void check_bad_enables(void)
{
    static const uint32_t bad[] = { 0, 1, 64, 100, 129, 192, 131072, 0x80000000U };
    struct xen_domctl d = { .cmd = XEN_DOMCTL_wren_dirty_ring, .domain = 0 };
    struct xen_domctl_wren_dirty_ring self = { .op = WREN_DIRTY_RING_ENABLE, .entries = 128 };

    for ( unsigned int i = 0; i < ARRAY_SIZE(bad); i++ )
        if ( dr_enable(bad[i]) != -XEN_EINVAL )
            xtf_failure("ENABLE with %u entries not refused", bad[i]);
    if ( mech == WREN_LOGDIRTY_MECH_PML )
        expect(dr_enable(1024), -XEN_EINVAL, "ENABLE 1024 under PML (reserve 576)");
    expect(op_with(WREN_DIRTY_RING_ENABLE, 1, good_size(), 0, 0), -XEN_EINVAL, "ENABLE, vcpu set");
    expect(op_with(WREN_DIRTY_RING_ENABLE, 0, good_size(), 8, 0), -XEN_EINVAL, "ENABLE, max set");
    expect(op_with(WREN_DIRTY_RING_ENABLE, 0, good_size(), 0, 0x1000), -XEN_EINVAL,
           "ENABLE, buffer set");
    expect(op_with(7, 0, 0, 0, 0), -XEN_EINVAL, "unknown op");
    memcpy(&d.u, &self, sizeof(self));
    expect(hypercall_domctl(&d), -XEN_EINVAL, "ENABLE on the caller itself");
    check_all_off("after the refused ENABLEs");
}

static void check_bad_uses(void)
{
    struct xen_domctl_wren_dirty_ring r;

    expect(dr_enable(good_size()), -XEN_EBUSY, "ENABLE twice");
    expect(dr_status(2, &r), -XEN_EINVAL, "STATUS of vCPU 2 (it has two)");
    expect(dr_status(1000, &r), -XEN_EINVAL, "STATUS of vCPU 1000");
    expect(dr_status(DR_NO_VCPU, &r), 0, "STATUS of the no-vCPU ring");
    expect(dr_harvest(0, dr_buf, 0, &r), -XEN_EINVAL, "HARVEST with max 0");
    expect(dr_harvest(0, NULL, DR_BUF, &r), -XEN_EINVAL, "HARVEST with no buffer");
    expect(op_with(WREN_DIRTY_RING_HARVEST, 0, 128, DR_BUF, (uintptr_t)dr_buf), -XEN_EINVAL,
           "HARVEST with entries set");
    expect(op_with(WREN_DIRTY_RING_STATUS, 0, 0, 4, 0), -XEN_EINVAL, "STATUS with max set");
    expect(op_with(WREN_DIRTY_RING_DISABLE, 1, 0, 0, 0), -XEN_EINVAL, "DISABLE with vcpu set");
}

/* A failed copy takes nothing: the next good HARVEST gets it all. The
 * write set's ring: A/D harvest has no vCPU, the others are vCPU 0's
 * and 1's (vCPU 0's is checked). */
static void check_efault(void)
{
    uint32_t ring = mech == WREN_LOGDIRTY_MECH_AD ? DR_NO_VCPU : 0;
    struct xen_domctl_wren_dirty_ring r, after;
    uint32_t before;

    if ( !ld_job(LD_MB_WRITE_SET, 0xfa17, 40, 0) ||
         ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, bm, NULL) || dr_status(ring, &r) )
    {
        xtf_failure("setting up the -EFAULT case");
        return;
    }
    before = r.count;
    if ( !before )
        xtf_failure("ring %#x empty after a write set", ring);
    expect(dr_harvest(ring, (void *)UNMAPPED_VA, DR_BUF, &r), -XEN_EFAULT, "HARVEST to unmapped");
    expect(dr_status(ring, &after), 0, "STATUS after -EFAULT");
    if ( after.count < before || after.harvested != r.harvested )
        xtf_failure("-EFAULT took entries: %u -> %u in the ring", before, after.count);
    expect(dr_harvest(ring, dr_buf, DR_BUF, &r), 0, "HARVEST after -EFAULT");
    if ( r.count < before )
        xtf_failure("HARVEST after -EFAULT got %u of %u entries", r.count, before);
}

static void check_unprivileged(void)
{
    expect(ld_wait(ld_post(LD_MB_DIRTY_RING, LD_TARGET, 0, 0)), -XEN_EPERM,
           "STATUS from the target itself");
    expect(ld_wait(ld_post(LD_MB_DIRTY_RING, 0, 0, 0)), -XEN_EPERM,
           "STATUS of dom0 from the target");
}

/* 2048 entries, three rings (two vCPUs and the no-vCPU one): 8 pages
 * each and one for the array. Small, so that Bochs is quick about it. */
#define POOL_RING  2048
#define RING_PAGES 25

static long set_pool(uint64_t pages)
{
    return xtf_set_paging_pool(LD_TARGET, pages << PAGE_SHIFT);
}

/* The smallest pool the target can have now: tables and charges, no
 * page free. 0 if none found. */
static uint64_t tightest_pool(void)
{
    uint64_t pool, used, owned;

    if ( xtf_p2m_pool(LD_TARGET, &pool, &used, &owned) )
        return 0;
    for ( uint64_t p = used; p < used + 256; p++ )
        if ( !set_pool(p) )
            return p;
    return 0;
}

static void check_pool(void)
{
    uint64_t orig = 0, tight;

    if ( xtf_get_paging_pool(LD_TARGET, &orig) || !orig || !(tight = tightest_pool()) )
    {
        xtf_failure("reading or shrinking the p2m pool");
        return;
    }
    expect(dr_enable(POOL_RING), -XEN_ENOMEM, "ENABLE in a pool with no page free");
    expect(set_pool(tight + RING_PAGES + 4), 0, "pool with room for the rings");
    check_all_off("after -ENOMEM");
    for ( unsigned int i = 0; i < 3; i++ )
    {
        expect(dr_enable(POOL_RING), 0, "ENABLE in a pool with room for it");
        expect(dr_disable(), 0, "DISABLE");
    }
    /* Charged while on: the pool cannot shrink below it. */
    expect(dr_enable(POOL_RING), 0, "ENABLE once more");
    expect(set_pool(tight), -XEN_EBUSY, "shrinking the pool under the rings");
    expect(dr_disable(), 0, "DISABLE");
    expect(set_pool(tight), 0, "shrinking the pool after DISABLE");
    expect(xtf_set_paging_pool(LD_TARGET, orig), 0, "pool back");
}

static void check_off_takes_rings(void)
{
    expect(dr_enable(good_size()), 0, "ENABLE before OFF");
    expect(ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_OFF, 0), 0, "log-dirty OFF");
    check_all_off("after log-dirty OFF");
    expect(ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0), 0,
           "log-dirty ENABLE again");
    check_all_off("after log-dirty came back");
    expect(ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_OFF, 0), 0, "log-dirty OFF again");
}

/* Until ring 0 stopped its vCPU (or the limit). */
static bool wait_stopped(void)
{
    struct xen_domctl_wren_dirty_ring r;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( dr_status(0, &r) )
            return false;
        if ( r.flags & WREN_DIRTY_RING_F_STOPPED )
            return true;
        hypercall_yield();
    }
    return false;
}

/* The target dies with a vCPU stopped on a full ring: the hypervisor
 * frees the rings with the rest, and every frame comes back. Last: the
 * target is gone afterwards. */
static void check_destroy_stopped(void)
{
    /* A mechanism that knows the writing vCPU (A/D harvest stops none). */
    uint32_t m = mech == WREN_LOGDIRTY_MECH_PML ? mech : WREN_LOGDIRTY_MECH_WP;
    uint64_t pool = 0, used, owned = 0, before, after;
    long rc;

    expect(ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, WREN_LOGDIRTY_MECH(m)), 0,
           "log-dirty ENABLE");
    expect(dr_enable(good_size()), 0, "ENABLE before the destroy");
    ld_post(LD_MB_STREAM, LD_DATA_FIRST, ld_data_pages(), 1);
    if ( !wait_stopped() )
        return (void)xtf_failure("the streaming target never stopped on a full ring");
    if ( xtf_p2m_pool(LD_TARGET, &pool, &used, &owned) )
        return (void)xtf_failure("WREN_P2M_POOL of the target");
    before = xtf_free_pages();
    rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, LD_TARGET);
    if ( rc )
        return (void)xtf_failure("destroydomain with a stopped vCPU: %ld", rc);
    after = xtf_free_pages();
    printf("Destroyed with a stopped vCPU: %lu frames back (owned %lu, pool %lu)\n",
           (unsigned long)(after - before), (unsigned long)owned, (unsigned long)pool);
    if ( after - before < owned + pool )
        xtf_failure("only %lu frames came back", (unsigned long)(after - before));
}

void test_main(void)
{
    struct xen_domctl_wren_logdirty s;

    if ( !ld_attach() )
        return;
    check_all_off("with log-dirty off");
    expect(dr_enable(128), -XEN_EINVAL, "ENABLE with log-dirty off");
    expect(ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0), 0, "log-dirty ENABLE");
    if ( !ld_get_stats(&s) )
        return;
    mech = s.mech;
    printf("Log-dirty mechanism %s\n", ld_mech_names[mech]);
    check_bad_enables();
    expect(dr_enable(good_size()), 0, "ENABLE");
    check_bad_uses();
    check_efault();
    check_unprivileged();
    expect(dr_disable(), 0, "DISABLE");
    check_all_off("after DISABLE");
    check_pool();
    check_off_takes_rings();
    ld_audit("before the destroy");
    check_destroy_stopped();
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
