/*
 * test-p2m-compose.c - overlapping global type changes compose: the
 * sequences from the 2016 ioreq-server thread (seeds/000) and the variants
 * it implies, on both backends, each beside an eager twin. Every case
 * checks named entries by hand, then that every gfn of the window looks
 * the same as in the eager twin, and that the (modelled) CPU never
 * translates more than the eager type allows.
 *
 *  (a)  George's sequence: server A marks X, A goes away (ioreq_server ->
 *       ram_rw pending), server B marks Y, log-dirty starts; X and Y are
 *       touched: X is ram_logdirty, Y stays ioreq_server.
 *  (a1) the same gfn: B marks the very entry A left pending.
 *  (a2) Y in X's own table of leaves, (a3) in superpages, (a4) with the
 *       change log overflowing in the middle (resync).
 *  (b)  Yu's sequence: X marked, log-dirty starts, X written: the write
 *       cannot bypass log-dirty, and an ioreq_server entry is not reset.
 *  Also: M->N then N->O (chained), a new M entry during M->N, log-dirty
 *  switched off before it finished, a server leaving while log-dirty is
 *  on, illegal changes refused, type owners, and the guard a new owner
 *  of ioreq_server meets while entries of the old claim are left.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>

#include "arena.h"
#include "harness.h"
#include "p2m-hw.h"
#include "p2m-util.h"

#define G1    (1ULL << P2M_ORDER_1G)
#define M2    (1ULL << P2M_ORDER_2M)
#define RW    p2m_ram_rw
#define LD    p2m_ram_logdirty
#define RO    p2m_ram_ro
#define IOREQ p2m_ioreq_server
#define RWX   p2m_access_rwx

enum
{
    OWNER_A = 1,
    OWNER_B = 2,
    OWNER_LOGDIRTY = 100
};

#define X  0x123ULL  /* in the first table of leaves */
#define Y  0x1456ULL /* in the eleventh */
#define NR 8192ULL   /* the window: 32 MiB of 4K leaves */

static void map_ram(void)
{
    CHECK_EQ(both_range(0, 0x100001, NR, RW, RWX), 0);
}

static void check_window(void)
{
    check_same_as_ref(0, NR);
    check_counters_as_ref();
    check_same_as_ref(0, NR);
}

static void server_a_marks_and_goes(uint64_t gfn)
{
    CHECK_EQ(both_claim(IOREQ, OWNER_A), 0);
    CHECK_EQ(both_change(gfn, 1, RW, IOREQ), 1);
    CHECK_EQ(both_release(IOREQ, OWNER_A, RW), 0);
    CHECK_EQ(type_of(gfn), RW);
    CHECK(path_marked(gfn));
}

static void logdirty_on(void)
{
    CHECK_EQ(both_claim(LD, OWNER_LOGDIRTY), 0);
    CHECK_EQ(both_begin(RW, LD), 0);
}

static void seq_a_owner_gone_then_logdirty(void)
{
    map_ram();
    server_a_marks_and_goes(X);
    CHECK_EQ(both_claim(IOREQ, OWNER_B), 0);
    CHECK_EQ(both_change(Y, 1, RW, IOREQ), 1);
    logdirty_on();
    CHECK(path_marked(X) && path_marked(Y)); /* with different stamps */
    CHECK_EQ(type_of(X), LD);
    CHECK_EQ(type_of(Y), IOREQ);
    CHECK_EQ(touch(X), 1);
    CHECK_EQ(touch(Y), 1);
    CHECK_EQ(type_of(X), LD);
    CHECK_EQ(type_of(Y), IOREQ);
    CHECK_EQ(type_of(Y + 1), LD);
    check_window();
}
P2M_PAIR_CASE(seq_a_owner_gone_then_logdirty)

static void seq_a1_same_gfn(void)
{
    map_ram();
    server_a_marks_and_goes(X);
    CHECK_EQ(both_claim(IOREQ, OWNER_B), 0);
    CHECK_EQ(both_change(X, 1, RW, IOREQ), 1); /* X is ram_rw to B */
    CHECK_EQ(touch(X), 0);                     /* the write resolved it */
    CHECK_EQ(type_of(X), IOREQ);
    CHECK_EQ(type_of(X + 1), RW);
    check_window();
}
P2M_PAIR_CASE(seq_a1_same_gfn)

static void seq_a2_neighbours(void)
{
    map_ram();
    server_a_marks_and_goes(X);
    CHECK_EQ(both_claim(IOREQ, OWNER_B), 0);
    CHECK_EQ(both_change(X + 1, 1, RW, IOREQ), 1); /* resolves X's table */
    CHECK(!path_marked(X));
    logdirty_on();
    CHECK_EQ(touch(X), 1);
    CHECK_EQ(type_of(X), LD);
    CHECK_EQ(type_of(X + 1), IOREQ);
    check_window();
}
P2M_PAIR_CASE(seq_a2_neighbours)

static void seq_a3_superpages(void)
{
    uint64_t x = 3 * M2 + 5, y = G1 + 77;

    CHECK_EQ(both_range(0, 0x400, 16 * M2, RW, RWX), 0); /* 2M leaves */
    CHECK_EQ(both_set(G1, 4 * G1, P2M_ORDER_1G, RW, RWX), 0);
    server_a_marks_and_goes(x);
    CHECK_EQ(both_claim(IOREQ, OWNER_B), 0);
    CHECK_EQ(both_change(y, 1, RW, IOREQ), 1); /* shatters 1G, then 2M */
    logdirty_on();
    CHECK_EQ(touch(x), 1);
    touch(y);
    touch(x + 1);
    touch(G1 + 5 * M2);
    CHECK_EQ(type_of(x), LD);
    CHECK_EQ(type_of(y), IOREQ);
    CHECK_EQ(type_of(G1 + 5 * M2), LD);
    check_same_as_ref(0, 2 * G1);
    check_counters_as_ref();
}
P2M_PAIR_CASE(seq_a3_superpages)

/* Changes that leave older marks behind in untouched tables. */
static void fill_log(uint64_t gfn, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        CHECK_EQ(both_begin(i % 2 ? p2m_ram_paging_out : RO, i % 2 ? RO : p2m_ram_paging_out), 0);
        touch(gfn + i * 600);
    }
}

static void seq_a4_across_resync(void)
{
    map_ram();
    CHECK_EQ(both_range(NR, 0x300001, 4096, RO, RWX), 0);
    server_a_marks_and_goes(X);
    CHECK_EQ(both_claim(IOREQ, OWNER_B), 0);
    CHECK_EQ(both_change(Y, 1, RW, IOREQ), 1);
    fill_log(NR, P2M_CHANGE_LOG - 1); /* the log is full */
    CHECK_EQ(test_p2m.stats.resyncs, 0);
    CHECK(path_marked(X));
    logdirty_on();
    CHECK_EQ(test_p2m.stats.resyncs, 1);
    CHECK_EQ(type_of(X), LD);
    CHECK_EQ(type_of(Y), IOREQ);
    CHECK_EQ(type_of(NR + 5), p2m_ram_paging_out); /* after 7 flips */
    touch(X);
    touch(Y);
    check_same_as_ref(0, NR + 4096);
    check_counters_as_ref();
}
P2M_PAIR_CASE(seq_a4_across_resync)

/* Yu's sequence on a RAM page: the guest's write faults on the mark (or,
 * if a neighbour's fault already resolved this leaf, as a log-dirty page),
 * and only the log-dirty handler makes it writable. */
static void write_is_tracked(uint64_t gfn)
{
    struct hw_xlat x;

    CHECK(hw_walk(&test_p2m, gfn, &x) != HW_OK || !(x.rights & p2m_access_w));
    touch(gfn);
    CHECK_EQ(hw_walk(&test_p2m, gfn, &x), HW_OK);
    CHECK_EQ(x.rights & p2m_access_w, 0);
    CHECK_EQ(type_of(gfn), LD);
    CHECK_EQ(both_change(gfn, 1, RW, IOREQ), 0); /* not ram_rw any more */
    CHECK_EQ(both_change(gfn, 1, LD, RW), 1);    /* logged: writable */
    CHECK_EQ(hw_walk(&test_p2m, gfn, &x), HW_OK);
    CHECK(x.rights & p2m_access_w);
}

static void seq_b_write_after_logdirty_is_tracked(void)
{
    map_ram();
    CHECK_EQ(both_set(NR, 0x400, P2M_ORDER_2M, RW, RWX), 0);
    logdirty_on();
    CHECK(path_marked(0x321));
    write_is_tracked(0x321);
    CHECK(!path_marked(NR + 5)); /* leaf children resolve */
    write_is_tracked(NR + 5);    /* inside a 2M leaf */
    CHECK_EQ(type_of(0x322), LD);
    CHECK_EQ(type_of(NR + 6), LD);
    check_same_as_ref(0, NR + M2);
    check_counters_as_ref();
}
P2M_PAIR_CASE(seq_b_write_after_logdirty_is_tracked)

static void seq_b_ioreq_entry_survives_logdirty(void)
{
    struct hw_xlat x;

    map_ram();
    CHECK_EQ(both_claim(IOREQ, OWNER_A), 0);
    CHECK_EQ(both_change(X, 1, RW, IOREQ), 1);
    logdirty_on();
    CHECK_EQ(touch(X), 1);       /* X is written */
    CHECK_EQ(type_of(X), IOREQ); /* not reset to ram_rw */
    CHECK_EQ(hw_walk(&test_p2m, X, &x), HW_OK);
    CHECK_EQ(x.rights & p2m_access_w, 0); /* writes go to A */
    CHECK_EQ(type_of(X + 1), LD);
    check_window();
}
P2M_PAIR_CASE(seq_b_ioreq_entry_survives_logdirty)

/* Server A leaves while log-dirty is on: its pages go to log-dirty, not
 * to ram_rw, or their next writes would not be logged. */
static void release_during_logdirty_keeps_tracking(void)
{
    map_ram();
    CHECK_EQ(both_claim(IOREQ, OWNER_A), 0);
    CHECK_EQ(both_change(X, 1, RW, IOREQ), 1);
    logdirty_on();
    CHECK_EQ(both_release(IOREQ, OWNER_A, LD), 0);
    CHECK_EQ(type_of(X), LD);
    CHECK_EQ(touch(X), 1);
    check_window();
}
P2M_PAIR_CASE(release_during_logdirty_keeps_tracking)

/* M -> N begun, then N -> O before M -> N finished; an M entry written
 * in between is newer than M -> N and stays M. */
static void chained_changes_compose(void)
{
    map_ram();
    CHECK_EQ(both_set(0x10, 0x5000, 0, RO, RWX), 0);
    CHECK_EQ(both_set(0x1010, 0x5001, 0, RO, RWX), 0);
    CHECK_EQ(both_begin(RO, RW), 0);
    CHECK_EQ(both_set(0x1810, 0x5002, 0, RO, RWX), 0);
    CHECK_EQ(both_begin(RW, LD), 0);
    CHECK_EQ(type_of(0x10), LD);
    CHECK_EQ(type_of(0x1010), LD);
    CHECK_EQ(type_of(0x1810), RO);
    CHECK_EQ(type_of(0x1811), LD);
    touch(0x10);
    touch(0x1810);
    check_window();
}
P2M_PAIR_CASE(chained_changes_compose)

static void new_entry_of_old_type_is_kept(void)
{
    map_ram();
    CHECK_EQ(both_begin(RW, LD), 0);
    CHECK_EQ(both_set(0x700, 0x6000, 0, RW, RWX), 0);
    CHECK_EQ(both_range(0x1000, 0x7001, 700, RW, RWX), 0);
    CHECK_EQ(touch(0x700), 0);
    CHECK_EQ(type_of(0x700), RW);
    CHECK_EQ(type_of(0x701), LD);
    CHECK_EQ(type_of(0x1000 + 699), RW);
    CHECK_EQ(type_of(0x1000 + 700), LD);
    check_window();
}
P2M_PAIR_CASE(new_entry_of_old_type_is_kept)

static void logdirty_off_before_finished(void)
{
    map_ram();
    CHECK_EQ(both_set(0x40, 0x8000, 0, LD, RWX), 0); /* log-dirty before it began */
    logdirty_on();
    touch(0x1000);
    CHECK_EQ(both_change(0x1001, 1, LD, RW), 1);       /* dirtied */
    CHECK_EQ(both_release(LD, OWNER_LOGDIRTY, RW), 0); /* log-dirty off */
    CHECK_EQ(type_of(0x40), RW);
    CHECK_EQ(type_of(0x1000), RW);
    CHECK_EQ(type_of(0x1fff), RW);
    CHECK_EQ(test_p2m.stats.entries_by_type[LD] > 0, 1); /* stored, not yet resolved */
    check_window();
}
P2M_PAIR_CASE(logdirty_off_before_finished)

static void overflow_resyncs(void)
{
    static const p2m_type_t cycle[] = { RW, LD, RO, RW };
    unsigned int i;

    map_ram();
    for ( i = 0; i < P2M_CHANGE_LOG; i++ )
    {
        CHECK_EQ(both_begin(cycle[i % 3], cycle[i % 3 + 1]), 0);
        touch(i * 700);
    }
    CHECK_EQ(test_p2m.stats.resyncs, 0);
    CHECK_EQ(test_p2m.changes->seq - test_p2m.changes->tail, P2M_CHANGE_LOG);
    check_same_as_ref(0, NR);
    CHECK_EQ(both_begin(cycle[i % 3], cycle[i % 3 + 1]), 0);
    CHECK_EQ(test_p2m.stats.resyncs, 1);
    CHECK_EQ(test_p2m.stats.recalc_pending, 1); /* just the root entry */
    check_window();
    /* Changes finished in between never need a resync. */
    for ( i = 0; i < 3 * P2M_CHANGE_LOG; i++ )
    {
        CHECK_EQ(both_begin(cycle[i % 3], cycle[i % 3 + 1]), 0);
        CHECK_EQ(p2m_finish_pending(&test_p2m, ~0U), 0);
    }
    CHECK_EQ(test_p2m.stats.resyncs, 1);
    check_window();
}
P2M_PAIR_CASE(overflow_resyncs)

static void illegal_changes_refused(void)
{
    static const p2m_type_t bad[][2] = {
        { RW, RW },
        { p2m_invalid, RW },
        { RW, p2m_invalid },
        { p2m_ram_broken, RW },
        { p2m_mmio_dm, RW },
        { p2m_populate_on_demand, RO },
        { p2m_ram_paged, RW },
        { p2m_type_count, RW },
        { RW, 99 },
        { p2m_map_foreign, RW },
        { RW, p2m_map_foreign }, /* they hold references */
    };
    uint64_t w, seq;
    unsigned int i;

    map_ram();
    w = test_p2m.stats.entries_written;
    seq = test_p2m.changes->seq;
    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        CHECK_EQ(both_begin(bad[i][0], bad[i][1]), -EINVAL);
        CHECK_EQ(both_change(0, NR, bad[i][0], bad[i][1]), -EINVAL);
        CHECK_EQ(p2m_check_type_change(bad[i][0], bad[i][1]), -EINVAL);
    }
    CHECK_EQ(test_p2m.stats.entries_written, w);
    CHECK_EQ(test_p2m.changes->seq, seq);
    CHECK_EQ(test_p2m.stats.global_changes + test_p2m.stats.global_noops, 0);
    /* Frameless to frameless, and anything to broken, are fine. */
    CHECK_EQ(p2m_check_type_change(p2m_mmio_dm, p2m_populate_on_demand), 0);
    CHECK_EQ(both_begin(RW, p2m_ram_broken), 0);
    CHECK_EQ(type_of(7), p2m_ram_broken);
    check_window();
}
P2M_PAIR_CASE(illegal_changes_refused)

static void type_owners(void)
{
    map_ram();
    CHECK_EQ(both_claim(IOREQ, 0), -EINVAL);
    CHECK_EQ(both_claim(p2m_invalid, OWNER_A), -EINVAL);
    CHECK_EQ(both_claim(IOREQ, OWNER_A), 0);
    CHECK_EQ(both_claim(IOREQ, OWNER_A), 0);
    CHECK_EQ(both_claim(IOREQ, OWNER_B), -EBUSY);
    CHECK_EQ(both_release(IOREQ, OWNER_B, RW), -EPERM);
    CHECK_EQ(both_release(IOREQ, OWNER_A, p2m_invalid), -EINVAL);
    CHECK_EQ(test_p2m.changes->type_owner[IOREQ], OWNER_A);
    CHECK_EQ(both_release(IOREQ, OWNER_A, RW), 0);
    CHECK_EQ(both_release(IOREQ, OWNER_A, RW), -EPERM);
    CHECK_EQ(both_claim(IOREQ, OWNER_B), 0); /* at once: nothing to wait for */
    CHECK_EQ(test_p2m.changes->type_owner[IOREQ], OWNER_B);
    CHECK_EQ(test_p2m.stats.global_noops, 1); /* A had marked nothing */
    check_window();
}
P2M_PAIR_CASE(type_owners)

/* ---- the guard (docs/designs/ioreq.md): a new owner of ioreq_server
 * waits until every entry of the old claim is reset ---- */

#define SP (G1 + 4 * M2) /* a 2M leaf of the old claim, in another 1G region */

static uint64_t guard_left(uint16_t owner)
{
    uint64_t left = ~0ULL;
    int rc = p2m_claim_type_unused(&test_p2m, IOREQ, owner, &left);

    CHECK(rc == 0 || rc == -EBUSY);
    CHECK(rc == 0 ? left == 0 : 1);
    return left;
}

static void old_claim_marks(void)
{
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0), _mfn(0x100001), NR, RW, RWX), 0);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(SP), _mfn(0x200000), P2M_ORDER_2M, RW, RWX), 0);
    CHECK_EQ(guard_left(OWNER_A), 0);
    CHECK_EQ(p2m_change_type_range(&test_p2m, _gfn(X), 1, RW, IOREQ), 1);
    CHECK_EQ(p2m_change_type_range(&test_p2m, _gfn(Y), 3, RW, IOREQ), 3);
    CHECK_EQ(p2m_change_type_range(&test_p2m, _gfn(SP), M2, RW, IOREQ), (int64_t)M2);
    /* Five leaves, 516 frames: the guard counts frames. */
    CHECK_EQ(test_p2m.stats.entries_by_type[IOREQ], 5);
    CHECK_EQ(test_p2m.stats.frames_by_type[IOREQ], 4 + M2);
    CHECK_EQ(p2m_type_owner(&test_p2m, IOREQ), OWNER_A);
}

/* Counted exactly, frame by frame, as entries are touched; refused
 * while any is left, granted when none is; an owner's claim is never
 * blocked by its own entries. */
static void guard_counts_the_old_claim(void)
{
    old_claim_marks();
    CHECK_EQ(guard_left(OWNER_A), 0); /* the owner again: fine */
    CHECK_EQ(p2m_claim_type_unused(&test_p2m, IOREQ, OWNER_B, &(uint64_t){ 0 }), -EBUSY);
    CHECK_EQ(p2m_release_type(&test_p2m, IOREQ, OWNER_A, RW), 0);
    CHECK_EQ(type_of(X), RW);              /* reset to every reader at once ... */
    CHECK_EQ(guard_left(OWNER_B), 4 + M2); /* ... but still stored */
    CHECK_EQ(p2m_type_owner(&test_p2m, IOREQ), 0);
    /* Nobody may mark without an owner: such an entry would be newer than
     * the release, never reset, and block every later claim. */
    CHECK_EQ(p2m_change_type_range_owned(&test_p2m, _gfn(X + 1), 1, RW, IOREQ), -EINVAL);
    CHECK_EQ(type_of(X + 1), RW);
    CHECK_EQ(touch(X), 1);
    CHECK_EQ(guard_left(OWNER_B), 3 + M2);
    CHECK_EQ(touch(SP + 7), 1);
    CHECK_EQ(guard_left(OWNER_B), 3);
    CHECK_EQ(type_of(SP), RW);
    CHECK_EQ(p2m_finish_pending(&test_p2m, 1000), 0);
    CHECK_EQ(guard_left(OWNER_B), 0); /* claimed now */
    CHECK_EQ(p2m_type_owner(&test_p2m, IOREQ), OWNER_B);
    CHECK_EQ(type_of(Y + 2), RW);
    check_audit();
}
P2M_CASE(guard_counts_the_old_claim)

/* The old claim's entries keep counting across a later log-dirty change
 * and become ram_logdirty (George's X); the new owner's are its own. */
static void guard_across_logdirty(void)
{
    old_claim_marks();
    CHECK_EQ(p2m_release_type(&test_p2m, IOREQ, OWNER_A, RW), 0);
    CHECK_EQ(p2m_claim_type(&test_p2m, LD, OWNER_LOGDIRTY), 0);
    CHECK_EQ(p2m_begin_global_change(&test_p2m, RW, LD), 0);
    CHECK_EQ(guard_left(OWNER_B), 4 + M2);
    CHECK_EQ(touch(Y), 1);
    CHECK_EQ(type_of(Y), LD);
    CHECK_EQ(guard_left(OWNER_B), 1 + M2); /* Y's table held three */
    CHECK_EQ(p2m_finish_pending(&test_p2m, 1), -ERESTART);
    CHECK_EQ(p2m_finish_pending(&test_p2m, 1000), 0);
    CHECK_EQ(guard_left(OWNER_B), 0);
    CHECK_EQ(p2m_change_type_range_owned(&test_p2m, _gfn(X), 1, LD, IOREQ), 1);
    CHECK_EQ(guard_left(OWNER_B), 0); /* B's own entry does not block B */
    CHECK_EQ(type_of(X), IOREQ);
    CHECK_EQ(type_of(SP), LD);
    check_audit();
}
P2M_CASE(guard_across_logdirty)

static const struct test_case cases[] = {
    P2M_CASE_ENTRIES("compose", seq_a_owner_gone_then_logdirty),
    P2M_CASE_ENTRIES("compose", seq_a1_same_gfn),
    P2M_CASE_ENTRIES("compose", seq_a2_neighbours),
    P2M_CASE_ENTRIES("compose", seq_a3_superpages),
    P2M_CASE_ENTRIES("compose", seq_a4_across_resync),
    P2M_CASE_ENTRIES("compose", seq_b_write_after_logdirty_is_tracked),
    P2M_CASE_ENTRIES("compose", seq_b_ioreq_entry_survives_logdirty),
    P2M_CASE_ENTRIES("compose", release_during_logdirty_keeps_tracking),
    P2M_CASE_ENTRIES("compose", chained_changes_compose),
    P2M_CASE_ENTRIES("compose", new_entry_of_old_type_is_kept),
    P2M_CASE_ENTRIES("compose", logdirty_off_before_finished),
    P2M_CASE_ENTRIES("compose", overflow_resyncs),
    P2M_CASE_ENTRIES("compose", illegal_changes_refused),
    P2M_CASE_ENTRIES("compose", type_owners),
    P2M_CASE_ENTRIES("compose", guard_counts_the_old_claim),
    P2M_CASE_ENTRIES("compose", guard_across_logdirty),
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 64UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
