/*
 * test-console.c - the console daemon with a guest's console page in
 * memory (a fake backend): output reaches the log and an attached
 * client (the log so far first, then live), a client's keystrokes reach
 * the guest's input ring, a flooding guest costs a bounded log whose
 * oldest bytes go and are counted, a burst limit per pass keeps one
 * guest from starving another, hostile indexes are survived and
 * counted, and removing a domain (or failing to add one) leaves
 * nothing behind.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../console/console.h"
#include "harness.h"

#define DOMS 4

static struct
{
    struct xencons_interface page[DOMS];
    unsigned int mapped, bound, notified[DOMS];
} fk;
static struct xenconsoled *xc;
static char dir[64];

static void *fk_map(void *opaque, unsigned int domid, unsigned long gfn)
{
    if ( domid >= DOMS || gfn == 0xdead )
        return NULL;
    fk.mapped++;
    return &fk.page[domid];
}

static void fk_unmap(void *opaque, void *page)
{
    fk.mapped--;
}

static int fk_bind(void *opaque, unsigned int domid, unsigned int port)
{
    if ( port == 0xbad )
        return -1;
    fk.bound++;
    return domid;
}

static void fk_unbind(void *opaque, int port)
{
    fk.bound--;
}

static void fk_notify(void *opaque, int port)
{
    fk.notified[port]++;
}

static const struct xenconsoled_backend fk_be = {
    .map = fk_map,
    .unmap = fk_unmap,
    .bind = fk_bind,
    .unbind = fk_unbind,
    .notify = fk_notify,
};

static void setup(void)
{
    memset(&fk, 0, sizeof(fk));
    snprintf(dir, sizeof(dir), "/tmp/xc-test-%d", getpid());
    xc = xenconsoled_create(&fk_be, dir);
    CHECK(xc);
}

static void teardown(void)
{
    xenconsoled_destroy(xc);
    CHECK_EQ(fk.mapped, 0);
    CHECK_EQ(fk.bound, 0);
    rmdir(dir);
}

static void run(void)
{
    for ( int i = 0; i < 1000 && xenconsoled_run(xc); i++ )
        ;
}

/* The guest writes into its output ring, as much as fits. */
static unsigned int guest_write(unsigned int domid, const char *s, unsigned int len)
{
    struct xencons_interface *p = &fk.page[domid];
    unsigned int n = 0;

    while ( n < len && p->out_prod - p->out_cons < sizeof(p->out) )
        p->out[MASK_XENCONS_IDX(p->out_prod++, p->out)] = s[n++];
    return n;
}

static unsigned int guest_read(unsigned int domid, char *buf, unsigned int len)
{
    struct xencons_interface *p = &fk.page[domid];
    unsigned int n = 0;

    while ( n < len && p->in_cons != p->in_prod )
        buf[n++] = p->in[MASK_XENCONS_IDX(p->in_cons++, p->in)];
    return n;
}

static int attach(unsigned int domid)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%u", dir, domid);
    CHECK(fd >= 0);
    CHECK_EQ(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    run();
    return fd;
}

/* What the client has been sent so far (up to len). */
static unsigned int client_read(int fd, char *buf, unsigned int len)
{
    unsigned int got = 0;
    ssize_t n;

    run();
    while ( got < len && (n = recv(fd, buf + got, len - got, MSG_DONTWAIT)) > 0 )
    {
        got += n;
        run();
    }
    return got;
}

static void test_log_then_live(void)
{
    char buf[64];
    int fd;

    setup();
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0x9e, 5), 0);
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0x9e, 5), -EEXIST);
    guest_write(1, "boot: hello\n", 12);
    run();
    CHECK_EQ(fk.page[1].out_cons, 12);
    CHECK(fk.notified[1] > 0);
    fd = attach(1);
    CHECK_EQ(client_read(fd, buf, sizeof(buf)), 12);
    CHECK(!memcmp(buf, "boot: hello\n", 12));
    guest_write(1, "live\n", 5);
    CHECK_EQ(client_read(fd, buf, sizeof(buf)), 5);
    CHECK(!memcmp(buf, "live\n", 5));
    close(fd);
    run();
    teardown();
}

static void test_input(void)
{
    char buf[2048];
    static char big[3000];
    int fd;

    setup();
    CHECK_EQ(xenconsoled_add_domain(xc, 2, 0x9e, 5), 0);
    fd = attach(2);
    CHECK_EQ(send(fd, "ls -l\n", 6, 0), 6);
    run();
    CHECK_EQ(guest_read(2, buf, sizeof(buf)), 6);
    CHECK(!memcmp(buf, "ls -l\n", 6));
    /* More than the ring holds: the rest waits until the guest reads. */
    memset(big, 'k', sizeof(big));
    CHECK_EQ(send(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
    run();
    CHECK_EQ(guest_read(2, buf, sizeof(buf)), sizeof(fk.page[2].in));
    run();
    CHECK_EQ(guest_read(2, buf, sizeof(buf)), sizeof(fk.page[2].in));
    run();
    CHECK_EQ(guest_read(2, buf, sizeof(buf)), sizeof(big) - 2 * sizeof(fk.page[2].in));
    close(fd);
    run();
    teardown();
}

static void flood(unsigned int domid, uint64_t bytes)
{
    char chunk[256];
    uint64_t done = 0;
    unsigned int i;

    while ( done < bytes )
    {
        for ( i = 0; i < sizeof(chunk); i++ )
            chunk[i] = 'a' + (done + i) % 26;
        done +=
            guest_write(domid, chunk, bytes - done < sizeof(chunk) ? bytes - done : sizeof(chunk));
        xenconsoled_run(xc);
    }
    run();
}

static void test_flood_bounded(void)
{
    struct xenconsoled_stats st;
    static char buf[XENCONSOLED_LOG_SIZE + 64];
    uint64_t total = 5 * XENCONSOLED_LOG_SIZE + 123;
    unsigned int got, i;
    int fd;

    setup();
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0x9e, 5), 0);
    flood(1, total);
    CHECK_EQ(xenconsoled_stats(xc, 1, &st), 0);
    CHECK_EQ(st.logged, total);
    CHECK_EQ(st.dropped, total - XENCONSOLED_LOG_SIZE);
    /* A client gets the newest LOG_SIZE bytes, in order. */
    fd = attach(1);
    got = client_read(fd, buf, sizeof(buf));
    CHECK_EQ(got, XENCONSOLED_LOG_SIZE);
    for ( i = 0; i < got; i++ )
        CHECK_EQ(buf[i], 'a' + (total - XENCONSOLED_LOG_SIZE + i) % 26);
    close(fd);
    run();
    teardown();
}

static void test_slow_client_skips(void)
{
    static char buf[8 * XENCONSOLED_LOG_SIZE];
    uint64_t total = 5 * XENCONSOLED_LOG_SIZE;
    int fd, small = 4096;
    unsigned int got, i;

    setup();
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0x9e, 5), 0);
    fd = attach(1);
    CHECK(xc->doms && xc->doms->clients);
    setsockopt(xc->doms->clients->fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    /* The client reads nothing while the guest floods. */
    flood(1, total);
    got = client_read(fd, buf, sizeof(buf));
    /* It lost what fell out of the log, and ends with the newest. */
    CHECK(got < total - XENCONSOLED_LOG_SIZE / 2);
    CHECK(got >= XENCONSOLED_LOG_SIZE);
    for ( i = 1; i <= 100; i++ )
        CHECK_EQ(buf[got - i], 'a' + (total - i) % 26);
    for ( i = 1; i <= XENCONSOLED_LOG_SIZE; i++ )
        CHECK_EQ(buf[got - i], 'a' + (total - i) % 26);
    close(fd);
    run();
    teardown();
}

static void test_burst_fairness(void)
{
    struct xencons_interface *p1 = &fk.page[1];

    setup();
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0x9e, 5), 0);
    CHECK_EQ(xenconsoled_add_domain(xc, 2, 0x9e, 5), 0);
    /* A guest whose ring always looks full gets BURST bytes a pass. */
    p1->out_cons = 0;
    p1->out_prod = sizeof(p1->out);
    guest_write(2, "x", 1);
    xenconsoled_run(xc);
    CHECK_EQ(fk.page[2].out_cons, 1);
    CHECK_EQ(p1->out_cons, XENCONSOLED_BURST);
    teardown();
}

static void test_hostile_indexes(void)
{
    struct xenconsoled_stats st;
    char buf[16];
    int fd;

    setup();
    CHECK_EQ(xenconsoled_add_domain(xc, 3, 0x9e, 5), 0);
    fk.page[3].out_cons = 5;
    fk.page[3].out_prod = 5 + 100000; /* more than the ring */
    run();
    CHECK_EQ(xenconsoled_stats(xc, 3, &st), 0);
    CHECK_EQ(st.bad_ring, 1);
    CHECK_EQ(st.logged, 0);
    CHECK_EQ(fk.page[3].out_cons, fk.page[3].out_prod);
    /* A bad input index: keystrokes wait, nothing is written. */
    fd = attach(3);
    fk.page[3].in_prod = fk.page[3].in_cons + 5000;
    CHECK_EQ(send(fd, "q", 1, 0), 1);
    run();
    CHECK_EQ(fk.page[3].in_prod, fk.page[3].in_cons + 5000);
    /* And the guest recovering its indexes recovers the console. */
    fk.page[3].in_prod = fk.page[3].in_cons;
    run();
    CHECK_EQ(guest_read(3, buf, sizeof(buf)), 1);
    close(fd);
    run();
    teardown();
}

static void test_add_remove_leaves_nothing(void)
{
    char path[128];
    int fd;

    setup();
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0xdead, 5), -EINVAL);
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0x9e, 0xbad), -EINVAL);
    CHECK_EQ(fk.mapped, 0);
    CHECK_EQ(fk.bound, 0);
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0x9e, 5), 0);
    fd = attach(1);
    CHECK_EQ(xenconsoled_remove_domain(xc, 1), 0);
    CHECK_EQ(xenconsoled_remove_domain(xc, 1), -ENOENT);
    snprintf(path, sizeof(path), "%s/1", dir);
    CHECK_EQ(access(path, F_OK), -1);
    /* The client sees the end. */
    CHECK_EQ(recv(fd, path, 1, 0), 0);
    close(fd);
    CHECK_EQ(fk.mapped, 0);
    teardown();
}

/* The guest's last words, in the ring when the toolstack removes the
 * domain (nothing ran in between), reach a client before its end of
 * file: wait-console must see a verdict printed just before poweroff. */
static void test_remove_flushes_last_words(void)
{
    static const char last[] = "Test result: SUCCESS\n";
    char buf[4096];
    unsigned int got = 0;
    ssize_t n;
    int fd;

    setup();
    CHECK_EQ(xenconsoled_add_domain(xc, 1, 0x9e, 5), 0);
    fd = attach(1);
    memset(buf, 'x', sizeof(buf));
    CHECK_EQ(guest_write(1, buf, sizeof(fk.page[1].out) - (sizeof(last) - 1)),
             sizeof(fk.page[1].out) - (sizeof(last) - 1));
    CHECK_EQ(guest_write(1, last, sizeof(last) - 1), sizeof(last) - 1);
    CHECK_EQ(xenconsoled_remove_domain(xc, 1), 0);
    while ( (n = recv(fd, buf + got, sizeof(buf) - got, 0)) > 0 )
        got += n;
    CHECK_EQ(n, 0);
    CHECK_EQ(got, sizeof(fk.page[1].out));
    CHECK(!memcmp(buf + got - (sizeof(last) - 1), last, sizeof(last) - 1));
    close(fd);
    teardown();
}

static const struct test_case cases[] = {
    { "console.log-then-live", test_log_then_live },
    { "console.input", test_input },
    { "console.flood-bounded", test_flood_bounded },
    { "console.slow-client-skips", test_slow_client_skips },
    { "console.burst-fairness", test_burst_fairness },
    { "console.hostile-indexes", test_hostile_indexes },
    { "console.add-remove-leaves-nothing", test_add_remove_leaves_nothing },
    { "console.remove-flushes-last-words", test_remove_flushes_last_words },
};

int main(void)
{
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
