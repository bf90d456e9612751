/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * socket.c - dom0's clients: the Unix socket xenstored listens on and
 * the transport over an accepted connection. Clients on it act as
 * domain 0 (privileged), as on Xen. Every descriptor is non-blocking; a
 * client that hangs up or breaks the protocol is closed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core.h"

static int sock_fd(const struct conn *c)
{
    return (int)(intptr_t)c->priv;
}

static int sock_read(struct conn *c, void *buf, unsigned int len)
{
    ssize_t n = read(sock_fd(c), buf, len);

    if ( n > 0 )
        return n;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
}

static int sock_write(struct conn *c, const void *buf, unsigned int len)
{
    ssize_t n = send(sock_fd(c), buf, len, MSG_NOSIGNAL);

    if ( n >= 0 )
        return n;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
}

static void sock_fail(struct conn *c, unsigned int err)
{
    c->dead = true;
}

static void sock_close(struct conn *c)
{
    close(sock_fd(c));
}

static const struct conn_ops sock_ops = {
    .read = sock_read,
    .write = sock_write,
    .fail = sock_fail,
    .close = sock_close,
};

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
}

int xenstored_listen(struct xenstored *xsd, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd, rc;

    if ( xsd->listen_fd >= 0 || strlen(path) >= sizeof(sa.sun_path) )
        return -EINVAL;
    strcpy(sa.sun_path, path);
    if ( (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 )
        return -errno;
    unlink(path);
    if ( bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16) || set_nonblock(fd) ||
         !(xsd->sock_path = strdup(path)) )
    {
        rc = errno ? -errno : -ENOMEM;
        close(fd);
        return rc;
    }
    xsd->listen_fd = fd;
    return 0;
}

/* Accept one waiting client; true if there was one. */
bool socket_accept(struct xenstored *xsd)
{
    int fd;

    if ( xsd->listen_fd < 0 || (fd = accept(xsd->listen_fd, NULL, NULL)) < 0 )
        return false;
    if ( set_nonblock(fd) || !conn_new(xsd, 0, &sock_ops, (void *)(intptr_t)fd) )
    {
        close(fd);
        return true;
    }
    return true;
}

void socket_close(struct xenstored *xsd)
{
    if ( xsd->listen_fd < 0 )
        return;
    close(xsd->listen_fd);
    unlink(xsd->sock_path);
    free(xsd->sock_path);
    xsd->listen_fd = -1;
    xsd->sock_path = NULL;
}

/* The fd of a socket connection, or -1 for another kind. */
int socket_conn_fd(const struct conn *c)
{
    return c->ops == &sock_ops ? sock_fd(c) : -1;
}
