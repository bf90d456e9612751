/*
 * test-p2m-lazy-random.c - thousands of short random sequences of p2m
 * operations on both backends, each run on a lazy p2m and on its eager
 * twin: set_entry, set_range, removals, change_type_range, global changes
 * (legal or not, through owners or not), p2m_finish_pending with small
 * budgets, guest accesses (p2m_resolve_fault at random gfns), coalescing
 * and lookups.
 *
 * After every operation: both auditors pass; both p2ms give the same
 * lookups around what was touched; the modelled CPU translates nothing
 * the eager type does not allow, and nothing at all through a mark; an
 * eager global change left no entry of its old type. Every ten operations
 * the whole window is compared; at the end of a sequence the lazy p2m
 * finishes everything and its counters must equal the eager twin's.
 *
 * A failing run prints the sequence it was in; WREN_P2M_SEQ=N replays it.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "harness.h"
#include "p2m-util.h"
#include <asm/p2m-backends.h>

#define G1        (1ULL << P2M_ORDER_1G)
#define M2        (1ULL << P2M_ORDER_2M)
#define ROOT_SPAN (1ULL << 27)
#define SEQUENCES 1000 /* per backend */
#define STEPS     40   /* per sequence */

struct region
{
    uint64_t base, nr;
};

static const struct region regions[] = {
    { 0, 6144 },                      /* 4K and 2M */
    { G1, G1 },                       /* a 1G block */
    { 5 * ROOT_SPAN + 3 * G1, 4096 }, /* another root entry */
    { P2M_GFN_LIMIT - 4096, 4096 },   /* the top of the space */
};

/* Types that take part in global changes, RAM first and most often. */
static const p2m_type_t palette[] = {
    p2m_ram_rw,     p2m_ram_rw,      p2m_ram_logdirty, p2m_ram_ro,       p2m_ioreq_server,
    p2m_ram_shared, p2m_mmio_direct, p2m_mmio_dm,      p2m_grant_map_rw, p2m_ram_paging_out,
};

static unsigned int current_sequence;
/* Global changes, marks resolved, resyncs, shatters: the sequences must
 * have exercised each. */
static unsigned long long totals[4];

static const struct region *pick_region(void)
{
    return &regions[test_rand_below(ARRAY_SIZE(regions))];
}

static p2m_type_t pick_type(void)
{
    return palette[test_rand_below(ARRAY_SIZE(palette))];
}

static uint64_t pick_gfn(const struct region *r)
{
    return r->base + test_rand_below(r->nr);
}

static unsigned int pick_order(const struct region *r)
{
    unsigned int x = test_rand_below(100);

    if ( r->nr >= G1 && x < 15 )
        return P2M_ORDER_1G;
    return x < 55 ? P2M_ORDER_4K : P2M_ORDER_2M;
}

static uint64_t pick_mfn(p2m_type_t t, unsigned int order)
{
    if ( p2m_type_rights(t) == p2m_access_n && test_rand_below(2) )
        return INVALID_MFN_RAW;
    return (1 + test_rand_below(1ULL << 10)) << order;
}

static p2m_access_t pick_access(void)
{
    return test_rand_below(3) ? p2m_access_rwx : test_rand_below(8);
}

static uint64_t pick_length(const struct region *r, uint64_t gfn)
{
    uint64_t room = r->base + r->nr - gfn, cap = test_rand_below(4) ? 700 : 3 * M2;

    return 1 + test_rand_below(MIN(room, cap));
}

/* The range [gfn, gfn + nr) and a margin, clipped to the region. */
static void compare_around(const struct region *r, uint64_t gfn, uint64_t nr)
{
    uint64_t lo = gfn - r->base > 300 ? gfn - 300 : r->base;
    uint64_t hi = MIN(gfn + nr + 300, r->base + r->nr);

    check_same_as_ref(lo, hi - lo);
}

static void compare_everything(void)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(regions); i++ )
        check_same_as_ref(regions[i].base, regions[i].nr);
}

/* ---- operations ---- */

static void op_set(void)
{
    const struct region *r = pick_region();
    unsigned int order = pick_order(r);
    uint64_t gfn = r->base + (test_rand_below(r->nr >> order) << order);
    p2m_type_t t = pick_type();

    CHECK_EQ(both_set(gfn, pick_mfn(t, order), order, t, pick_access()), 0);
    compare_around(r, gfn, 1ULL << order);
}

static void op_range(bool remove)
{
    const struct region *r = pick_region();
    uint64_t gfn = pick_gfn(r), nr = pick_length(r, gfn);
    p2m_type_t t = remove ? p2m_invalid : pick_type();
    uint64_t mfn = pick_mfn(t, 0);

    if ( mfn != INVALID_MFN_RAW && test_rand_below(3) )
        mfn = (mfn << P2M_ORDER_1G) + (gfn & (G1 - 1)); /* aligned like gfn */
    CHECK_EQ(both_range(gfn, mfn, nr, t, pick_access()), 0);
    compare_around(r, gfn, nr);
}

static void op_change_range(void)
{
    const struct region *r = pick_region();
    uint64_t gfn = pick_gfn(r), nr = pick_length(r, gfn);
    p2m_type_t old = pick_type(), new = pick_type();
    int64_t rc = both_change(gfn, nr, old, new);

    CHECK_MSG(rc >= 0 || (rc == -EINVAL && p2m_check_type_change(old, new)),
              "change_type_range %u->%u: %lld", old, new, (long long)rc);
    compare_around(r, gfn, nr);
}

static void begun(p2m_type_t old, p2m_type_t new, int rc)
{
    CHECK_EQ(rc, p2m_check_type_change(old, new));
    if ( !rc )
        CHECK_EQ(test_ref.stats.entries_by_type[old], 0);
}

static void op_begin(void)
{
    p2m_type_t old = pick_type(), new = pick_type();

    if ( !test_rand_below(8) )
    {
        old = test_rand_below(p2m_type_count + 1);
        new = test_rand_below(p2m_type_count + 1);
    }
    begun(old, new, both_begin(old, new));
}

/* RAM goes round rw -> logdirty -> ro -> rw: every change hits. */
static void op_begin_cycle(void)
{
    static const p2m_type_t cycle[] = { p2m_ram_rw, p2m_ram_logdirty, p2m_ram_ro, p2m_ram_rw };
    static unsigned int i;

    begun(cycle[i % 3], cycle[i % 3 + 1], both_begin(cycle[i % 3], cycle[i % 3 + 1]));
    i++;
}

/* Owners 1..3 take and give back ioreq_server and log-dirty. */
static void op_owner(void)
{
    p2m_type_t t = test_rand_below(2) ? p2m_ioreq_server : p2m_ram_logdirty;
    uint16_t owner = 1 + test_rand_below(3);
    p2m_type_t to = test_rand_below(2) ? p2m_ram_rw : pick_type();
    int rc;

    if ( test_rand_below(2) )
    {
        rc = both_claim(t, owner);
        CHECK(rc == 0 || rc == -EBUSY);
        return;
    }
    rc = both_release(t, owner, to);
    if ( rc != -EPERM )
        begun(t, to, rc);
}

static void op_finish(void)
{
    int rc = p2m_finish_pending(&test_p2m, 1 + test_rand_below(6));

    CHECK(rc == 0 || rc == -ERESTART);
    CHECK_EQ(rc == 0, test_p2m.stats.recalc_pending == 0);
}

static void op_touch(void)
{
    const struct region *r = pick_region();
    uint64_t gfn = pick_gfn(r);

    touch(gfn);
    compare_around(r, gfn, 1);
}

static void op_coalesce(void)
{
    const struct region *r = pick_region();
    unsigned int order = r->nr >= G1 && !test_rand_below(4) ? P2M_ORDER_1G : P2M_ORDER_2M;
    uint64_t gfn = r->base + (test_rand_below(r->nr >> order) << order);

    both_coalesce(gfn, order);
    compare_around(r, gfn, 1ULL << order);
}

/* One sequence in eight is a burst of global changes and faults with
 * nothing finished, so the change log fills and must resync. */
static bool bursty(void)
{
    return current_sequence % 8 == 7;
}

static void one_op(void)
{
    unsigned int x = test_rand_below(100);

    if ( bursty() && x < 50 )
    {
        if ( x < 30 )
            op_begin_cycle();
        else
            op_touch();
        return;
    }
    if ( bursty() )
        x = (x - 50) * 2;

    if ( x < 18 )
        op_set();
    else if ( x < 33 )
        op_range(false);
    else if ( x < 40 )
        op_range(true);
    else if ( x < 50 )
        op_change_range();
    else if ( x < 62 )
        op_begin();
    else if ( x < 68 )
        op_owner();
    else if ( x < 76 && !bursty() )
        op_finish();
    else if ( x < 95 )
        op_touch();
    else
        op_coalesce();
}

/* The CPU's view at a few random gfns. */
static void spot_check_hw(void)
{
    unsigned int i;

    for ( i = 0; i < 4; i++ )
        check_hw(pick_gfn(pick_region()), false);
}

static void one_sequence(void)
{
    unsigned int step;

    test_srand(0x1a290000ULL + current_sequence * 7919 + (test_p2m.ops == &npt_pte_ops) +
               2 * (test_p2m.ops == &stage2_pte_ops));
    for ( step = 0; step < STEPS; step++ )
    {
        one_op();
        check_audit();
        spot_check_hw();
        if ( step % 10 == 9 )
            compare_everything();
    }
    totals[0] += test_p2m.stats.global_changes;
    totals[1] += test_p2m.stats.recalc_resolved;
    totals[2] += test_p2m.stats.resyncs;
    totals[3] += test_p2m.stats.shatters;
    check_counters_as_ref();
    compare_everything();
}

static void many_sequences(void)
{
    const char *only = getenv("WREN_P2M_SEQ");
    unsigned int first = only ? atoi(only) : 0, last = only ? first + 1 : SEQUENCES;

    memset(totals, 0, sizeof(totals));
    for ( current_sequence = first; current_sequence < last; current_sequence++ )
        with_pair(test_p2m.ops, one_sequence);
    current_sequence = ~0U;
    printf("lazy_random: %u sequences, %llu global changes, %llu marks resolved, "
           "%llu resyncs, %llu shatters\n",
           last - first, totals[0], totals[1], totals[2], totals[3]);
    CHECK(only || (totals[0] > SEQUENCES && totals[1] > SEQUENCES && totals[2] > 0 &&
                   totals[3] > SEQUENCES));
}

/* with_pair needs the backend before it starts: remember it here. */
static void ept_sequences(void)
{
    test_p2m.ops = &ept_pte_ops;
    many_sequences();
}
static void npt_sequences(void)
{
    test_p2m.ops = &npt_pte_ops;
    many_sequences();
}
static void stage2_sequences(void)
{
    test_p2m.ops = &stage2_pte_ops;
    many_sequences();
}

static const struct test_case cases[] = {
    { "lazy_random.ept.sequences_match_eager", ept_sequences },
    { "lazy_random.npt.sequences_match_eager", npt_sequences },
    { "lazy_random.stage2.sequences_match_eager", stage2_sequences },
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 64UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    if ( rc && current_sequence != ~0U )
        printf("lazy_random: the failure was in sequence %u (WREN_P2M_SEQ=%u replays it)\n",
               current_sequence, current_sequence);
    arena_release();
    return rc;
}
