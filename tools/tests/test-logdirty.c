/*
 * test-logdirty.c - the log-dirty pieces that need no struct domain:
 * the bitmap (xen/common/logdirty-bitmap.c: marking ranges, clipping,
 * counting, CLEAN/PEEK hand-out and undo, growth), the table walks of
 * xen/common/p2m/dirty.c on EPT and NPT (harvesting and clearing dirty
 * flags, only the flags, through marked tables too; listing and
 * splitting superpages), and the superpage record and re-coalescing done
 * when log-dirty ends, after write-protect faults shattered superpages.
 */
#include <xen/logdirty.h>
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>
#include <asm/ept.h>
#include <asm/npt.h>

#include <string.h>

#include "arena.h"
#include "harness.h"
#include "p2m-util.h"
#include <asm/p2m-backends.h>

#define M2  (1ULL << P2M_ORDER_2M)
#define G1  (1ULL << P2M_ORDER_1G)
#define RW  p2m_ram_rw
#define LD  p2m_ram_logdirty
#define RWX p2m_access_rwx

static struct logdirty_domain ld;

static void ld_start(uint64_t nr_bits)
{
    memset(&ld, 0, sizeof(ld));
    spin_lock_init(&ld.lock, LOCK_logdirty);
    CHECK_EQ(logdirty_bitmap_alloc(&ld, nr_bits), 0);
    ld.enabled = true;
}

static bool bit(const uint64_t *bm, uint64_t g)
{
    return bm[g / 64] & (1ULL << (g % 64));
}

static uint64_t count(const uint64_t *bm, uint64_t nr)
{
    uint64_t g, n = 0;

    for ( g = 0; g < nr; g++ )
        n += bit(bm, g);
    return n;
}

/* ---- the bitmap ---- */

static void bitmap_marks_ranges(void)
{
    ld_start(1000);
    CHECK_EQ(logdirty_bitmap_set(&ld, 5, 0), 1);
    CHECK_EQ(logdirty_bitmap_set(&ld, 5, 0), 0);                       /* already set */
    CHECK_EQ(logdirty_bitmap_set(&ld, 64, 6), 64);                     /* one whole word */
    CHECK_EQ(logdirty_bitmap_set(&ld, 0, 3), 7);                       /* 0-7, 5 was set */
    CHECK_EQ(logdirty_bitmap_set(&ld, 512, P2M_ORDER_2M), 1000 - 512); /* clipped */
    CHECK_EQ(logdirty_bitmap_set(&ld, 1000, 0), 0);                    /* past the end */
    CHECK_EQ(logdirty_bitmap_set(&ld, P2M_GFN_LIMIT, 0), 0);
    CHECK_EQ(ld.dirty_count, 1 + 64 + 7 + 488);
    CHECK_EQ(count(ld.bitmap, 1000), 1 + 64 + 7 + 488);
    CHECK(bit(ld.bitmap, 127) && !bit(ld.bitmap, 128) && bit(ld.bitmap, 999));
    CHECK_EQ(logdirty_bitmap_bytes(&ld), 125);
    ld.enabled = false;
    CHECK_EQ(logdirty_bitmap_set(&ld, 200, 0), 0); /* off: ignored */
    CHECK(!bit(ld.bitmap, 200));
    logdirty_bitmap_free(&ld);
    CHECK(!ld.bitmap && !ld.snap && !ld.nr_bits);
}

static void bitmap_peek_and_clean(void)
{
    uint32_t faults, dirty;

    ld_start(300);
    logdirty_bitmap_set(&ld, 10, 0);
    logdirty_bitmap_set(&ld, 256, 2);
    ld.fault_count = 3;
    CHECK_EQ(logdirty_bitmap_take(&ld, false, &faults, &dirty), 5); /* PEEK */
    CHECK_EQ(faults, 3);
    CHECK_EQ(dirty, 5);
    CHECK_EQ(count(ld.bitmap, 300), 5); /* nothing reset */
    CHECK_EQ(ld.dirty_count, 5);
    CHECK_EQ(logdirty_bitmap_take(&ld, true, &faults, &dirty), 5); /* CLEAN */
    CHECK(bit(ld.snap, 10) && bit(ld.snap, 259) && !bit(ld.snap, 11));
    CHECK_EQ(count(ld.bitmap, 300), 0);
    CHECK_EQ(ld.fault_count + ld.dirty_count, 0);
    logdirty_bitmap_set(&ld, 11, 0); /* a mark meanwhile */
    logdirty_bitmap_untake(&ld);     /* the copy failed */
    CHECK_EQ(count(ld.bitmap, 300), 6);
    CHECK(bit(ld.bitmap, 10) && bit(ld.bitmap, 11));
    CHECK_EQ(ld.dirty_count, 6);
    CHECK_EQ(logdirty_bitmap_take(&ld, true, &faults, &dirty), 6);
    CHECK_EQ(logdirty_bitmap_take(&ld, true, &faults, &dirty), 0); /* empty now */
    logdirty_bitmap_free(&ld);
}

static void bitmap_grows_dirty(void)
{
    uint32_t faults, dirty;

    ld_start(100);
    logdirty_bitmap_set(&ld, 99, 0);
    CHECK_EQ(logdirty_bitmap_grow(&ld, 50), 0); /* never shrinks */
    CHECK_EQ(ld.nr_bits, 100);
    CHECK_EQ(logdirty_bitmap_grow(&ld, 300), 0);
    CHECK_EQ(ld.nr_bits, 300);
    CHECK(bit(ld.bitmap, 99) && !bit(ld.bitmap, 98));
    CHECK_EQ(count(ld.bitmap, 300), 1 + 200); /* new frames: dirty */
    CHECK_EQ(ld.dirty_count, 201);
    CHECK_EQ(logdirty_bitmap_bytes(&ld), 38);
    CHECK_EQ(logdirty_bitmap_take(&ld, true, &faults, &dirty), 201);
    CHECK_EQ(logdirty_bitmap_set(&ld, 299, 0), 1);
    logdirty_bitmap_free(&ld);
}

/* ---- the walks ---- */

/* What the MMU sets: stage 2's dirty flag is S2AP[1] (under DBM), its
 * access flag is set in every valid leaf from the start. */
static p2m_pte_t dirty_bit(void)
{
    if ( test_p2m.ops == &stage2_pte_ops )
        return S2_S2AP_W;
    return test_p2m.ops == &ept_pte_ops ? EPT_DIRTY : NPT_DIRTY;
}

static p2m_pte_t accessed_bit(void)
{
    if ( test_p2m.ops == &stage2_pte_ops )
        return S2_AF;
    return test_p2m.ops == &ept_pte_ops ? EPT_ACCESSED : NPT_ACCESSED;
}

/* What the MMU would do on a write (or, !write, a read) through gfn's leaf. */
static void hw_touch(uint64_t gfn, unsigned int level, bool write)
{
    *test_slot(gfn, level) |= accessed_bit() | (write ? dirty_bit() : 0);
}

static struct
{
    uint64_t gfn;
    unsigned int order;
} seen[64];
static unsigned int nr_seen;

static void record(void *arg, uint64_t gfn, unsigned int order)
{
    CHECK(arg == &nr_seen);
    CHECK(nr_seen < ARRAY_SIZE(seen));
    seen[nr_seen].gfn = gfn;
    seen[nr_seen++].order = order;
}

static unsigned int harvest(unsigned int min_order, bool clear)
{
    nr_seen = 0;
    CHECK_EQ(p2m_harvest_dirty(&test_p2m, min_order, clear, record, &nr_seen), nr_seen);
    return nr_seen;
}

/* 4M at gfn 0x400 (two 2M leaves), 16 4K leaves at 0x10, a 1G leaf at 1G. */
static void map_mixed(void)
{
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0x400), _mfn(0x200000), 2 * M2, RW, RWX), 0);
    CHECK_EQ(p2m_set_range(&test_p2m, _gfn(0x10), _mfn(0x100011), 16, RW, RWX), 0);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(G1), _mfn(2 * G1), P2M_ORDER_1G, RW, RWX), 0);
    CHECK_EQ(test_p2m.stats.entries_by_order[0], 16);
    CHECK_EQ(test_p2m.stats.entries_by_order[1], 2);
    CHECK_EQ(test_p2m.stats.entries_by_order[2], 1);
}

static void harvest_reports_dirty_leaves(void)
{
    unsigned long flushes;
    uint64_t written;

    map_mixed();
    hw_touch(0x13, 1, true);
    hw_touch(0x14, 1, false); /* read: accessed only */
    hw_touch(0x600, 2, true); /* the second 2M leaf */
    hw_touch(G1 + 77, 3, true);
    CHECK_EQ(harvest(P2M_ORDER_4K, false), 3);
    CHECK(seen[0].gfn == 0x13 && seen[0].order == 0);
    CHECK(seen[1].gfn == 0x600 && seen[1].order == P2M_ORDER_2M);
    CHECK(seen[2].gfn == G1 && seen[2].order == P2M_ORDER_1G);
    CHECK_EQ(harvest(P2M_ORDER_4K, false), 3); /* not cleared */
    CHECK_EQ(harvest(P2M_ORDER_2M, false), 2); /* superpages only */
    flushes = test_flushes;
    written = test_p2m.stats.entries_written;
    CHECK_EQ(harvest(P2M_ORDER_4K, true), 3);
    CHECK_EQ(test_flushes, flushes + 1);
    CHECK_EQ(test_p2m.stats.entries_written, written + 3);
    CHECK_EQ(harvest(P2M_ORDER_4K, false), 0);
    CHECK(*test_slot(0x14, 1) & accessed_bit()); /* only D was cleared */
    CHECK(*test_slot(0x13, 1) & accessed_bit());
    check_lookup(0x13, _mfn(0x100014), RW, RWX, 0);
}
P2M_CASE(harvest_reports_dirty_leaves)

/* Marks stop the hardware, not the harvest: flags under them count. */
static void harvest_sees_under_marks(void)
{
    map_mixed();
    hw_touch(0x15, 1, true);
    hw_touch(0x400, 2, true);
    CHECK_EQ(p2m_begin_global_change(&test_p2m, RW, LD), 0);
    CHECK(path_marked(0x15));
    CHECK_EQ(harvest(P2M_ORDER_4K, true), 2);
    CHECK(path_marked(0x15)); /* nothing resolved */
    CHECK_EQ(type_of(0x15), LD);
    CHECK_EQ(harvest(P2M_ORDER_4K, false), 0);
}
P2M_CASE(harvest_sees_under_marks)

static void clear_by_bitmap(void)
{
    uint64_t bm[(2 * G1) / 64] = { 0 };
    unsigned long flushes;

    map_mixed();
    hw_touch(0x11, 1, true);
    hw_touch(0x12, 1, true);
    hw_touch(0x400, 2, true);
    hw_touch(0x600, 2, true);
    bm[0x11 / 64] |= 1ULL << (0x11 % 64);   /* a 4K leaf */
    bm[0x5ff / 64] |= 1ULL << (0x5ff % 64); /* inside a 2M leaf */
    bm[(0x400 + 2 * M2) / 64] |= 1ULL;      /* a hole */
    flushes = test_flushes;
    CHECK_EQ(p2m_clear_dirty_bitmap(&test_p2m, bm, sizeof(bm) * 8), 2);
    CHECK_EQ(test_flushes, flushes + 1);
    CHECK_EQ(harvest(P2M_ORDER_4K, false), 2); /* 0x12 and 0x600 */
    CHECK(seen[0].gfn == 0x12 && seen[1].gfn == 0x600);
    memset(bm, 0, sizeof(bm));
    flushes = test_flushes;
    CHECK_EQ(p2m_clear_dirty_bitmap(&test_p2m, bm, sizeof(bm) * 8), 0);
    CHECK_EQ(test_flushes, flushes); /* nothing: no flush */
}
P2M_CASE(clear_by_bitmap)

static void lists_superpages(void)
{
    map_mixed();
    nr_seen = 0;
    p2m_for_each_superpage(&test_p2m, record, &nr_seen);
    CHECK_EQ(nr_seen, 3);
    CHECK(seen[0].gfn == 0x400 && seen[1].gfn == 0x600 && seen[2].gfn == G1);
    CHECK(seen[2].order == P2M_ORDER_1G);
}
P2M_CASE(lists_superpages)

/* Every superpage split, types as of now, dirty flags inherited. */
static void shatters_everything(void)
{
    uint64_t written;

    map_mixed();
    hw_touch(0x600, 2, true);
    CHECK_EQ(p2m_begin_global_change(&test_p2m, RW, LD), 0);
    CHECK_EQ(p2m_shatter_superpages(&test_p2m), 0);
    CHECK_EQ(test_p2m.stats.entries_by_order[1], 0);
    CHECK_EQ(test_p2m.stats.entries_by_order[2], 0);
    CHECK_EQ(test_p2m.stats.entries_by_order[0], 16 + 2 * M2 + G1);
    check_audit();
    check_lookup(0x601, _mfn(0x200201), LD, RWX, 0);
    check_lookup(G1 + 12345, _mfn(2 * G1 + 12345), LD, RWX, 0);
    CHECK_EQ(p2m_harvest_dirty(&test_p2m, P2M_ORDER_4K, false, NULL, NULL), M2);
    written = test_p2m.stats.entries_written;
    CHECK_EQ(p2m_shatter_superpages(&test_p2m), 0); /* nothing left */
    CHECK_EQ(test_p2m.stats.entries_written, written);
}
P2M_CASE(shatters_everything)

/* ---- the superpage record and the restore ---- */

static void restore_after_wp(void)
{
    uint64_t sp2m, sp1g;

    map_mixed();
    ld_start(2 * G1);
    sp2m = test_p2m.stats.entries_by_order[1];
    sp1g = test_p2m.stats.entries_by_order[2];
    CHECK_EQ(logdirty_record_superpages(&ld, &test_p2m), 0);
    CHECK_EQ(ld.stats.superpages_before, 3);
    /* Write-protect, shatter policy: faults split three superpages. */
    CHECK_EQ(p2m_begin_global_change(&test_p2m, RW, LD), 0);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(0x401), LD, RW), 1);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(0x7ff), LD, RW), 1);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(G1 + M2 + 3), LD, RW), 1);
    CHECK_EQ(test_p2m.stats.entries_by_order[2], 0);
    /* Off: everything back to ram_rw, then re-coalesce. */
    CHECK_EQ(p2m_begin_global_change(&test_p2m, LD, RW), 0);
    CHECK_EQ(logdirty_restore_superpages(&ld, &test_p2m), 3);
    CHECK_EQ(ld.stats.superpages_restored, 3);
    CHECK_EQ(test_p2m.stats.entries_by_order[1], sp2m);
    CHECK_EQ(test_p2m.stats.entries_by_order[2], sp1g);
    check_lookup(0x7ff, _mfn(0x2003ff), RW, RWX, P2M_ORDER_2M);
    check_lookup(G1 + M2 + 3, _mfn(2 * G1 + M2 + 3), RW, RWX, P2M_ORDER_1G);
    CHECK_EQ(logdirty_restore_superpages(&ld, &test_p2m), 0); /* nothing left to do */
    logdirty_bitmap_free(&ld);
}
P2M_CASE(restore_after_wp)

/* A region that cannot merge stays split; the others still merge. */
static void restore_skips_ineligible(void)
{
    map_mixed();
    ld_start(2 * G1);
    CHECK_EQ(logdirty_record_superpages(&ld, &test_p2m), 0);
    CHECK_EQ(p2m_shatter_superpages(&test_p2m), 0);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0x455), _mfn(0x300000), 0, RW, RWX), 0);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(0x610), RW, LD), 1);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(G1 + 5 * M2), INVALID_MFN, 0, p2m_invalid, RWX), 0);
    CHECK_EQ(logdirty_restore_superpages(&ld, &test_p2m), 0);
    /* The 1G block could not merge, but its intact 2M blocks did. */
    CHECK_EQ(test_p2m.stats.entries_by_order[1], 511);
    CHECK_EQ(p2m_change_type_one(&test_p2m, _gfn(0x610), LD, RW), 1);
    CHECK_EQ(logdirty_restore_superpages(&ld, &test_p2m), 1); /* now 0x600 can */
    check_lookup(0x610, _mfn(0x200210), RW, RWX, P2M_ORDER_2M);
    check_lookup(0x455, _mfn(0x300000), RW, RWX, 0);
    logdirty_bitmap_free(&ld);
}
P2M_CASE(restore_skips_ineligible)

static void with_nothing(void (*body)(void))
{
    unsigned long before = pages_free();

    body();
    CHECK_MSG(pages_free() == before, "leaked %ld pages", (long)(before - pages_free()));
}

static void bitmap_marks(void)
{
    with_nothing(bitmap_marks_ranges);
}
static void bitmap_clean(void)
{
    with_nothing(bitmap_peek_and_clean);
}
static void bitmap_grow(void)
{
    with_nothing(bitmap_grows_dirty);
}

static const struct test_case cases[] = {
    { "logdirty.bitmap.marks_ranges", bitmap_marks },
    { "logdirty.bitmap.peek_and_clean", bitmap_clean },
    { "logdirty.bitmap.grows_dirty", bitmap_grow },
    P2M_CASE_ENTRIES("logdirty", harvest_reports_dirty_leaves),
    P2M_CASE_ENTRIES("logdirty", harvest_sees_under_marks),
    P2M_CASE_ENTRIES("logdirty", clear_by_bitmap),
    P2M_CASE_ENTRIES("logdirty", lists_superpages),
    P2M_CASE_ENTRIES("logdirty", shatters_everything),
    P2M_CASE_ENTRIES("logdirty", restore_after_wp),
    P2M_CASE_ENTRIES("logdirty", restore_skips_ineligible),
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 64UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
