/*
 * test-page-alloc.c - the buddy allocator (xen/common/page_alloc.c):
 * sizes and alignment, zeroing, exhaustion, coalescing back to the
 * starting shape, double-free detection, several ranges, and a long random
 * alloc/free sequence checked against a shadow model of who owns each page.
 * Broken frames (xen/broken.h): retired when their owner lets go, taken
 * out when they broke while free, never handed out again.
 */
#include <xen/mm.h>
#include <xen/lib.h>
#include <xen/frame.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "harness.h"

#define ARENA_SIZE (16UL << 20)

struct shape
{
    unsigned long blocks[MAX_ORDER + 1];
};

static struct shape free_shape(void)
{
    struct shape s;
    unsigned int o;

    for ( o = 0; o <= MAX_ORDER; o++ )
        s.blocks[o] = page_alloc_free_blocks(o);
    return s;
}

static void check_shape(const struct shape *want)
{
    struct shape now = free_shape();
    unsigned int o;

    for ( o = 0; o <= MAX_ORDER; o++ )
        CHECK_MSG(now.blocks[o] == want->blocks[o], "order %u: %lu free blocks, expected %lu", o,
                  now.blocks[o], want->blocks[o]);
}

static uint64_t first_mfn(void)
{
    return arena_base() >> PAGE_SHIFT;
}
static uint64_t end_mfn(void)
{
    return (arena_base() + arena_bytes()) >> PAGE_SHIFT;
}

static void check_block(mfn_t m, unsigned int order)
{
    CHECK(mfn_valid_raw(m));
    CHECK_MSG(!(mfn_x(m) & ((1ULL << order) - 1)), "mfn %#llx not aligned to order %u",
              (unsigned long long)mfn_x(m), order);
    CHECK(mfn_x(m) >= first_mfn() && mfn_x(m) + (1ULL << order) <= end_mfn());
}

static void test_initial_split(void)
{
    unsigned long total;
    unsigned int o;

    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE);
    total = pages_total();
    /* Header, bitmap and one 8-byte frame record per page: 9 pages. */
    CHECK_EQ(total, ARENA_SIZE / PAGE_SIZE - 9);
    CHECK_EQ(pages_free(), total);
    /* 4105..8191 splits into one block of each order 0..11 but 3. */
    for ( o = 0; o <= MAX_ORDER; o++ )
        CHECK_EQ(page_alloc_free_blocks(o), o <= 11 && o != 3 ? 1 : 0);
}

static void test_every_order(void)
{
    struct shape start;
    mfn_t got[12];
    unsigned int o;

    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE);
    start = free_shape();
    for ( o = 0; o < 12; o++ ) /* every block there is, order 3 */
    {                          /* being absent: see initial_split */
        if ( o == 3 )
            continue;
        got[o] = alloc_pages(o);
        check_block(got[o], o);
    }
    CHECK_EQ(pages_free(), 0);
    CHECK(!mfn_valid_raw(alloc_pages(0)));
    for ( o = 0; o < 12; o++ )
        if ( o != 3 )
            free_pages(got[o], o);
    CHECK_EQ(pages_free(), pages_total());
    check_shape(&start);
    CHECK(!mfn_valid_raw(alloc_pages(MAX_ORDER + 1)));
}

static void test_zeroing(void)
{
    mfn_t m;
    unsigned char *p;
    size_t i;

    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE);
    m = alloc_pages(3);
    check_block(m, 3);
    memset(mfn_to_virt(m), 0xa5, 8 * PAGE_SIZE);
    free_pages(m, 3);
    m = alloc_zeroed_pages(3);
    check_block(m, 3);
    p = mfn_to_virt(m);
    for ( i = 0; i < 8 * PAGE_SIZE; i++ )
        CHECK_MSG(p[i] == 0, "byte %zu is %#x", i, p[i]);
    free_pages(m, 3);

    p = alloc_page_zeroed();
    CHECK(p != NULL);
    for ( i = 0; i < PAGE_SIZE; i++ )
        CHECK(p[i] == 0);
    free_page_ptr(p);
    free_page_ptr(NULL);
    CHECK_EQ(pages_free(), pages_total());
}

static void test_exhaustion_and_coalescing(void)
{
    unsigned long n = 0, total;
    struct shape start;
    mfn_t *pages;

    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE);
    total = pages_total();
    start = free_shape();
    pages = calloc(total + 1, sizeof(*pages));
    while ( mfn_valid_raw(pages[n] = alloc_pages(0)) )
        CHECK(++n <= total);
    CHECK_EQ(n, total);
    CHECK_EQ(pages_free(), 0);
    CHECK(!mfn_valid_raw(alloc_zeroed_pages(0)));
    CHECK(alloc_page_zeroed() == NULL);
    /* Free in a scrambled order: every merge must still happen. */
    for ( unsigned long i = 0; i < n; i++ )
    {
        unsigned long j = i + test_rand_below(n - i);
        mfn_t t = pages[i];

        pages[i] = pages[j];
        pages[j] = t;
        free_pages(pages[i], 0);
    }
    free(pages);
    CHECK_EQ(pages_free(), total);
    check_shape(&start);
}

static void test_max_order(void)
{
    /* Machine [1 GiB - 4 MiB, 2 GiB + 4 MiB) holds one aligned 1 GiB block. */
    paddr_t base = (1ULL << 30) - (4ULL << 20);
    mfn_t m;

    arena_setup(base, (1UL << 30) + (8UL << 20));
    CHECK_EQ(page_alloc_free_blocks(MAX_ORDER), 1);
    m = alloc_pages(MAX_ORDER);
    check_block(m, MAX_ORDER);
    CHECK_EQ(mfn_x(m), (1ULL << 30) >> PAGE_SHIFT);
    CHECK(!mfn_valid_raw(alloc_pages(MAX_ORDER)));
    free_pages(m, MAX_ORDER);
    CHECK_EQ(page_alloc_free_blocks(MAX_ORDER), 1);
    CHECK_EQ(pages_free(), pages_total());
    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE); /* give the big arena back */
}

static void test_double_free_detected(void)
{
    static mfn_t big, small; /* static: live across EXPECT_PANIC longjmps */

    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE);
    small = alloc_pages(0);
    free_pages(small, 0);
    EXPECT_PANIC(free_pages(small, 0));
    big = alloc_pages(4);
    free_pages(big, 4);
    /* A page inside a free block, and a block around free pages. */
    EXPECT_PANIC(free_pages(_mfn(mfn_x(big) + 3), 0));
    EXPECT_PANIC(free_pages(_mfn(mfn_x(big) & ~31ULL), 5));
    EXPECT_PANIC(free_pages(_mfn(1), 0)); /* not memory */
    big = alloc_pages(4);
    EXPECT_PANIC(free_pages(_mfn(mfn_x(big) + 1), 1)); /* misaligned */
    free_pages(big, 4);
    CHECK_EQ(pages_free(), pages_total());
}

static void test_several_ranges(void)
{
    /* Two touching ranges: blocks never merge across the seam. */
    paddr_t base = ARENA_DEFAULT_BASE, mid = base + (3UL << 20);
    unsigned long total, n = 0;
    struct shape start;
    mfn_t pages[2048];

    arena_setup(base, 6UL << 20);
    page_alloc_reset();
    page_alloc_add_range(base, mid);
    page_alloc_add_range(mid, base + (6UL << 20));
    printk_last[0] = '\0';
    page_alloc_add_range(base + (1UL << 20), base + (4UL << 20)); /* overlaps: ignored */
    CHECK(strstr(printk_last, "overlaps"));
    total = pages_total();
    CHECK_EQ(total, 2 * ((3UL << 20) / PAGE_SIZE - 2));
    start = free_shape();
    while ( n < ARRAY_SIZE(pages) && mfn_valid_raw(pages[n] = alloc_pages(0)) )
        n++;
    CHECK_EQ(n, total);
    while ( n-- )
        free_pages(pages[n], 0);
    check_shape(&start);
    CHECK_EQ(pages_free(), total);
}

/* ---- random sequence against a shadow model ---- */

struct live
{
    uint64_t mfn;
    unsigned int order;
    uint32_t tag;
};

static uint32_t *owner; /* per page of the arena: tag, or 0 */

static void claim(const struct live *b)
{
    uint64_t i;

    for ( i = 0; i < (1ULL << b->order); i++ )
    {
        uint32_t *o = &owner[b->mfn - first_mfn() + i];

        CHECK_MSG(*o == 0, "mfn %#llx handed out twice", (unsigned long long)(b->mfn + i));
        *o = b->tag;
        *(uint32_t *)mfn_to_virt(_mfn(b->mfn + i)) = b->tag;
    }
}

static void release(const struct live *b)
{
    uint64_t i;

    for ( i = 0; i < (1ULL << b->order); i++ )
    {
        CHECK_MSG(*(uint32_t *)mfn_to_virt(_mfn(b->mfn + i)) == b->tag,
                  "allocator wrote into allocated mfn %#llx", (unsigned long long)(b->mfn + i));
        owner[b->mfn - first_mfn() + i] = 0;
    }
    free_pages(_mfn(b->mfn), b->order);
}

static void test_random_against_shadow(void)
{
    enum
    {
        STEPS = 20000,
        MAX_LIVE = 512
    };
    struct live live[MAX_LIVE];
    unsigned long n = 0, used = 0, step, total;
    struct shape start;
    uint32_t tag = 0;

    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE);
    test_srand(42);
    total = pages_total();
    start = free_shape();
    owner = calloc(end_mfn() - first_mfn(), sizeof(*owner));
    for ( step = 0; step < STEPS; step++ )
    {
        if ( n < MAX_LIVE && test_rand_below(100) < 55 )
        {
            unsigned int order =
                test_rand_below(100) < 70 ? test_rand_below(3) : test_rand_below(8);
            mfn_t m = alloc_pages(order);

            if ( !mfn_valid_raw(m) )
            {
                CHECK_MSG(total - used < (1UL << MAX_ORDER), "allocation failed early");
                continue;
            }
            check_block(m, order);
            live[n] = (struct live){ mfn_x(m), order, ++tag };
            claim(&live[n]);
            used += 1UL << order;
            n++;
        }
        else if ( n )
        {
            unsigned long i = test_rand_below(n);

            release(&live[i]);
            used -= 1UL << live[i].order;
            live[i] = live[--n];
        }
        CHECK_EQ(pages_free(), total - used);
    }
    while ( n )
        release(&live[--n]);
    free(owner);
    CHECK_EQ(pages_free(), total);
    check_shape(&start);
}

/* Allocate every page there is, one at a time: bad is never among them. */
static void check_never_handed_out(mfn_t bad)
{
    unsigned long n = 0, total = pages_total();
    mfn_t *pages = calloc(total + 1, sizeof(*pages));

    while ( mfn_valid_raw(pages[n] = alloc_pages(0)) )
    {
        CHECK_MSG(!mfn_eq(pages[n], bad), "broken mfn %#llx handed out",
                  (unsigned long long)mfn_x(bad));
        CHECK(++n <= total);
    }
    CHECK_EQ(n, total - pages_retired());
    while ( n-- )
        free_pages(pages[n], 0);
    free(pages);
}

/* A guest's frame breaks while it owns it: the owner keeps its
 * references, no new one is given, and the last put retires it. */
static void test_broken_owned_frame_retired(void)
{
    struct page_info was;
    mfn_t m, bad;

    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE);
    m = alloc_pages(3);
    frames_assign(m, 3, 5);
    bad = _mfn(mfn_x(m) + 2);
    CHECK(frame_mark_broken(bad, &was));
    CHECK_EQ(was.owner, 5);
    CHECK(!(was.flags & FRAME_BROKEN));
    CHECK(frame_has_broken_flag(bad));
    CHECK(!get_page(bad, 5));           /* no new mapping of it */
    CHECK(get_page(_mfn(mfn_x(m)), 5)); /* its neighbours are fine */
    put_page(_mfn(mfn_x(m)));
    CHECK(frame_is_allocated_to(bad, 5));
    CHECK_EQ(frames_release_owner(5), 8);
    CHECK_EQ(pages_retired(), 1);
    CHECK_EQ(pages_free(), pages_total() - 1);
    CHECK(frame_has_broken_flag(bad));
    check_never_handed_out(bad);
}

/* A frame breaks while it is free: the next allocation that reaches it
 * takes it out, and it stays out. */
static void test_broken_free_frame_taken_out(void)
{
    struct page_info was;
    mfn_t m;

    arena_setup(ARENA_DEFAULT_BASE, ARENA_SIZE);
    m = alloc_pages(0);
    free_pages(m, 0);
    CHECK(frame_mark_broken(m, &was));
    CHECK_EQ(was.use, FRAME_FREE);
    check_never_handed_out(m);
    CHECK_EQ(pages_retired(), 1);
    CHECK_EQ(pages_free(), pages_total() - 1);
    check_never_handed_out(m);                /* and again, after everything came back */
    CHECK(!frame_mark_broken(_mfn(0), &was)); /* not a frame it manages */
}

static const struct test_case cases[] = {
    { "page_alloc.initial_split", test_initial_split },
    { "page_alloc.every_order", test_every_order },
    { "page_alloc.zeroing", test_zeroing },
    { "page_alloc.exhaustion_and_coalescing", test_exhaustion_and_coalescing },
    { "page_alloc.max_order", test_max_order },
    { "page_alloc.double_free_detected", test_double_free_detected },
    { "page_alloc.several_ranges", test_several_ranges },
    { "page_alloc.random_against_shadow", test_random_against_shadow },
    { "page_alloc.broken_owned_frame_retired", test_broken_owned_frame_retired },
    { "page_alloc.broken_free_frame_taken_out", test_broken_free_frame_taken_out },
};

int main(void)
{
    int rc = run_tests(cases, ARRAY_SIZE(cases));

    arena_release();
    return rc;
}
