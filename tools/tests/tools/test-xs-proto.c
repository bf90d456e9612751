/*
 * test-xs-proto.c - xenstored's protocol, message by message: every
 * request type with its replies and errors, as Xen's xenstored answers
 * them, from dom0 over an in-memory connection. Permissions between
 * domains, transactions, watches, quotas and the ring have their own
 * tests (test-xs-*.c).
 */
#include <stdio.h>

#include "xs-local.h"

static struct xenstored *xsd;
static struct lc *l0;

static void setup(void)
{
    xsd = xenstored_create(NULL);
    CHECK(xsd);
    l0 = lc_new(xsd, 0);
}

static void teardown(void)
{
    xenstored_destroy(xsd);
    lc_free(l0);
}

static void test_write_read(void)
{
    int err;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/a/b/c", "hello"), 0);
    CHECK(!strcmp(lc_read_value(l0, 0, "/a/b/c", &err), "hello"));
    /* The ancestors were made, with empty values. */
    CHECK(!strcmp(lc_read_value(l0, 0, "/a/b", &err), ""));
    CHECK_EQ(lc_write(l0, 0, "/a/b/c", ""), 0);
    CHECK(!strcmp(lc_read_value(l0, 0, "/a/b/c", &err), ""));
    CHECK(!lc_read_value(l0, 0, "/a/x", &err));
    CHECK_EQ(err, ENOENT);
    teardown();
}

static void test_read_is_raw(void)
{
    struct lmsg rep;

    setup();
    /* A value may hold any byte, NULs included; READ returns it as is. */
    CHECK_EQ(lc_call(l0, XS_WRITE, 0, B("/v\0a\0b")), 0);
    CHECK_EQ(lc_call_rep(l0, XS_READ, 0, S("/v"), &rep), 0);
    CHECK_EQ(rep.hdr.len, 3);
    CHECK(!memcmp(rep.data, "a\0b", 3));
    teardown();
}

static void test_directory(void)
{
    struct lmsg rep;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/d/one", "1"), 0);
    CHECK_EQ(lc_write(l0, 0, "/d/two", "2"), 0);
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/d/three"), 0);
    CHECK_EQ(lc_call_rep(l0, XS_DIRECTORY, 0, S("/d"), &rep), 0);
    CHECK_EQ(rep.hdr.len, sizeof("one\0two\0three"));
    CHECK(!memcmp(rep.data, "one\0two\0three", rep.hdr.len));
    CHECK_EQ(lc_call_rep(l0, XS_DIRECTORY, 0, S("/d/one"), &rep), 0);
    CHECK_EQ(rep.hdr.len, 0);
    CHECK_EQ(lc_path(l0, XS_DIRECTORY, 0, "/nope"), ENOENT);
    /* The store starts with Xen's skeleton. */
    CHECK_EQ(lc_call_rep(l0, XS_DIRECTORY, 0, S("/local"), &rep), 0);
    CHECK(!strcmp(rep.data, "domain"));
    teardown();
}

static void test_directory_part(void)
{
    struct lmsg rep;
    char name[32], req[64];
    unsigned int i, seen = 0, off = 0, pos;
    int n;

    setup();
    for ( i = 0; i < 400; i++ )
    {
        snprintf(name, sizeof(name), "/p/child-with-a-long-name-%03u", i);
        CHECK_EQ(lc_path(l0, XS_MKDIR, 0, name), 0);
    }
    for ( ;; )
    {
        n = snprintf(req, sizeof(req), "/p%c%u", '\0', off);
        CHECK_EQ(lc_call_rep(l0, XS_DIRECTORY_PART, 0, req, n + 1, &rep), 0);
        pos = strlen(rep.data) + 1; /* the generation */
        CHECK(rep.data[0] >= '1' && rep.data[0] <= '9');
        while ( pos < rep.hdr.len && rep.data[pos] )
        {
            snprintf(name, sizeof(name), "child-with-a-long-name-%03u", seen++);
            CHECK_MSG(!strcmp(rep.data + pos, name), "got %s", rep.data + pos);
            off += strlen(name) + 1;
            pos += strlen(name) + 1;
        }
        if ( pos < rep.hdr.len )
            break; /* the empty string: the end */
    }
    CHECK_EQ(seen, 400);
    /* A plain DIRECTORY of it does not fit a message. */
    CHECK_EQ(lc_path(l0, XS_DIRECTORY, 0, "/p"), E2BIG);
    CHECK_EQ(lc_call(l0, XS_DIRECTORY_PART, 0, S("/p")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_DIRECTORY_PART, 0, S("/p\0x")), EINVAL);
    teardown();
}

static void test_mkdir_rm(void)
{
    int err;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/m", "keep"), 0);
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/m"), 0); /* exists: fine, unchanged */
    CHECK(!strcmp(lc_read_value(l0, 0, "/m", &err), "keep"));
    CHECK_EQ(lc_write(l0, 0, "/m/a/b", "x"), 0);
    CHECK_EQ(lc_path(l0, XS_RM, 0, "/m/a"), 0);
    CHECK(!lc_read_value(l0, 0, "/m/a/b", &err) && err == ENOENT);
    CHECK_EQ(lc_path(l0, XS_RM, 0, "/m/a"), 0);        /* gone, parent there: fine */
    CHECK_EQ(lc_path(l0, XS_RM, 0, "/m/a/b"), ENOENT); /* parent gone too */
    CHECK_EQ(lc_path(l0, XS_RM, 0, "/"), EINVAL);
    teardown();
}

static void test_perms_wire(void)
{
    struct lmsg rep;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/q", "v"), 0);
    CHECK_EQ(lc_call_rep(l0, XS_GET_PERMS, 0, S("/q"), &rep), 0);
    CHECK_EQ(rep.hdr.len, sizeof("n0"));
    CHECK(!strcmp(rep.data, "n0"));
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/q\0b5\0r7\0w9\0n11")), 0);
    CHECK_EQ(lc_call_rep(l0, XS_GET_PERMS, 0, S("/q"), &rep), 0);
    CHECK_EQ(rep.hdr.len, sizeof("b5\0r7\0w9\0n11"));
    CHECK(!memcmp(rep.data, "b5\0r7\0w9\0n11", rep.hdr.len));
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/q\0x5")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/q\0r")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/q\0r99999")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/q")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/nope\0r0")), ENOENT);
    teardown();
}

static void test_bad_requests(void)
{
    char big[XENSTORE_ABS_PATH_MAX + 8];

    setup();
    CHECK_EQ(lc_call(l0, XS_READ, 0, B("/no-nul")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_READ, 0, S("/two\0strings")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_READ, 0, "", 0), EINVAL);
    CHECK_EQ(lc_call(l0, XS_WRITE, 0, B("/no-nul-at-all")), EINVAL);
    CHECK_EQ(lc_path(l0, XS_READ, 0, "/a//b"), EINVAL);
    CHECK_EQ(lc_path(l0, XS_READ, 0, "/a/"), EINVAL);
    CHECK_EQ(lc_path(l0, XS_READ, 0, "/a b"), EINVAL);
    CHECK_EQ(lc_path(l0, XS_READ, 0, "/a*"), EINVAL);
    CHECK_EQ(lc_path(l0, XS_READ, 0, ""), EINVAL);
    memset(big, 'x', sizeof(big) - 1);
    big[0] = '/';
    big[sizeof(big) - 1] = '\0';
    CHECK_EQ(lc_path(l0, XS_WRITE, 0, big), EINVAL);
    CHECK_EQ(lc_call(l0, 20, 0, S("x")), EINVAL); /* withdrawn XS_RESTRICT */
    CHECK_EQ(lc_call(l0, XS_WATCH_EVENT, 0, S("x")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_ERROR, 0, S("x")), EINVAL);
    CHECK_EQ(lc_call(l0, 9999, 0, S("x")), EINVAL);
    CHECK_EQ(lc_path(l0, XS_READ, 77, "/a"), ENOENT); /* no such transaction */
    CHECK_EQ(lc_call(l0, XS_TRANSACTION_END, 0, S("T")), ENOENT);
    teardown();
}

static void test_domain_queries(void)
{
    struct lmsg rep;

    setup();
    CHECK_EQ(lc_call_rep(l0, XS_GET_DOMAIN_PATH, 0, S("7"), &rep), 0);
    CHECK(!strcmp(rep.data, "/local/domain/7"));
    CHECK_EQ(rep.hdr.len, sizeof("/local/domain/7"));
    CHECK_EQ(lc_call(l0, XS_GET_DOMAIN_PATH, 0, S("x")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_GET_DOMAIN_PATH, 0, S("70000")), EINVAL);
    CHECK_EQ(lc_call_rep(l0, XS_IS_DOMAIN_INTRODUCED, 0, S("7"), &rep), 0);
    CHECK(!strcmp(rep.data, "F"));
    CHECK_EQ(lc_call_rep(l0, XS_IS_DOMAIN_INTRODUCED, 0, S("0"), &rep), 0);
    CHECK(!strcmp(rep.data, "T"));
    CHECK_EQ(lc_call(l0, XS_RELEASE, 0, S("7")), ENOENT);
    CHECK_EQ(lc_call(l0, XS_RESUME, 0, S("7")), ENOENT);
    CHECK_EQ(lc_call(l0, XS_SET_TARGET, 0,
                     S("7\0"
                       "8")),
             ENOENT);
    /* No backend to reach rings with. */
    CHECK_EQ(lc_call(l0, XS_INTRODUCE, 0,
                     S("7\0"
                       "100\0"
                       "3")),
             ENOSYS);
    CHECK_EQ(lc_call(l0, XS_INTRODUCE, 0,
                     S("0\0"
                       "100\0"
                       "3")),
             EINVAL);
    CHECK_EQ(lc_call(l0, XS_INTRODUCE, 0,
                     S("7\0"
                       "100")),
             EINVAL);
    CHECK_EQ(lc_call(l0, XS_CONTROL, 0, S("check")), 0);
    CHECK_EQ(lc_call(l0, XS_CONTROL, 0, S("print\0hello from test-xs-proto")), 0);
    CHECK_EQ(lc_call(l0, XS_CONTROL, 0, S("frobnicate")), EINVAL);
    teardown();
}

static void test_replies_in_order(void)
{
    struct lmsg m;
    uint32_t ids[5];
    unsigned int i;

    setup();
    /* Several requests in one write: one reply each, in order. */
    for ( i = 0; i < 5; i++ )
        ids[i] = lc_send(l0, XS_WRITE, 0, B("/o\0v"));
    for ( i = 0; i < 100 && xenstored_run(xsd); i++ )
        ;
    for ( i = 0; i < 5; i++ )
    {
        CHECK(lc_take(l0, &m));
        CHECK_EQ(m.hdr.req_id, ids[i]);
        CHECK(!strcmp(m.data, "OK"));
    }
    teardown();
}

static const struct test_case cases[] = {
    { "xs-proto.write-read", test_write_read },
    { "xs-proto.read-is-raw", test_read_is_raw },
    { "xs-proto.directory", test_directory },
    { "xs-proto.directory-part", test_directory_part },
    { "xs-proto.mkdir-rm", test_mkdir_rm },
    { "xs-proto.perms-wire", test_perms_wire },
    { "xs-proto.bad-requests", test_bad_requests },
    { "xs-proto.domain-queries", test_domain_queries },
    { "xs-proto.replies-in-order", test_replies_in_order },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
