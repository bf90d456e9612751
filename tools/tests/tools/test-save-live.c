/*
 * test-save-live.c - live saves (xc_domain_save with XCFLAGS_LIVE)
 * against a fake domain whose "guest" writes between and during rounds
 * (fake-xen.c's log-dirty and its hooks): the restored memory equals the
 * source's at the pause, whatever was written in which round; the rounds
 * stop at the dirty threshold or at max_rounds; the final CLEAN is taken
 * with the guest paused; a page that breaks during a live round arrives
 * broken; a failure at any call leaves the guest running with log-dirty
 * off and nothing mapped.
 *
 * It touches only its fake domains.
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

#define SRC     7
#define DST     9
#define NR_GFNS 0x1000ULL
#define RAM_END 0x800ULL

static struct fake_dom src, dst;

/* The guest: how many pages it writes after each CLEAN and in the
 * middle of each round (while running only), and a generation. */
static unsigned int writes_per_clean, writes_mid_round, shrink;
static uint64_t generation, written;
static uint64_t break_after_round1 = ~0ULL;
static struct xc_sr_round reports[16];
static unsigned int nr_reports;

static void write_page(struct fake_dom *d, uint64_t g)
{
    uint8_t page[FAKE_PAGE];

    for ( unsigned int i = 0; i < FAKE_PAGE; i++ )
        page[i] = (uint8_t)(g * 5 + i * 3 + generation * 11);
    fake_write(d, g * FAKE_PAGE, page, FAKE_PAGE);
    written++;
}

/* n pages, spread over RAM, different each generation. */
static void guest_writes(struct fake_dom *d, unsigned int n)
{
    if ( d->paused )
        return;
    generation++;
    for ( unsigned int i = 0; i < n; i++ )
        write_page(d, 0x100 + (generation * 37 + i * 13) % (RAM_END - 0x100));
}

static bool wrote_this_round;

static void on_clean(struct fake_dom *d)
{
    if ( d->ld_cleans == 1 && break_after_round1 != ~0ULL )
        fake_break(d, break_after_round1);
    guest_writes(d, writes_per_clean);
    writes_mid_round = writes_mid_round > shrink ? writes_mid_round - shrink : 0;
    wrote_this_round = false;
}

/* Once a round, at its first type query: between the query and the
 * copy of the first batch, the worst place. */
static void on_query(struct fake_dom *d)
{
    if ( !wrote_this_round )
        guest_writes(d, writes_mid_round);
    wrote_this_round = true;
}

static void on_round(void *data, const struct xc_sr_round *r)
{
    if ( nr_reports < sizeof(reports) / sizeof(reports[0]) )
        reports[nr_reports] = *r;
    nr_reports++;
}

static void make_source(void)
{
    fake_dom_init(&src, SRC, NR_GFNS);
    generation = written = 0;
    nr_reports = 0;
    wrote_this_round = false;
    writes_per_clean = writes_mid_round = shrink = 0;
    break_after_round1 = ~0ULL;
    for ( uint64_t g = 0; g < RAM_END; g++ )
    {
        xen_pfn_t p = g;

        if ( g >= 0xa0 && g < 0x100 )
            continue;
        CHECK_EQ(xc_domain_populate_physmap_exact(&src.xch, SRC, 1, 0, 0, &p), 0);
        write_page(&src, g);
    }
    src.ctxt_len = 64;
    src.after_clean = on_clean;
    src.after_query = on_query;
    fake_dom_init(&dst, DST, NR_GFNS);
}

static void dispose(void)
{
    fake_dom_dispose(&src);
    fake_dom_dispose(&dst);
}

/* A live save of src into a rewound memfd; its result in *rc. */
static int save_live(struct save_callbacks *cb, int *rc)
{
    int fd = memfd_create("stream", 0);

    CHECK(fd >= 0);
    cb->fmem = &src.fmem;
    cb->round_done = on_round;
    *rc = xc_domain_save(&src.xch, fd, SRC, XCFLAGS_LIVE, cb);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    return fd;
}

static void restore_and_compare(int fd)
{
    struct restore_callbacks rcb = { .fmem = &dst.fmem, .nr_pfns = NR_GFNS };

    CHECK_MSG(xc_domain_restore(&dst.xch, fd, DST, 5, NULL, 0, 6, NULL, 0, &rcb) == 0, "%s",
              rcb.error);
    for ( uint64_t g = 0; g < NR_GFNS; g++ )
    {
        uint8_t a[FAKE_PAGE], b[FAKE_PAGE];

        CHECK_MSG(src.broken[g] == dst.broken[g], "gfn %#llx broken", (unsigned long long)g);
        fake_read(&src, g * FAKE_PAGE, a, FAKE_PAGE);
        fake_read(&dst, g * FAKE_PAGE, b, FAKE_PAGE);
        CHECK_MSG(!memcmp(a, b, FAKE_PAGE), "gfn %#llx lost a write", (unsigned long long)g);
    }
}

/* Writes after every CLEAN and in the middle of rounds; the guest never
 * settles, so max_rounds ends it. Every write arrives. */
static void test_no_write_lost(void)
{
    struct save_callbacks cb = { .max_rounds = 4, .dirty_threshold = 5 };
    int rc, fd;

    make_source();
    writes_per_clean = 40, writes_mid_round = 7;
    fd = save_live(&cb, &rc);
    CHECK_MSG(rc == 0, "save: %s", cb.error);
    CHECK_EQ(nr_reports, 5);
    for ( unsigned int i = 0; i < 5; i++ )
    {
        CHECK_EQ(reports[i].round, i + 1);
        CHECK_EQ(reports[i].final, i == 4);
    }
    CHECK_EQ(reports[0].pfns, RAM_END);
    CHECK_EQ(reports[0].pages_sent, RAM_END - 0x60);
    CHECK(reports[1].pages_dirtied > 40);
    /* the FINAL CLEAN: what the guest wrote after the last live one */
    CHECK_EQ(reports[4].pages_dirtied, 40);
    CHECK(reports[4].pfns > 40); /* and round 4's dirty set */
    CHECK_EQ(cb.stats.final_pages, reports[4].pages_sent);
    CHECK_EQ(cb.stats.final_dirty, reports[4].pfns);
    CHECK_EQ(cb.stats.guest_pages, RAM_END);
    CHECK_EQ(cb.stats.rounds, 5);
    CHECK(src.ld_enables == 1 && src.ld_offs == 1 && !src.logdirty);
    CHECK(src.ld_finals == 1 && src.ld_final_paused);
    CHECK_EQ(src.paused, 1);
    restore_and_compare(fd);
    CHECK_EQ(src.nr_maps + dst.nr_maps, 0);
    close(fd);
    dispose();
}

/* A guest that writes less and less: the rounds stop once a CLEAN
 * reports no more than the threshold, before max_rounds. */
static void test_converges(void)
{
    struct save_callbacks cb = { .max_rounds = 8, .dirty_threshold = 20 };
    int rc, fd;

    make_source();
    writes_mid_round = 100, shrink = 30;
    fd = save_live(&cb, &rc);
    CHECK_MSG(rc == 0, "save: %s", cb.error);
    /* 100, 70, 40 dirtied, then 10 <= 20: four live rounds, the final */
    CHECK_EQ(nr_reports, 5);
    CHECK_EQ(reports[3].pages_dirtied, 10);
    for ( unsigned int i = 0; i < 3; i++ )
        CHECK(reports[i].pages_dirtied > 20);
    CHECK_EQ(reports[4].pfns, 10);
    restore_and_compare(fd);
    close(fd);
    dispose();
}

/* A page sent in round 1 breaks before round 2: it arrives broken. */
static void test_broken_in_live_round(void)
{
    struct save_callbacks cb = { .max_rounds = 3, .dirty_threshold = 1 };
    int rc, fd;

    make_source();
    writes_per_clean = 30;
    break_after_round1 = 0x42;
    fd = save_live(&cb, &rc);
    CHECK_MSG(rc == 0, "save: %s", cb.error);
    CHECK_EQ(src.broken_reads, 0);
    restore_and_compare(fd);
    CHECK(dst.broken[0x42]);
    close(fd);
    dispose();
}

/* A failure at each call: a reason, the guest running, log-dirty off. */
static void test_live_failures(void)
{
    for ( uint64_t n = 1;; n++ )
    {
        struct save_callbacks cb = { .max_rounds = 3, .dirty_threshold = 5 };
        int rc, fd;

        make_source();
        writes_per_clean = 20;
        src.fail_call = src.calls + n;
        fd = save_live(&cb, &rc);
        close(fd);
        if ( rc == 0 )
        {
            CHECK(n > 10);
            dispose();
            return;
        }
        CHECK_MSG(cb.error[0], "call %llu: no reason", (unsigned long long)n);
        CHECK_MSG(src.paused == 0, "call %llu: left paused", (unsigned long long)n);
        CHECK_MSG(!src.logdirty, "call %llu: log-dirty left on", (unsigned long long)n);
        CHECK_EQ(src.nr_maps, 0);
        dispose();
    }
}

/* Log-dirty already on (someone else's): refused, and left on. */
static void test_logdirty_busy(void)
{
    struct save_callbacks cb = { 0 };
    int rc, fd;

    make_source();
    CHECK_EQ(xc_shadow_control(&src.xch, SRC, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, NULL, 0, NULL,
                               0, NULL),
             0);
    fd = save_live(&cb, &rc);
    CHECK_EQ(rc, -1);
    CHECK(strstr(cb.error, "log-dirty on") != NULL);
    CHECK(src.logdirty && src.paused == 0);
    close(fd);
    dispose();
}

/* Flags the library does not know, or the ring without its part. */
static void test_flags(void)
{
    struct save_callbacks cb = { 0 };

    make_source();
    cb.fmem = &src.fmem;
    CHECK_EQ(xc_domain_save(&src.xch, -1, SRC, 1U << 5, &cb), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(src.calls, 0x800 - 0x60); /* only make_source's populates */
    dispose();
}

int main(void)
{
    static const struct test_case cases[] = {
        { "no_write_lost", test_no_write_lost },
        { "converges", test_converges },
        { "broken_in_live_round", test_broken_in_live_round },
        { "live_failures", test_live_failures },
        { "logdirty_busy", test_logdirty_busy },
        { "flags", test_flags },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
