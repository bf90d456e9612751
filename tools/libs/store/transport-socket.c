/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport-socket.c - libxenstore over xenstored's Unix socket
 * (transport.h). Blocking reads and writes on one stream socket; it
 * knows nothing of messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "transport.h"

struct sock_transport
{
    struct xs_transport t;
    int fd;
};

static int sock_fd_of(struct xs_transport *t)
{
    return ((struct sock_transport *)t)->fd;
}

static int sock_write_all(struct xs_transport *t, const void *buf, size_t len)
{
    ssize_t n;

    for ( ; len; buf = (const char *)buf + n, len -= n )
        if ( (n = send(sock_fd_of(t), buf, len, MSG_NOSIGNAL)) < 0 && errno != EINTR )
            return -1;
        else if ( n < 0 )
            n = 0;
    return 0;
}

static int sock_read_all(struct xs_transport *t, void *buf, size_t len)
{
    ssize_t n;

    for ( ; len; buf = (char *)buf + n, len -= n )
    {
        n = read(sock_fd_of(t), buf, len);
        if ( n == 0 )
            errno = ECONNRESET;
        if ( n == 0 || (n < 0 && errno != EINTR) )
            return -1;
        n = n < 0 ? 0 : n;
    }
    return 0;
}

static int sock_peek(struct xs_transport *t, void *buf, size_t len)
{
    ssize_t n = recv(sock_fd_of(t), buf, len, MSG_PEEK | MSG_DONTWAIT);

    if ( n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) )
        return 0;
    if ( n == 0 && len )
    {
        errno = ECONNRESET;
        return -1;
    }
    return n;
}

static void sock_close(struct xs_transport *t)
{
    close(sock_fd_of(t));
    free(t);
}

static const struct xs_transport_ops sock_ops = {
    .write_all = sock_write_all,
    .read_all = sock_read_all,
    .peek = sock_peek,
    .fd = sock_fd_of,
    .close = sock_close,
};

struct xs_transport *xs_transport_socket(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct sock_transport *st;
    int saved;

    if ( strlen(path) >= sizeof(sa.sun_path) )
    {
        errno = ENAMETOOLONG;
        return NULL;
    }
    strcpy(sa.sun_path, path);
    if ( !(st = calloc(1, sizeof(*st))) )
        return NULL;
    st->t.ops = &sock_ops;
    st->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if ( st->fd >= 0 && !connect(st->fd, (struct sockaddr *)&sa, sizeof(sa)) )
        return &st->t;
    saved = errno;
    if ( st->fd >= 0 )
        close(st->fd);
    free(st);
    errno = saved;
    return NULL;
}
