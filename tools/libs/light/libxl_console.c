/* SPDX-License-Identifier: MIT */
/*
 * libxl_console.c - a domain's PV console: registering a new domain's
 * ring with dom0's console daemon (tools/console, xenconsoled.h) and
 * connecting a terminal to it (xl console) through the daemon's socket
 * <dir>/<domid>: what the socket sends goes to the terminal, what is
 * typed goes to the socket, until Ctrl-] or the daemon hangs up.
 *
 * It may touch only the console daemon's interface and the caller's
 * terminal, whose mode it restores.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>
#include <xenconsoled.h>

#include "libxl_internal.h"

int libxl__console_add(libxl_ctx *ctx, libxl_domid domid, uint32_t port, xen_pfn_t pfn)
{
    int rc = console_add_domain(domid, pfn, port);

    if ( rc )
    {
        errno = -rc;
        return libxl__err_errno(ctx, ERROR_FAIL, "the console daemon refused domain %u", domid);
    }
    return 0;
}

void libxl__console_remove(libxl_ctx *ctx, libxl_domid domid)
{
    console_remove_domain(domid); /* -ENOENT: it had none */
}

void libxl_ctx_set_console_dir(libxl_ctx *ctx, const char *dir)
{
    snprintf(ctx->console_dir, sizeof(ctx->console_dir), "%s", dir);
}

static int console_connect(libxl_ctx *ctx, libxl_domid domid)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    const char *dir = ctx->console_dir[0] ? ctx->console_dir : XENCONSOLED_DIR;
    int fd;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%u", dir, domid);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if ( fd < 0 )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot make a socket");
    if ( connect(fd, (struct sockaddr *)&sa, sizeof(sa)) )
    {
        libxl__err_errno(ctx, ERROR_FAIL, "domain %u has no console at %s", domid, sa.sun_path);
        close(fd);
        return ERROR_FAIL;
    }
    return fd;
}

/* All of buf to fd; false if fd is gone. */
static bool write_all(int fd, const char *buf, size_t n)
{
    ssize_t w;

    for ( ; n; buf += w, n -= w )
    {
        w = write(fd, buf, n);
        if ( w < 0 && errno == EINTR )
            w = 0;
        else if ( w <= 0 )
            return false;
    }
    return true;
}

/* One read from `from` copied to `to`; 1 to go on, 0 to stop. Keys
 * stop at the escape character. */
static int pump(int from, int to, bool keys)
{
    char buf[512], *esc;
    ssize_t n = read(from, buf, sizeof(buf));

    if ( n < 0 && errno == EINTR )
        return 1;
    if ( n <= 0 )
        return 0;
    esc = keys ? memchr(buf, LIBXL_CONSOLE_ESCAPE, n) : NULL;
    if ( !write_all(to, buf, esc ? (size_t)(esc - buf) : (size_t)n) )
        return 0;
    return !esc;
}

static int console_loop(int sock, int in_fd, int out_fd)
{
    struct pollfd p[2] = {
        { .fd = sock, .events = POLLIN },
        { .fd = in_fd, .events = POLLIN },
    };
    int go = 1;

    while ( go )
    {
        if ( poll(p, 2, -1) < 0 )
        {
            if ( errno == EINTR )
                continue;
            return ERROR_FAIL;
        }
        if ( p[0].revents )
            go = pump(sock, out_fd, false);
        if ( go && p[1].revents )
            go = pump(in_fd, sock, true);
    }
    return 0;
}

int libxl_console_attach(libxl_ctx *ctx, libxl_domid domid, int cons_num, libxl_console_type type,
                         int in_fd, int out_fd)
{
    struct termios saved, raw;
    bool tty = !tcgetattr(in_fd, &saved);
    int sock, rc = libxl_domain_info(ctx, NULL, domid);

    if ( rc )
        return rc;
    if ( cons_num != 0 || type == LIBXL_CONSOLE_TYPE_SERIAL )
        return libxl__err(ctx, ERROR_INVAL, "domain %u has only PV console 0", domid);
    sock = console_connect(ctx, domid);
    if ( sock < 0 )
        return sock;
    if ( tty )
    {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(in_fd, TCSANOW, &raw);
    }
    rc = console_loop(sock, in_fd, out_fd);
    if ( tty )
        tcsetattr(in_fd, TCSANOW, &saved);
    close(sock);
    return rc ? libxl__err_errno(ctx, rc, "console of domain %u", domid) : 0;
}
