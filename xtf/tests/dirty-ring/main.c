/*
 * dirty-ring - the per-vCPU dirty rings beside the log-dirty bitmap
 * (XEN_DOMCTL_wren_dirty_ring), against logdirty-target (domain 1, two
 * vCPUs: vCPU 0 writes the even picks of a write set, vCPU 1 the odd).
 *
 * For the mechanism the platform logs per vCPU (PML where there is one,
 * else write-protect), with the shatter policy:
 *  - ENABLE while log-dirty is on; a CLEAN without a bitmap is refused
 *    (-EAGAIN, nothing reset) while the bitmap holds frames no ring has
 *    (dirtied before the rings); with a bitmap it works and says so; the
 *    next CLEAN without one works;
 *  - a write set: after CLEAN, ring 0 holds exactly the frames only
 *    vCPU 0 wrote, ring 1 those only vCPU 1 wrote, a frame both wrote is
 *    in exactly one of them, the no-vCPU ring holds none of them, no
 *    frame comes twice, and CLEAN's bitmap (which keeps working) has them
 *    all. The same set again after that CLEAN: all of it again;
 *  - dedupe ordering: hypervisor writes into a page set, made during the
 *    target's own hypercalls (vCPU 0), twice in one interval: each frame
 *    once, in ring 0; after a CLEAN the same writes: each frame again;
 *  - the full ring: a small ring, both vCPUs streaming more frames than
 *    it holds below its soft limit: both stop (F_STOPPED, full_exits),
 *    stay stopped while nobody harvests, and go on once harvested, until
 *    the job is done; every frame streamed came through a ring, nothing
 *    was dropped.
 * Where A/D harvest exists (NPT), also with it: write sets come through
 * the no-vCPU ring (harvest at CLEAN has no vCPU), hypervisor writes
 * through ring 0, and a no-vCPU ring too small for a set drops, counts
 * the drops, refuses a CLEAN without a bitmap and flags the CLEAN whose
 * bitmap has them.
 * Log-dirty OFF frees the rings.
 */
#include "../logdirty-lib/ctl.c"
#include "../dirty-ring-lib/ring.c"

const char test_title[] = "dirty ring: per-vCPU rings, dedupe, the full-ring stop";

#define NR_VCPUS   2
#define SET_COUNT  300
#define HV_COUNT   60
#define WAIT_LIMIT 200000

static ld_bits_t want0, want1, bm, got0, got1, gotn;
static unsigned int mech;

static bool ok(long rc, const char *what)
{
    if ( rc )
        xtf_failure("%s: %ld", what, rc);
    return !rc;
}

static bool clean(uint64_t *out)
{
    return ok(ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, out, NULL), "CLEAN");
}

static uint32_t flags_now(void)
{
    struct xen_domctl_wren_dirty_ring r;

    return ok(dr_status(0, &r), "STATUS") ? r.flags : 0;
}

static void check_dropped_flag(bool want, const char *when)
{
    bool got = flags_now() & WREN_DIRTY_RING_F_DROPPED_TAKEN;

    if ( got != want )
        xtf_failure("%s: DROPPED_TAKEN %u, expected %u", when, got, want);
}

/* A CLEAN into bm, then every ring into got0, got1, gotn. */
static bool round_(struct dr_take *t)
{
    ld_clear(got0);
    ld_clear(got1);
    ld_clear(gotn);
    *t = (struct dr_take){ 0 };
    return clean(bm) && dr_drain(0, got0, t) && dr_drain(1, got1, t) &&
           dr_drain(DR_NO_VCPU, gotn, t);
}

static void check_no_dups(const struct dr_take *t, const char *what)
{
    if ( t->dups )
        xtf_failure("%s: %lu frames came twice (first %#lx)", what, (unsigned long)t->dups,
                    (unsigned long)t->first_dup);
}

/* Where frame g must be, given who wrote it; false (and a failure) if
 * it is not exactly there. */
static bool placed(uint64_t g, bool w0, bool w1, bool wn, const char *what)
{
    bool r0 = bitmap_test(got0, g), r1 = bitmap_test(got1, g), rn = bitmap_test(gotn, g);
    bool good = wn ? (rn && !r0 && !r1) : !rn && (w0 && w1 ? r0 != r1 : r0 == w0 && r1 == w1);

    if ( !good )
        xtf_failure("%s: gfn %#lx written by%s%s%s, in rings%s%s%s", what, (unsigned long)g,
                    w0 ? " vCPU0" : "", w1 ? " vCPU1" : "", wn ? " (no vCPU)" : "", r0 ? " 0" : "",
                    r1 ? " 1" : "", rn ? " none" : "");
    if ( (w0 || w1) && !bitmap_test(bm, g) )
        xtf_failure("%s: gfn %#lx written, not in CLEAN's bitmap", what, (unsigned long)g);
    return good;
}

/* Every data frame where the writers say; at most one report per round. */
static void check_rings(bool by_vcpu, const char *what)
{
    for ( uint64_t g = LD_DATA_FIRST; g < ld_ram_end; g++ )
    {
        bool w0 = bitmap_test(want0, g), w1 = bitmap_test(want1, g);

        if ( !by_vcpu && !placed(g, false, false, w0 || w1, what) )
            return;
        if ( by_vcpu && !placed(g, w0, w1, false, what) )
            return;
    }
}

/* The picks of seed: even ones vCPU 0's, odd ones vCPU 1's. */
static void expect_set(uint64_t seed, uint64_t count)
{
    ld_clear(want0);
    ld_clear(want1);
    for ( uint64_t k = 0; k < count; k++ )
        bitmap_set(k & 1 ? want1 : want0, ld_pick(seed, k, LD_DATA_FIRST, ld_data_pages()));
}

static void write_set_rounds(void)
{
    bool by_vcpu = mech != WREN_LOGDIRTY_MECH_AD;
    struct dr_take t;

    expect_set(0xd1e7, SET_COUNT);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        if ( !ld_job(LD_MB_WRITE_SET, 0xd1e7, SET_COUNT, 0) || !round_(&t) )
            return;
        check_rings(by_vcpu, i ? "write set again" : "write set");
        check_no_dups(&t, "write set");
    }
}

/* Hypervisor writes twice in one interval: once each; after CLEAN, again. */
static void dedupe_rounds(void)
{
    struct dr_take t;

    expect_set(0xabc, HV_COUNT);
    ld_or(want0, want1); /* vCPU 0 makes every call */
    ld_clear(want1);
    if ( !ld_job(LD_MB_HV_WRITES, 0xabc, HV_COUNT, 0) ||
         !ld_job(LD_MB_HV_WRITES, 0xabc, HV_COUNT, 0) || !round_(&t) )
        return;
    check_rings(true, "hypervisor writes, twice in an interval");
    check_no_dups(&t, "hypervisor writes");
    if ( !ld_job(LD_MB_HV_WRITES, 0xabc, HV_COUNT, 0) || !round_(&t) )
        return;
    check_rings(true, "hypervisor writes after CLEAN");
}

/* A CLEAN without a bitmap: 0, or -EAGAIN when a ring user needs one. */
static void expect_null_clean(long want, const char *when)
{
    long rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, NULL, 0, NULL);

    if ( rc != want )
        xtf_failure("CLEAN without a bitmap %s: %ld, expected %ld", when, rc, want);
}

/* Enable the rings with entries each, and start a clean interval. The
 * frames dirtied before are in no ring: the first CLEAN needs a bitmap. */
static bool start_rings(uint32_t entries)
{
    if ( !ok(dr_enable(entries), "ENABLE") )
        return false;
    expect_null_clean(-XEN_EAGAIN, "just after ENABLE");
    if ( !clean(bm) )
        return false;
    check_dropped_flag(true, "first CLEAN after ENABLE");
    if ( !dr_drain_all(NR_VCPUS) )
        return false;
    expect_null_clean(0, "once the rings have everything");
    check_dropped_flag(false, "second CLEAN after ENABLE");
    return dr_drain_all(NR_VCPUS);
}

#include "../dirty-ring-lib/full.c"

static void run_mech(unsigned int m)
{
    mech = m;
    printf("Mechanism %s\n", ld_mech_names[m]);
    if ( !ok(ld_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
                       WREN_LOGDIRTY_MECH(m) | WREN_LOGDIRTY_SP_SHATTER, NULL, 0, NULL),
             "log-dirty ENABLE") )
        return;
    if ( start_rings(m == WREN_LOGDIRTY_MECH_PML ? 4096 : 2048) )
    {
        write_set_rounds();
        dedupe_rounds();
        ok(dr_disable(), "DISABLE");
        if ( m == WREN_LOGDIRTY_MECH_AD )
            overflow_round();
        else
            full_ring_round();
    }
    ok(ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_OFF, 0), "log-dirty OFF");
    check_gone_with_logdirty();
}

void test_main(void)
{
    struct xen_domctl_wren_logdirty s;

    if ( !ld_attach() || !ld_get_stats(&s) )
        return;
    printf("Target RAM %#lx pages; mechanisms available %#x\n", (unsigned long)ld_ram_end,
           s.available);
    run_mech(s.available & (1U << WREN_LOGDIRTY_MECH_PML) ? WREN_LOGDIRTY_MECH_PML
                                                          : WREN_LOGDIRTY_MECH_WP);
    if ( s.available & (1U << WREN_LOGDIRTY_MECH_AD) &&
         !(s.available & (1U << WREN_LOGDIRTY_MECH_PML)) )
        run_mech(WREN_LOGDIRTY_MECH_AD);
    ld_audit("at the end");
    ld_job(XTF_MB_EXIT, 0, 0, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
