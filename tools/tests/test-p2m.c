/*
 * test-p2m.c - the p2m core (xen/common/p2m/p2m.c) on both backends: mapping
 * and looking up 4K/2M/1G leaves, argument checks, how set_range cuts a
 * range, shattering 1G -> 2M -> 4K and superpages replacing tables with
 * exact counters, removal, when flushes happen, coalescing, the auditor
 * catching corruption, -ENOMEM leaving translations intact, and teardown
 * giving back every page (checked after every case by with_backend).
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>
#include <asm/ept.h>
#include <asm/npt.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "harness.h"
#include "p2m-util.h"
#include <asm/p2m-backends.h>

#define G1 (1ULL << P2M_ORDER_1G)
#define M2 (1ULL << P2M_ORDER_2M)

static struct p2m_counters *stats(void)
{
    return &test_p2m.stats;
}

static void check_orders(uint64_t n4k, uint64_t n2m, uint64_t n1g)
{
    CHECK_EQ(stats()->entries_by_order[0], n4k);
    CHECK_EQ(stats()->entries_by_order[1], n2m);
    CHECK_EQ(stats()->entries_by_order[2], n1g);
}

static int set(uint64_t gfn, uint64_t mfn, unsigned int order, p2m_type_t t, p2m_access_t a)
{
    return p2m_set_entry(&test_p2m, _gfn(gfn), _mfn(mfn), order, t, a);
}

static int unmap(uint64_t gfn, unsigned int order)
{
    return p2m_set_entry(&test_p2m, _gfn(gfn), INVALID_MFN, order, p2m_invalid, p2m_access_n);
}

static void set_lookup_4k(void)
{
    CHECK_EQ(set(0x1234, 0x9999, P2M_ORDER_4K, p2m_ram_rw, p2m_access_rwx), 0);
    check_lookup(0x1234, _mfn(0x9999), p2m_ram_rw, p2m_access_rwx, 0);
    check_hole(0x1233);
    check_hole(0x1235);
    check_orders(1, 0, 0);
    CHECK_EQ(stats()->entries_by_type[p2m_ram_rw], 1);
    CHECK_EQ(stats()->tables, 3);
    CHECK_EQ(test_p2m.max_mapped_gfn, 0x1234);
    CHECK_EQ(test_flushes, 0);
}
P2M_CASE(set_lookup_4k)

static void set_lookup_2m(void)
{
    CHECK_EQ(set(5 * M2, 0x40200, P2M_ORDER_2M, p2m_ram_ro, p2m_access_rx), 0);
    check_lookup(5 * M2, _mfn(0x40200), p2m_ram_ro, p2m_access_rx, 9);
    check_lookup(5 * M2 + 0x123, _mfn(0x40323), p2m_ram_ro, p2m_access_rx, 9);
    check_lookup(6 * M2 - 1, _mfn(0x403ff), p2m_ram_ro, p2m_access_rx, 9);
    check_hole(6 * M2);
    check_hole(5 * M2 - 1);
    check_orders(0, 1, 0);
    CHECK_EQ(stats()->tables, 2);
    CHECK_EQ(test_p2m.max_mapped_gfn, 6 * M2 - 1);
}
P2M_CASE(set_lookup_2m)

static void set_lookup_1g(void)
{
    CHECK_EQ(set(3 * G1, 7 * G1, P2M_ORDER_1G, p2m_mmio_direct, p2m_access_rw), 0);
    check_lookup(3 * G1, _mfn(7 * G1), p2m_mmio_direct, p2m_access_rw, 18);
    check_lookup(4 * G1 - 1, _mfn(8 * G1 - 1), p2m_mmio_direct, p2m_access_rw, 18);
    check_hole(4 * G1);
    check_orders(0, 0, 1);
    CHECK_EQ(stats()->tables, 1);
}
P2M_CASE(set_lookup_1g)

static void bad_arguments_change_nothing(void)
{
    unsigned long free_before = pages_free();

    CHECK_EQ(set(M2 + 1, 0x200, P2M_ORDER_2M, p2m_ram_rw, p2m_access_rwx), -EINVAL);
    CHECK_EQ(set(M2, 0x201, P2M_ORDER_2M, p2m_ram_rw, p2m_access_rwx), -EINVAL);
    CHECK_EQ(set(0, 0, 5, p2m_ram_rw, p2m_access_rwx), -EINVAL);
    CHECK_EQ(set(P2M_GFN_LIMIT, 0, 0, p2m_ram_rw, p2m_access_rwx), -EINVAL);
    CHECK_EQ(set(0, 0, 0, p2m_type_count, p2m_access_rwx), -EINVAL);
    CHECK_EQ(set(0, 0, 0, p2m_ram_rw, 8), -EINVAL);
    CHECK_EQ(set(0, P2M_MFN_LIMIT, 0, p2m_ram_rw, p2m_access_rwx), -EINVAL);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0), INVALID_MFN, 0, p2m_ram_rw, p2m_access_rwx),
             -EINVAL);
    CHECK_EQ(
        p2m_set_range(&test_p2m, _gfn(P2M_GFN_LIMIT - 4), _mfn(0), 5, p2m_ram_rw, p2m_access_rwx),
        -EINVAL);
    CHECK_EQ(
        p2m_set_range(&test_p2m, _gfn(0), _mfn(P2M_MFN_LIMIT - 4), 5, p2m_ram_rw, p2m_access_rwx),
        -EINVAL);
    CHECK_EQ(pages_free(), free_before);
    CHECK_EQ(stats()->tables, 0);
    check_hole(0);
    /* Lookups outside the space are holes, and a hole reports at most 1G. */
    check_lookup(P2M_GFN_LIMIT, INVALID_MFN, p2m_invalid, p2m_access_n, 0);
    check_lookup(0, INVALID_MFN, p2m_invalid, p2m_access_n, 18);
}
P2M_CASE(bad_arguments_change_nothing)

static void set_range_pieces(void)
{
    /* gfn and mfn alike: 2M up to the 1G boundary, 1G, 2M, then 3 x 4K. */
    uint64_t gfn = G1 - M2, mfn = 3 * G1 - M2, nr = M2 + G1 + M2 + 3;

    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(gfn), _mfn(mfn), nr, p2m_ram_rw, p2m_access_rwx), 0);
    check_orders(3, 2, 1);
    check_lookup(gfn, _mfn(mfn), p2m_ram_rw, p2m_access_rwx, 9);
    check_lookup(G1 + 5, _mfn(3 * G1 + 5), p2m_ram_rw, p2m_access_rwx, 18);
    check_lookup(2 * G1 + 7, _mfn(4 * G1 + 7), p2m_ram_rw, p2m_access_rwx, 9);
    check_lookup(gfn + nr - 1, _mfn(mfn + nr - 1), p2m_ram_rw, p2m_access_rwx, 0);
    check_hole(gfn + nr);

    /* mfn one frame off: nothing larger than 4K can be used. */
    CHECK_EQ(
        p2m_set_range(&test_p2m, _gfn(8 * G1), _mfn(0x100001), 1024, p2m_ram_ro, p2m_access_rx), 0);
    check_orders(3 + 1024, 2, 1);

    /* mfn only 2M-aligned under a 1G-aligned gfn: 2M pieces. */
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(9 * G1), _mfn(G1 + M2), G1, p2m_ram_rw, p2m_access_rwx),
             0);
    check_orders(3 + 1024, 2 + 512, 1);

    /* No frame at all: the gfn alone decides. */
    CHECK_EQ(
        p2m_set_range(&test_p2m, _gfn(10 * G1), INVALID_MFN, G1 + 1, p2m_mmio_dm, p2m_access_rwx),
        0);
    check_orders(3 + 1024 + 1, 2 + 512, 2);
    check_lookup(10 * G1 + 99, INVALID_MFN, p2m_mmio_dm, p2m_access_rwx, 18);
    CHECK_EQ(stats()->entries_by_type[p2m_mmio_dm], 2);
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0), _mfn(0), 0, p2m_ram_rw, p2m_access_rwx), 0);
}
P2M_CASE(set_range_pieces)

static void shatter_1g_to_2m_to_4k(void)
{
    uint64_t gfn = G1, mfn = 2 * G1, target = gfn + 3 * M2 + 5;
    unsigned long free_before;

    CHECK_EQ(set(gfn, mfn, P2M_ORDER_1G, p2m_ram_rw, p2m_access_rx), 0);
    free_before = pages_free();
    CHECK_EQ(set(target, 0x777, P2M_ORDER_4K, p2m_ram_ro, p2m_access_r), 0);
    CHECK_EQ(stats()->shatters, 2);
    CHECK_EQ(stats()->tables, 3);
    CHECK_EQ(pages_free(), free_before - 2);
    check_orders(512, 511, 0);
    CHECK_EQ(stats()->entries_by_type[p2m_ram_rw], 511 + 511);
    CHECK_EQ(stats()->entries_by_type[p2m_ram_ro], 1);
    CHECK_MSG(test_flushes >= 2, "shattering is break-before-make: %lu flushes", test_flushes);
    check_lookup(target, _mfn(0x777), p2m_ram_ro, p2m_access_r, 0);
    check_lookup(target - 1, _mfn(mfn + 3 * M2 + 4), p2m_ram_rw, p2m_access_rx, 0);
    check_lookup(target + 1, _mfn(mfn + 3 * M2 + 6), p2m_ram_rw, p2m_access_rx, 0);
    check_lookup(gfn, _mfn(mfn), p2m_ram_rw, p2m_access_rx, 9);
    check_lookup(gfn + G1 - 1, _mfn(mfn + G1 - 1), p2m_ram_rw, p2m_access_rx, 9);
    check_audit();

    /* A 1G leaf over the two tables frees them. */
    CHECK_EQ(set(gfn, mfn, P2M_ORDER_1G, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(pages_free(), free_before);
    CHECK_EQ(stats()->tables, 1);
    check_orders(0, 0, 1);
    CHECK_EQ(stats()->entries_by_type[p2m_ram_rw], 1);
    CHECK_EQ(stats()->entries_by_type[p2m_ram_ro], 0);
}
P2M_CASE(shatter_1g_to_2m_to_4k)

static void shatter_keeps_no_frame_types(void)
{
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(M2), INVALID_MFN, P2M_ORDER_2M, p2m_populate_on_demand,
                           p2m_access_rwx),
             0);
    CHECK_EQ(set(M2 + 7, 0x4444, 0, p2m_ram_rw, p2m_access_rwx), 0);
    check_lookup(M2 + 6, INVALID_MFN, p2m_populate_on_demand, p2m_access_rwx, 0);
    check_lookup(M2 + 7, _mfn(0x4444), p2m_ram_rw, p2m_access_rwx, 0);
    CHECK_EQ(stats()->entries_by_type[p2m_populate_on_demand], 511);
}
P2M_CASE(shatter_keeps_no_frame_types)

static void removal(void)
{
    unsigned long free_before = pages_free();

    CHECK_EQ(set(M2, 0x400, P2M_ORDER_2M, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(unmap(M2 + 9, P2M_ORDER_4K), 0);
    check_hole(M2 + 9);
    check_lookup(M2 + 10, _mfn(0x40a), p2m_ram_rw, p2m_access_rwx, 0);
    check_orders(511, 0, 0);
    CHECK_EQ(unmap(M2, P2M_ORDER_2M), 0); /* the 4K table goes, and the */
    check_orders(0, 0, 0);                /* emptied tables above it */
    CHECK_EQ(stats()->tables, 0);
    check_hole(M2 + 10);

    /* Removing what was never there allocates nothing. */
    CHECK_EQ(unmap(5 * G1 + 3, P2M_ORDER_4K), 0);
    CHECK_EQ(stats()->tables, 0);
    CHECK_EQ(pages_free(), free_before);

    /* A removal range over a 1G leaf and some 4K. */
    CHECK_EQ(set(G1, 0, P2M_ORDER_1G, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(
        p2m_set_range(&test_p2m, _gfn(G1 - 3), _mfn(0x1234), G1 + 3, p2m_invalid, p2m_access_n), 0);
    check_orders(0, 0, 0);
    check_hole(G1);
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(G1), INVALID_MFN, 10, p2m_invalid, p2m_access_n), 0);
}
P2M_CASE(removal)

static void flushes_follow_narrowing(void)
{
    unsigned long f;

    CHECK_EQ(set(0x10, 0x100, 0, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(test_flushes, 0); /* new mapping: nothing cached */
    f = test_flushes;
    CHECK_EQ(set(0x10, 0x100, 0, p2m_ram_logdirty, p2m_access_rwx), 0);
    CHECK_EQ(test_flushes, f + 1); /* lost W */
    CHECK_EQ(set(0x10, 0x100, 0, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(test_flushes, f + 1); /* only gained W */
    CHECK_EQ(set(0x10, 0x101, 0, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(test_flushes, f + 2); /* other frame */
    CHECK_EQ(set(0x10, 0x101, 0, p2m_ram_rw, p2m_access_rx), 0);
    CHECK_EQ(test_flushes, f + 3); /* access narrowed */
    CHECK_EQ(unmap(0x10, 0), 0);
    CHECK_EQ(test_flushes, f + 5); /* removed, then emptied tables unhooked */
    CHECK_EQ(set(0x10, 0x101, 0, p2m_ram_broken, p2m_access_rwx), 0);
    CHECK_EQ(set(0x10, 0x102, 0, p2m_ram_paged, p2m_access_rwx), 0);
    CHECK_EQ(test_flushes, f + 5); /* never reachable: nothing to flush */
    CHECK_EQ(set(0x10, 0x102, 0, p2m_grant_map_rw, p2m_access_rwx), 0);
    CHECK_EQ(set(0x10, 0x102, 0, p2m_mmio_direct, p2m_access_rwx), 0);
    CHECK_EQ(test_flushes, f + 6); /* same rights, now uncached */
}
P2M_CASE(flushes_follow_narrowing)

/* Write the same mapping as 512 separate 4K leaves. */
static void map_as_4k(uint64_t gfn, uint64_t mfn, p2m_type_t t, p2m_access_t a)
{
    unsigned int i;

    for ( i = 0; i < 512; i++ )
        CHECK_EQ(set(gfn + i, mfn + i, 0, t, a), 0);
}

static void coalescing(void)
{
    unsigned long free_before = pages_free();
    unsigned int i;

    map_as_4k(M2, 0x800, p2m_ram_rw, p2m_access_rwx);
    CHECK_EQ(stats()->tables, 3);
    CHECK(p2m_try_coalesce(&test_p2m, _gfn(M2), P2M_ORDER_2M));
    CHECK_EQ(stats()->coalesces, 1);
    CHECK_EQ(stats()->tables, 2);
    check_orders(0, 1, 0);
    check_lookup(M2 + 3, _mfn(0x803), p2m_ram_rw, p2m_access_rwx, 9);
    CHECK(p2m_try_coalesce(&test_p2m, _gfn(M2), P2M_ORDER_2M)); /* already one */
    CHECK(!p2m_try_coalesce(&test_p2m, _gfn(M2 + 1), P2M_ORDER_2M));
    CHECK(!p2m_try_coalesce(&test_p2m, _gfn(4 * M2), P2M_ORDER_2M)); /* a hole */

    /* One child with another access, or frames not aligned: no. */
    map_as_4k(2 * M2, 0xa00, p2m_ram_rw, p2m_access_rwx);
    CHECK_EQ(set(2 * M2 + 100, 0xa00 + 100, 0, p2m_ram_rw, p2m_access_rx), 0);
    CHECK(!p2m_try_coalesce(&test_p2m, _gfn(2 * M2), P2M_ORDER_2M));
    map_as_4k(3 * M2, 0xa01, p2m_ram_rw, p2m_access_rwx);
    CHECK(!p2m_try_coalesce(&test_p2m, _gfn(3 * M2), P2M_ORDER_2M));
    CHECK_EQ(stats()->coalesces, 1);

    /* 1G: 511 2M leaves and one 2M made of 4K leaves, all contiguous. */
    for ( i = 0; i < 512; i++ )
        CHECK_EQ(set(G1 + i * M2, 4 * G1 + i * M2, P2M_ORDER_2M, p2m_ram_ro, p2m_access_rx), 0);
    CHECK_EQ(set(G1 + 7 * M2 + 1, 4 * G1 + 7 * M2 + 1, 0, p2m_ram_ro, p2m_access_rx), 0);
    CHECK_EQ(stats()->shatters, 1);
    CHECK(p2m_try_coalesce(&test_p2m, _gfn(G1), P2M_ORDER_1G));
    CHECK_EQ(stats()->coalesces, 2); /* one merge, one flush */
    check_lookup(G1 + 7 * M2 + 1, _mfn(4 * G1 + 7 * M2 + 1), p2m_ram_ro, p2m_access_rx, 18);
    CHECK_EQ(stats()->tables, 4); /* 1G level, 2M level, two 4K */
    check_audit();

    /* A 1G block that cannot merge still gets its 2M blocks merged. */
    CHECK_EQ(set(G1 + 9 * M2 + 3, 4 * G1 + 9 * M2 + 3, 0, p2m_ram_ro, p2m_access_rx), 0);
    CHECK_EQ(set(G1 + 20 * M2, 0x1200, P2M_ORDER_2M, p2m_ram_ro, p2m_access_rx), 0);
    CHECK_EQ(stats()->tables, 6);
    CHECK(!p2m_try_coalesce(&test_p2m, _gfn(G1), P2M_ORDER_1G));
    CHECK_EQ(stats()->coalesces, 3);
    CHECK_EQ(stats()->tables, 5);
    check_lookup(G1 + 9 * M2 + 3, _mfn(4 * G1 + 9 * M2 + 3), p2m_ram_ro, p2m_access_rx, 9);
    check_lookup(G1 + 20 * M2 + 3, _mfn(0x1203), p2m_ram_ro, p2m_access_rx, 9);
    check_audit();
    CHECK_EQ(unmap(0, P2M_ORDER_1G), 0);
    CHECK_EQ(unmap(G1, P2M_ORDER_1G), 0);
    check_orders(0, 0, 0);
    CHECK_EQ(stats()->tables, 0); /* emptied tables go */
    CHECK_EQ(pages_free(), free_before);
}
P2M_CASE(coalescing)

/* Accessed/dirty set by the CPU survive shattering and coalescing, and a
 * rewrite of the same frame (only a new frame starts clean). */
static void dirty_bits_survive_page_size_changes(void)
{
    /* What a write sets in a writable leaf: every hardware-managed bit on
     * x86; S2AP[1] on stage 2 (its other bit is for leaves without W). */
    p2m_pte_t ad = test_p2m.ops == &stage2_pte_ops ? S2_S2AP_W : test_p2m.ops->hw_managed_bits;
    p2m_pte_t *slot;

    CHECK_EQ(set(M2, 0x200, P2M_ORDER_2M, p2m_ram_rw, p2m_access_rwx), 0);
    *test_slot(M2, 2) |= ad; /* the CPU wrote to the 2M page */
    CHECK_EQ(set(M2 + 1, 0x201, 0, p2m_ram_rw, p2m_access_rwx), 0); /* shatters */
    slot = test_slot(M2 + 5, 1);
    CHECK_EQ(*slot & ad, ad);
    CHECK_EQ(*test_slot(M2 + 1, 1) & ad, ad); /* same frame rewritten: carried */
    CHECK_EQ(set(M2 + 2, 0x9999, 0, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(*test_slot(M2 + 2, 1) & ad, 0); /* another frame: clean */
    CHECK_EQ(set(M2 + 2, 0x202, 0, p2m_ram_rw, p2m_access_rwx), 0);
    check_audit();
    CHECK(p2m_try_coalesce(&test_p2m, _gfn(M2), P2M_ORDER_2M));
    CHECK_EQ(*test_slot(M2, 2) & ad, ad);
    check_lookup(M2 + 1, _mfn(0x201), p2m_ram_rw, p2m_access_rwx, 9);
}
P2M_CASE(dirty_bits_survive_page_size_changes)

static void check_audit_fails(const char *needle)
{
    char why[256];
    int rc = p2m_audit(&test_p2m, why, sizeof(why));

    CHECK_MSG(rc == -EILSEQ, "audit returned %d, expected -EILSEQ", rc);
    CHECK_MSG(strstr(why, needle), "audit said \"%s\", expected \"%s\"", why, needle);
}

static void audit_catches_corruption(void)
{
    const struct p2m_pte_ops *ops = test_p2m.ops;
    p2m_pte_t *slot, saved;

    CHECK_EQ(set(0x42, 0x900, 0, p2m_ram_ro, p2m_access_rwx), 0);
    CHECK_EQ(set(M2, 0x400, P2M_ORDER_2M, p2m_ram_rw, p2m_access_rwx), 0);
    check_audit();

    stats()->entries_by_type[p2m_ram_ro]++;
    check_audit_fails("type 3");
    stats()->entries_by_type[p2m_ram_ro]--;
    stats()->tables++;
    check_audit_fails("tables");
    stats()->tables--;

    /* Hardware write permission on a read-only type. On stage 2 the write
     * permission is also the dirty flag, which a read-only leaf may not
     * hold (it keeps "written" in a software bit). */
    slot = test_slot(0x42, 1);
    saved = *slot;
    if ( ops == &stage2_pte_ops )
    {
        *slot |= S2_S2AP_W;
        check_audit_fails("cannot");
        *slot = saved | S2_DBM;
        check_audit_fails("encode as");
    }
    else
    {
        *slot |= ops == &ept_pte_ops ? EPT_W : NPT_RW;
        check_audit_fails("encode as");
    }
    *slot = saved;

    /* Software bits in an empty entry. */
    slot = test_slot(0x43, 1);
    *slot = 1ULL << 62;
    check_audit_fails("stray bits");
    *slot = 0;

    /* The same 4K table under two 2M slots (counters adjusted to match). */
    slot = test_slot(0x42, 2);
    slot[2] = *slot;
    stats()->entries_by_order[0]++;
    stats()->entries_by_type[p2m_ram_ro]++;
    stats()->tables++;
    check_audit_fails("referenced twice");
    slot[2] = 0;
    stats()->entries_by_order[0]--;
    stats()->entries_by_type[p2m_ram_ro]--;
    stats()->tables--;

    /* A leaf whose frame is not aligned to its size. */
    slot = test_slot(M2, 2);
    saved = *slot;
    *slot = ops->make_leaf(_mfn(0x401), 2, p2m_ram_rw, p2m_access_rwx);
    check_audit_fails("not aligned");
    *slot = saved;

    test_p2m.max_mapped_gfn = 0x41;
    check_audit_fails("max_mapped_gfn");
    test_p2m.max_mapped_gfn = 2 * M2 - 1;
    check_audit();
}
P2M_CASE(audit_catches_corruption)

static mfn_t hoard[8192];
static unsigned int nhoard;

static void take_all_memory(void)
{
    nhoard = 0;
    while ( nhoard < ARRAY_SIZE(hoard) && mfn_valid_raw(hoard[nhoard] = alloc_pages(0)) )
        nhoard++;
    CHECK_EQ(pages_free(), 0);
}

static void give_back_memory(void)
{
    while ( nhoard )
        free_pages(hoard[--nhoard], 0);
}

static void out_of_memory_changes_no_translation(void)
{
    CHECK_EQ(set(M2, 0x600, P2M_ORDER_2M, p2m_ram_rw, p2m_access_rwx), 0);
    take_all_memory();
    CHECK_EQ(set(5 * G1, 0x1000, 0, p2m_ram_rw, p2m_access_rwx), -ENOMEM);
    CHECK_EQ(set(M2 + 4, 0x1000, 0, p2m_ram_ro, p2m_access_rwx), -ENOMEM); /* shatter */
    CHECK_EQ(unmap(M2 + 4, 0), -ENOMEM);
    check_lookup(M2 + 4, _mfn(0x604), p2m_ram_rw, p2m_access_rwx, 9);
    check_hole(5 * G1);
    CHECK_EQ(stats()->shatters, 0);
    CHECK_EQ(p2m_audit(&test_p2m, NULL, 0), -ENOMEM); /* it needs a page too */
    give_back_memory();
    check_audit();
    CHECK_EQ(set(M2 + 4, 0x1000, 0, p2m_ram_ro, p2m_access_rwx), 0);
    check_lookup(M2 + 4, _mfn(0x1000), p2m_ram_ro, p2m_access_rwx, 0);
}

static void oom_ept(void)
{
    with_backend(&ept_pte_ops, out_of_memory_changes_no_translation);
}

static void oom_npt(void)
{
    with_backend(&npt_pte_ops, out_of_memory_changes_no_translation);
}

static void oom_stage2(void)
{
    with_backend(&stage2_pte_ops, out_of_memory_changes_no_translation);
}

static void big_teardown(void)
{
    unsigned int i;

    for ( i = 0; i < 8; i++ )
        CHECK_EQ(p2m_set_range(&test_p2m, _gfn(i * 37 * G1 + i * 0x1234), _mfn(G1 + i * 0x1000),
                               3 * M2 + 77, p2m_ram_rw, p2m_access_rwx),
                 0);
    CHECK_EQ(set(P2M_GFN_LIMIT - G1, 0, P2M_ORDER_1G, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(set(P2M_GFN_LIMIT - 1, 5, 0, p2m_ram_rw, p2m_access_rwx), 0);
    check_lookup(P2M_GFN_LIMIT - 2, _mfn(G1 - 2), p2m_ram_rw, p2m_access_rwx, 0);
    check_lookup(P2M_GFN_LIMIT - M2 - 1, _mfn(G1 - M2 - 1), p2m_ram_rw, p2m_access_rwx, 9);
    check_lookup(P2M_GFN_LIMIT - 1, _mfn(5), p2m_ram_rw, p2m_access_rwx, 0);
    CHECK(stats()->tables > 20);
}
P2M_CASE(big_teardown)

static const struct test_case cases[] = {
    P2M_CASE_ENTRIES("p2m", set_lookup_4k),
    P2M_CASE_ENTRIES("p2m", set_lookup_2m),
    P2M_CASE_ENTRIES("p2m", set_lookup_1g),
    P2M_CASE_ENTRIES("p2m", bad_arguments_change_nothing),
    P2M_CASE_ENTRIES("p2m", set_range_pieces),
    P2M_CASE_ENTRIES("p2m", shatter_1g_to_2m_to_4k),
    P2M_CASE_ENTRIES("p2m", shatter_keeps_no_frame_types),
    P2M_CASE_ENTRIES("p2m", removal),
    P2M_CASE_ENTRIES("p2m", flushes_follow_narrowing),
    P2M_CASE_ENTRIES("p2m", coalescing),
    P2M_CASE_ENTRIES("p2m", dirty_bits_survive_page_size_changes),
    P2M_CASE_ENTRIES("p2m", audit_catches_corruption),
    { "p2m.ept.out_of_memory_changes_no_translation", oom_ept },
    { "p2m.npt.out_of_memory_changes_no_translation", oom_npt },
    { "p2m.stage2.out_of_memory_changes_no_translation", oom_stage2 },
    P2M_CASE_ENTRIES("p2m", big_teardown),
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 16UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
