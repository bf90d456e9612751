/*
 * test-link-ring.c - host tests of the wren-link protocol
 * (tools/dom0/runtime/link_ring.c): both ends in one process over one
 * region of ordinary memory, every order of the election's steps, the
 * handshake whichever end opens first, wraparound, end of stream, a
 * reopened session, and a hostile peer's bad header and counters.
 *
 * May not touch: anything but its own region.
 */
#include <errno.h>
#include <string.h>
#include "harness.h"
#include "../../dom0/runtime/link_ring.h"

#define REGION (64UL << 10)

static uint8_t region[REGION] __attribute__((aligned(4096)));
static struct link a, b;

static void fresh(void)
{
    memset(region, 0, REGION);
    CHECK_EQ(link_attach(&a, region, REGION, 0x1111), 0);
    CHECK_EQ(link_attach(&b, region, REGION, 0x2222), 0);
}

/* Run the election with the steps interleaved as mask says: bit i set,
 * the i-th step is b's. Returns when both decided. */
static void elect_order(unsigned int mask)
{
    int ra = -EAGAIN, rb = -EAGAIN;
    for ( unsigned int i = 0; ra || rb; i++ )
    {
        bool b_turn = i < 8 ? (mask >> i & 1) : (i & 1);
        if ( b_turn && rb )
            rb = link_elect(&b);
        else if ( ra )
            ra = link_elect(&a);
        else
            rb = link_elect(&b);
        CHECK(i < 64);
    }
}

static void pair(void)
{
    fresh();
    elect_order(0xaa);
    link_open(&a);
    link_open(&b);
    CHECK(!link_readable(&a)); /* progresses both: a accepts b's session */
    CHECK(link_writable(&b));
    CHECK(link_writable(&a));
}

static void test_election_every_order(void)
{
    for ( unsigned int mask = 0; mask < 256; mask++ )
    {
        fresh();
        elect_order(mask);
        CHECK_MSG(a.end >= 0 && b.end >= 0 && a.end != b.end, "order %#x: ends %d and %d", mask,
                  a.end, b.end);
    }
}

static void test_election_alone(void)
{
    fresh();
    while ( link_elect(&a) )
        ;
    CHECK_EQ(a.end, 0);
    /* The latecomer finds Y set: RIGHT, and STOP already published. */
    while ( link_elect(&b) )
        ;
    CHECK_EQ(b.end, 1);
}

static void test_connect_either_first(void)
{
    char c = 'x';
    fresh();
    elect_order(0);
    link_open(&a);
    CHECK_EQ(link_write(&a, &c, 1), -EAGAIN); /* nobody there yet */
    CHECK_EQ(link_read(&a, &c, 1), -EAGAIN);
    link_open(&b);
    CHECK_EQ(link_read(&b, &c, 1), -EAGAIN); /* b accepts a */
    CHECK_EQ(link_write(&a, "y", 1), 1);     /* a accepts b: connected */
    CHECK_EQ(link_read(&b, &c, 1), 1);
    CHECK_EQ(c, 'y');
}

/* 3.5 rings' worth in odd pieces both ways, checked byte by byte. */
static void test_wraparound(void)
{
    static uint8_t out[3 * 1024], in[3 * 1024];
    uint32_t sent = 0, got = 0, total;
    pair();
    total = a.rsize * 7 / 2;
    while ( got < total )
    {
        uint32_t n = 1 + (sent * 7 + 13) % sizeof(out);
        long w, r;
        if ( n > total - sent )
            n = total - sent;
        for ( uint32_t i = 0; i < n; i++ )
            out[i] = (uint8_t)((sent + i) * 31 + 5);
        w = n ? link_write(&a, out, n) : 0;
        CHECK(w > 0 || w == -EAGAIN || !n);
        sent += w > 0 ? (uint32_t)w : 0;
        r = link_read(&b, in, 1 + got % 1000);
        CHECK(r > 0 || r == -EAGAIN);
        for ( long i = 0; i < r; i++ )
            CHECK_EQ(in[i], (uint8_t)((got + i) * 31 + 5));
        got += r > 0 ? (uint32_t)r : 0;
    }
    CHECK_EQ(sent, total);
}

static void test_full_ring(void)
{
    static uint8_t buf[REGION];
    pair();
    CHECK_EQ(link_write(&b, buf, sizeof(buf)), b.rsize);
    CHECK_EQ(link_write(&b, buf, 1), -EAGAIN);
    CHECK(!link_writable(&b));
    CHECK_EQ(link_read(&a, buf, 10), 10);
    CHECK_EQ(link_write(&b, buf, 100), 10);
}

static void test_end_of_stream(void)
{
    char buf[8];
    pair();
    CHECK_EQ(link_write(&a, "bye", 3), 3);
    link_close(&a);
    CHECK(link_readable(&b));
    CHECK_EQ(link_read(&b, buf, sizeof(buf)), 3);
    CHECK_EQ(link_read(&b, buf, sizeof(buf)), 0);
    CHECK_EQ(link_write(&b, "x", 1), -EPIPE);
}

/* A new session on both ends connects again; what the old one left
 * unread is not delivered. */
static void test_reopen(void)
{
    char buf[8];
    pair();
    CHECK_EQ(link_write(&a, "old", 3), 3);
    link_close(&a);
    link_close(&b);
    link_open(&b);
    link_open(&a);
    CHECK_EQ(link_write(&a, "new", 3), -EAGAIN);
    CHECK_EQ(link_read(&b, buf, 8), -EAGAIN);
    CHECK_EQ(link_write(&a, "new", 3), 3);
    CHECK_EQ(link_read(&b, buf, 8), 3);
    CHECK(!memcmp(buf, "new", 3));
}

/* One end reopens while the other still holds the old session: that is
 * a hang-up for the other, not a silent reconnection. */
static void test_reopen_is_hangup(void)
{
    char buf[4];
    pair();
    link_close(&a);
    link_open(&a);
    CHECK_EQ(link_read(&b, buf, 4), 0);
    CHECK_EQ(link_write(&a, "x", 1), -EAGAIN);
    link_close(&b);
    link_open(&b);
    CHECK_EQ(link_read(&b, buf, 4), -EAGAIN);
    CHECK_EQ(link_write(&a, "x", 1), 1);
    CHECK_EQ(link_read(&b, buf, 4), 1);
}

static void test_hostile_head(void)
{
    struct link_hdr *h = (struct link_hdr *)region;
    char buf[4];
    pair();
    h->end[a.end].head = b.tail + b.rsize + 1; /* a's head, as b sees it */
    CHECK_EQ(link_read(&b, buf, 4), -EIO);
    CHECK(strstr(b.why, "past this end's tail"));
    CHECK_EQ(link_read(&b, buf, 4), -EIO); /* sticky */
    CHECK(link_readable(&b));
}

static void test_hostile_tail(void)
{
    struct link_hdr *h = (struct link_hdr *)region;
    pair();
    h->end[b.end].tail = a.head + 5; /* "consumed" more than a wrote */
    CHECK_EQ(link_write(&a, "x", 1), -EIO);
    CHECK(strstr(a.why, "not within"));
}

/* What the peer scribbles over this end's own words changes nothing
 * here: the counters are kept privately. */
static void test_own_words_scribbled(void)
{
    struct link_hdr *h = (struct link_hdr *)region;
    char buf[4];
    pair();
    CHECK_EQ(link_write(&a, "ab", 2), 2);
    h->end[b.end].tail = 0xdead;
    h->end[b.end].tail = a.head; /* a sane value, but b never reads it */
    CHECK_EQ(link_read(&b, buf, 4), 2);
    CHECK_EQ(b.tail, 2);
}

static void test_bad_header(void)
{
    struct link_hdr *h;
    fresh();
    h = (struct link_hdr *)region;
    h->version = 2;
    CHECK_EQ(link_attach(&a, region, REGION, 1), -EPROTO);
    CHECK(strstr(a.why, "version 2"));
    h->version = LINK_VERSION;
    h->size = REGION * 2;
    CHECK_EQ(link_attach(&a, region, REGION, 1), -EPROTO);
    h->magic = 0x1234;
    CHECK_EQ(link_attach(&a, region, REGION, 1), -EPROTO);
    CHECK(strstr(a.why, "magic"));
    CHECK_EQ(link_attach(&a, region, REGION + 4096, 1), -EINVAL);
    CHECK_EQ(link_attach(&a, region, 4096, 1), -EINVAL);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "link_election_every_order", test_election_every_order },
        { "link_election_alone", test_election_alone },
        { "link_connect_either_first", test_connect_either_first },
        { "link_wraparound", test_wraparound },
        { "link_full_ring", test_full_ring },
        { "link_end_of_stream", test_end_of_stream },
        { "link_reopen", test_reopen },
        { "link_reopen_is_hangup", test_reopen_is_hangup },
        { "link_hostile_head", test_hostile_head },
        { "link_hostile_tail", test_hostile_tail },
        { "link_own_words_scribbled", test_own_words_scribbled },
        { "link_bad_header", test_bad_header },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
