/*
 * test-save-restore.c - the migration stream (tools/libs/guest/xg_sr_*.c)
 * against fake domains (fake-xen.c): a domain saved and restored into
 * another comes back byte for byte (memory, HVM context, params, TSC);
 * broken pages are never read and arrive broken whenever they broke
 * (before the type query, between query and copy, after the copy, after
 * the batch went, at each step of the final round's test hook, and as
 * the HVM context is read); a failure at any call of a save leaves the guest
 * running; and the reader refuses every malformed stream the spec lists
 * with a message naming the record and its offset.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xenguest.h>
#include "harness.h"
#include "fake-xen.h"

#define SRC      7
#define DST      9
#define NR_GFNS  0x1000ULL
#define CTXT_LEN 3000

static struct fake_dom src, dst;

/* RAM at 0-0x9f and 0x100-0x7ff (over 1024 pages: several batches),
 * each page a pattern of its gfn; params, context and TSC set. */
static void make_source(void)
{
    fake_dom_init(&src, SRC, NR_GFNS);
    for ( uint64_t g = 0; g < 0x800; g++ )
    {
        uint8_t page[FAKE_PAGE];

        if ( g >= 0xa0 && g < 0x100 )
            continue;
        xen_pfn_t p = g;
        CHECK_EQ(xc_domain_populate_physmap_exact(&src.xch, SRC, 1, 0, 0, &p), 0);
        for ( unsigned int i = 0; i < FAKE_PAGE; i++ )
            page[i] = (uint8_t)(g * 7 + i * 13);
        fake_write(&src, g * FAKE_PAGE, page, FAKE_PAGE);
    }
    src.params[HVM_PARAM_STORE_PFN] = 0x9c;
    src.params[HVM_PARAM_CONSOLE_PFN] = 0x9e;
    src.params[HVM_PARAM_CALLBACK_IRQ] = 2ULL << 56 | 0xf3;
    src.ctxt_len = CTXT_LEN;
    for ( unsigned int i = 0; i < CTXT_LEN; i++ )
        src.ctxt[i] = (uint8_t)(i * 31 + 1);
    src.tsc_mode = 1, src.tsc_khz = 2400000, src.tsc_nsec = 123456789, src.tsc_incarnation = 3;
    fake_dom_init(&dst, DST, NR_GFNS);
}

static void dispose(void)
{
    fake_dom_dispose(&src);
    fake_dom_dispose(&dst);
}

static int new_fd(void)
{
    int fd = memfd_create("stream", 0);

    CHECK(fd >= 0);
    return fd;
}

/* Save src into a fresh fd (rewound); the save's result in *rc. */
static int save(struct save_callbacks *cb, int *rc)
{
    int fd = new_fd();

    cb->fmem = &src.fmem;
    *rc = xc_domain_save(&src.xch, fd, SRC, 0, cb);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    return fd;
}

static int restore(int fd, struct restore_callbacks *cb, unsigned long *store,
                   unsigned long *console)
{
    cb->fmem = &dst.fmem;
    cb->nr_pfns = NR_GFNS;
    return xc_domain_restore(&dst.xch, fd, DST, 5, store, 0, 6, console, 0, cb);
}

static void check_same_memory(uint64_t except)
{
    for ( uint64_t g = 0; g < NR_GFNS; g++ )
    {
        uint8_t a[FAKE_PAGE], b[FAKE_PAGE];

        if ( g == except )
            continue;
        CHECK_MSG(fake_is_populated(&src, g) == fake_is_populated(&dst, g), "gfn %#llx",
                  (unsigned long long)g);
        fake_read(&src, g * FAKE_PAGE, a, FAKE_PAGE);
        fake_read(&dst, g * FAKE_PAGE, b, FAKE_PAGE);
        CHECK_MSG(!memcmp(a, b, FAKE_PAGE), "gfn %#llx differs", (unsigned long long)g);
    }
}

static void test_round_trip(void)
{
    struct save_callbacks scb = { 0 };
    struct restore_callbacks rcb = { 0 };
    unsigned long store = 0, console = 0;
    int rc, fd;

    make_source();
    fd = save(&scb, &rc);
    CHECK_MSG(rc == 0, "save: %s", scb.error);
    CHECK_EQ(src.paused, 1); /* left paused for the caller */
    CHECK_EQ(scb.stats.pages_sent, 0x800 - 0x60);
    CHECK_EQ(restore(fd, &rcb, &store, &console), 0);
    CHECK_MSG(rcb.error[0] == 0, "%s", rcb.error);
    check_same_memory(~0ULL);
    CHECK_EQ(dst.ctxt_len, CTXT_LEN);
    CHECK(!memcmp(dst.ctxt, src.ctxt, CTXT_LEN));
    CHECK_EQ(dst.params[HVM_PARAM_STORE_PFN], 0x9c);
    CHECK_EQ(dst.params[HVM_PARAM_CONSOLE_PFN], 0x9e);
    CHECK_EQ(dst.params[HVM_PARAM_CALLBACK_IRQ], src.params[HVM_PARAM_CALLBACK_IRQ]);
    CHECK_EQ(dst.params[HVM_PARAM_STORE_EVTCHN], 5);
    CHECK_EQ(dst.params[HVM_PARAM_CONSOLE_EVTCHN], 6);
    CHECK_EQ(store, 0x9c);
    CHECK_EQ(console, 0x9e);
    CHECK_EQ(dst.tsc_nsec, 123456789);
    CHECK_EQ(dst.tsc_khz, 2400000);
    CHECK_EQ(dst.tsc_mode, 1);
    CHECK_EQ(dst.tsc_incarnation, 3);
    CHECK_EQ(src.nr_maps + dst.nr_maps, 0);
    close(fd);
    dispose();
}

/* The index of the first PAGE_DATA record of the saved stream that names
 * pfn with (type < 0: any) type; -1 if none. */
static int record_with(int fd, uint64_t pfn, int type)
{
    uint64_t off = 40;
    uint8_t h[8];

    for ( int idx = 0; pread(fd, h, 8, (off_t)off) == 8; idx++ )
    {
        uint32_t t, len, count;

        memcpy(&t, h, 4), memcpy(&len, h + 4, 4);
        if ( t == 1 && pread(fd, &count, 4, (off_t)off + 8) == 4 )
            for ( uint32_t i = 0; i < count; i++ )
            {
                uint64_t w;

                CHECK(pread(fd, &w, 8, (off_t)(off + 16 + 8 * i)) == 8);
                if ( (w & 0xfffffffffffffULL) == pfn && (type < 0 || (int)(w >> 60) == type) )
                    return idx;
            }
        off += 8 + ((len + 7ULL) & ~7ULL);
    }
    return -1;
}

/* Save and restore with the hooks given; pfn `broken` must arrive
 * broken and never as RAM. */
static void broken_case(void (*after_query)(struct fake_dom *),
                        void (*copied)(void *, const xen_pfn_t *, unsigned int),
                        void (*step)(void *, enum xc_sr_step, const xen_pfn_t *, unsigned int),
                        uint64_t broken, uint64_t rebroken, uint64_t before)
{
    struct save_callbacks scb = { .batch_copied = copied, .final_step = step };
    struct restore_callbacks rcb = { 0 };
    int rc, fd;

    src.after_query = after_query;
    fd = save(&scb, &rc);
    CHECK_MSG(rc == 0, "save: %s", scb.error);
    CHECK_EQ(scb.stats.pages_rebroken, rebroken);
    /* resent as soon as its batch went: before the pfn `before` */
    if ( before )
        CHECK(record_with(fd, broken, 0xd) < record_with(fd, before, -1));
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK_EQ(restore(fd, &rcb, NULL, NULL), 0);
    CHECK_MSG(dst.broken[broken], "gfn %#llx not broken", (unsigned long long)broken);
    CHECK(!fake_is_populated(&dst, broken));
    CHECK_EQ(dst.broken_set, 1);
    check_same_memory(broken);
    close(fd);
    dispose();
}

static void test_broken_before_query(void)
{
    make_source();
    fake_break(&src, 0x150);
    broken_case(NULL, NULL, NULL, 0x150, 0, 0x400);
    /* never read: no map named it */
}

static unsigned int queries;
static void break_after_first_query(struct fake_dom *d)
{
    if ( ++queries == 1 )
        fake_break(d, 0x20);
}

static void test_broken_between_query_and_copy(void)
{
    make_source();
    queries = 0;
    broken_case(break_after_first_query, NULL, NULL, 0x20, 1, 0x400);
}

static void break_0x300_once(void *data, const xen_pfn_t *pfns, unsigned int n)
{
    if ( pfns[0] <= 0x300 && 0x300 < pfns[0] + n && !src.broken[0x300] )
        fake_break(&src, 0x300);
}

static void test_broken_after_copy(void)
{
    make_source();
    broken_case(NULL, break_0x300_once, NULL, 0x300, 1, 0x400);
    CHECK_EQ(src.broken_reads, 0);
}

/* The last batch's copy breaks a pfn of the first batch, which went long
 * ago: only the check before the tail can catch it. */
static void break_early_pfn_late(void *data, const xen_pfn_t *pfns, unsigned int n)
{
    if ( pfns[n - 1] == 0x7ff )
        fake_break(&src, 0x10);
}

static void test_broken_after_batch_sent(void)
{
    make_source();
    broken_case(NULL, break_early_pfn_late, NULL, 0x10, 1, 0);
}

/* A frame broken at one step of the final round (final_step): it must
 * arrive broken, never as RAM, with the rest of memory intact, and be
 * read only where the step allows (a mapping made before the break). */
static struct
{
    enum xc_sr_step step;
    uint64_t gfn;
    bool done;
    uint32_t reads; /* of gfn, once every batch went */
} at;

static void break_at_step(void *data, enum xc_sr_step step, const xen_pfn_t *pfns, unsigned int n)
{
    bool here = !pfns;

    for ( unsigned int i = 0; pfns && i < n; i++ )
        here |= pfns[i] == at.gfn;
    if ( step == XC_SR_STEP_TAIL )
        at.reads = src.reads[at.gfn];
    if ( step == at.step && here && !at.done )
    {
        fake_break(&src, at.gfn);
        at.done = true;
    }
}

static void test_final_steps(void)
{
    static const enum xc_sr_step steps[] = {
        XC_SR_STEP_STOPPED, XC_SR_STEP_QUERY, XC_SR_STEP_COPY,
        XC_SR_STEP_COPYING, XC_SR_STEP_SENT,  XC_SR_STEP_TAIL
    };
    /* Re-sent as BROKEN after the first query saw RAM: */
    static const uint64_t rebroken[] = { 0, 0, 1, 1, 1, 1 };

    for ( unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++ )
    {
        make_source();
        at.step = steps[i], at.gfn = 0x450, at.done = false;
        broken_case(NULL, NULL, break_at_step, 0x450, rebroken[i], 0);
        CHECK_MSG(at.done, "step %u never came", steps[i]);
        CHECK_EQ(at.reads, steps[i] >= XC_SR_STEP_COPYING);
    }
}

/* A vMCE the context carries was queued once its frame broke: the
 * frame that breaks as the context is read goes as BROKEN too. */
static void break_at_getcontext(struct fake_dom *d)
{
    fake_break(d, 0x123);
}

static void test_broken_as_context_read(void)
{
    make_source();
    src.on_getcontext = break_at_getcontext;
    broken_case(NULL, NULL, NULL, 0x123, 1, 0);
}

static void test_broken_never_read(void)
{
    struct save_callbacks scb = { 0 };
    int rc, fd;

    make_source();
    fake_break(&src, 0x150);
    fake_break(&src, 0x500);
    fd = save(&scb, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(src.broken_reads, 0);
    CHECK_EQ(src.reads[0x150] + src.reads[0x500], 0);
    CHECK_EQ(src.reads[0x151], 1);
    CHECK_EQ(scb.stats.pages_broken, 2);
    close(fd);
    dispose();
}

/* A failure at each call of a save: refused with a reason, the guest
 * running again, nothing mapped or leaked. */
static void test_save_failures(void)
{
    for ( uint64_t n = 1;; n++ )
    {
        struct save_callbacks scb = { 0 };
        int rc, fd;

        make_source();
        src.fail_call = src.calls + n;
        fd = save(&scb, &rc);
        close(fd);
        if ( rc == 0 )
        {
            CHECK(n > 5);
            dispose();
            return;
        }
        CHECK_MSG(scb.error[0], "call %llu: no reason", (unsigned long long)n);
        CHECK_MSG(src.paused == 0, "call %llu: left paused", (unsigned long long)n);
        CHECK_EQ(src.nr_maps, 0);
        dispose();
    }
}

/* --- the reader's refusals ---------------------------------------------- */

struct stream
{
    uint8_t b[1 << 16];
    size_t len;
};

static void put(struct stream *s, const void *p, size_t n)
{
    if ( n )
        memcpy(s->b + s->len, p, n);
    s->len += n;
}

static void put32(struct stream *s, uint32_t v)
{
    put(s, &v, 4);
}

static void rec(struct stream *s, uint32_t type, const void *body, uint32_t len)
{
    static const uint8_t zero[8];

    put32(s, type);
    put32(s, len);
    put(s, body, len);
    put(s, zero, (8 - (len & 7)) & 7);
}

static void headers(struct stream *s)
{
    static const uint8_t ih[24] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                    0x58, 0x45, 0x4e, 0x46, 0,    0,    0,    3 };
    static const uint8_t dh[16] = { 2, 0, 0, 0, 12, 0, 0, 0, 4, 0, 0, 0, 17 };

    put(s, ih, sizeof(ih));
    put(s, dh, sizeof(dh));
}

static void page_data(struct stream *s, uint64_t pfn_word, bool data)
{
    uint8_t body[8 + 8 + FAKE_PAGE] = { 1 };

    memcpy(body + 8, &pfn_word, 8);
    memset(body + 16, 0x3c, FAKE_PAGE);
    rec(s, 0x01, body, data ? sizeof(body) : 16);
}

static void tail(struct stream *s)
{
    uint8_t tsc[24] = { 0 }, params[8] = { 0 }, ctxt[16] = { 1 };

    rec(s, 0x08, tsc, sizeof(tsc));
    rec(s, 0x0a, params, sizeof(params));
    rec(s, 0x09, ctxt, sizeof(ctxt));
    rec(s, 0x00, NULL, 0);
}

/* The small valid stream: one page of RAM at pfn 3. */
static void valid(struct stream *s)
{
    s->len = 0;
    headers(s);
    rec(s, 0x10, NULL, 0);
    page_data(s, 3, true);
    tail(s);
}

/* The receiving host's XENVER_capabilities (NULL: x86's). */
static const char *restore_caps;

static int restore_bytes(const uint8_t *b, size_t len, struct restore_callbacks *cb)
{
    int fd = new_fd(), rc;

    CHECK(write(fd, b, len) == (ssize_t)len);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    fake_dom_init(&dst, DST, 64);
    dst.caps = restore_caps;
    cb->fmem = &dst.fmem;
    cb->nr_pfns = 64;
    rc = xc_domain_restore(&dst.xch, fd, DST, 5, NULL, 0, 6, NULL, 0, cb);
    CHECK_EQ(dst.nr_maps, 0);
    fake_dom_dispose(&dst);
    close(fd);
    return rc;
}

static void expect_refused(const struct stream *s, const char *msg)
{
    struct restore_callbacks cb = { 0 };

    CHECK_MSG(restore_bytes(s->b, s->len, &cb) == -1, "accepted, expected \"%s\"", msg);
    CHECK_MSG(strstr(cb.error, msg), "\"%s\" lacks \"%s\"", cb.error, msg);
}

static void test_valid_stream(void)
{
    struct stream s;
    struct restore_callbacks cb = { 0 };

    valid(&s);
    CHECK_MSG(restore_bytes(s.b, s.len, &cb) == 0, "%s", cb.error);
}

static void test_truncated_everywhere(void)
{
    struct stream s;

    valid(&s);
    for ( size_t n = 0; n < s.len; n++ )
    {
        struct restore_callbacks cb = { 0 };

        CHECK_MSG(restore_bytes(s.b, n, &cb) == -1, "accepted at %zu bytes", n);
        CHECK_MSG(strstr(cb.error, "truncated"), "%zu: %s", n, cb.error);
        CHECK_MSG(n < 24 || strstr(cb.error, "offset 0x") || strstr(cb.error, "offset 24"),
                  "%zu: %s", n, cb.error);
    }
}

static void test_bad_headers(void)
{
    struct stream s;

    valid(&s), s.b[3] = 0;
    expect_refused(&s, "image header at offset 0: bad marker");
    valid(&s), s.b[8] = 'Y';
    expect_refused(&s, "image header at offset 0: bad id");
    valid(&s), s.b[15] = 2;
    expect_refused(&s, "version 2, not 3");
    valid(&s), s.b[17] = 1;
    expect_refused(&s, "big-endian records");
    valid(&s), s.b[21] = 1;
    expect_refused(&s, "reserved bits set");
    valid(&s), s.b[24] = 1;
    expect_refused(&s, "domain header at offset 0x18: type 1");
    valid(&s), s.b[28] = 16;
    expect_refused(&s, "page shift 16");
}

/* The PAGE_DATA record of valid() is at offset 48. */
#define PD 48

static void test_bad_records(void)
{
    struct stream s;
    uint64_t w;

    valid(&s), s.b[PD + 4] = 0, s.b[PD + 5] = 0, s.b[PD + 6] = 0x60;
    expect_refused(&s, "record PAGE_DATA (0x1) at offset 0x30: length 6291456 over the limit");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), rec(&s, 0x0a, "\0\0\0\0", 4);
    expect_refused(&s, "record HVM_PARAMS (0xa) at offset 0x30: out of order");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), rec(&s, 0x10, "abc", 3);
    s.b[s.len - 1] = 7;
    expect_refused(&s, "record STATIC_DATA_END (0x10) at offset 0x30: non-zero padding");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x57720077, NULL, 0);
    expect_refused(&s, "record unknown (0x57720077) at offset 0x28: unknown mandatory");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x0d, NULL, 0);
    expect_refused(&s, "record VERIFY (0xd) at offset 0x28: not supported");
    valid(&s), s.len = 0, headers(&s), page_data(&s, 3, true);
    expect_refused(&s, "record PAGE_DATA (0x1) at offset 0x28: out of order");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), page_data(&s, 1ULL << 60 | 3, 0);
    expect_refused(&s, "PAGE_DATA (0x1) at offset 0x30: pfn 0x3 has bad page type 0x1");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), page_data(&s, 64, true);
    expect_refused(&s, "pfn 0x40 beyond the domain's limit 0x40");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), page_data(&s, 3, false);
    expect_refused(&s, "1 data pages do not match length 16");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0);
    page_data(&s, 0xfULL << 60 | 3, true);
    expect_refused(&s, "0 data pages do not match length 4112");
    w = 1ULL << 55 | 3;
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), page_data(&s, w, true);
    expect_refused(&s, "has reserved bits set");
    valid(&s), s.b[PD + 8] = 0;
    expect_refused(&s, "count 0 not in 1..1024");
    valid(&s), s.b[PD + 12] = 1;
    expect_refused(&s, "reserved field not zero");
}

static void test_order(void)
{
    struct stream s;
    uint8_t tsc[24] = { 0 }, shinfo[FAKE_PAGE] = { 0 };

    /* END before the tail */
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), rec(&s, 0x00, NULL, 0);
    expect_refused(&s, "record END (0x0) at offset 0x30: out of order");
    /* SHARED_INFO, which Xen sends for PV guests only, in the tail */
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), rec(&s, 0x08, tsc, 24);
    rec(&s, 0x07, shinfo, sizeof(shinfo));
    expect_refused(&s, "record SHARED_INFO (0x7) at offset 0x50: a PV guest's record");
    /* TSC twice in the tail */
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), rec(&s, 0x08, tsc, 24);
    rec(&s, 0x08, tsc, 24);
    expect_refused(&s, "record X86_TSC_INFO (0x8) at offset 0x50: out of order");
    /* PAGE_DATA after the tail began */
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), rec(&s, 0x08, tsc, 24);
    page_data(&s, 3, true);
    expect_refused(&s, "record PAGE_DATA (0x1) at offset 0x50: out of order");
    /* a static TSC is fine, an optional unknown record is skipped */
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x08, tsc, 24), rec(&s, 0x80000077, "xy", 2);
    rec(&s, 0x10, NULL, 0), page_data(&s, 3, true), tail(&s);
    {
        struct restore_callbacks cb = { 0 };
        CHECK_MSG(restore_bytes(s.b, s.len, &cb) == 0, "%s", cb.error);
    }
}

/* --- arm64 streams (docs/designs/migration-stream.md, "Arm64") ---------- */

#define ARM64_CAPS "xen-3.0-aarch64 hvm-3.0-aarch64"

/* The first record of type in the saved stream: its offset, or 0. */
static uint64_t find_record(int fd, uint32_t type)
{
    uint64_t off = 40;
    uint32_t h[2];

    while ( pread(fd, h, 8, (off_t)off) == 8 )
    {
        if ( h[0] == type )
            return off;
        off += 8 + ((h[1] + 7ULL) & ~7ULL);
    }
    return 0;
}

/* Between two arm64 hosts: the domain header says Wren arm64, the
 * counter's rate goes where the TSC info would, and everything else
 * arrives as on x86. */
static void test_arm64_round_trip(void)
{
    struct save_callbacks scb = { 0 };
    struct restore_callbacks rcb = { 0 };
    unsigned long store = 0, console = 0;
    uint32_t type;
    int rc, fd;

    make_source();
    src.caps = dst.caps = ARM64_CAPS;
    fd = save(&scb, &rc);
    CHECK_MSG(rc == 0, "save: %s", scb.error);
    CHECK(pread(fd, &type, 4, 24) == 4);
    CHECK_EQ(type, 0x57720001);
    CHECK(find_record(fd, 0x57720001) != 0);
    CHECK_EQ(find_record(fd, 0x08), 0);
    CHECK_EQ(restore(fd, &rcb, &store, &console), 0);
    CHECK_MSG(rcb.error[0] == 0, "%s", rcb.error);
    check_same_memory(~0ULL);
    CHECK(!memcmp(dst.ctxt, src.ctxt, CTXT_LEN));
    CHECK_EQ(store, 0x9c);
    CHECK_EQ(dst.tsc_khz, 0); /* no TSC info was set */
    close(fd);
    dispose();
}

static void arm64_headers(struct stream *s)
{
    headers(s);
    s->b[24] = 0x01, s->b[25] = 0x00, s->b[26] = 0x72, s->b[27] = 0x57;
}

/* The small valid arm64 stream: one page of RAM at pfn 3. */
static void arm64_valid(struct stream *s, uint64_t hz, uint32_t timer_len)
{
    uint8_t timer[16] = { 0 }, params[8] = { 0 }, ctxt[16] = { 1 };

    memcpy(timer, &hz, 8);
    s->len = 0;
    arm64_headers(s);
    rec(s, 0x10, NULL, 0);
    page_data(s, 3, true);
    rec(s, 0x57720001, timer, timer_len);
    rec(s, 0x0a, params, sizeof(params));
    rec(s, 0x09, ctxt, sizeof(ctxt));
    rec(s, 0x00, NULL, 0);
}

static void test_arm64_refusals(void)
{
    struct stream s;
    struct restore_callbacks cb = { 0 };

    restore_caps = ARM64_CAPS;
    arm64_valid(&s, 0, 8);
    CHECK_MSG(restore_bytes(s.b, s.len, &cb) == 0, "%s", cb.error);
    valid(&s); /* an x86 stream */
    expect_refused(&s, "domain header at offset 0x18: type 2 (0x2), not Wren arm64");
    valid(&s), arm64_headers(&s);
    expect_refused(&s, "record X86_TSC_INFO (0x8) at offset 0x1048: an x86 record in a Wren "
                       "arm64 stream");
    arm64_valid(&s, 62500000, 8);
    expect_refused(&s, "record WREN_ARM64_TIMER_INFO (0x57720001) at offset 0x1048: counter "
                       "frequency 62500000 Hz, this host's is 0 Hz");
    arm64_valid(&s, 0, 16);
    expect_refused(&s, "length 16, not 8");
    s.len = 0, arm64_headers(&s), rec(&s, 0x10, NULL, 0), page_data(&s, 0xdULL << 60 | 3, 0);
    expect_refused(&s, "pfn 0x3 is BROKEN: arm64 has no broken pages");
    restore_caps = NULL; /* and an x86 host refuses arm64 streams */
    arm64_valid(&s, 0, 8);
    expect_refused(&s, "domain header at offset 0x18: type 1467088897 (0x57720001), not x86 HVM");
    valid(&s), s.len = 0, headers(&s), rec(&s, 0x57720001, "\0\0\0\0\0\0\0\0", 8);
    expect_refused(&s, "record WREN_ARM64_TIMER_INFO (0x57720001) at offset 0x28: unknown "
                       "mandatory record");
}

/* Broken wins until END: data for a pfn that arrived broken is dropped. */
static void test_broken_wins(void)
{
    struct stream s;
    struct restore_callbacks cb = { 0 };
    int fd = new_fd();

    s.len = 0, headers(&s), rec(&s, 0x10, NULL, 0), page_data(&s, 3, true);
    page_data(&s, 0xdULL << 60 | 3, false), page_data(&s, 3, true), tail(&s);
    CHECK(write(fd, s.b, s.len) == (ssize_t)s.len);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    fake_dom_init(&dst, DST, 64);
    cb.fmem = &dst.fmem;
    cb.nr_pfns = 64;
    CHECK_EQ(xc_domain_restore(&dst.xch, fd, DST, 5, NULL, 0, 6, NULL, 0, &cb), 0);
    CHECK(dst.broken[3]);
    CHECK(!fake_is_populated(&dst, 3));
    fake_dom_dispose(&dst);
    close(fd);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "round_trip", test_round_trip },
        { "broken_before_query", test_broken_before_query },
        { "broken_between_query_and_copy", test_broken_between_query_and_copy },
        { "broken_after_copy", test_broken_after_copy },
        { "broken_after_batch_sent", test_broken_after_batch_sent },
        { "broken_never_read", test_broken_never_read },
        { "final_steps", test_final_steps },
        { "broken_as_context_read", test_broken_as_context_read },
        { "save_failures", test_save_failures },
        { "valid_stream", test_valid_stream },
        { "truncated_everywhere", test_truncated_everywhere },
        { "bad_headers", test_bad_headers },
        { "bad_records", test_bad_records },
        { "order", test_order },
        { "broken_wins", test_broken_wins },
        { "arm64_round_trip", test_arm64_round_trip },
        { "arm64_refusals", test_arm64_refusals },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
