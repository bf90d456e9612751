/*
 * test-pml.c - reading a page-modification log (xen/arch/x86/include/asm/pml.h)
 * into the log-dirty bitmap (xen/common/logdirty-bitmap.c): an empty log,
 * a partly filled one, a full one whose index wrapped to 0xffff,
 * duplicate entries, and the low address bits Bochs 2.7 leaves set.
 */
#include <xen/logdirty.h>
#include <asm/pml.h>

#include <string.h>

#include "arena.h"
#include "harness.h"

#define NR_GFNS 4096

static struct logdirty_domain ld;
static uint64_t buf[PML_ENTRIES];
static unsigned int marks;

static void mark(void *ctx, uint64_t gfn)
{
    marks++;
    logdirty_bitmap_set(ctx, gfn, 0);
}

static void start(void)
{
    memset(&ld, 0, sizeof(ld));
    spin_lock_init(&ld.lock, LOCK_logdirty);
    CHECK_EQ(logdirty_bitmap_alloc(&ld, NR_GFNS), 0);
    ld.enabled = true;
    memset(buf, 0xa5, sizeof(buf)); /* stale entries must be ignored */
    marks = 0;
}

static bool dirty(uint64_t gfn)
{
    return ld.bitmap[gfn / 64] & (1ULL << (gfn % 64));
}

static uint64_t nr_dirty(void)
{
    uint64_t n = 0;
    for ( uint64_t g = 0; g < NR_GFNS; g++ )
        n += dirty(g);
    return n;
}

static void empty_log(void)
{
    start();
    CHECK_EQ(pml_first_entry(PML_INDEX_EMPTY), PML_ENTRIES);
    CHECK_EQ(pml_drain_buffer(buf, PML_INDEX_EMPTY, mark, &ld), 0);
    CHECK_EQ(marks, 0);
    CHECK_EQ(nr_dirty(), 0);
    logdirty_bitmap_free(&ld);
}

/* The CPU wrote entries 511, 510, ... 500; the index now names 499. */
static void partial_log(void)
{
    start();
    for ( unsigned int i = 500; i < PML_ENTRIES; i++ )
        buf[i] = (uint64_t)(i - 400) << PAGE_SHIFT;
    CHECK_EQ(pml_drain_buffer(buf, 499, mark, &ld), 12);
    CHECK_EQ(nr_dirty(), 12);
    for ( uint64_t g = 100; g < 112; g++ )
        CHECK_MSG(dirty(g), "gfn %lu not marked", (unsigned long)g);
    CHECK(!dirty(99) && !dirty(112));
    logdirty_bitmap_free(&ld);
}

/* A full log: the index decremented past 0 and reads 0xffff; all 512
 * entries are valid and none may be lost. */
static void full_log(void)
{
    start();
    for ( unsigned int i = 0; i < PML_ENTRIES; i++ )
        buf[i] = (uint64_t)(1000 + i) << PAGE_SHIFT;
    CHECK_EQ(pml_first_entry(0xffff), 0);
    CHECK_EQ(pml_drain_buffer(buf, 0xffff, mark, &ld), PML_ENTRIES);
    CHECK_EQ(nr_dirty(), PML_ENTRIES);
    CHECK(dirty(1000) && dirty(1511));
    logdirty_bitmap_free(&ld);
}

/* The same page logged several times (its D bit was cleared between
 * writes): every entry is read, the bitmap holds it once. */
static void duplicates(void)
{
    start();
    for ( unsigned int i = 0; i < PML_ENTRIES; i++ )
        buf[i] = (uint64_t)(7 + i % 3) << PAGE_SHIFT;
    CHECK_EQ(pml_drain_buffer(buf, 0xffff, mark, &ld), PML_ENTRIES);
    CHECK_EQ(marks, PML_ENTRIES);
    CHECK_EQ(nr_dirty(), 3);
    CHECK(dirty(7) && dirty(8) && dirty(9));
    logdirty_bitmap_free(&ld);
}

/* Bochs 2.7 keeps the offset bits (an SDM-conforming CPU zeroes them):
 * they must not move an entry to another frame. */
static void low_bits_masked(void)
{
    start();
    buf[511] = (42ULL << PAGE_SHIFT) | 0xfff;
    buf[510] = (43ULL << PAGE_SHIFT) | 0x008;
    CHECK_EQ(pml_drain_buffer(buf, 509, mark, &ld), 2);
    CHECK_EQ(nr_dirty(), 2);
    CHECK(dirty(42) && dirty(43));
    logdirty_bitmap_free(&ld);
}

/* An index the CPU never leaves (0x200-0xfffe) still reads as "wrapped":
 * everything is drained rather than something skipped. */
static void odd_index_drains_all(void)
{
    start();
    for ( unsigned int i = 0; i < PML_ENTRIES; i++ )
        buf[i] = (uint64_t)i << PAGE_SHIFT;
    CHECK_EQ(pml_drain_buffer(buf, 0x1234, mark, &ld), PML_ENTRIES);
    CHECK_EQ(nr_dirty(), PML_ENTRIES);
    logdirty_bitmap_free(&ld);
}

static const struct test_case cases[] = {
    { "pml.empty_log", empty_log },
    { "pml.partial_log", partial_log },
    { "pml.full_log", full_log },
    { "pml.duplicates", duplicates },
    { "pml.low_bits_masked", low_bits_masked },
    { "pml.odd_index_drains_all", odd_index_drains_all },
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 16UL << 20); /* the bitmap's pages */
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
