/*
 * test-xs-watch.c - xenstored's watches: the event on registration
 * (after the reply), events for the node and everything below it, for
 * the watches below a removed node, none for siblings, none for a
 * watcher that may not read the node, relative paths for a relative
 * watch, EEXIST/ENOENT on (un)registration, RESET_WATCHES, and the
 * @introduceDomain/@releaseDomain specials, which only dom0 hears.
 */
#include "xs-local.h"

static struct fake_be fb;
static struct xenstored *xsd;
static struct lc *l0, *w;

static void setup(void)
{
    xsd = fb_daemon(&fb);
    l0 = lc_new(xsd, 0);
    w = lc_new(xsd, 0);
}

static void teardown(void)
{
    xenstored_destroy(xsd);
    lc_free(l0);
    lc_free(w);
}

static void settle(struct lc *l)
{
    struct lmsg m;

    CHECK(!lc_pump(l, &m));
}

static void test_registration_event(void)
{
    struct lmsg m;
    uint32_t id;

    setup();
    id = lc_send(w, XS_WATCH, 0, S("/not/there\0tok"));
    for ( int i = 0; i < 10; i++ )
        xenstored_run(xsd);
    /* The reply first, then the event (the node need not exist). */
    CHECK(lc_take(w, &m));
    CHECK_EQ(m.hdr.type, XS_WATCH);
    CHECK_EQ(m.hdr.req_id, id);
    CHECK(lc_take(w, &m));
    CHECK_EQ(m.hdr.type, XS_WATCH_EVENT);
    CHECK_EQ(m.hdr.len, sizeof("/not/there\0tok"));
    CHECK(!memcmp(m.data, "/not/there\0tok", m.hdr.len));
    CHECK(!lc_take(w, &m));
    teardown();
}

static void test_descendants(void)
{
    setup();
    CHECK_EQ(lc_call2(w, XS_WATCH, "/w", "top"), 0);
    CHECK_EQ(lc_call2(w, XS_WATCH, "/w/a/b", "deep"), 0);
    CHECK(lc_event(w, "/w", "top") && lc_event(w, "/w/a/b", "deep"));
    CHECK_EQ(lc_write(l0, 0, "/w/a/b/c", "1"), 0);
    settle(w);
    CHECK(lc_event(w, "/w/a/b/c", "top"));
    CHECK(lc_event(w, "/w/a/b/c", "deep"));
    CHECK_EQ(w->nevents, 0);
    CHECK_EQ(lc_write(l0, 0, "/w/x", "1"), 0);
    CHECK_EQ(lc_write(l0, 0, "/wx", "1"), 0); /* a sibling prefix is not below */
    settle(w);
    CHECK(lc_event(w, "/w/x", "top"));
    CHECK_EQ(w->nevents, 0);
    /* Removing /w/a fires the watch below it, with its own path. */
    CHECK_EQ(lc_path(l0, XS_RM, 0, "/w/a"), 0);
    settle(w);
    CHECK(lc_event(w, "/w/a", "top"));
    CHECK(lc_event(w, "/w/a/b", "deep"));
    CHECK_EQ(w->nevents, 0);
    /* SET_PERMS and MKDIR fire too. */
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/w/x\0r0")), 0);
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/w/m"), 0);
    settle(w);
    CHECK(lc_event(w, "/w/x", "top") && lc_event(w, "/w/m", "top"));
    teardown();
}

static void test_unwatch_and_reset(void)
{
    setup();
    CHECK_EQ(lc_call2(w, XS_WATCH, "/u", "t1"), 0);
    CHECK_EQ(lc_call2(w, XS_WATCH, "/u", "t1"), EEXIST);
    CHECK_EQ(lc_call2(w, XS_WATCH, "/u", "t2"), 0); /* another token is another watch */
    CHECK_EQ(lc_call2(w, XS_UNWATCH, "/u", "t1"), 0);
    CHECK_EQ(lc_call2(w, XS_UNWATCH, "/u", "t1"), ENOENT);
    CHECK_EQ(lc_call2(w, XS_UNWATCH, "/u/v", "t2"), ENOENT);
    w->nevents = 0;
    CHECK_EQ(lc_write(l0, 0, "/u", "1"), 0);
    settle(w);
    CHECK(lc_event(w, "/u", "t2"));
    CHECK_EQ(w->nevents, 0);
    CHECK_EQ(lc_call(w, XS_RESET_WATCHES, 0, S("")), 0);
    CHECK_EQ(lc_write(l0, 0, "/u", "2"), 0);
    settle(w);
    CHECK_EQ(w->nevents, 0);
    CHECK_EQ(lc_call(w, XS_WATCH, 0, S("/only-path")), EINVAL);
    CHECK_EQ(lc_call2(w, XS_WATCH, "/bad//path", "t"), EINVAL);
    teardown();
}

static void test_permission_filter(void)
{
    struct lc *l1 = lc_new(xsd = fb_daemon(&fb), 1), *l2 = lc_new(xsd, 2);

    l0 = lc_new(xsd, 0);
    w = lc_new(xsd, 0);
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/local/domain/1"), 0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/1\0n1")), 0);
    CHECK_EQ(lc_call2(l2, XS_WATCH, "/local/domain/1", "spy"), 0);
    CHECK(lc_event(l2, "/local/domain/1", "spy")); /* registration only */
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/secret", "s"), 0);
    settle(l2);
    CHECK_EQ(l2->nevents, 0);
    /* Readable by 2: then it hears. */
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/open", "o"), 0);
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/open\0n1\0r2")), 0);
    settle(l2);
    CHECK(lc_event(l2, "/local/domain/1/open", "spy"));
    lc_free(l1);
    lc_free(l2);
    teardown();
}

static void test_relative_watch(void)
{
    struct lc *l1;

    setup();
    l1 = lc_new(xsd, 1);
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/local/domain/1"), 0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/1\0n1")), 0);
    CHECK_EQ(lc_call2(l1, XS_WATCH, "device", "rel"), 0);
    CHECK(lc_event(l1, "device", "rel"));
    CHECK_EQ(lc_write(l0, 0, "/local/domain/1/device/vif/0", "x"), 0);
    settle(l1);
    CHECK(lc_event(l1, "device/vif/0", "rel"));
    CHECK_EQ(lc_call2(l1, XS_UNWATCH, "device", "rel"), 0);
    lc_free(l1);
    teardown();
}

static void test_specials(void)
{
    struct lc *l1;

    setup();
    l1 = lc_new(xsd, 1);
    CHECK_EQ(lc_call2(w, XS_WATCH, "@introduceDomain", "in"), 0);
    CHECK_EQ(lc_call2(w, XS_WATCH, "@releaseDomain", "out"), 0);
    CHECK_EQ(lc_call2(l1, XS_WATCH, "@releaseDomain", "nosy"), 0);
    CHECK(lc_event(w, "@introduceDomain", "in") && lc_event(w, "@releaseDomain", "out"));
    CHECK(lc_event(l1, "@releaseDomain", "nosy"));
    CHECK_EQ(fb_introduce(l0, 4), 0);
    settle(w);
    CHECK(lc_event(w, "@introduceDomain", "in"));
    CHECK_EQ(w->nevents, 0);
    /* Writing below a special's name is just a node. */
    CHECK_EQ(lc_path(l0, XS_RELEASE, 0, "4"), 0);
    settle(w);
    settle(l1);
    CHECK(lc_event(w, "@releaseDomain", "out"));
    CHECK_EQ(l1->nevents, 0);
    CHECK_EQ(lc_call2(w, XS_WATCH, "@a/b", "t"), EINVAL);
    lc_free(l1);
    teardown();
}

static const struct test_case cases[] = {
    { "xs-watch.registration-event", test_registration_event },
    { "xs-watch.descendants", test_descendants },
    { "xs-watch.unwatch-and-reset", test_unwatch_and_reset },
    { "xs-watch.permission-filter", test_permission_filter },
    { "xs-watch.relative-watch", test_relative_watch },
    { "xs-watch.specials", test_specials },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
