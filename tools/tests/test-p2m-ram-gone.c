/*
 * test-p2m-ram-gone.c - when the p2m core says RAM frames went
 * (p2m->ram_gone, the hook behind mapcache invalidation,
 * docs/designs/ioreq.md): removing or replacing the frame of a RAM leaf
 * reports it once per entry written, with the frames that went; a type
 * change on the same frame, a shatter, a coalesce, a global change,
 * populating a hole, non-RAM types, p2m_empty and teardown report
 * nothing. Runs the real p2m core on both backends; touches nothing else.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>
#include <asm/ept.h>
#include <asm/npt.h>

#include "arena.h"
#include "harness.h"
#include "p2m-util.h"
#include <asm/p2m-backends.h>

#define G1 (1ULL << P2M_ORDER_1G)
#define M2 (1ULL << P2M_ORDER_2M)

static unsigned int calls;
static uint64_t frames_last, frames_total;

static void hook(struct p2m_domain *p2m, uint64_t frames)
{
    CHECK(p2m == &test_p2m);
    CHECK(spin_is_locked(&p2m->lock)); /* it may only set flags */
    CHECK(frames != 0);
    calls++;
    frames_last = frames;
    frames_total += frames;
}

static void listen(void)
{
    test_p2m.ram_gone = hook;
    calls = 0;
    frames_last = frames_total = 0;
}

static int set(uint64_t gfn, uint64_t mfn, unsigned int order, p2m_type_t t)
{
    return p2m_set_entry(&test_p2m, _gfn(gfn), _mfn(mfn), order, t, p2m_access_rwx);
}

static int unmap(uint64_t gfn, unsigned int order)
{
    return p2m_set_entry(&test_p2m, _gfn(gfn), INVALID_MFN, order, p2m_invalid, p2m_access_n);
}

/* CHECK the hook ran n times since listen(), the last with last frames. */
static void check_calls(unsigned int n, uint64_t last)
{
    CHECK_EQ(calls, n);
    CHECK_EQ(frames_last, last);
    CHECK_EQ(test_p2m.stats.ram_frames_gone, frames_total);
}

static void remove_4k(void)
{
    CHECK_EQ(set(0x100, 0x5000, P2M_ORDER_4K, p2m_ram_rw), 0);
    listen();
    CHECK_EQ(unmap(0x100, P2M_ORDER_4K), 0);
    check_calls(1, 1);
    CHECK_EQ(unmap(0x100, P2M_ORDER_4K), 0); /* already a hole */
    CHECK_EQ(unmap(0x777, P2M_ORDER_4K), 0); /* never mapped */
    check_calls(1, 1);
}
P2M_CASE(remove_4k)

static void every_ram_type_reports(void)
{
    static const p2m_type_t ram[] = { p2m_ram_rw, p2m_ram_logdirty, p2m_ram_ro, p2m_ram_shared,
                                      p2m_ioreq_server };

    for ( unsigned int i = 0; i < ARRAY_SIZE(ram); i++ )
        CHECK_EQ(set(0x200 + i, 0x6000 + i, P2M_ORDER_4K, ram[i]), 0);
    listen();
    for ( unsigned int i = 0; i < ARRAY_SIZE(ram); i++ )
    {
        CHECK_EQ(unmap(0x200 + i, P2M_ORDER_4K), 0);
        check_calls(i + 1, 1);
    }
}
P2M_CASE(every_ram_type_reports)

static void replace_frame(void)
{
    CHECK_EQ(set(0x300, 0x7000, P2M_ORDER_4K, p2m_ram_rw), 0);
    listen();
    CHECK_EQ(set(0x300, 0x7001, P2M_ORDER_4K, p2m_ram_rw), 0);
    check_calls(1, 1);
    /* shared_info or a grant frame placed over RAM: a new frame too. */
    CHECK_EQ(set(0x300, 0x7002, P2M_ORDER_4K, p2m_mmio_direct), 0);
    check_calls(2, 1);
    /* RAM placed over something else loses no RAM. */
    CHECK_EQ(set(0x300, 0x7003, P2M_ORDER_4K, p2m_ram_rw), 0);
    check_calls(2, 1);
}
P2M_CASE(replace_frame)

static void same_frame_type_change_is_silent(void)
{
    CHECK_EQ(set(0x400, 0x8000, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(set(4 * M2, 0x40000, P2M_ORDER_2M, p2m_ram_rw), 0);
    listen();
    CHECK_EQ(set(0x400, 0x8000, P2M_ORDER_4K, p2m_ram_ro), 0);
    CHECK_EQ(set(0x400, 0x8000, P2M_ORDER_4K, p2m_ioreq_server), 0);
    CHECK_EQ(set(0x400, 0x8000, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(0x400), p2m_ram_rw, p2m_ram_logdirty), 1);
    CHECK_EQ(p2m_change_type_range(&test_p2m, _gfn(4 * M2), M2, p2m_ram_rw, p2m_ram_logdirty),
             (int64_t)M2);
    CHECK_EQ(p2m_begin_global_change(&test_p2m, p2m_ram_logdirty, p2m_ram_rw), 0);
    CHECK_EQ(p2m_finish_pending(&test_p2m, 1000), 0);
    check_calls(0, 0);
    check_lookup(0x400, _mfn(0x8000), p2m_ram_rw, p2m_access_rwx, 0);
}
P2M_CASE(same_frame_type_change_is_silent)

/* Changing one 4K frame inside a superpage shatters it: the 511 frames
 * that stay are not reported, the one replaced is. */
static void shatter_is_silent(void)
{
    CHECK_EQ(set(2 * M2, 0x80000, P2M_ORDER_2M, p2m_ram_rw), 0);
    CHECK_EQ(set(G1, 2 * G1, P2M_ORDER_1G, p2m_ram_rw), 0);
    listen();
    CHECK_EQ(set(2 * M2 + 5, 0x80005, P2M_ORDER_4K, p2m_ram_ro), 0);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(G1 + 7), p2m_ram_rw, p2m_ram_ro), 1);
    CHECK_EQ(p2m_shatter_superpages(&test_p2m), 0);
    check_calls(0, 0);
    CHECK(test_p2m.stats.shatters >= 2);
    CHECK_EQ(set(2 * M2 + 9, 0x12345, P2M_ORDER_4K, p2m_ram_rw), 0);
    check_calls(1, 1);
}
P2M_CASE(shatter_is_silent)

static void superpage_removal_once(void)
{
    CHECK_EQ(set(3 * M2, 0xc0000, P2M_ORDER_2M, p2m_ram_rw), 0);
    CHECK_EQ(set(2 * G1, 3 * G1, P2M_ORDER_1G, p2m_ram_rw), 0);
    listen();
    CHECK_EQ(unmap(3 * M2, P2M_ORDER_2M), 0);
    check_calls(1, M2);
    CHECK_EQ(unmap(2 * G1, P2M_ORDER_1G), 0);
    check_calls(2, G1);
}
P2M_CASE(superpage_removal_once)

/* A superpage written over a table of small RAM leaves: one report with
 * every RAM frame below it (the non-RAM ones are not counted). */
static void superpage_over_table_once(void)
{
    for ( unsigned int i = 0; i < 10; i++ )
        CHECK_EQ(set(6 * M2 + i * 3, 0x9000 + i, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(set(6 * M2 + 100, 0xa000, P2M_ORDER_4K, p2m_mmio_direct), 0);
    listen();
    CHECK_EQ(set(6 * M2, 0x200000, P2M_ORDER_2M, p2m_ram_rw), 0);
    check_calls(1, 10);
    for ( unsigned int i = 0; i < 7; i++ )
        CHECK_EQ(set(8 * M2 + i, 0x9100 + i, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(unmap(8 * M2, P2M_ORDER_2M), 0);
    check_calls(2, 7);
}
P2M_CASE(superpage_over_table_once)

static void non_ram_is_silent(void)
{
    CHECK_EQ(set(0x500, 0xb000, P2M_ORDER_4K, p2m_mmio_direct), 0);
    CHECK_EQ(set(0x501, 0xb001, P2M_ORDER_4K, p2m_map_foreign), 0);
    CHECK_EQ(set(0x502, 0xb002, P2M_ORDER_4K, p2m_grant_map_rw), 0);
    CHECK_EQ(
        p2m_set_entry(&test_p2m, _gfn(0x503), INVALID_MFN, P2M_ORDER_4K, p2m_mmio_dm, p2m_access_n),
        0);
    listen();
    for ( unsigned int i = 0; i < 4; i++ )
        CHECK_EQ(unmap(0x500 + i, P2M_ORDER_4K), 0);
    CHECK_EQ(set(0x504, 0xb004, P2M_ORDER_4K, p2m_ram_rw), 0); /* a hole populated */
    check_calls(0, 0);
}
P2M_CASE(non_ram_is_silent)

/* A range removal: one report per entry written, every frame counted. */
static void range_removal_counts_frames(void)
{
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(M2 - 3), _mfn(0x100000 - 3), M2 + 6, p2m_ram_rw,
                           p2m_access_rwx),
             0);
    listen();
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(M2 - 3), INVALID_MFN, M2 + 6, p2m_invalid, p2m_access_n),
             0);
    CHECK_EQ(frames_total, M2 + 6);
    CHECK_EQ(calls, 3 + 1 + 3); /* 3 small, the 2M, 3 small */
}
P2M_CASE(range_removal_counts_frames)

static void coalesce_and_empty_are_silent(void)
{
    for ( uint64_t i = 0; i < M2; i++ )
        CHECK_EQ(set(10 * M2 + i, 0x400000 + i, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(set(0x600, 0xc000, P2M_ORDER_4K, p2m_ram_rw), 0);
    listen();
    CHECK(p2m_try_coalesce(&test_p2m, _gfn(10 * M2), P2M_ORDER_2M));
    check_lookup(10 * M2 + 1, _mfn(0x400001), p2m_ram_rw, p2m_access_rwx, 9);
    p2m_empty(&test_p2m);
    check_hole(0x600);
    check_calls(0, 0);
}
P2M_CASE(coalesce_and_empty_are_silent)

static void teardown_is_silent(void)
{
    CHECK_EQ(set(0x700, 0xd000, P2M_ORDER_4K, p2m_ram_rw), 0);
    CHECK_EQ(set(12 * M2, 0x600000, P2M_ORDER_2M, p2m_ram_rw), 0);
    listen();
    p2m_teardown(&test_p2m);
    check_calls(0, 0);
    CHECK_EQ(p2m_init(&test_p2m, test_p2m.ops), 0); /* for with_backend's own teardown */
}
P2M_CASE(teardown_is_silent)

static const struct test_case cases[] = {
    P2M_CASE_ENTRIES("ram_gone", remove_4k),
    P2M_CASE_ENTRIES("ram_gone", every_ram_type_reports),
    P2M_CASE_ENTRIES("ram_gone", replace_frame),
    P2M_CASE_ENTRIES("ram_gone", same_frame_type_change_is_silent),
    P2M_CASE_ENTRIES("ram_gone", shatter_is_silent),
    P2M_CASE_ENTRIES("ram_gone", superpage_removal_once),
    P2M_CASE_ENTRIES("ram_gone", superpage_over_table_once),
    P2M_CASE_ENTRIES("ram_gone", non_ram_is_silent),
    P2M_CASE_ENTRIES("ram_gone", range_removal_counts_frames),
    P2M_CASE_ENTRIES("ram_gone", coalesce_and_empty_are_silent),
    P2M_CASE_ENTRIES("ram_gone", teardown_is_silent),
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 16UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
