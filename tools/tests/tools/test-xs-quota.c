/*
 * test-xs-quota.c - xenstored's quotas for unprivileged domains, with
 * Xen's defaults and errors: 1000 nodes a domain (ENOSPC), a 2048-byte
 * value (ENOSPC), 128 watches a connection (E2BIG), 5 permission
 * entries (ENOSPC); nodes handed back on removal and on release; dom0
 * unlimited. The transaction quota is in test-xs-txn.c.
 */
#include <stdio.h>

#include "xs-local.h"

static struct fake_be fb;
static struct xenstored *xsd;
static struct lc *l0, *l1;

static void setup(void)
{
    xsd = fb_daemon(&fb);
    l0 = lc_new(xsd, 0);
    l1 = lc_new(xsd, 1);
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/local/domain/1"), 0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/1\0n1")), 0);
}

static void teardown(void)
{
    xenstored_destroy(xsd);
    lc_free(l0);
    lc_free(l1);
}

static void test_nodes(void)
{
    unsigned int i, have;
    char path[64];

    setup();
    have = acct_nodes(&xsd->tree, 1);
    CHECK_EQ(have, 1);
    for ( i = have; i < QUOTA_NODES_PER_DOMAIN; i++ )
    {
        snprintf(path, sizeof(path), "/local/domain/1/n%u", i);
        CHECK_EQ(lc_write(l1, 0, path, "x"), 0);
    }
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/one-more", "x"), ENOSPC);
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/n1", "rewrite is fine"), 0);
    /* Removing one gives its place back. */
    CHECK_EQ(lc_path(l1, XS_RM, 0, "/local/domain/1/n5"), 0);
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/one-more", "x"), 0);
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/a/b", "x"), ENOSPC); /* two new */
    teardown();
}

static void test_entry_size(void)
{
    static char buf[XENSTORE_PAYLOAD_MAX];
    unsigned int p = sizeof("/local/domain/1/big");

    setup();
    memcpy(buf, "/local/domain/1/big", p);
    memset(buf + p, 'v', sizeof(buf) - p);
    CHECK_EQ(lc_call(l1, XS_WRITE, 0, buf, p + QUOTA_ENTRY_SIZE), 0);
    CHECK_EQ(lc_call(l1, XS_WRITE, 0, buf, p + QUOTA_ENTRY_SIZE + 1), ENOSPC);
    CHECK_EQ(lc_call(l0, XS_WRITE, 0, buf, sizeof(buf)), 0);
    teardown();
}

static void test_watches(void)
{
    char tok[16];
    unsigned int i;

    setup();
    for ( i = 0; i < QUOTA_WATCHES_PER_CONN; i++ )
    {
        snprintf(tok, sizeof(tok), "t%u", i);
        CHECK_EQ(lc_call2(l1, XS_WATCH, "/local/domain/1", tok), 0);
    }
    CHECK_EQ(lc_call2(l1, XS_WATCH, "/local/domain/1", "over"), E2BIG);
    CHECK_EQ(lc_call2(l1, XS_UNWATCH, "/local/domain/1", "t0"), 0);
    CHECK_EQ(lc_call2(l1, XS_WATCH, "/local/domain/1", "over"), 0);
    for ( i = 0; i < 2 * QUOTA_WATCHES_PER_CONN; i++ )
    {
        snprintf(tok, sizeof(tok), "t%u", i);
        CHECK_EQ(lc_call2(l0, XS_WATCH, "/", tok), 0);
    }
    teardown();
}

static void test_perms_entries(void)
{
    setup();
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/p", "v"), 0);
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/p\0n1\0r2\0r3\0r4\0r5")), 0);
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/p\0n1\0r2\0r3\0r4\0r5\0r6")), ENOSPC);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/1/p\0n1\0r2\0r3\0r4\0r5\0r6")), 0);
    teardown();
}

static void test_release_hands_back(void)
{
    setup();
    CHECK_EQ(fb_introduce(l0, 1), 0);
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/x", "v"), 0);
    CHECK_EQ(acct_nodes(&xsd->tree, 1), 2);
    CHECK_EQ(lc_path(l0, XS_RELEASE, 0, "1"), 0);
    CHECK_EQ(acct_nodes(&xsd->tree, 1), 0);
    CHECK_EQ(fb.mapped, 0);
    CHECK_EQ(fb.bound, 0);
    teardown();
}

static const struct test_case cases[] = {
    { "xs-quota.nodes", test_nodes },
    { "xs-quota.entry-size", test_entry_size },
    { "xs-quota.watches", test_watches },
    { "xs-quota.perms-entries", test_perms_entries },
    { "xs-quota.release-hands-back", test_release_hands_back },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
