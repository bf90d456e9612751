/*
 * test-xs-client.c - libxenstore against xenstored, the way dom0's tools
 * use them: the daemon's loop in a thread, listening on a real Unix
 * socket (XENSTORED_PATH), and the xs_* calls of xenstore.h from the
 * test's thread. Also the ring transport, the daemon run from the
 * client's wait hook. Checks results and errno, transactions that must
 * be retried, watch events queued beside replies, xs_fileno polling
 * readable for an event, and the DIRECTORY_PART fallback.
 */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "xs-local.h"
#include "xenstore.h"
#include "../../libs/store/transport.h"

static struct fake_be fb;
static struct xenstored *xsd;
static pthread_t thread;
static volatile bool stop, running;
static char sock_path[64];

static void *daemon_loop(void *arg)
{
    struct pollfd fds[64];
    unsigned int n;

    while ( !stop )
    {
        n = xenstored_pollfds(xsd, fds, 64);
        poll(fds, n, 5);
        while ( xenstored_run(xsd) )
            ;
    }
    return NULL;
}

static struct xs_handle *setup(void)
{
    struct xs_handle *h;

    /* A failed case left its daemon running: stop it first. */
    if ( running )
    {
        stop = true;
        pthread_join(thread, NULL);
    }
    snprintf(sock_path, sizeof(sock_path), "/tmp/xs-test-%d.sock", getpid());
    xsd = fb_daemon(&fb);
    CHECK_EQ(xenstored_listen(xsd, sock_path), 0);
    setenv("XENSTORED_PATH", sock_path, 1);
    stop = false;
    CHECK_EQ(pthread_create(&thread, NULL, daemon_loop, NULL), 0);
    running = true;
    h = xs_open(0);
    CHECK(h);
    return h;
}

static void teardown(struct xs_handle *h)
{
    xs_close(h);
    stop = true;
    pthread_join(thread, NULL);
    running = false;
    xenstored_destroy(xsd);
    CHECK_EQ(access(sock_path, F_OK), -1);
}

static void test_nodes(void)
{
    struct xs_handle *h = setup();
    unsigned int len, num;
    char *v, **dir;

    CHECK(xs_write(h, XBT_NULL, "/c/one", "1", 1));
    CHECK(xs_mkdir(h, XBT_NULL, "/c/two"));
    CHECK((v = xs_read(h, XBT_NULL, "/c/one", &len)) && len == 1 && !strcmp(v, "1"));
    free(v);
    CHECK((dir = xs_directory(h, XBT_NULL, "/c", &num)));
    CHECK(num == 2 && !strcmp(dir[0], "one") && !strcmp(dir[1], "two"));
    free(dir);
    CHECK(xs_rm(h, XBT_NULL, "/c"));
    errno = 0;
    CHECK(!xs_read(h, XBT_NULL, "/c/one", &len) && errno == ENOENT);
    CHECK(!xs_write(h, XBT_NULL, "bad//path", "", 0) && errno == EINVAL);
    CHECK(!xs_rm(h, XBT_NULL, "/") && errno == EINVAL);
    teardown(h);
}

static void test_big_and_errors(void)
{
    struct xs_handle *h = setup();
    static char big[XENSTORE_PAYLOAD_MAX + 1];

    CHECK(!xs_write(h, XBT_NULL, "/big", big, sizeof(big)) && errno == E2BIG);
    /* The connection is still good after a refused call. */
    CHECK(xs_write(h, XBT_NULL, "/big", big, 2000));
    teardown(h);
    unsetenv("XENSTORED_PATH");
    setenv("XENSTORED_PATH", "/nonexistent/xs.sock", 1);
    CHECK(!xs_open(0) && errno == ENOENT);
}

static void test_perms(void)
{
    struct xs_handle *h = setup();
    struct xs_permissions set[2] = { { 1, XS_PERM_NONE }, { 2, XS_PERM_READ | XS_PERM_WRITE } };
    struct xs_permissions *got;
    unsigned int num;

    CHECK(xs_write(h, XBT_NULL, "/p", "v", 1));
    CHECK(xs_set_permissions(h, XBT_NULL, "/p", set, 2));
    CHECK((got = xs_get_permissions(h, XBT_NULL, "/p", &num)));
    CHECK(num == 2 && got[0].id == 1 && got[0].perms == XS_PERM_NONE && got[1].id == 2 &&
          got[1].perms == (XS_PERM_READ | XS_PERM_WRITE));
    free(got);
    CHECK(!xs_get_permissions(h, XBT_NULL, "/nope", &num) && errno == ENOENT);
    teardown(h);
}

static void test_transactions(void)
{
    struct xs_handle *h = setup(), *h2 = xs_open(0);
    xs_transaction_t t;
    unsigned int len;
    char *v;

    CHECK(h2);
    CHECK(xs_write(h, XBT_NULL, "/t", "0", 1));
    CHECK((t = xs_transaction_start(h)) != XBT_NULL);
    free(xs_read(h, t, "/t", &len));
    CHECK(xs_write(h, t, "/t", "1", 1));
    CHECK(xs_write(h2, XBT_NULL, "/t", "2", 1));
    CHECK(!xs_transaction_end(h, t, false) && errno == EAGAIN);
    /* Retry, as a caller does. */
    CHECK((t = xs_transaction_start(h)) != XBT_NULL);
    CHECK(xs_write(h, t, "/t", "3", 1));
    CHECK(xs_transaction_end(h, t, false));
    CHECK((v = xs_read(h2, XBT_NULL, "/t", &len)) && !strcmp(v, "3"));
    free(v);
    CHECK((t = xs_transaction_start(h)) != XBT_NULL);
    CHECK(xs_write(h, t, "/t", "4", 1));
    CHECK(xs_transaction_end(h, t, true));
    CHECK((v = xs_read(h2, XBT_NULL, "/t", &len)) && !strcmp(v, "3"));
    free(v);
    xs_close(h2);
    teardown(h);
}

static bool is_event(char **ev, const char *path, const char *token)
{
    bool yes = ev && !strcmp(ev[XS_WATCH_PATH], path) && !strcmp(ev[XS_WATCH_TOKEN], token);

    free(ev);
    return yes;
}

static void test_watches(void)
{
    struct xs_handle *h = setup(), *h2 = xs_open(0);
    struct pollfd pfd;
    unsigned int num;

    CHECK(h2);
    CHECK(xs_watch(h, "/w", "tok"));
    CHECK(is_event(xs_read_watch(h, &num), "/w", "tok") && num == 2);
    CHECK(!xs_check_watch(h) && errno == EAGAIN);
    /* An event that came in while a call waited is queued. */
    CHECK(xs_write(h, XBT_NULL, "/w/self", "1", 1));
    CHECK(is_event(xs_check_watch(h), "/w/self", "tok"));
    /* One from elsewhere makes xs_fileno readable. */
    CHECK(xs_write(h2, XBT_NULL, "/w/other", "1", 1));
    pfd = (struct pollfd){ .fd = xs_fileno(h), .events = POLLIN };
    CHECK_EQ(poll(&pfd, 1, 2000), 1);
    CHECK(is_event(xs_check_watch(h), "/w/other", "tok"));
    /* Unwatching drops what is queued for that watch. */
    CHECK(xs_write(h, XBT_NULL, "/w/gone", "1", 1));
    CHECK(xs_unwatch(h, "/w", "tok"));
    CHECK(!xs_check_watch(h) && errno == EAGAIN);
    CHECK(!xs_unwatch(h, "/w", "tok") && errno == ENOENT);
    xs_close(h2);
    teardown(h);
}

static void test_directory_parts(void)
{
    struct xs_handle *h = setup();
    char path[64], **dir;
    unsigned int i, num;

    for ( i = 0; i < 300; i++ )
    {
        snprintf(path, sizeof(path), "/many/a-rather-long-child-name-%03u", i);
        CHECK(xs_mkdir(h, XBT_NULL, path));
    }
    CHECK((dir = xs_directory(h, XBT_NULL, "/many", &num)));
    CHECK_EQ(num, 300);
    CHECK(!strcmp(dir[299], "a-rather-long-child-name-299"));
    free(dir);
    teardown(h);
}

static void test_domains(void)
{
    struct xs_handle *h = setup();
    char *p;

    CHECK(!xs_is_domain_introduced(h, 3));
    CHECK(xs_introduce_domain(h, 3, 103, 7));
    CHECK(xs_is_domain_introduced(h, 3));
    CHECK((p = xs_get_domain_path(h, 3)) && !strcmp(p, "/local/domain/3"));
    free(p);
    CHECK(xs_release_domain(h, 3));
    CHECK(!xs_release_domain(h, 3) && errno == ENOENT);
    CHECK(!xs_introduce_domain(h, 3, FB_BAD_MFN, 7) && errno == EINVAL);
    teardown(h);
}

/* The ring transport: the daemon runs whenever the client waits. */
static void ring_kick(void *opaque)
{
}

static int ring_wait(void *opaque)
{
    static unsigned int idle;

    if ( xenstored_run(opaque) )
        idle = 0;
    else if ( ++idle > 1000 )
    {
        errno = ETIMEDOUT;
        return -1;
    }
    return 0;
}

static void test_ring_transport(void)
{
    struct xs_handle *h;
    struct lc *l0;
    unsigned int len;
    char *v;

    xsd = fb_daemon(&fb);
    l0 = lc_new(xsd, 0);
    CHECK_EQ(fb_introduce(l0, 4), 0);
    CHECK_EQ(lc_path(l0, XS_MKDIR, 0, "/local/domain/4"), 0);
    CHECK_EQ(lc_call(l0, XS_SET_PERMS, 0, S("/local/domain/4\0n4")), 0);
    h = xs_open_transport(xs_transport_ring(&fb.rings[4], ring_kick, ring_wait, xsd));
    CHECK(h);
    CHECK_EQ(xs_fileno(h), -1);
    CHECK(xs_write(h, XBT_NULL, "name", "guest", 5));
    CHECK((v = xs_read(h, XBT_NULL, "/local/domain/4/name", &len)) && !strcmp(v, "guest"));
    free(v);
    CHECK(!xs_read(h, XBT_NULL, "/local/domain/1", &len) && errno == EACCES);
    CHECK(xs_watch(h, "name", "n"));
    CHECK(is_event(xs_read_watch(h, &len), "name", "n"));
    xs_close(h);
    xenstored_destroy(xsd);
    lc_free(l0);
}

static const struct test_case cases[] = {
    { "xs-client.nodes", test_nodes },     { "xs-client.big-and-errors", test_big_and_errors },
    { "xs-client.perms", test_perms },     { "xs-client.transactions", test_transactions },
    { "xs-client.watches", test_watches }, { "xs-client.directory-parts", test_directory_parts },
    { "xs-client.domains", test_domains }, { "xs-client.ring-transport", test_ring_transport },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
