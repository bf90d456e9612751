/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * clients.c - a domain's console socket (<dir>/<domid>) and the clients
 * attached to it. A new client gets the log from its oldest byte, then
 * output as it comes; a client too slow for the log skips what fell out
 * of it. What a client writes goes into the guest's input ring, as much
 * as fits now; the rest waits in the socket (no buffer of our own grows).
 * Every descriptor is non-blocking; a client that hangs up is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "console.h"

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
}

int clients_listen(struct cons_dom *d)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd, rc;

    if ( snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%u", d->xc->dir, d->domid) >=
         (int)sizeof(sa.sun_path) )
        return -ENAMETOOLONG;
    if ( !(d->sock_path = strdup(sa.sun_path)) )
        return -ENOMEM;
    if ( (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 )
        return -errno;
    unlink(sa.sun_path);
    if ( bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4) || set_nonblock(fd) )
    {
        rc = -errno;
        close(fd);
        return rc;
    }
    d->listen_fd = fd;
    return 0;
}

static void client_free(struct cons_client *c)
{
    close(c->fd);
    free(c);
}

void clients_close(struct cons_dom *d)
{
    struct cons_client *c;

    while ( (c = d->clients) )
    {
        d->clients = c->next;
        client_free(c);
    }
    if ( d->listen_fd >= 0 )
    {
        close(d->listen_fd);
        unlink(d->sock_path);
    }
    free(d->sock_path);
    d->listen_fd = -1;
    d->sock_path = NULL;
}

static bool accept_clients(struct cons_dom *d)
{
    struct cons_client *c;
    bool any = false;
    int fd;

    while ( (fd = accept(d->listen_fd, NULL, NULL)) >= 0 )
    {
        any = true;
        if ( set_nonblock(fd) || !(c = calloc(1, sizeof(*c))) )
        {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->pos = log_start(d);
        c->next = d->clients;
        d->clients = c;
    }
    return any;
}

/* Send the client what it has not had; -1 if it is gone. */
static int client_output(struct cons_dom *d, struct cons_client *c, bool *progress)
{
    size_t off, len;
    ssize_t n;

    if ( c->pos < log_start(d) )
        c->pos = log_start(d);
    while ( c->pos < d->total )
    {
        off = c->pos % XENCONSOLED_LOG_SIZE;
        len = d->total - c->pos;
        len = len < XENCONSOLED_LOG_SIZE - off ? len : XENCONSOLED_LOG_SIZE - off;
        n = send(c->fd, d->log + off, len, MSG_NOSIGNAL);
        if ( n < 0 )
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        c->pos += n;
        *progress = true;
    }
    return 0;
}

/* Room in the guest's input ring; 0 if its indexes are out of range. */
static unsigned int in_room(struct cons_dom *d, XENCONS_RING_IDX *prod)
{
    struct xencons_interface *intf = d->intf;
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);

    *prod = intf->in_prod;
    if ( *prod - cons > sizeof(intf->in) )
    {
        d->st.bad_ring++;
        return 0;
    }
    return sizeof(intf->in) - (*prod - cons);
}

/* Move the client's keystrokes into the ring; -1 if it is gone. */
static int client_input(struct cons_dom *d, struct cons_client *c, bool *progress)
{
    char buf[sizeof(d->intf->in)];
    XENCONS_RING_IDX prod;
    unsigned int room = in_room(d, &prod), i;
    ssize_t n;

    if ( !room )
        return 0;
    n = recv(c->fd, buf, room, MSG_DONTWAIT);
    if ( n == 0 )
        return -1;
    if ( n < 0 )
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    for ( i = 0; i < n; i++ )
        d->intf->in[MASK_XENCONS_IDX(prod + i, d->intf->in)] = buf[i];
    __atomic_store_n(&d->intf->in_prod, prod + n, __ATOMIC_RELEASE);
    dom_notify(d);
    *progress = true;
    return 0;
}

/* Send every client, those still waiting to be accepted too, what it has
 * not had yet, as much as its socket takes now: the last output of a
 * domain that is going away. */
void clients_flush(struct cons_dom *d)
{
    struct cons_client *c;
    bool progress;

    accept_clients(d);
    for ( c = d->clients; c; c = c->next )
        client_output(d, c, &progress);
}

bool clients_run(struct cons_dom *d)
{
    struct cons_client **link = &d->clients, *c;
    bool progress = accept_clients(d);

    while ( (c = *link) )
        if ( client_output(d, c, &progress) || client_input(d, c, &progress) )
        {
            *link = c->next;
            client_free(c);
            progress = true;
        }
        else
            link = &c->next;
    return progress;
}
