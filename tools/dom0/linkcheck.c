/*
 * linkcheck.c - dom0's link-check: the two-machine link's self-check
 * (tools/dom0/tests/link-check). One machine sends a known byte sequence
 * through /dev/wren-link, the other checks every byte and answers with
 * the count and a hash, and the sender compares the answer with its own.
 *
 *   link-check send MIB   write MIB MiB of the pattern, check the answer
 *   link-check recv MIB   check MIB MiB of it, answer, wait for the end
 *   link-check absent     the machine has no link: opening is ENODEV
 *   link-check map        where the hypervisor mapped the region in dom0,
 *                         and that every frame of it is mmio_direct there
 *                         and none is a frame the allocator manages
 *
 * May not touch: anything but /dev/wren-link.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenctrl_wren.h>
#include "dom0.h"

#define P2M_MMIO_DIRECT 5 /* xen/include/xen/p2m.h */

#define CHUNK (64 * 1024)
/* Writes of an odd size, so that some straddle the end of the ring. */
#define SEND_CHUNK (CHUNK - 4093)

static uint8_t pattern_at(uint64_t i)
{
    uint64_t x = i / 8 * 0x9e3779b97f4a7c15ULL;
    return (uint8_t)((x ^ x >> 29) >> (i % 8 * 8));
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for ( size_t i = 0; i < n; i++ )
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static uint64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int open_link(void)
{
    int fd = open("/dev/wren-link", O_RDWR);
    if ( fd < 0 )
        fprintf(stderr, "link-check: /dev/wren-link: %s\n", strerror(errno));
    return fd;
}

static bool write_all(int fd, const void *buf, size_t n)
{
    ssize_t w = write(fd, buf, n);
    if ( w != (ssize_t)n )
        fprintf(stderr, "link-check: write: %s\n", w < 0 ? strerror(errno) : "short");
    return w == (ssize_t)n;
}

static int send_pattern(int fd, uint64_t bytes, uint64_t *hash)
{
    static uint8_t buf[CHUNK];
    *hash = 0xcbf29ce484222325ULL;
    for ( uint64_t off = 0; off < bytes; off += SEND_CHUNK )
    {
        size_t n = bytes - off < SEND_CHUNK ? (size_t)(bytes - off) : SEND_CHUNK;
        for ( size_t i = 0; i < n; i++ )
            buf[i] = pattern_at(off + i);
        *hash = fnv(*hash, buf, n);
        if ( !write_all(fd, buf, n) )
            return 1;
    }
    return 0;
}

/* One line from fd (the answer), NUL-ended; false at end or error. */
static bool read_line(int fd, char *line, size_t cap)
{
    size_t n = 0;
    while ( n + 1 < cap )
    {
        ssize_t r = read(fd, line + n, 1);
        if ( r <= 0 )
            break;
        if ( line[n] == '\n' )
        {
            line[n] = 0;
            return true;
        }
        n++;
    }
    line[n] = 0;
    return false;
}

static int cmd_send(uint64_t bytes)
{
    char want[64], got[64];
    uint64_t hash, t0 = ms_now();
    int fd = open_link(), rc = 1;
    if ( fd < 0 )
        return 1;
    if ( send_pattern(fd, bytes, &hash) )
        goto out;
    snprintf(want, sizeof(want), "ok %llu %016llx", (unsigned long long)bytes,
             (unsigned long long)hash);
    if ( !read_line(fd, got, sizeof(got)) )
        fprintf(stderr, "link-check: no answer from the peer ('%s')\n", got);
    else if ( strcmp(got, want) )
        fprintf(stderr, "link-check: the peer says '%s', expected '%s'\n", got, want);
    else
    {
        printf("link-check: sent %llu bytes in %llu ms, the peer agrees: %s\n",
               (unsigned long long)bytes, (unsigned long long)(ms_now() - t0), got);
        rc = 0;
    }
out:
    close(fd);
    return rc;
}

/* Read and check bytes of the pattern; the answer line in ans. */
static void check_pattern(int fd, uint64_t bytes, char *ans, size_t cap)
{
    static uint8_t buf[CHUNK];
    uint64_t off = 0, hash = 0xcbf29ce484222325ULL;
    while ( off < bytes )
    {
        size_t want = bytes - off < CHUNK ? (size_t)(bytes - off) : CHUNK;
        ssize_t r = read(fd, buf, want);
        if ( r <= 0 )
        {
            snprintf(ans, cap, "short %llu: %s", (unsigned long long)off,
                     r ? strerror(errno) : "end of stream");
            return;
        }
        for ( ssize_t i = 0; i < r; i++ )
            if ( buf[i] != pattern_at(off + (uint64_t)i) )
            {
                snprintf(ans, cap, "bad byte at %llu: %#x, expected %#x",
                         (unsigned long long)(off + (uint64_t)i), buf[i],
                         pattern_at(off + (uint64_t)i));
                return;
            }
        hash = fnv(hash, buf, (size_t)r);
        off += (uint64_t)r;
    }
    snprintf(ans, cap, "ok %llu %016llx", (unsigned long long)bytes, (unsigned long long)hash);
}

static int cmd_recv(uint64_t bytes)
{
    char ans[96], c;
    int fd = open_link(), rc;
    ssize_t r;
    if ( fd < 0 )
        return 1;
    check_pattern(fd, bytes, ans, sizeof(ans) - 1);
    printf("link-check: %s\n", ans);
    rc = strncmp(ans, "ok ", 3) != 0;
    strcat(ans, "\n");
    if ( !write_all(fd, ans, strlen(ans)) )
        rc = 1;
    /* The sender closes once it has the answer: wait for that. */
    while ( (r = read(fd, &c, 1)) > 0 )
        rc = 1;
    if ( r < 0 )
    {
        fprintf(stderr, "link-check: waiting for the end: %s\n", strerror(errno));
        rc = 1;
    }
    close(fd);
    return rc;
}

static int cmd_absent(void)
{
    int fd = open("/dev/wren-link", O_RDWR);
    if ( fd >= 0 || errno != ENODEV )
    {
        fprintf(stderr, "link-check: open gave %s, expected ENODEV\n",
                fd >= 0 ? "a file" : strerror(errno));
        if ( fd >= 0 )
            close(fd);
        return 1;
    }
    printf("link-check: no link on this machine (ENODEV)\n");
    return 0;
}

/* One frame of the region, as dom0's p2m and the frame table see it. */
static bool frame_ok(xc_interface *xch, uint64_t gfn, uint64_t mfn)
{
    struct xen_sysctl_wren_frame f = { .op = WREN_FRAME_OF_GFN, .domid = 0, .gfn = gfn };

    if ( xc_wren_frame(xch, &f) )
    {
        fprintf(stderr, "link-check: gfn %#llx: %s\n", (unsigned long long)gfn, strerror(errno));
        return false;
    }
    if ( f.mfn == mfn && f.p2m_type == P2M_MMIO_DIRECT && !(f.flags & WREN_FRAME_F_MANAGED) )
        return true;
    fprintf(stderr,
            "link-check: gfn %#llx: mfn %#llx type %u flags %#x, expected mfn %#llx type %u\n",
            (unsigned long long)gfn, (unsigned long long)f.mfn, f.p2m_type, f.flags,
            (unsigned long long)mfn, P2M_MMIO_DIRECT);
    return false;
}

static int cmd_map(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    struct xen_sysctl_wren_link l;
    int rc = 1;

    if ( !xch )
        return 1;
    if ( xc_wren_link(xch, &l) )
        fprintf(stderr, "link-check: XEN_SYSCTL_wren_link: %s\n", strerror(errno));
    else
    {
        printf("link-check: %llu frames at gfn %#llx (mfn %#llx), device 00:%02x.%u\n",
               (unsigned long long)l.nr_frames, (unsigned long long)l.gfn,
               (unsigned long long)l.mfn, l.bdf >> 3, l.bdf & 7);
        rc = 0;
        for ( uint64_t i = 0; i < l.nr_frames && !rc; i++ )
            rc = !frame_ok(xch, l.gfn + i, l.mfn + i);
    }
    xc_interface_close(xch);
    return rc;
}

int dom0_cmd_link_check(int argc, char **argv)
{
    char *end = NULL;
    unsigned long mib = argc == 3 ? strtoul(argv[2], &end, 10) : 0;

    if ( argc == 2 && !strcmp(argv[1], "absent") )
        return cmd_absent();
    if ( argc == 2 && !strcmp(argv[1], "map") )
        return cmd_map();
    if ( argc != 3 || !end || *end || !mib || mib > 64 ||
         (strcmp(argv[1], "send") && strcmp(argv[1], "recv")) )
    {
        fprintf(stderr, "usage: link-check send|recv MIB (1 to 64) | link-check absent|map\n");
        return 2;
    }
    return !strcmp(argv[1], "send") ? cmd_send(mib << 20) : cmd_recv(mib << 20);
}
