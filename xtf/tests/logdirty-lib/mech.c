/*
 * mech.c - the body of logdirty-wp, logdirty-ad and logdirty-pml: one
 * mechanism, under both superpage policies, against logdirty-target
 * (domain 1, 2 vCPUs). Include after ctl.c.
 *
 * Per policy (shatter, then keep):
 *  - enable with the mechanism and policy in the mode bits; the stats
 *    domctl says so, and counts the superpages the p2m has;
 *  - synchronous rounds: both target vCPUs write a pseudo-random page set
 *    (the seed is sent through the mailbox, so the set is known here),
 *    partly inside superpages; CLEAN must report every written page
 *    (never a false negative), and nothing else in the data range except,
 *    under keep, the rest of a written superpage, which must then be
 *    reported whole. The shadow_op stats count the faults and dirty bits.
 *    The last set is then written again: CLEAN re-armed those pages (a
 *    global change, or their dirty flags cleared and the TLBs flushed),
 *    so all of them must be reported again;
 *  - a concurrent round: CLEAN while the target is still writing, then
 *    CLEAN again: the union holds every page written;
 *  - a hypervisor-write round: the target has the hypervisor write into a
 *    page set (a hypercall's output buffer); CLEAN reports every page;
 *  - a quiet round and a read-only round report nothing in the data range;
 *  - PEEK reports without resetting; a FINAL CLEAN with the target paused;
 *  - shatter leaves written pages in 4K leaves, keep keeps superpages;
 *  - OFF: entries_2m is back to its value before enable (superpages
 *    re-coalesced), the p2m audit is clean, and (write-protect) writes no
 *    longer fault.
 * A mechanism the platform lacks is a SKIP, after checking that enabling
 * it is refused with -EOPNOTSUPP.
 */

#define LD_ROUNDS 3
#define LD_COUNT  96   /* writes per round (both vCPUs) */
#define LD_DELAY  3000 /* pause loops between concurrent writes */

static ld_bits_t want, got, got2, super, ever;
static unsigned int mech;
static uint64_t seed_base;

static const char *policy_name(bool keep)
{
    return keep ? "keep" : "shatter";
}

static bool enable(bool keep)
{
    uint32_t mode =
        WREN_LOGDIRTY_MECH(mech) | (keep ? WREN_LOGDIRTY_SP_KEEP : WREN_LOGDIRTY_SP_SHATTER);
    struct xen_domctl_wren_logdirty s;
    long rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, mode, NULL, 0, NULL);

    if ( rc )
    {
        xtf_failure("enable %s/%s: %ld", ld_mech_names[mech], policy_name(keep), rc);
        return false;
    }
    if ( !ld_get_stats(&s) )
        return false;
    if ( s.mech != mech || !(s.flags & WREN_LOGDIRTY_F_ENABLED) ||
         !!(s.flags & WREN_LOGDIRTY_F_KEEP) != keep )
        xtf_failure("stats after enable: mech %u flags %#x", s.mech, s.flags);
    return true;
}

static void check_counts(const struct xen_domctl_shadow_op *op, uint64_t written, bool keep,
                         const char *what)
{
    bool wp = mech == WREN_LOGDIRTY_MECH_WP;

    if ( op->stats.dirty_count < written )
        xtf_failure("%s: dirty_count %u < %lu pages written", what, op->stats.dirty_count,
                    (unsigned long)written);
    if ( wp && op->stats.fault_count < (keep ? !!written : written) )
        xtf_failure("%s: fault_count %u for %lu pages written", what, op->stats.fault_count,
                    (unsigned long)written);
    if ( !wp && op->stats.fault_count )
        xtf_failure("%s: %u write faults without write-protection", what, op->stats.fault_count);
}

/* The pages the target will write for seed: want is exactly them, and
 * ever gains them. */
static void expect_set(uint64_t seed)
{
    ld_clear(want);
    ld_write_set(want, seed, LD_COUNT);
    ld_write_set(ever, seed, LD_COUNT);
}

/* Write a set, wait, CLEAN, judge. */
static void round_sync(uint64_t seed, const struct ld_allow *allow, const char *what)
{
    struct xen_domctl_shadow_op op;
    long rc;

    expect_set(seed);
    if ( !ld_job(LD_MB_WRITE_SET, seed, LD_COUNT, 0) )
        return;
    rc = ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, &op);
    if ( rc )
    {
        xtf_failure("%s: CLEAN %ld", what, rc);
        return;
    }
    ld_check(got, want, allow, what);
    check_counts(&op, ld_count(want, LD_DATA_FIRST, ld_ram_end), allow->keep, what);
}

/* The hypervisor writes into the target's pages (a hypercall's output),
 * through no MMU of the guest's: CLEAN must report them all the same, or
 * a migration would send stale copies. */
static void round_hv(uint64_t seed, const struct ld_allow *allow)
{
    long rc;

    expect_set(seed);
    if ( !ld_job(LD_MB_HV_WRITES, seed, LD_COUNT, 0) )
        return;
    if ( ld_mb->result )
        xtf_error("hypervisor-write round: %ld hypercalls failed", (long)ld_mb->result);
    rc = ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL);
    if ( rc )
        xtf_failure("hypervisor-write round: CLEAN %ld", rc);
    else
        ld_check(got, want, allow, "hypervisor-write round");
}

/* CLEAN while the target writes, then again: the union is complete. */
static void round_concurrent(uint64_t seed, const struct ld_allow *allow)
{
    uint32_t seq;
    long rc, rc2;

    expect_set(seed);
    seq = ld_post(LD_MB_WRITE_SET, seed, LD_COUNT, LD_DELAY);
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && ld_mb->out[0] < LD_COUNT / 3; i++ )
        hypercall_yield(); /* CLEAN in the middle of the writes */
    rc = ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got2, NULL);
    if ( ld_wait(seq) )
        xtf_error("concurrent round: the target did not finish");
    rc2 = ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL);
    if ( rc || rc2 )
    {
        xtf_failure("concurrent round: CLEAN %ld, %ld", rc, rc2);
        return;
    }
    printf("  concurrent: %lu data pages in the first CLEAN, %lu in the second\n",
           (unsigned long)ld_count(got2, LD_DATA_FIRST, ld_ram_end),
           (unsigned long)ld_count(got, LD_DATA_FIRST, ld_ram_end));
    ld_or(got, got2);
    ld_check(got, want, allow, "concurrent round");
}

/* Nothing written (or only read) since the last CLEAN: nothing reported. */
static void round_empty(uint32_t job, const char *what)
{
    long rc;

    if ( job != XTF_MB_NOP && !ld_job(job, 0, 0, 0) )
        return;
    rc = ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL);
    if ( rc )
        xtf_failure("%s: CLEAN %ld", what, rc);
    else if ( ld_count(got, LD_DATA_FIRST, ld_ram_end) )
        xtf_failure("%s: %lu data pages reported", what,
                    (unsigned long)ld_count(got, LD_DATA_FIRST, ld_ram_end));
}

/* PEEK twice (no reset), then CLEAN (the same pages), then CLEAN (none). */
static void round_peek(uint64_t seed, const struct ld_allow *allow)
{
    expect_set(seed);
    if ( !ld_job(LD_MB_WRITE_SET, seed, LD_COUNT, 0) )
        return;
    for ( unsigned int i = 0; i < 3; i++ )
    {
        uint32_t op = i < 2 ? XEN_DOMCTL_SHADOW_OP_PEEK : XEN_DOMCTL_SHADOW_OP_CLEAN;
        long rc = ld_report(op, 0, got, NULL);

        if ( rc )
            xtf_failure("PEEK/CLEAN %u: %ld", i, rc);
        else
            ld_check(got, want, allow, i < 2 ? "PEEK" : "CLEAN after PEEK");
    }
    round_empty(XTF_MB_NOP, "CLEAN after CLEAN");
}

/* The last round of a migration: target paused, FINAL flag. */
static void round_final(uint64_t seed, const struct ld_allow *allow)
{
    struct xen_domctl_wren_logdirty s;
    long rc;

    expect_set(seed);
    if ( !ld_job(LD_MB_WRITE_SET, seed, LD_COUNT, 0) || !ld_pause(true) )
        return;
    rc = ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL, got, NULL);
    ld_pause(false);
    if ( rc )
        xtf_failure("FINAL CLEAN: %ld", rc);
    else
        ld_check(got, want, allow, "FINAL CLEAN");
    if ( ld_get_stats(&s) && s.final_rounds != 1 )
        xtf_failure("final_rounds %lu after one FINAL CLEAN", (unsigned long)s.final_rounds);
}

/* Shatter: written superpages are 4K leaves now; keep: still superpages. */
static void check_layout(bool keep)
{
    for ( uint64_t r = LD_DATA_FIRST / GFNS_2M; r < ld_ram_end / GFNS_2M; r++ )
    {
        unsigned int order = ld_order(r * GFNS_2M);

        if ( !bitmap_test(super, r) || !region_written(ever, r) )
            continue;
        if ( keep ? order < 9 : order >= 9 )
            xtf_failure("%s: region %#lx has a leaf of order %u", policy_name(keep),
                        (unsigned long)(r * GFNS_2M), order);
    }
}

/* OFF: superpages back, audit clean, (write-protect) no more faults. */
static void disable(uint64_t entries_2m_before)
{
    struct xen_domctl_wren_logdirty s;
    struct xen_domctl_wren_p2m p;
    uint64_t faults_before = 0, faults_after = 0;
    long rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL);

    if ( rc )
    {
        xtf_failure("OFF: %ld", rc);
        return;
    }
    if ( !ld_get_stats(&s) || !ld_p2m_stats(&p) )
        return;
    printf("  off: superpages before %lu, restored %lu; entries_2m %lu (was %lu)\n",
           (unsigned long)s.superpages_before, (unsigned long)s.superpages_restored,
           (unsigned long)p.entries_2m, (unsigned long)entries_2m_before);
    if ( p.entries_2m != entries_2m_before )
        xtf_failure("after OFF: %lu 2M leaves, %lu before enable", (unsigned long)p.entries_2m,
                    (unsigned long)entries_2m_before);
    ld_audit("after OFF");
    xtf_p2m_fault_counts(LD_TARGET, NULL, &faults_before);
    ld_job(LD_MB_WRITE_SET, seed_base ^ 0xdead, LD_COUNT, 0);
    xtf_p2m_fault_counts(LD_TARGET, NULL, &faults_after);
    if ( faults_after != faults_before )
        xtf_failure("after OFF: %lu log-dirty faults from a write set",
                    (unsigned long)(faults_after - faults_before));
}

static void run_policy(bool keep)
{
    struct ld_allow allow = { .keep = keep, .super = super };
    struct xen_domctl_wren_p2m p;
    struct xen_domctl_wren_logdirty s;

    printf("%s, %s:\n", ld_mech_names[mech], policy_name(keep));
    ld_superpages(super);
    ld_clear(ever);
    if ( !ld_p2m_stats(&p) || !enable(keep) || !ld_get_stats(&s) )
        return;
    if ( s.superpages_before != p.entries_2m + p.entries_1g )
        xtf_failure("superpages_before %lu, the p2m had %lu", (unsigned long)s.superpages_before,
                    (unsigned long)(p.entries_2m + p.entries_1g));
    round_empty(XTF_MB_NOP, "first CLEAN"); /* whatever came before enable */
    for ( unsigned int r = 0; r < LD_ROUNDS; r++ )
        round_sync(seed_base + r, &allow, "synchronous round");
    round_sync(seed_base + LD_ROUNDS - 1, &allow, "the same pages again");
    round_concurrent(seed_base + 10, &allow);
    round_hv(seed_base + 40, &allow);
    round_empty(XTF_MB_NOP, "quiet round");
    round_empty(LD_MB_READ_ALL, "read-only round");
    round_peek(seed_base + 20, &allow);
    round_final(seed_base + 30, &allow);
    check_layout(keep);
    ld_audit("before OFF");
    disable(p.entries_2m);
}

static const char *missing_reason(void)
{
    if ( mech == WREN_LOGDIRTY_MECH_PML )
        return "no PML here (SVM, or the VMX code offers no PML ops)";
    return "no A/D harvest here (EPT needs the vendor's ad_enable hook)";
}

/* Skip, after checking that enabling is refused as documented. */
static void skip_missing(void)
{
    long rc =
        ld_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, WREN_LOGDIRTY_MECH(mech), NULL, 0, NULL);

    if ( rc != -XEN_EOPNOTSUPP )
        xtf_failure("enabling a missing mechanism gave %ld, not -EOPNOTSUPP", rc);
    xtf_skip("%s", missing_reason());
}

static void ld_mech_test(unsigned int m)
{
    struct xen_domctl_wren_logdirty s;

    mech = m;
    seed_base = 0x5eed0000ULL + m * 0x100;
    if ( !ld_attach() || !ld_get_stats(&s) )
        return;
    printf("Target RAM %#lx pages; mechanisms available %#x\n", (unsigned long)ld_ram_end,
           s.available);
    if ( !(s.available & (1U << mech)) )
        skip_missing();
    else
    {
        run_policy(false);
        run_policy(true);
    }
    ld_job(XTF_MB_EXIT, 0, 0, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
