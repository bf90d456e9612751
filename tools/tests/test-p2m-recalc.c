/*
 * test-p2m/global.c and p2m/recalc.c - the mechanics of lazy global type changes
 * (xen/common/p2m/{marks,recalc,global}.c) on both backends, each case run beside an
 * eager twin that is the reference: beginning a change writes only the
 * root's entries and flushes once; marked entries stop the (modelled)
 * CPU; a fault resolves exactly one path; lookups see the change at once
 * and write nothing; p2m_finish_pending works in bounded batches with
 * other operations in between; every update, shatter, removal and
 * coalesce under a pending change gives the eager result; counters stay
 * exact (the auditor checks them after every step); the auditor catches
 * corrupted marks.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>

#include <string.h>

#include "arena.h"
#include "harness.h"
#include "p2m-hw.h"
#include "p2m-util.h"
#include <asm/p2m-backends.h>

#define G1                     (1ULL << P2M_ORDER_1G)
#define M2                     (1ULL << P2M_ORDER_2M)
#define ROOT_SPAN              (1ULL << 27) /* gfns under one root entry */
#define ENTRIES_PER_TABLE_TEST 512
#define RW                     p2m_ram_rw
#define LD                     p2m_ram_logdirty
#define RO                     p2m_ram_ro
#define RWX                    p2m_access_rwx

static struct p2m_counters *stats(void)
{
    return &test_p2m.stats;
}

/* 64 MiB of 4K leaves at gfn 0 (an odd frame keeps set_range at 4K):
 * one root entry, one 1G-level entry, 32 tables of leaves. */
static void map_64m_of_4k(void)
{
    CHECK_EQ(both_range(0, 0x100001, 16384, RW, RWX), 0);
}

static void begin_touches_only_root(void)
{
    uint64_t w, wref;
    unsigned long f;

    map_64m_of_4k();
    CHECK_EQ(both_range(5 * ROOT_SPAN, 0x200000, 4 * M2, RW, RWX), 0);
    CHECK_EQ(both_set(P2M_GFN_LIMIT - G1, 3 * G1, P2M_ORDER_1G, RW, RWX), 0);
    w = stats()->entries_written;
    wref = test_ref.stats.entries_written;
    f = test_flushes;
    CHECK_EQ(both_begin(RW, LD), 0);
    CHECK_EQ(stats()->entries_written - w, 3); /* root slots 0, 5, 511 */
    CHECK_EQ(test_flushes, f + 1);
    CHECK_EQ(stats()->recalc_pending, 3);
    CHECK_EQ(stats()->entries_by_type[RW], 16384 + 4 + 1); /* stored types */
    CHECK_EQ(test_ref.stats.entries_written - wref, 16384 + 4 + 1);
    w = stats()->entries_written;
    CHECK_EQ(type_of(7), LD);
    CHECK_EQ(type_of(5 * ROOT_SPAN + M2 + 3), LD);
    check_same_as_ref(0, 16384);
    check_same_as_ref(5 * ROOT_SPAN, 4 * M2);
    check_same_as_ref(P2M_GFN_LIMIT - G1, G1);
    CHECK_EQ(stats()->entries_written, w); /* lookups write nothing */
    CHECK_EQ(stats()->global_changes, 1);
}
P2M_PAIR_CASE(begin_touches_only_root)

static void marked_entries_block_hardware(void)
{
    static const uint64_t gfns[] = { 0, 7, 511, 512, 16383, 5 * ROOT_SPAN + 9 };
    struct hw_xlat x;
    unsigned int i;

    map_64m_of_4k();
    CHECK_EQ(both_range(5 * ROOT_SPAN, 0x200000, M2, RW, RWX), 0);
    for ( i = 0; i < ARRAY_SIZE(gfns); i++ )
        CHECK_EQ(hw_walk(&test_p2m, gfns[i], &x), HW_OK);
    CHECK_EQ(both_begin(RW, LD), 0);
    for ( i = 0; i < ARRAY_SIZE(gfns); i++ )
    {
        CHECK_EQ(hw_walk(&test_p2m, gfns[i], &x),
                 test_p2m.ops == &ept_pte_ops ? HW_MISCONFIG : HW_NOT_PRESENT);
        CHECK_EQ(x.level, P2M_LEVELS);
        check_hw(gfns[i], false);
    }
    /* After the fault: a translation again, without write. */
    CHECK_EQ(touch(7), 1);
    CHECK_EQ(hw_walk(&test_p2m, 7, &x), HW_OK);
    CHECK_EQ(x.rights, p2m_access_rx);
}
P2M_PAIR_CASE(marked_entries_block_hardware)

static void resolve_fault_resolves_one_path(void)
{
    uint64_t w;

    map_64m_of_4k();
    CHECK_EQ(both_begin(RW, LD), 0);
    w = stats()->entries_written;
    CHECK_EQ(touch(5), 1);
    /* root: 1 mark + clear; 1G level: 32 marks + clear; 2M level: 512
     * leaves + clear. */
    CHECK_EQ(stats()->entries_written - w, 2 + 33 + 513);
    CHECK_EQ(stats()->recalc_resolved, 3);
    CHECK_EQ(stats()->leaves_recalculated, 512);
    CHECK_EQ(stats()->recalc_pending, 31);
    CHECK_EQ(test_flushes, 1); /* only the begin's */
    CHECK_EQ(touch(5), 0);
    CHECK_EQ(touch(511), 0); /* same table of leaves */
    w = stats()->entries_written;
    CHECK_EQ(touch(512), 1);
    CHECK_EQ(stats()->entries_written - w, 513);
    CHECK_EQ(p2m_resolve_fault(&test_p2m, _gfn(40000)), 0); /* a hole */
    CHECK_EQ(p2m_resolve_fault(&test_p2m, _gfn(P2M_GFN_LIMIT)), 0);
    check_same_as_ref(0, 16384);
}
P2M_PAIR_CASE(resolve_fault_resolves_one_path)

/* Bounded batches, with updates, faults and a new change in between. */
static void finish_in_batches(unsigned int budget, p2m_type_t old, p2m_type_t new)
{
    unsigned int calls = 0;
    int rc;

    CHECK_EQ(both_begin(old, new), 0);
    do
    {
        uint64_t w = stats()->entries_written;

        rc = p2m_finish_pending(&test_p2m, budget);
        CHECK_MSG(rc == 0 || rc == -ERESTART, "finish_pending: %d", rc);
        CHECK(stats()->entries_written - w <= budget * (ENTRIES_PER_TABLE_TEST + 1));
        if ( calls % 3 == 1 )
        {
            CHECK_EQ(both_set(4096 + calls * 37, 0x9000 + calls, 0, RO, RWX), 0);
            touch(calls * 1031 % 16384);
        }
        check_audit();
        calls++;
    } while ( rc == -ERESTART );
    CHECK_EQ(stats()->recalc_pending, 0);
    CHECK(calls > 3);
}

static void finish_pending_in_batches(void)
{
    map_64m_of_4k();
    CHECK_EQ(both_range(G1, 0x600, G1, RW, RWX), 0); /* 512 2M leaves */
    CHECK_EQ(both_range(7 * ROOT_SPAN, 0x400001, 3000, RW, RWX), 0);
    CHECK_EQ(p2m_finish_pending(&test_p2m, 1), 0); /* nothing pending */
    finish_in_batches(1, RW, LD);
    check_same_as_ref(0, 2 * G1);
    check_same_as_ref(7 * ROOT_SPAN, 3000);
    /* Half-finished, then another change: the cursor starts over. */
    CHECK_EQ(both_begin(LD, RW), 0);
    CHECK_EQ(p2m_finish_pending(&test_p2m, 3), -ERESTART);
    finish_in_batches(2, RW, RO);
    check_same_as_ref(0, 2 * G1);
    check_same_as_ref(7 * ROOT_SPAN, 3000);
    check_counters_as_ref();
}
P2M_PAIR_CASE(finish_pending_in_batches)

static void updates_resolve_first(void)
{
    unsigned int i;

    map_64m_of_4k();
    CHECK_EQ(both_set(2 * G1, 5 * G1, P2M_ORDER_1G, RW, RWX), 0);
    for ( i = 0; i < 512; i++ ) /* 4K leaves that could merge */
        CHECK_EQ(both_set(9 * ROOT_SPAN + i, 0x800 + i, 0, RW, RWX), 0);
    CHECK_EQ(both_begin(RW, LD), 0);

    /* A 2M leaf over a marked table of leaves: the mark goes with it. */
    CHECK_EQ(both_set(3 * M2, 0x600, P2M_ORDER_2M, RW, RWX), 0);
    CHECK_EQ(type_of(3 * M2 + 1), RW);
    CHECK_EQ(type_of(4 * M2), LD);
    check_audit();
    /* Shattering a superpage under a pending change keeps the new type. */
    CHECK_EQ(both_set(2 * G1 + 5, 0x777, 0, RO, RWX), 0);
    CHECK_EQ(type_of(2 * G1 + 5), RO);
    CHECK_EQ(type_of(2 * G1 + 6), LD);
    /* Removal and a 4K range across marked tables. */
    CHECK_EQ(both_range(10 * M2, 0, 4 * M2 + 7, p2m_invalid, p2m_access_n), 0);
    CHECK_EQ(both_range(20 * M2 + 3, 0x5001, 600, RO, RWX), 0);
    check_audit();
    check_same_as_ref(0, 3 * G1);
    /* Coalescing resolves the block first. */
    CHECK(both_coalesce(9 * ROOT_SPAN, P2M_ORDER_2M));
    check_lookup(9 * ROOT_SPAN + 7, _mfn(0x807), LD, RWX, P2M_ORDER_2M);
    /* A 1G leaf over a subtree full of marks. */
    CHECK_EQ(both_set(0, G1, P2M_ORDER_1G, RW, RWX), 0);
    CHECK_EQ(type_of(5), RW);
    check_audit();
    check_same_as_ref(0, 3 * G1);
    check_same_as_ref(9 * ROOT_SPAN, M2);
    check_counters_as_ref();
}
P2M_PAIR_CASE(updates_resolve_first)

static void change_type_range_counts(void)
{
    CHECK_EQ(both_set(M2, 0x200, P2M_ORDER_2M, RW, RWX), 0);
    CHECK_EQ(both_range(2 * M2, 0x1001, 512, RW, RWX), 0);
    CHECK_EQ(both_set(2 * M2 + 7, 0x99, 0, RO, RWX), 0);
    /* The 2M leaf's tail (412 frames), then 512 4K frames but one RO,
     * then holes. */
    CHECK_EQ(both_change(M2 + 100, 1000, RW, LD), 412 + 511);
    CHECK_EQ(type_of(M2 + 99), RW);
    CHECK_EQ(type_of(M2 + 100), LD);
    CHECK_EQ(type_of(2 * M2 + 7), RO);
    CHECK_EQ(type_of(2 * M2 + 511), LD);
    CHECK_EQ(type_of(2 * M2 + 512), p2m_invalid);
    CHECK_EQ(stats()->shatters, 1);
    CHECK_EQ(both_change(2 * M2 + 7, 1, RO, RW), 1);
    CHECK_EQ(both_change(2 * M2 + 7, 1, RO, RW), 0);
    /* A superpage wholly inside keeps its size. */
    CHECK_EQ(both_set(4 * M2, 0x800, P2M_ORDER_2M, RW, RWX), 0);
    CHECK_EQ(both_change(4 * M2, M2, RW, RO), 512);
    check_lookup(4 * M2 + 3, _mfn(0x803), RO, RWX, P2M_ORDER_2M);
    /* Under a pending change, "of type old" means after it. */
    CHECK_EQ(both_begin(RO, p2m_ram_paging_out), 0);
    CHECK_EQ(both_change(4 * M2, M2, RO, RW), 0);
    CHECK_EQ(both_change(4 * M2, M2, p2m_ram_paging_out, RW), 512);
    CHECK_EQ(both_change(0, 1, RW, p2m_invalid), -EINVAL);
    CHECK_EQ(both_change(P2M_GFN_LIMIT - 1, 2, RW, LD), -EINVAL);
    check_same_as_ref(0, 8 * M2);
}
P2M_PAIR_CASE(change_type_range_counts)

static void noop_change_writes_nothing(void)
{
    uint64_t w;

    map_64m_of_4k();
    w = stats()->entries_written;
    CHECK_EQ(both_begin(p2m_ioreq_server, RW), 0);
    CHECK_EQ(stats()->entries_written, w);
    CHECK_EQ(stats()->global_noops, 1);
    CHECK_EQ(test_p2m.changes->seq, 0);
    /* No entry is ioreq_server yet, but one will be once this resolves. */
    CHECK_EQ(both_begin(RW, p2m_ioreq_server), 0);
    CHECK_EQ(both_begin(p2m_ioreq_server, RO), 0);
    CHECK_EQ(stats()->global_noops, 1);
    CHECK_EQ(type_of(3), RO);
    check_same_as_ref(0, 16384);
}
P2M_PAIR_CASE(noop_change_writes_nothing)

static void eager_switch_finishes(void)
{
    uint64_t w;

    map_64m_of_4k();
    CHECK_EQ(both_begin(RW, LD), 0);
    touch(3);
    p2m_set_eager(&test_p2m, true);
    CHECK_EQ(stats()->recalc_pending, 0);
    CHECK_EQ(stats()->entries_by_type[LD], 16384);
    w = stats()->entries_written;
    CHECK_EQ(both_begin(LD, RW), 0);
    CHECK_EQ(stats()->entries_written - w, 16384);
    CHECK_EQ(stats()->recalc_pending, 0);
    p2m_set_eager(&test_p2m, false);
    check_same_as_ref(0, 16384);
}
P2M_PAIR_CASE(eager_switch_finishes)

/* Teardown with marks pending gives every page back (checked by the
 * harness); so does a 1G removal over them. */
static void teardown_with_pending(void)
{
    map_64m_of_4k();
    CHECK_EQ(both_range(3 * ROOT_SPAN, 0x100001, 5000, RW, RWX), 0);
    CHECK_EQ(both_begin(RW, LD), 0);
    touch(1);
    touch(3 * ROOT_SPAN + 4000);
    CHECK_EQ(both_begin(LD, RO), 0);
    CHECK(stats()->recalc_pending > 2);
}
P2M_PAIR_CASE(teardown_with_pending)

static void check_audit_fails(const char *needle)
{
    char why[256];
    int rc = p2m_audit(&test_p2m, why, sizeof(why));

    CHECK_MSG(rc == -EILSEQ, "audit returned %d, expected -EILSEQ", rc);
    CHECK_MSG(strstr(why, needle), "audit said \"%s\", expected \"%s\"", why, needle);
}

static void audit_catches_bad_marks(void)
{
    const struct p2m_pte_ops *ops = test_p2m.ops;
    p2m_pte_t *slot, saved;

    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0), _mfn(0x100001), 2048, RW, RWX), 0);
    CHECK_EQ(p2m_begin_global_change(&test_p2m, RW, LD), 0);
    CHECK_EQ(p2m_resolve_fault(&test_p2m, _gfn(5)), 1);
    check_audit();

    stats()->recalc_pending++;
    check_audit_fails("marked entries");
    stats()->recalc_pending--;
    test_p2m.recalc.marks[0]++;
    check_audit_fails("marks with stamp");
    test_p2m.recalc.marks[0]--;

    slot = test_slot(5, 1);
    saved = *slot;
    *slot = ops->mark_recalc(saved, 0);
    check_audit_fails("marked leaf");
    *slot = saved;

    slot = test_slot(600, 2); /* marked, stamp 0 */
    saved = *slot;
    *slot = ops->mark_recalc(saved, 3);
    check_audit_fails("not live");
    *slot = saved;
    check_audit();

    /* A second change: the root is marked with stamp 1 above stamp-0
     * marks. Swapping them makes a child newer than its ancestor. */
    CHECK_EQ(p2m_begin_global_change(&test_p2m, LD, RO), 0);
    slot = test_slot(600, 2);
    saved = *slot;
    *slot = ops->mark_recalc(saved, 1);
    *test_slot(0, 4) = ops->mark_recalc(*test_slot(0, 4), 0);
    check_audit_fails("newer than the marked ancestor");
    *slot = saved;
    *test_slot(0, 4) = ops->mark_recalc(*test_slot(0, 4), 1);
    check_audit();

    test_p2m.changes->eager = true;
    check_audit_fails("eager mode with");
    test_p2m.changes->eager = false;
    test_p2m.changes->tail = test_p2m.changes->seq + 1;
    check_audit_fails("change log");
    test_p2m.changes->tail = 0;
    check_audit();
}
P2M_CASE(audit_catches_bad_marks)

static const struct test_case cases[] = {
    P2M_CASE_ENTRIES("recalc", begin_touches_only_root),
    P2M_CASE_ENTRIES("recalc", marked_entries_block_hardware),
    P2M_CASE_ENTRIES("recalc", resolve_fault_resolves_one_path),
    P2M_CASE_ENTRIES("recalc", finish_pending_in_batches),
    P2M_CASE_ENTRIES("recalc", updates_resolve_first),
    P2M_CASE_ENTRIES("recalc", change_type_range_counts),
    P2M_CASE_ENTRIES("recalc", noop_change_writes_nothing),
    P2M_CASE_ENTRIES("recalc", eager_switch_finishes),
    P2M_CASE_ENTRIES("recalc", teardown_with_pending),
    P2M_CASE_ENTRIES("recalc", audit_catches_bad_marks),
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 64UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
