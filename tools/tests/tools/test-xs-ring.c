/*
 * test-xs-ring.c - xenstored over a guest's ring page (a page in memory
 * here, through a fake backend): INTRODUCE maps and binds, requests and
 * replies cross the ring including across its wrap and in pieces larger
 * than the ring, RELEASE unmaps and unbinds; and every hostile guest:
 * indexes more than a ring apart (request or response side), a payload
 * over XENSTORE_PAYLOAD_MAX, garbage headers, unterminated strings, a
 * guest that never reads its replies. Each either gets an error reply
 * (as from Xen) or has its connection closed through the page's error
 * field, while xenstored goes on serving everyone else.
 */
#include "xs-local.h"

static struct fake_be fb;
static struct xenstored *xsd;
static struct lc *l0;

static void setup(void)
{
    xsd = fb_daemon(&fb);
    l0 = lc_new(xsd, 0);
}

static void teardown(void)
{
    xenstored_destroy(xsd);
    lc_free(l0);
    CHECK_EQ(fb.mapped, 0);
    CHECK_EQ(fb.bound, 0);
}

static void run(void)
{
    for ( int i = 0; i < 100 && xenstored_run(xsd); i++ )
        ;
}

/* The guest's side: put bytes in req as room allows; how many went. */
static unsigned int g_put(struct xenstore_domain_interface *r, const void *data, unsigned int len)
{
    unsigned int n = 0;

    while ( n < len && r->req_prod - r->req_cons < XENSTORE_RING_SIZE )
        r->req[MASK_XENSTORE_IDX(r->req_prod++)] = ((const char *)data)[n++];
    return n;
}

static unsigned int g_get(struct xenstore_domain_interface *r, void *buf, unsigned int len)
{
    unsigned int n = 0;

    while ( n < len && r->rsp_cons != r->rsp_prod )
        ((char *)buf)[n++] = r->rsp[MASK_XENSTORE_IDX(r->rsp_cons++)];
    return n;
}

/* Send a whole message, running the daemon while the ring is full. */
static void g_send(struct xenstore_domain_interface *r, uint32_t type, uint32_t id,
                   const char *data, unsigned int len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = id, .len = len };
    unsigned int done = 0, i;

    CHECK_EQ(g_put(r, &h, sizeof(h)), sizeof(h));
    for ( i = 0; done < len && i < 100; i++ )
    {
        done += g_put(r, data + done, len - done);
        run();
    }
    CHECK_EQ(done, len);
    run();
}

/* The next message on rsp. */
static bool g_recv(struct xenstore_domain_interface *r, struct lmsg *m)
{
    if ( r->rsp_prod - r->rsp_cons < sizeof(m->hdr) )
        return false;
    CHECK_EQ(g_get(r, &m->hdr, sizeof(m->hdr)), sizeof(m->hdr));
    CHECK(m->hdr.len <= XENSTORE_PAYLOAD_MAX);
    CHECK_EQ(g_get(r, m->data, m->hdr.len), m->hdr.len);
    m->data[m->hdr.len] = '\0';
    return true;
}

static struct xenstore_domain_interface *introduce(unsigned int domid)
{
    CHECK_EQ(fb_introduce(l0, domid), 0);
    CHECK_EQ(fb.rings[domid].server_features, XENSTORE_SERVER_FEATURE_ERROR);
    CHECK_EQ(fb.rings[domid].connection, XENSTORE_CONNECTED);
    return &fb.rings[domid];
}

/* dom0 is still served, and so is domain 2. */
static void others_still_served(void)
{
    struct xenstore_domain_interface *r2 = introduce(2);
    struct lmsg m;

    CHECK_EQ(lc_write(l0, 0, "/still", "here"), 0);
    g_send(r2, XS_GET_DOMAIN_PATH, 5, S("2"));
    CHECK(g_recv(r2, &m));
    CHECK(!strcmp(m.data, "/local/domain/2"));
}

static void test_introduce_and_talk(void)
{
    struct xenstore_domain_interface *r;
    struct lmsg m;

    setup();
    r = introduce(3);
    CHECK_EQ(fb.mapped, 1);
    CHECK_EQ(fb.bound, 1);
    CHECK_EQ(fb_introduce(l0, 3), 0); /* again, same page: fine */
    CHECK_EQ(lc_call(l0, XS_INTRODUCE, 0,
                     S("3\0"
                       "999\0"
                       "7")),
             EINVAL);
    g_send(r, XS_WRITE, 8, B("data/x\0guest"));
    CHECK(g_recv(r, &m) && m.hdr.type == XS_ERROR && !strcmp(m.data, "EACCES"));
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/local/domain/3"), 0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/3\0n3")), 0);
    g_send(r, XS_WRITE, 9, B("data/x\0guest"));
    CHECK(g_recv(r, &m));
    CHECK_EQ(m.hdr.type, XS_WRITE);
    CHECK_EQ(m.hdr.req_id, 9);
    CHECK(!strcmp(m.data, "OK"));
    CHECK(fb.notified[3] > 0);
    CHECK_EQ(lc_call(l0, XS_IS_DOMAIN_INTRODUCED, 0, S("3")), 0);
    CHECK_EQ(lc_path(l0, XS_RELEASE, 0, "3"), 0);
    CHECK_EQ(fb.mapped, 0);
    CHECK_EQ(fb.bound, 0);
    teardown();
}

static void test_introduce_failures(void)
{
    setup();
    CHECK_EQ(lc_call(l0, XS_INTRODUCE, 0,
                     S("3\0"
                       "57005\0"
                       "7")),
             EINVAL); /* 0xdead */
    CHECK_EQ(lc_call(l0, XS_INTRODUCE, 0,
                     S("3\0"
                       "100\0"
                       "2989")),
             EINVAL); /* 0xbad */
    CHECK_EQ(fb.mapped, 0);
    CHECK_EQ(fb.bound, 0);
    CHECK_EQ(lc_call(l0, XS_IS_DOMAIN_INTRODUCED, 0, S("3")), 0);
    teardown();
}

static void test_wrap_and_big_messages(void)
{
    struct xenstore_domain_interface *r;
    static char buf[XENSTORE_PAYLOAD_MAX];
    struct lmsg m;
    unsigned int p = sizeof("/local/domain/3/big");

    setup();
    r = introduce(3);
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/local/domain/3"), 0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/3\0n3")), 0);
    /* Start near the top of the index space, so both wrap. */
    r->req_cons = r->req_prod = 0xfffffff0u;
    r->rsp_cons = r->rsp_prod = 0xfffffff8u;
    memcpy(buf, "/local/domain/3/big", p);
    memset(buf + p, 'z', QUOTA_ENTRY_SIZE);
    g_send(r, XS_WRITE, 1, buf, p + QUOTA_ENTRY_SIZE);
    CHECK(g_recv(r, &m) && !strcmp(m.data, "OK"));
    /* A reply larger than the ring comes in pieces as the guest reads. */
    g_send(r, XS_READ, 2, S("big"));
    CHECK_EQ(r->rsp_prod - r->rsp_cons, XENSTORE_RING_SIZE);
    CHECK_EQ(g_get(r, &m.hdr, sizeof(m.hdr)), sizeof(m.hdr));
    CHECK_EQ(m.hdr.len, QUOTA_ENTRY_SIZE);
    for ( unsigned int got = 0, i = 0; got < m.hdr.len && i < 100; i++ )
    {
        got += g_get(r, m.data + got, m.hdr.len - got);
        run();
    }
    CHECK(m.data[0] == 'z' && m.data[QUOTA_ENTRY_SIZE - 1] == 'z');
    CHECK(r->error == XENSTORE_ERROR_NONE);
    teardown();
}

static void test_bad_request_index(void)
{
    struct xenstore_domain_interface *r;

    setup();
    r = introduce(3);
    r->req_prod = r->req_cons + XENSTORE_RING_SIZE + 1;
    run();
    CHECK_EQ(r->error, XENSTORE_ERROR_RINGIDX);
    CHECK_EQ(conn_of_domain(xsd, 3)->ignored, true);
    /* Nothing more is read from it. */
    r->req_cons = r->req_prod = 0;
    g_send(r, XS_READ, 1, S("x"));
    CHECK_EQ(r->rsp_prod, 0);
    others_still_served();
    teardown();
}

static void test_bad_response_index(void)
{
    struct xenstore_domain_interface *r;

    setup();
    r = introduce(3);
    r->rsp_cons = r->rsp_prod + 5; /* the guest "consumed" more than there was */
    g_send(r, XS_GET_DOMAIN_PATH, 1, S("3"));
    CHECK_EQ(r->error, XENSTORE_ERROR_RINGIDX);
    others_still_served();
    teardown();
}

static void test_oversized_len(void)
{
    struct xenstore_domain_interface *r;
    struct xsd_sockmsg h = { .type = XS_WRITE, .len = XENSTORE_PAYLOAD_MAX + 1 };

    setup();
    r = introduce(3);
    g_put(r, &h, sizeof(h));
    run();
    CHECK_EQ(r->error, XENSTORE_ERROR_PROTO);
    CHECK_EQ(r->rsp_prod, 0);
    h.len = 0xffffffffu;
    others_still_served();
    teardown();
}

static void test_garbage(void)
{
    struct xenstore_domain_interface *r;
    struct lmsg m;
    char junk[64];
    unsigned int i;

    setup();
    r = introduce(3);
    /* Errors a guest gets back, as from Xen's xenstored. */
    g_send(r, 0xdeadbeef, 1, S("x"));
    CHECK(g_recv(r, &m) && m.hdr.type == XS_ERROR && !strcmp(m.data, "EINVAL"));
    g_send(r, XS_READ, 2, B("no-terminator"));
    CHECK(g_recv(r, &m) && m.hdr.type == XS_ERROR && !strcmp(m.data, "EINVAL"));
    g_send(r, XS_WRITE, 3, B("no-nul-anywhere"));
    CHECK(g_recv(r, &m) && m.hdr.type == XS_ERROR && !strcmp(m.data, "EINVAL"));
    g_send(r, XS_INTRODUCE, 4,
           S("5\0"
             "1\0"
             "1"));
    CHECK(g_recv(r, &m) && m.hdr.type == XS_ERROR && !strcmp(m.data, "EACCES"));
    g_send(r, XS_READ, 5, "", 0);
    CHECK(g_recv(r, &m) && m.hdr.type == XS_ERROR && !strcmp(m.data, "EINVAL"));
    /* Random bytes as a payload of legal length: an answer, no harm. */
    test_srand(42);
    for ( i = 0; i < 200; i++ )
    {
        for ( unsigned int j = 0; j < sizeof(junk); j++ )
            junk[j] = test_rand();
        g_send(r, test_rand_below(XS_TYPE_COUNT + 2), i, junk, test_rand_below(sizeof(junk)));
        while ( g_recv(r, &m) )
            ;
        if ( r->error )
            break;
    }
    CHECK_EQ(r->error, XENSTORE_ERROR_NONE);
    others_still_served();
    teardown();
}

static void test_guest_never_reads(void)
{
    struct xenstore_domain_interface *r;
    unsigned int i;

    setup();
    r = introduce(3);
    /* Requests whose replies pile up unread: xenstored stops taking
     * requests from this guest instead of queueing without bound. */
    for ( i = 0; i < 500; i++ )
    {
        struct xsd_sockmsg h = { .type = XS_GET_DOMAIN_PATH, .req_id = i, .len = 2 };

        if ( g_put(r, &h, sizeof(h)) != sizeof(h) || g_put(r, "3", 2) != 2 )
            break;
        run();
    }
    CHECK(conn_of_domain(xsd, 3)->out_msgs <= OUT_PENDING_MAX + 16);
    CHECK_EQ(r->error, XENSTORE_ERROR_NONE);
    others_still_served();
    teardown();
}

static void test_release_while_busy(void)
{
    struct xenstore_domain_interface *r;

    setup();
    r = introduce(3);
    CHECK_EQ(lc_call2(l0, XS_WATCH, "/", "all"), 0);
    g_send(r, XS_TRANSACTION_START, 1, S(""));
    g_send(r, XS_WATCH, 2, S("/local\0tok"));
    /* Half a message in flight, then the domain goes away. */
    g_put(r, "\x02\x00", 2);
    CHECK_EQ(lc_path(l0, XS_RELEASE, 0, "3"), 0);
    run();
    CHECK_EQ(lc_write(l0, 0, "/after", "x"), 0);
    others_still_served();
    teardown();
}

static const struct test_case cases[] = {
    { "xs-ring.introduce-and-talk", test_introduce_and_talk },
    { "xs-ring.introduce-failures", test_introduce_failures },
    { "xs-ring.wrap-and-big-messages", test_wrap_and_big_messages },
    { "xs-ring.bad-request-index", test_bad_request_index },
    { "xs-ring.bad-response-index", test_bad_response_index },
    { "xs-ring.oversized-len", test_oversized_len },
    { "xs-ring.garbage", test_garbage },
    { "xs-ring.guest-never-reads", test_guest_never_reads },
    { "xs-ring.release-while-busy", test_release_while_busy },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
