/*
 * test-xs-perms.c - xenstored's permissions between domains: dom0 may do
 * anything; another domain reads and writes by the node's permission
 * list (owner first, then per-domain entries, else the owner entry's
 * default); a missing node is EACCES, not ENOENT, where the asker may
 * not read its parent; relative paths live under /local/domain/<id>;
 * only the owner changes permissions and only dom0 changes the owner;
 * the domain requests are dom0's; SET_TARGET lends a domain's rights.
 */
#include "xs-local.h"

static struct fake_be fb;
static struct xenstored *xsd;
static struct lc *l0, *l1, *l2;

static void setup(void)
{
    xsd = fb_daemon(&fb);
    l0 = lc_new(xsd, 0);
    l1 = lc_new(xsd, 1);
    l2 = lc_new(xsd, 2);
    /* /local/domain/1 belongs to domain 1, as a toolstack makes it. */
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/local/domain/1"), 0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/1\0n1")), 0);
}

static void teardown(void)
{
    xenstored_destroy(xsd);
    lc_free(l0);
    lc_free(l1);
    lc_free(l2);
}

static void test_owner_and_others(void)
{
    int err;

    setup();
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/x", "mine"), 0);
    CHECK(!strcmp(lc_read_value(l1, 0, "/local/domain/1/x", &err), "mine"));
    CHECK(!lc_read_value(l2, 0, "/local/domain/1/x", &err));
    CHECK_EQ(err, EACCES);
    CHECK_EQ(lc_write(l2, 0, "/local/domain/1/x", "theirs"), EACCES);
    CHECK_EQ(lc_write(l2, 0, "/local/domain/1/y", "new"), EACCES);
    CHECK_EQ(lc_path(l2, XS_RM, 0, "/local/domain/1/x"), EACCES);
    CHECK_EQ(lc_path(l2, XS_DIRECTORY, 0, "/local/domain/1"), EACCES);
    CHECK_EQ(lc_path(l2, XS_GET_PERMS, 0, "/local/domain/1/x"), EACCES);
    /* dom0 reads everything. */
    CHECK(!strcmp(lc_read_value(l0, 0, "/local/domain/1/x", &err), "mine"));
    teardown();
}

static void test_missing_node_errno(void)
{
    int err;

    setup();
    /* The owner learns it is missing; a stranger learns nothing. */
    CHECK(!lc_read_value(l1, 0, "/local/domain/1/nope/deeper", &err));
    CHECK_EQ(err, ENOENT);
    CHECK(!lc_read_value(l2, 0, "/local/domain/1/nope/deeper", &err));
    CHECK_EQ(err, EACCES);
    teardown();
}

static void test_acl_entries(void)
{
    int err;

    setup();
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/shared", "s"), 0);
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/shared\0n1\0r2")), 0);
    CHECK(!strcmp(lc_read_value(l2, 0, "/local/domain/1/shared", &err), "s"));
    CHECK_EQ(lc_write(l2, 0, "/local/domain/1/shared", "no"), EACCES);
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/shared\0n1\0w2")), 0);
    CHECK_EQ(lc_write(l2, 0, "/local/domain/1/shared", "yes"), 0);
    CHECK(!lc_read_value(l2, 0, "/local/domain/1/shared", &err) && err == EACCES);
    /* The owner entry's letter is everyone else's default. */
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/shared\0r1")), 0);
    CHECK(!strcmp(lc_read_value(l2, 0, "/local/domain/1/shared", &err), "yes"));
    /* A child of a write-only node: created by 2, owned by 2. */
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/shared\0n1\0b2")), 0);
    CHECK_EQ(lc_write(l2, 0, "/local/domain/1/shared/kid", "k"), 0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/1/shared\0n1")), 0);
    CHECK(!strcmp(lc_read_value(l2, 0, "/local/domain/1/shared/kid", &err), "k"));
    teardown();
}

static void test_inherit_on_create(void)
{
    struct lmsg rep;

    setup();
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/1\0n1\0r3")), 0);
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/a/b", "v"), 0);
    CHECK_EQ(lc_call_rep(l0, XS_GET_PERMS, 0, S("/local/domain/1/a/b"), &rep), 0);
    CHECK_EQ(rep.hdr.len, sizeof("n1\0r3"));
    CHECK(!memcmp(rep.data, "n1\0r3", rep.hdr.len));
    /* dom0 creating under it keeps the parent's owner. */
    CHECK_EQ(lc_write(l0, 0, "/local/domain/1/c", "v"), 0);
    CHECK_EQ(lc_call_rep(l0, XS_GET_PERMS, 0, S("/local/domain/1/c"), &rep), 0);
    CHECK(!memcmp(rep.data, "n1\0r3", rep.hdr.len));
    teardown();
}

static void test_relative_paths(void)
{
    int err;

    setup();
    CHECK_EQ(lc_write(l1, 0, "data/key", "rel"), 0);
    CHECK(!strcmp(lc_read_value(l0, 0, "/local/domain/1/data/key", &err), "rel"));
    CHECK(!strcmp(lc_read_value(l1, 0, "data/key", &err), "rel"));
    /* Domain 2's relative paths are its own (which it may not create). */
    CHECK_EQ(lc_write(l2, 0, "data/key", "x"), EACCES);
    teardown();
}

static void test_set_perms_rules(void)
{
    setup();
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/p", "v"), 0);
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/p\0n1\0b2")), 0);
    /* Write access is not ownership. */
    CHECK_EQ(lc_call(l2, XS_SET_PERMS, 0, S("/local/domain/1/p\0n2")), EACCES);
    CHECK_EQ(lc_call(l2, XS_SET_PERMS, 0, S("/local/domain/1/p\0n1\0b2")), EACCES);
    /* The owner may not give the node away; dom0 may. */
    CHECK_EQ(lc_call(l1, XS_SET_PERMS, 0, S("/local/domain/1/p\0n2")), EPERM);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/1/p\0n2")), 0);
    CHECK_EQ(lc_call(l2, XS_SET_PERMS, 0, S("/local/domain/1/p\0r2")), 0);
    teardown();
}

static void test_privileged_requests(void)
{
    setup();
    CHECK_EQ(lc_call(l1, XS_INTRODUCE, 0,
                     S("3\0"
                       "103\0"
                       "7")),
             EACCES);
    CHECK_EQ(lc_call(l1, XS_RELEASE, 0, S("3")), EACCES);
    CHECK_EQ(lc_call(l1, XS_SET_TARGET, 0,
                     S("3\0"
                       "4")),
             EACCES);
    CHECK_EQ(lc_call(l1, XS_CONTROL, 0, S("check")), EACCES);
    CHECK_EQ(lc_call(l1, XS_RESUME, 0, S("3")), EACCES);
    /* Queries are anyone's. */
    CHECK_EQ(lc_call(l1, XS_GET_DOMAIN_PATH, 0, S("3")), 0);
    CHECK_EQ(lc_call(l1, XS_IS_DOMAIN_INTRODUCED, 0, S("3")), 0);
    teardown();
}

static void test_set_target(void)
{
    struct lc *l3;
    int err;

    setup();
    /* Domain 3 (a device model, say) gets domain 1's rights. */
    CHECK_EQ(fb_introduce(l0, 3), 0);
    CHECK_EQ(fb_introduce(l0, 1), 0);
    l3 = lc_new(xsd, 3);
    CHECK_EQ(lc_write(l1, 0, "/local/domain/1/dm", "v"), 0);
    CHECK(!lc_read_value(l3, 0, "/local/domain/1/dm", &err) && err == EACCES);
    CHECK_EQ(lc_call(l0, XS_SET_TARGET, 0,
                     S("3\0"
                       "1")),
             0);
    /* The rights go to domain 3's ring connection, not to l3. */
    CHECK(!lc_read_value(l3, 0, "/local/domain/1/dm", &err) && err == EACCES);
    CHECK_EQ(conn_of_domain(xsd, 3)->who.target, 1);
    CHECK_EQ(perm_for(&conn_of_domain(xsd, 3)->who,
                      &tree_lookup(&xsd->tree, "/local/domain/1/dm")->perms),
             PERM_READ | PERM_WRITE | PERM_OWNER);
    lc_free(l3);
    teardown();
}

static const struct test_case cases[] = {
    { "xs-perms.owner-and-others", test_owner_and_others },
    { "xs-perms.missing-node-errno", test_missing_node_errno },
    { "xs-perms.acl-entries", test_acl_entries },
    { "xs-perms.inherit-on-create", test_inherit_on_create },
    { "xs-perms.relative-paths", test_relative_paths },
    { "xs-perms.set-perms-rules", test_set_perms_rules },
    { "xs-perms.privileged-requests", test_privileged_requests },
    { "xs-perms.set-target", test_set_target },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
