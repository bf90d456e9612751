/*
 * test-xs-txn.c - xenstored's transactions: isolation until commit,
 * abort, conflicts (a node read or written in the transaction changed
 * by someone else, a directory that gained a child) ending in EAGAIN,
 * changes on nested paths applied in order (removal and re-creation),
 * watches firing at commit only, and the per-connection quota.
 */
#include "xs-local.h"

static struct xenstored *xsd;
static struct lc *l0, *other;

static void setup(void)
{
    xsd = xenstored_create(NULL);
    CHECK(xsd);
    l0 = lc_new(xsd, 0);
    other = lc_new(xsd, 0);
}

static void teardown(void)
{
    xenstored_destroy(xsd);
    lc_free(l0);
    lc_free(other);
}

static uint32_t start(struct lc *l)
{
    struct lmsg rep;

    CHECK_EQ(lc_call_rep(l, XS_TRANSACTION_START, 0, S(""), &rep), 0);
    CHECK(rep.hdr.len >= 2 && rep.data[rep.hdr.len - 1] == '\0');
    return strtoul(rep.data, NULL, 10);
}

static int end(struct lc *l, uint32_t t, bool commit)
{
    return lc_call(l, XS_TRANSACTION_END, t, commit ? "T" : "F", 2);
}

static void test_isolation_and_commit(void)
{
    uint32_t t;
    int err;

    setup();
    t = start(l0);
    CHECK(t != 0);
    CHECK_EQ(lc_write(l0, t, "/t/a", "1"), 0);
    CHECK(!strcmp(lc_read_value(l0, t, "/t/a", &err), "1"));
    CHECK(!lc_read_value(other, 0, "/t/a", &err) && err == ENOENT);
    CHECK_EQ(end(l0, t, true), 0);
    CHECK(!strcmp(lc_read_value(other, 0, "/t/a", &err), "1"));
    /* Ended: the id is gone. */
    CHECK_EQ(lc_path(l0, XS_READ, t, "/t/a"), ENOENT);
    teardown();
}

static void test_abort(void)
{
    uint32_t t;
    int err;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/k", "old"), 0);
    t = start(l0);
    CHECK_EQ(lc_write(l0, t, "/k", "new"), 0);
    CHECK_EQ(lc_path(l0, XS_RM, t, "/local"), 0);
    CHECK_EQ(end(l0, t, false), 0);
    CHECK(!strcmp(lc_read_value(l0, 0, "/k", &err), "old"));
    CHECK_EQ(lc_path(l0, XS_DIRECTORY, 0, "/local"), 0);
    teardown();
}

static void test_conflict_on_read(void)
{
    uint32_t t;
    int err;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/c", "1"), 0);
    t = start(l0);
    CHECK(lc_read_value(l0, t, "/c", &err));
    CHECK_EQ(lc_write(l0, t, "/other", "x"), 0);
    CHECK_EQ(lc_write(other, 0, "/c", "2"), 0);
    CHECK_EQ(end(l0, t, true), EAGAIN);
    CHECK(!lc_read_value(l0, 0, "/other", &err) && err == ENOENT);
    CHECK_EQ(lc_path(l0, XS_READ, t, "/c"), ENOENT);
    teardown();
}

static void test_conflict_on_write_and_absent(void)
{
    uint32_t t;

    setup();
    t = start(l0);
    CHECK_EQ(lc_write(l0, t, "/n", "mine"), 0);
    CHECK_EQ(lc_write(other, 0, "/n", "theirs"), 0); /* created meanwhile */
    CHECK_EQ(end(l0, t, true), EAGAIN);
    teardown();
}

static void test_conflict_on_directory(void)
{
    uint32_t t;

    setup();
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/d"), 0);
    t = start(l0);
    CHECK_EQ(lc_path(l0, XS_DIRECTORY, t, "/d"), 0);
    CHECK_EQ(lc_write(l0, t, "/x", "1"), 0);
    CHECK_EQ(lc_path(other, XS_MKDIR, 0, "/d/new"), 0);
    CHECK_EQ(end(l0, t, true), EAGAIN);
    teardown();
}

static void test_no_conflict_elsewhere(void)
{
    uint32_t t;
    int err;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/mine/a", "1"), 0);
    t = start(l0);
    CHECK(lc_read_value(l0, t, "/mine/a", &err));
    CHECK_EQ(lc_write(l0, t, "/mine/a", "2"), 0);
    CHECK_EQ(lc_write(other, 0, "/elsewhere", "x"), 0);
    CHECK_EQ(lc_write(other, 0, "/mine2", "x"), 0);
    CHECK_EQ(end(l0, t, true), 0);
    CHECK(!strcmp(lc_read_value(l0, 0, "/mine/a", &err), "2"));
    CHECK(!strcmp(lc_read_value(l0, 0, "/elsewhere", &err), "x"));
    teardown();
}

static void test_nested_paths(void)
{
    uint32_t t;
    struct lmsg rep;
    int err;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/n/a/b/c", "deep"), 0);
    CHECK_EQ(lc_write(l0, 0, "/n/a/keep", "k"), 0);
    t = start(l0);
    CHECK_EQ(lc_path(l0, XS_RM, t, "/n/a"), 0);
    /* Reading below what this transaction removed is no conflict. */
    CHECK(!lc_read_value(l0, t, "/n/a/b/c", &err) && err == ENOENT);
    CHECK_EQ(lc_write(l0, t, "/n/a/z/y", "fresh"), 0);
    CHECK_EQ(lc_write(l0, t, "/n/q", "q"), 0);
    CHECK_EQ(end(l0, t, true), 0);
    CHECK(!lc_read_value(l0, 0, "/n/a/b/c", &err) && err == ENOENT);
    CHECK(!lc_read_value(l0, 0, "/n/a/keep", &err) && err == ENOENT);
    CHECK(!strcmp(lc_read_value(l0, 0, "/n/a/z/y", &err), "fresh"));
    CHECK_EQ(lc_call_rep(l0, XS_DIRECTORY, 0, S("/n"), &rep), 0);
    CHECK_EQ(rep.hdr.len, sizeof("a\0q"));
    CHECK_EQ(lc_call_rep(l0, XS_DIRECTORY, 0, S("/n/a"), &rep), 0);
    CHECK_EQ(rep.hdr.len, sizeof("z"));
    teardown();
}

static void test_perms_in_transaction(void)
{
    struct lmsg rep;
    uint32_t t;

    setup();
    CHECK_EQ(lc_write(l0, 0, "/p", "v"), 0);
    t = start(l0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, t, S("/p\0r4")), 0);
    CHECK_EQ(lc_call_rep(l0, XS_GET_PERMS, 0, S("/p"), &rep), 0);
    CHECK(!strcmp(rep.data, "n0"));
    CHECK_EQ(end(l0, t, true), 0);
    CHECK_EQ(lc_call_rep(l0, XS_GET_PERMS, 0, S("/p"), &rep), 0);
    CHECK(!strcmp(rep.data, "r4"));
    teardown();
}

static void test_watch_fires_at_commit(void)
{
    uint32_t t;

    setup();
    CHECK_EQ(lc_call2(other, XS_WATCH, "/w", "tok"), 0);
    CHECK(lc_event(other, "/w", "tok"));
    t = start(l0);
    CHECK_EQ(lc_write(l0, t, "/w/x", "1"), 0);
    lc_pump(other, &(struct lmsg){ 0 });
    CHECK_EQ(other->nevents, 0);
    CHECK_EQ(end(l0, t, true), 0);
    lc_pump(other, &(struct lmsg){ 0 });
    CHECK(lc_event(other, "/w/x", "tok"));
    teardown();
}

static void test_bad_ends_and_nesting(void)
{
    uint32_t t;

    setup();
    t = start(l0);
    CHECK_EQ(lc_call(l0, XS_TRANSACTION_START, t, S("")), EBUSY);
    CHECK_EQ(lc_call(l0, XS_TRANSACTION_END, t, S("X")), EINVAL);
    CHECK_EQ(lc_call(l0, XS_TRANSACTION_END, t, B("T")), EINVAL);
    /* Another connection cannot use it. */
    CHECK_EQ(lc_path(other, XS_READ, t, "/local"), ENOENT);
    CHECK_EQ(end(l0, t, true), 0);
    teardown();
}

static void test_quota(void)
{
    struct lc *l5;
    unsigned int i;

    setup();
    l5 = lc_new(xsd, 5);
    for ( i = 0; i < QUOTA_TXNS_PER_CONN; i++ )
        start(l5);
    CHECK_EQ(lc_call(l5, XS_TRANSACTION_START, 0, S("")), ENOSPC);
    for ( i = 0; i < 2 * QUOTA_TXNS_PER_CONN; i++ )
        start(l0); /* dom0 is not limited */
    /* RESET_WATCHES ends a connection's transactions too. */
    CHECK_EQ(lc_call(l5, XS_RESET_WATCHES, 0, S("")), 0);
    start(l5);
    lc_free(l5);
    teardown();
}

static const struct test_case cases[] = {
    { "xs-txn.isolation-and-commit", test_isolation_and_commit },
    { "xs-txn.abort", test_abort },
    { "xs-txn.conflict-on-read", test_conflict_on_read },
    { "xs-txn.conflict-on-write-and-absent", test_conflict_on_write_and_absent },
    { "xs-txn.conflict-on-directory", test_conflict_on_directory },
    { "xs-txn.no-conflict-elsewhere", test_no_conflict_elsewhere },
    { "xs-txn.nested-paths", test_nested_paths },
    { "xs-txn.perms-in-transaction", test_perms_in_transaction },
    { "xs-txn.watch-fires-at-commit", test_watch_fires_at_commit },
    { "xs-txn.bad-ends-and-nesting", test_bad_ends_and_nesting },
    { "xs-txn.quota", test_quota },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
