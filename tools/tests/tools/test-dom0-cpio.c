/*
 * test-dom0-cpio.c - host tests of the dom0 ramdisk reader
 * (tools/dom0/runtime/cpio.c): archives built here entry by entry, whole
 * and damaged.
 *
 * May not touch: anything but its own buffers.
 */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "../../dom0/runtime/cpio.h"

static char ar[4096];
static size_t ar_len;

static void pad(void)
{
    while ( ar_len & 3 )
        ar[ar_len++] = 0;
}

static void add(const char *name, unsigned int mode, const char *data)
{
    size_t n = data ? strlen(data) : 0;
    ar_len +=
        (size_t)sprintf(ar + ar_len, "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
                        1u, mode, 0u, 0u, 1u, 0u, n, 0u, 0u, 0u, 0u, strlen(name) + 1, 0u);
    memcpy(ar + ar_len, name, strlen(name) + 1);
    ar_len += strlen(name) + 1;
    pad();
    memcpy(ar + ar_len, data ? data : "", n);
    ar_len += n;
    pad();
}

static void build(void)
{
    ar_len = 0;
    add("etc", 040755, NULL);
    add("etc/motd", 0100644, "hello\n");
    add("bin/x", 0100755, "abc");
    add("TRAILER!!!", 0, NULL);
}

struct seen
{
    int n;
    char names[8][32];
    size_t sizes[8];
};

/* The end of the bytes the walker was given: no entry may reach past it. */
static const char *limit = ar + sizeof(ar);

static int collect(void *ctx, const struct cpio_entry *e)
{
    struct seen *s = ctx;
    CHECK_MSG((const char *)e->data + e->size <= limit, "entry %s runs past the end", e->name);
    CHECK(e->name + strlen(e->name) < limit);
    snprintf(s->names[s->n], sizeof(s->names[0]), "%s", e->name);
    s->sizes[s->n++] = e->size;
    return 0;
}

static void test_whole(void)
{
    struct seen s = { 0 };
    build();
    CHECK_EQ(cpio_walk(ar, ar_len, collect, &s), 0);
    CHECK_EQ(s.n, 3);
    CHECK(!strcmp(s.names[1], "etc/motd"));
    CHECK_EQ(s.sizes[1], 6);
    CHECK_EQ(s.sizes[2], 3);
}

static void test_truncated(void)
{
    struct seen s = { 0 };
    build();
    /* Every cut inside an entry is malformed: no read past the end. */
    for ( size_t cut = 1; cut < ar_len - 4; cut++ )
    {
        s.n = 0;
        limit = ar + cut;
        CHECK_MSG(cpio_walk(ar, cut, collect, &s) == -1, "cut at %zu accepted", cut);
    }
    limit = ar + sizeof(ar);
}

static void test_bad_magic(void)
{
    build();
    ar[5] = '2'; /* "070702": the checksummed variant, not ours */
    CHECK_EQ(cpio_walk(ar, ar_len, collect, &(struct seen){ 0 }), -1);
}

static void test_bad_hex(void)
{
    build();
    ar[6 + 6 * 8] = 'g'; /* filesize field */
    CHECK_EQ(cpio_walk(ar, ar_len, collect, &(struct seen){ 0 }), -1);
}

static void test_huge_size(void)
{
    build();
    memcpy(ar + 6 + 6 * 8, "7fffffff", 8);
    CHECK_EQ(cpio_walk(ar, ar_len, collect, &(struct seen){ 0 }), -1);
}

static int stop_at_two(void *ctx, const struct cpio_entry *e)
{
    return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_callback_stops(void)
{
    int n = 0;
    build();
    CHECK_EQ(cpio_walk(ar, ar_len, stop_at_two, &n), 42);
    CHECK_EQ(n, 2);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "cpio_whole", test_whole },         { "cpio_truncated", test_truncated },
        { "cpio_bad_magic", test_bad_magic }, { "cpio_bad_hex", test_bad_hex },
        { "cpio_huge_size", test_huge_size }, { "cpio_callback_stops", test_callback_stops },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
