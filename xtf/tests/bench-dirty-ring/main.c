/*
 * bench-dirty-ring - counts (never times) for automation/bench-dirty-
 * ring.sh: what finding a round's dirty frames costs the toolstack
 * through the log-dirty bitmap against through the dirty rings, in the
 * same rounds (both consumers see the same writes).
 *
 * logdirty-target (domain 1, 2 vCPUs, 64 MiB) writes, per round, either
 * a small working set (SMALL_WRITES pseudo-random frames) or a large one
 * (every data frame, streamed). The mechanism is the one that logs per
 * vCPU (PML where there is one, else write-protect), shatter policy,
 * rings of RING_ENTRIES. Per round the controller CLEANs into a bitmap
 * and drains every ring; during the large set also while the writers
 * run (a vCPU whose ring fills waits for that).
 *
 * One line per working set:
 *   BENCH mech= set= frames= rounds= dirty= words= bitmap_bytes=
 *         entries= ring_bytes= harvests= full_exits= dropped=
 * frames: what the bitmap covers; dirty: data frames CLEAN reported (all
 * rounds); words: 64-bit words a scan of the bitmaps reads; entries:
 * ring entries harvested; harvests: HARVEST calls; full_exits: vCPU
 * stops for a full ring. The test fails (no numbers) if a ring misses a
 * frame the bitmap has, or the rings drop.
 */
#include "../logdirty-lib/ctl.c"
#include "../dirty-ring-lib/ring.c"

const char test_title[] = "dirty-ring benchmark: bitmap words against ring entries";

#define ROUNDS       3
#define SMALL_WRITES 64
#define RING_ENTRIES 4096
#define NR_VCPUS     2

static ld_bits_t bm, ring_seen;

struct cost
{
    uint64_t dirty, words, entries, harvests;
};

static bool drain_counted(struct cost *c)
{
    for ( unsigned int v = 0; v <= NR_VCPUS; v++ )
    {
        uint32_t ring = v == NR_VCPUS ? DR_NO_VCPU : v;
        struct dr_take t = { 0 };
        uint64_t before = t.entries;

        if ( !dr_drain(ring, ring_seen, &t) )
            return false;
        c->entries += t.entries - before;
        c->harvests += t.entries / DR_BUF + 1; /* dr_drain's calls */
    }
    return true;
}

/* Post the job; the large one is harvested while it runs (its frames
 * outnumber a ring, and a stopped vCPU waits for the harvest). */
static bool run_job(bool large, uint64_t round, struct cost *c)
{
    uint32_t seq = large ? ld_post(LD_MB_STREAM, LD_DATA_FIRST, ld_data_pages(), 1)
                         : ld_post(LD_MB_WRITE_SET, 0xbe7c0 + round, SMALL_WRITES, 0);

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( ld_mb->ack == seq )
            return !ld_mb->result;
        if ( large && !drain_counted(c) )
            return false;
        hypercall_yield();
    }
    xtf_failure("job never finished");
    return false;
}

/* Every data frame the bitmap has came through a ring. */
static bool rings_cover(void)
{
    for ( uint64_t g = LD_DATA_FIRST; g < ld_ram_end; g++ )
        if ( bitmap_test(bm, g) && !bitmap_test(ring_seen, g) )
        {
            xtf_failure("gfn %#lx in the bitmap, in no ring", (unsigned long)g);
            return false;
        }
    return true;
}

static bool one_round(bool large, uint64_t round, struct cost *c)
{
    struct xen_domctl_shadow_op op;

    ld_clear(ring_seen);
    if ( !run_job(large, round, c) || ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, bm, &op) ||
         !drain_counted(c) )
        return false;
    c->words += (op.pages + 63) / 64;
    c->dirty += ld_count(bm, LD_DATA_FIRST, ld_ram_end);
    return rings_cover();
}

static void bench_set(unsigned int mech, bool large)
{
    struct xen_domctl_wren_dirty_ring st;
    struct cost c = { 0 };
    uint64_t frames;

    if ( ld_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
                   WREN_LOGDIRTY_MECH(mech) | WREN_LOGDIRTY_SP_SHATTER, NULL, 0, NULL) ||
         dr_enable(RING_ENTRIES) || ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, bm, NULL) ||
         !dr_drain_all(NR_VCPUS) )
    {
        xtf_failure("enabling log-dirty and the rings");
        return;
    }
    frames = ld_ram_end;
    for ( uint64_t r = 0; r < ROUNDS; r++ )
        if ( !one_round(large, r, &c) )
            return;
    if ( dr_status(0, &st) )
        return;
    if ( st.total_dropped )
        xtf_failure("%lu entries dropped", (unsigned long)st.total_dropped);
    printf("BENCH mech=%s set=%s frames=%lu rounds=%u dirty=%lu words=%lu bitmap_bytes=%lu "
           "entries=%lu ring_bytes=%lu harvests=%lu full_exits=%lu dropped=%lu\n",
           ld_mech_names[mech], large ? "large" : "small", (unsigned long)frames, ROUNDS,
           (unsigned long)c.dirty, (unsigned long)c.words, (unsigned long)(c.words * 8),
           (unsigned long)c.entries,
           (unsigned long)(c.entries * sizeof(struct xen_wren_dirty_entry)),
           (unsigned long)c.harvests, (unsigned long)st.total_full_exits,
           (unsigned long)st.total_dropped);
    dr_disable();
    ld_shadow_on(LD_TARGET, XEN_DOMCTL_SHADOW_OP_OFF, 0);
}

void test_main(void)
{
    struct xen_domctl_wren_logdirty s;
    unsigned int mech;

    if ( !ld_attach() || !ld_get_stats(&s) )
        return;
    mech = s.available & (1U << WREN_LOGDIRTY_MECH_PML) ? WREN_LOGDIRTY_MECH_PML
                                                        : WREN_LOGDIRTY_MECH_WP;
    bench_set(mech, false);
    bench_set(mech, true);
    ld_job(XTF_MB_EXIT, 0, 0, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
