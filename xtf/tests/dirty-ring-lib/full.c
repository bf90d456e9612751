/*
 * full.c - dirty-ring's full-ring and overflow rounds: included by
 * ../dirty-ring/main.c after its helpers (this directory has no
 * test.cfg, so nothing here is built alone). Changes nothing but the
 * target's rings and log-dirty rounds.
 */

/* Until both vCPUs' rings stopped them (or the limit). */
static bool wait_both_stopped(struct xen_domctl_wren_dirty_ring r[2])
{
    for ( unsigned long i = 0; i < WAIT_LIMIT; i++ )
    {
        if ( !ok(dr_status(0, &r[0]), "STATUS 0") || !ok(dr_status(1, &r[1]), "STATUS 1") )
            return false;
        if ( (r[0].flags & r[1].flags) & WREN_DIRTY_RING_F_STOPPED )
            return true;
        hypercall_yield();
    }
    xtf_failure("the vCPUs never stopped on full rings (flags %#x, %#x; used %u, %u)", r[0].flags,
                r[1].flags, r[0].count, r[1].count);
    return false;
}

/* Stopped means stopped: nothing moves while nobody harvests. */
static void check_stays_stopped(uint32_t seq, const struct xen_domctl_wren_dirty_ring r[2])
{
    struct xen_domctl_wren_dirty_ring now;

    for ( unsigned int i = 0; i < 200; i++ )
        hypercall_yield();
    for ( unsigned int v = 0; v < NR_VCPUS; v++ )
    {
        if ( !ok(dr_status(v, &now), "STATUS") )
            return;
        if ( now.count != r[v].count || !(now.flags & WREN_DIRTY_RING_F_STOPPED) )
            xtf_failure("vCPU %u went on while stopped: used %u -> %u, flags %#x", v, r[v].count,
                        now.count, now.flags);
        if ( now.count < now.soft_limit || !now.full_exits )
            xtf_failure("vCPU %u stopped with %u entries (soft limit %u), %lu full exits", v,
                        now.count, now.soft_limit, (unsigned long)now.full_exits);
    }
    if ( ld_mb->ack == seq )
        xtf_failure("the stream finished with both writers stopped");
}

/* Harvest until the job is acknowledged; everything into got0/got1/gotn. */
static bool harvest_until_done(uint32_t seq, struct dr_take *t)
{
    for ( unsigned long i = 0; i < WAIT_LIMIT; i++ )
    {
        if ( !dr_drain(0, got0, t) || !dr_drain(1, got1, t) || !dr_drain(DR_NO_VCPU, gotn, t) )
            return false;
        if ( ld_mb->ack == seq )
            return ok(ld_mb->result, "stream job");
        hypercall_yield();
    }
    xtf_failure("the stream never finished while harvested");
    return false;
}

static void check_stream(uint64_t nr)
{
    struct xen_domctl_wren_dirty_ring r;

    ld_or(got0, got1);
    ld_or(got0, gotn);
    for ( uint64_t g = LD_DATA_FIRST; g < ld_ram_end; g++ )
        if ( bitmap_test(got0, g) != (g < LD_DATA_FIRST + nr) )
        {
            xtf_failure("stream: gfn %#lx %s the rings", (unsigned long)g,
                        bitmap_test(got0, g) ? "wrongly in" : "missing from");
            return;
        }
    if ( ok(dr_status(0, &r), "STATUS") && (r.total_dropped || r.total_full_exits < NR_VCPUS) )
        xtf_failure("stream: %lu dropped, %lu full exits", (unsigned long)r.total_dropped,
                    (unsigned long)r.total_full_exits);
    printf("Stream of %lu frames: %lu full-ring exits\n", (unsigned long)nr,
           (unsigned long)r.total_full_exits);
}

/* A small ring; both vCPUs stream past its soft limit. */
static void full_ring_round(void)
{
    bool pml = mech == WREN_LOGDIRTY_MECH_PML;
    uint64_t nr = pml ? 3000 : 400;
    struct xen_domctl_wren_dirty_ring r[2];
    struct dr_take t = { 0 };
    uint32_t seq;

    if ( !start_rings(pml ? 2048 : 128) )
        return;
    ld_clear(got0);
    ld_clear(got1);
    ld_clear(gotn);
    seq = ld_post(LD_MB_STREAM, LD_DATA_FIRST, nr, 1);
    if ( !wait_both_stopped(r) )
        return;
    check_stays_stopped(seq, r);
    if ( !harvest_until_done(seq, &t) || !clean(bm) || !dr_drain(0, got0, &t) ||
         !dr_drain(1, got1, &t) || !dr_drain(DR_NO_VCPU, gotn, &t) )
        return;
    check_no_dups(&t, "stream");
    check_stream(nr);
    ok(dr_disable(), "DISABLE");
}

/* A/D: the no-vCPU ring too small for a set drops, and says so. */
static void overflow_round(void)
{
    struct xen_domctl_wren_dirty_ring r;
    struct dr_take t;

    if ( !start_rings(128) || !ld_job(LD_MB_WRITE_SET, 0x0f10, SET_COUNT, 0) )
        return;
    expect_null_clean(-XEN_EAGAIN, "after the no-vCPU ring dropped");
    if ( !round_(&t) )
        return;
    if ( !ok(dr_status(DR_NO_VCPU, &r), "STATUS") )
        return;
    if ( !r.dropped || !(r.flags & WREN_DIRTY_RING_F_DROPPED_TAKEN) || r.soft_limit )
        xtf_failure("overflow: dropped %lu, flags %#x, soft limit %u", (unsigned long)r.dropped,
                    r.flags, r.soft_limit);
    expect_set(0x0f10, SET_COUNT);
    ld_or(want0, want1);
    for ( uint64_t g = LD_DATA_FIRST; g < ld_ram_end; g++ )
        if ( bitmap_test(want0, g) && !bitmap_test(bm, g) )
            xtf_failure("overflow: gfn %#lx written, not in the bitmap", (unsigned long)g);
    if ( clean(bm) )
        check_dropped_flag(false, "the CLEAN after an overflow");
    ok(dr_disable(), "DISABLE");
}

/* Log-dirty OFF took the rings with it. */
static void check_gone_with_logdirty(void)
{
    struct xen_domctl_wren_dirty_ring r;
    long rc = dr_status(0, &r);

    if ( rc != -XEN_EINVAL )
        xtf_failure("STATUS after log-dirty OFF: %ld, expected -EINVAL", rc);
}
