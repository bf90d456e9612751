/*
 * selftest.c - "selftest [name...]": small programs that prove the dom0
 * runtime from above, through musl and the Linux system calls only, as
 * any tool would use them. Each prints "selftest NAME: ok" or what went
 * wrong, and returns nonzero on failure (a script line fails with it).
 *
 * May not touch: anything outside /tmp and /run; hypercalls only through
 * /dev/xen/privcmd, events only through /dev/xen/evtchn.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <xen/xen.h>
#include <xen/version.h>
#include <xen-sys/evtchn.h>
#include <xen-sys/privcmd.h>
#include <dom0/task.h>
#include "dom0.h"

#define FAIL(...) (fprintf(stderr, "selftest: " __VA_ARGS__), fputc('\n', stderr), 1)

static int t_stdio(void)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%d %s %.2f %#x", 42, "words", 2.5, 255);
    if ( strcmp(buf, "42 words 2.50 0xff") )
        return FAIL("snprintf gave '%s'", buf);
    return fprintf(stderr, "stderr works\n") < 0 || printf("stdout works\n") < 0;
}

/* Many MiB: one big block and many 1 MiB ones, each filled and checked. */
static int t_malloc(void)
{
    enum
    {
        N = 16,
        MIB = 1 << 20
    };
    unsigned char *small[N], *big = malloc(16 * MIB);
    int bad = !big;
    for ( int i = 0; i < N; i++ )
        bad |= !(small[i] = malloc(MIB));
    if ( bad )
        return FAIL("malloc of 32 MiB failed");
    memset(big, 0x5a, 16 * MIB);
    for ( int i = 0; i < N; i++ )
        memset(small[i], i, MIB);
    for ( int i = 0; i < N; i++ )
        bad |= small[i][MIB - 1] != i || small[i][0] != i;
    bad |= big[16 * MIB - 1] != 0x5a;
    big = realloc(big, 20 * MIB);
    bad |= !big || big[16 * MIB - 1] != 0x5a;
    for ( int i = 0; i < N; i++ )
        free(small[i]);
    free(big);
    return bad ? FAIL("malloc'd memory did not keep its contents") : 0;
}

static int t_file(void)
{
    const char *want = "hello from the ramdisk\n";
    char buf[64] = { 0 };
    int fd = open("/etc/selftest.txt", O_RDONLY), n;
    if ( fd < 0 )
        return FAIL("open /etc/selftest.txt: %s", strerror(errno));
    n = (int)read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if ( n != (int)strlen(want) || strcmp(buf, want) )
        return FAIL("/etc/selftest.txt holds '%s' (%d bytes)", buf, n);
    if ( open("/etc/selftest.txt", O_WRONLY) >= 0 || errno != EROFS )
        return FAIL("the ramdisk root is writable");
    return 0;
}

static int tmp_write(const char *path, size_t len)
{
    FILE *f = fopen(path, "w");
    if ( !f )
        return FAIL("fopen %s: %s", path, strerror(errno));
    for ( size_t i = 0; i < len; i++ )
        fputc((int)(i * 7 % 251), f);
    return fclose(f) ? FAIL("fclose %s", path) : 0;
}

static int tmp_check(const char *path, size_t len)
{
    FILE *f = fopen(path, "r");
    struct stat st;
    int bad = 0;
    if ( !f || stat(path, &st) || (size_t)st.st_size != len )
        return FAIL("%s: missing or the wrong size", path);
    for ( size_t i = 0; i < len; i++ )
        bad |= fgetc(f) != (int)(i * 7 % 251);
    bad |= fgetc(f) != EOF;
    fclose(f);
    return bad ? FAIL("%s read back differently", path) : 0;
}

static int t_tmp(void)
{
    const char *p = "/tmp/selftest.bin";
    struct stat st;
    if ( tmp_write(p, 300000) || tmp_check(p, 300000) )
        return 1;
    if ( unlink(p) || stat(p, &st) == 0 || errno != ENOENT )
        return FAIL("unlink %s did not remove it", p);
    if ( mkdir("/run/selftest", 0755) || rmdir("/run/selftest") )
        return FAIL("mkdir/rmdir in /run: %s", strerror(errno));
    return 0;
}

static int sock_pair_talk(int a, int b)
{
    char buf[8] = { 0 };
    if ( write(a, "ping", 4) != 4 || read(b, buf, sizeof(buf)) != 4 || strcmp(buf, "ping") )
        return FAIL("ping did not arrive");
    if ( send(b, "pong", 4, 0) != 4 || recv(a, buf, sizeof(buf), 0) != 4 || memcmp(buf, "pong", 4) )
        return FAIL("pong did not arrive");
    return 0;
}

static int t_socket(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/run/selftest.sock" };
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), c, s, rc;
    char buf[4];
    if ( l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 4) )
        return FAIL("listen on %s: %s", sa.sun_path, strerror(errno));
    fcntl(l, F_SETFL, O_NONBLOCK);
    if ( accept(l, NULL, NULL) >= 0 || errno != EAGAIN )
        return FAIL("accept with nobody connecting did not say EAGAIN");
    fcntl(l, F_SETFL, 0);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    if ( c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)) )
        return FAIL("connect: %s", strerror(errno));
    if ( (s = accept(l, NULL, NULL)) < 0 )
        return FAIL("accept: %s", strerror(errno));
    rc = sock_pair_talk(c, s);
    close(c);
    if ( !rc && read(s, buf, sizeof(buf)) != 0 )
        rc = FAIL("no end-of-file after the peer closed");
    close(s);
    close(l);
    unlink(sa.sun_path);
    return rc;
}

static int t_pipe(void)
{
    int p[2], sv[2], rc;
    char buf[8] = { 0 };
    if ( pipe(p) || write(p[1], "pipe", 4) != 4 || read(p[0], buf, 8) != 4 || strcmp(buf, "pipe") )
        return FAIL("pipe round trip");
    close(p[0]);
    close(p[1]);
    if ( socketpair(AF_UNIX, SOCK_STREAM, 0, sv) )
        return FAIL("socketpair: %s", strerror(errno));
    rc = sock_pair_talk(sv[0], sv[1]);
    close(sv[0]);
    close(sv[1]);
    return rc;
}

static int t_clock(void)
{
    struct timespec a, b, d = { 0, 20 * 1000 * 1000 };
    long long ns;
    clock_gettime(CLOCK_MONOTONIC, &a);
    nanosleep(&d, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("selftest: slept 20 ms, the clock moved %lld us\n", ns / 1000);
    if ( ns < 20 * 1000 * 1000 || ns > 10LL * 1000 * 1000 * 1000 )
        return FAIL("CLOCK_MONOTONIC moved %lld ns over a 20 ms sleep", ns);
    return 0;
}

static int t_privcmd(void)
{
    int fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC), err[2] = { 0 }, rc;
    privcmd_hypercall_t h = { __HYPERVISOR_xen_version, { XENVER_version, 0 } };
    xen_pfn_t gfns[2] = { 0x100, 0x101 };
    privcmd_mmapbatch_v2_t m = { 2, 0x7ff0, 0, gfns, err };
    void *va;
    if ( fd < 0 || (rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h)) <= 0 )
        return FAIL("xen_version through privcmd: %s", strerror(errno));
    printf("selftest: Xen ABI version %d.%d\n", rc >> 16, rc & 0xffff);
    va = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if ( va == MAP_FAILED )
        return FAIL("mmap of privcmd: %s", strerror(errno));
    m.addr = (uintptr_t)va;
    /* No domain 0x7ff0: every frame fails, the call says ENOENT. */
    if ( ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m) != -1 || errno != ENOENT || !err[0] )
        return FAIL("mapping from a missing domain: errno %d, err[0] %d", errno, err[0]);
    munmap(va, 2 * 4096);
    close(fd);
    return 0;
}

/* Wait up to a second for one port to come out of the device. */
static int ev_expect(int fd, unsigned int port)
{
    struct pollfd p = { fd, POLLIN, 0 };
    uint32_t got;
    if ( poll(&p, 1, 1000) != 1 || !(p.revents & POLLIN) )
        return FAIL("port %u did not fire within a second", port);
    if ( read(fd, &got, sizeof(got)) != sizeof(got) || got != port )
        return FAIL("read gave port %u, expected %u", got, port);
    return write(fd, &got, sizeof(got)) != sizeof(got) ? FAIL("unmask failed") : 0;
}

/* A loop inside dom0: an unbound port, bound to from dom0 itself. */
static int ev_loop(int fd)
{
    struct ioctl_evtchn_bind_unbound_port u = { 0 };
    struct ioctl_evtchn_bind_interdomain b = { 0, 0 };
    struct ioctl_evtchn_notify n;
    int a = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &u), c;
    if ( a <= 0 )
        return FAIL("bind unbound port: %s", strerror(errno));
    b.remote_port = (unsigned int)a;
    if ( (c = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b)) <= 0 )
        return FAIL("bind interdomain to our own port %d: %s", a, strerror(errno));
    /* As Xen does, the hypervisor raises the new local port once. */
    if ( ev_expect(fd, (unsigned int)c) )
        return 1;
    for ( int round = 0; round < 3; round++ )
    {
        n.port = (unsigned int)(round & 1 ? a : c);
        if ( ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) )
            return FAIL("notify %u: %s", n.port, strerror(errno));
        if ( ev_expect(fd, (unsigned int)(round & 1 ? c : a)) )
            return 1;
    }
    return 0;
}

static int t_evtchn(void)
{
    int fd = open("/dev/xen/evtchn", O_RDWR), rc, v;
    struct ioctl_evtchn_bind_virq virq = { VIRQ_DOM_EXC };
    struct ioctl_evtchn_notify bogus = { 4000 };
    uint32_t port;
    if ( fd < 0 )
        return FAIL("open /dev/xen/evtchn: %s", strerror(errno));
    /* xenstored may hold VIRQ_DOM_EXC already: then the bind is EEXIST. */
    v = ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &virq);
    if ( v <= 0 && errno != EEXIST )
        return FAIL("bind VIRQ_DOM_EXC: %s", strerror(errno));
    if ( v > 0 && ioctl(fd, IOCTL_EVTCHN_UNBIND, &(struct ioctl_evtchn_unbind){ (unsigned int)v }) )
        return FAIL("unbind VIRQ_DOM_EXC's port %d: %s", v, strerror(errno));
    if ( v > 0 && (v = ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &virq)) <= 0 )
        return FAIL("bind VIRQ_DOM_EXC again after unbinding: %s", strerror(errno));
    rc = ev_loop(fd);
    if ( !rc && (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &bogus) == 0 || errno != ENOTCONN) )
        rc = FAIL("notify on a port we do not own was allowed");
    fcntl(fd, F_SETFL, O_NONBLOCK);
    if ( !rc && (read(fd, &port, sizeof(port)) != -1 || errno != EAGAIN) )
        rc = FAIL("an empty device did not say EAGAIN (port %u, errno %d)", port, errno);
    close(fd);
    return rc;
}

/* The second task: reads TASK_BYTES from its end, sums them, writes
 * the sum back; the foreground blocks on a full socket meanwhile. */
#define TASK_BYTES (1u << 20)

static int task_reader(void *arg)
{
    int fd = *(int *)arg;
    static uint8_t buf[4096];
    uint32_t sum = 0;

    for ( size_t got = 0; got < TASK_BYTES; )
    {
        ssize_t n = read(fd, buf, sizeof(buf));

        if ( n <= 0 )
            return 1;
        for ( ssize_t i = 0; i < n; i++ )
            sum = sum * 31 + buf[i];
        got += (size_t)n;
    }
    return write(fd, &sum, 4) == 4 ? 7 : 2;
}

static int task_talk(int fd)
{
    static uint8_t buf[4096];
    uint32_t sum = 0, back = 0;

    for ( size_t sent = 0; sent < TASK_BYTES; sent += sizeof(buf) )
    {
        for ( size_t i = 0; i < sizeof(buf); i++ )
            buf[i] = (uint8_t)((sent + i) * 7 / 3);
        for ( size_t i = 0; i < sizeof(buf); i++ )
            sum = sum * 31 + buf[i];
        if ( write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) )
            return FAIL("write to the task: %s", strerror(errno));
    }
    if ( read(fd, &back, 4) != 4 || back != sum )
        return FAIL("the task summed %#x, not %#x", back, sum);
    return 0;
}

static int t_task(void)
{
    int sv[2], id, rc = -1, err;

    if ( socketpair(AF_UNIX, SOCK_STREAM, 0, sv) )
        return FAIL("socketpair: %s", strerror(errno));
    id = dom0_task_spawn(task_reader, &sv[1], 0);
    if ( id <= 0 )
        return FAIL("spawn: %s", strerror(-id));
    err = task_talk(sv[0]);
    if ( !err && (dom0_task_join(id, &rc) || rc != 7) )
        err = FAIL("the task ended with %d, not 7", rc);
    if ( !err && dom0_task_join(id, &rc) != -ESRCH )
        err = FAIL("a task joined twice");
    close(sv[0]);
    close(sv[1]);
    return err;
}

static long long ms_since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000LL + (b.tv_nsec - a->tv_nsec) / 1000000;
}

/* select on fd, which has one byte to read: ready at once, then not. */
static int select_check(int fd)
{
    fd_set rd, wr;
    struct timeval tv = { 0, 30000 };
    char c;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(fd, &rd);
    FD_SET(1, &wr);
    if ( select(fd + 1, &rd, &wr, NULL, NULL) != 2 || !FD_ISSET(fd, &rd) || !FD_ISSET(1, &wr) )
        return FAIL("select did not see a readable socket and a writable console");
    if ( read(fd, &c, 1) != 1 )
        return FAIL("the byte select saw could not be read");
    FD_ZERO(&rd);
    FD_SET(fd, &rd);
    if ( select(fd + 1, &rd, NULL, NULL, &tv) != 0 || FD_ISSET(fd, &rd) )
        return FAIL("select of an idle socket did not time out");
    return 0;
}

/* poll: a timeout that expires, then readiness, on a socket pair and the console. */
static int t_poll(void)
{
    struct pollfd p[2] = { { -1, POLLIN, 0 }, { 1, POLLOUT, 0 } };
    struct timespec t0;
    int sv[2], n, rc = 0;
    long long ms;
    if ( socketpair(AF_UNIX, SOCK_STREAM, 0, sv) )
        return FAIL("socketpair: %s", strerror(errno));
    p[0].fd = sv[0];
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = poll(p, 1, 50);
    ms = ms_since(&t0);
    if ( n != 0 || ms < 50 || ms > 5000 )
        rc = FAIL("poll of an idle socket gave %d after %lld ms (timeout 50)", n, ms);
    if ( !rc && (write(sv[1], "x", 1) != 1 || poll(p, 2, -1) != 2 || p[0].revents != POLLIN ||
                 p[1].revents != POLLOUT) )
        rc = FAIL("poll gave revents %#x/%#x, expected POLLIN/POLLOUT", p[0].revents, p[1].revents);
    if ( !rc )
        rc = select_check(sv[0]);
    close(sv[1]);
    if ( !rc && (poll(p, 1, 0) != 1 || !(p[0].revents & POLLHUP)) )
        rc = FAIL("no POLLHUP after the peer closed (revents %#x)", p[0].revents);
    close(sv[0]);
    return rc;
}

/* The console is a terminal: termios round trip, window size. */
static int t_tty(void)
{
    struct termios saved, raw, now;
    struct winsize ws;
    if ( !isatty(0) || tcgetattr(0, &saved) || !(saved.c_lflag & ICANON) )
        return FAIL("stdin is not a terminal in canonical mode");
    raw = saved;
    cfmakeraw(&raw);
    if ( tcsetattr(0, TCSANOW, &raw) || tcgetattr(0, &now) || (now.c_lflag & (ICANON | ECHO)) )
        return FAIL("raw mode did not stick");
    tcsetattr(0, TCSANOW, &saved);
    if ( ioctl(1, TIOCGWINSZ, &ws) || !ws.ws_col || !ws.ws_row )
        return FAIL("no window size");
    return 0;
}

static int t_nosys(void)
{
    long r = syscall(400, 1, 2, 3);
    if ( r != -1 || errno != ENOSYS )
        return FAIL("system call 400 gave %ld, errno %d", r, errno);
    return 0;
}

static const struct
{
    const char *name;
    int (*fn)(void);
} tests[] = {
    { "stdio", t_stdio },
    { "malloc", t_malloc },
    { "file", t_file },
    { "tmp", t_tmp },
    { "socket", t_socket },
    { "pipe", t_pipe },
    { "clock", t_clock },
    { "privcmd", t_privcmd },
    { "evtchn", t_evtchn },
    { "poll", t_poll },
    { "tty", t_tty },
    { "nosys", t_nosys },
    { "task", t_task },             /* runtime/task.c */
    { "libs", dom0_selftest_libs }, /* selftest-libs.c */
};

static int run(const char *name)
{
    for ( size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++ )
        if ( !strcmp(name, tests[i].name) )
        {
            int rc = tests[i].fn();
            printf("selftest %s: %s\n", name, rc ? "FAILED" : "ok");
            return rc;
        }
    fprintf(stderr, "selftest: no test '%s'\n", name);
    return 2;
}

int dom0_selftest(int argc, char **argv)
{
    int rc = 0;
    if ( argc < 2 )
    {
        for ( size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++ )
            rc |= run(tests[i].name);
        return rc;
    }
    for ( int i = 1; i < argc; i++ )
        rc |= run(argv[i]);
    return rc;
}
