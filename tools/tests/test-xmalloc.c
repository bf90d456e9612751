/*
 * test-xmalloc.c - the small-object heap (xen/common/xmalloc.c): every
 * size class and large sizes come back zeroed, aligned, not overlapping;
 * all pages go back to the page allocator when everything is freed; bad
 * frees panic; a random sequence keeps every object's contents intact.
 */
#include <xen/mm.h>
#include <xen/lib.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "harness.h"

static unsigned long baseline;

static void check_zeroed(const unsigned char *p, size_t size)
{
    size_t i;

    for ( i = 0; i < size; i++ )
        CHECK_MSG(p[i] == 0, "byte %zu of a %zu-byte object is %#x", i, size, p[i]);
}

static void check_all_returned(void)
{
    CHECK_MSG(pages_free() == baseline, "%lu pages free, %lu before the test", pages_free(),
              baseline);
}

static void test_every_size(void)
{
    size_t size;

    for ( size = 0; size <= 9000; size += size < 300 ? 1 : 37 )
    {
        unsigned char *p = xzalloc_bytes(size);

        CHECK(p != NULL);
        CHECK_MSG(!((uintptr_t)p & 15), "size %zu: %p not 16-byte aligned", size, (void *)p);
        check_zeroed(p, size);
        memset(p, 0xee, size);
        xfree(p);
    }
    check_all_returned();
}

static void test_many_of_one_class(void)
{
    static const size_t sizes[] = { 1, 16, 17, 100, 500, 1024, 2048, 3000 };
    enum
    {
        N = 700
    };
    unsigned char *obj[N];
    size_t s, i, j;

    for ( s = 0; s < ARRAY_SIZE(sizes); s++ )
    {
        for ( i = 0; i < N; i++ )
        {
            obj[i] = xzalloc_bytes(sizes[s]);
            CHECK(obj[i] != NULL);
            check_zeroed(obj[i], sizes[s]);
            memset(obj[i], (int)(i & 0xff), sizes[s]);
        }
        for ( i = 0; i < N; i++ )
            for ( j = 0; j < sizes[s]; j++ )
                CHECK_MSG(obj[i][j] == (i & 0xff), "object %zu of size %zu overwritten", i,
                          sizes[s]);
        for ( i = 0; i < N; i += 2 ) /* free in two passes: pages go half empty first */
            xfree(obj[i]);
        for ( i = 1; i < N; i += 2 )
            xfree(obj[i]);
        check_all_returned();
    }
}

static void test_large(void)
{
    static const size_t sizes[] = { 2049, 4096, 4033, 4032, 10000, 1 << 20 };
    size_t s;

    for ( s = 0; s < ARRAY_SIZE(sizes); s++ )
    {
        unsigned char *p = xzalloc_bytes(sizes[s]);

        CHECK(p != NULL);
        check_zeroed(p, sizes[s]);
        memset(p, 0x5a, sizes[s]);
        xfree(p);
        check_all_returned();
    }
    CHECK(xzalloc_bytes((size_t)1 << 40) == NULL);
    CHECK(xzalloc_array(uint64_t, pages_total() * 512) == NULL);
    check_all_returned();
}

static void test_typed_helpers(void)
{
    struct thing
    {
        uint64_t a;
        char b[40];
    } *t = xzalloc(struct thing);
    uint32_t *arr = xzalloc_array(uint32_t, 1000);

    CHECK(t != NULL && arr != NULL);
    CHECK(t->a == 0 && t->b[39] == 0 && arr[999] == 0);
    xfree(t);
    xfree(arr);
    xfree(NULL);
    check_all_returned();
}

static void test_bad_frees_detected(void)
{
    static char *keep, *p, *large; /* static: live across EXPECT_PANIC longjmps */
    static char on_stack_page[2 * 4096] __attribute__((aligned(4096)));

    keep = xzalloc_bytes(64);
    p = xzalloc_bytes(64);
    xfree(p);
    EXPECT_PANIC(xfree(p));         /* double free, page still in use */
    EXPECT_PANIC(xfree(keep + 16)); /* not an object's start */
    large = xzalloc_bytes(5000);
    EXPECT_PANIC(xfree(large + 64)); /* inside a large block */
    xfree(large);
    EXPECT_PANIC(xfree(on_stack_page + 64)); /* never from the heap */
    xfree(keep);
    check_all_returned();
}

static void test_random_sequence(void)
{
    enum
    {
        STEPS = 20000,
        MAX_LIVE = 300
    };
    struct
    {
        unsigned char *p;
        size_t size;
        unsigned char tag;
    } live[MAX_LIVE];
    unsigned int n = 0, step;
    size_t j;

    test_srand(7);
    for ( step = 0; step < STEPS; step++ )
    {
        if ( n < MAX_LIVE && test_rand_below(2) )
        {
            size_t size = test_rand_below(10) ? test_rand_below(2100) : test_rand_below(20000);

            live[n].p = xzalloc_bytes(size);
            CHECK(live[n].p != NULL);
            check_zeroed(live[n].p, size);
            live[n].size = size;
            live[n].tag = (unsigned char)(step | 1);
            memset(live[n].p, live[n].tag, size);
            n++;
        }
        else if ( n )
        {
            unsigned int i = test_rand_below(n);

            for ( j = 0; j < live[i].size; j++ )
                CHECK_MSG(live[i].p[j] == live[i].tag, "object of %zu bytes overwritten at %zu",
                          live[i].size, j);
            xfree(live[i].p);
            live[i] = live[--n];
        }
    }
    while ( n )
        xfree(live[--n].p);
    check_all_returned();
}

static const struct test_case cases[] = {
    { "xmalloc.every_size", test_every_size },
    { "xmalloc.many_of_one_class", test_many_of_one_class },
    { "xmalloc.large", test_large },
    { "xmalloc.typed_helpers", test_typed_helpers },
    { "xmalloc.bad_frees_detected", test_bad_frees_detected },
    { "xmalloc.random_sequence", test_random_sequence },
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 32UL << 20);
    baseline = pages_free();
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
