/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xs-watch.c - libxenstore's watches: registration, the queue of events
 * that arrived while a call waited for its reply, and taking events off
 * it (blocking, or not).
 *
 * xs_fileno() is the connection's own descriptor: it polls readable when
 * an event arrives from the daemon. An event that came in during a call
 * is already in the queue, so a caller drains xs_check_watch() after
 * each wake-up before it polls again (as with Xen's library built
 * without its reader thread; dom0 has one thread).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs-private.h"

void xs_queue_event(struct xs_handle *h, const char *body, unsigned int len)
{
    const char *nul = memchr(body, '\0', len);
    struct xs_event *e;

    /* Two strings, path then token; anything else is not an event. */
    if ( !nul || !memchr(nul + 1, '\0', body + len - nul - 1) )
        return;
    if ( !(e = malloc(sizeof(*e) + len)) )
        return;
    e->next = NULL;
    e->len = len;
    memcpy(e->data, body, len);
    if ( h->ev_tail )
        h->ev_tail->next = e;
    else
        h->ev_head = e;
    h->ev_tail = e;
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    const char *vec[2] = { path, token };
    int n = xs_join(buf, sizeof(buf), vec, 2);

    return n >= 0 && xs_bool(h, XS_WATCH, XBT_NULL, buf, n);
}

static bool event_of(const struct xs_event *e, const char *path, const char *token)
{
    size_t plen = strlen(path);

    return !strcmp(e->data + strlen(e->data) + 1, token) && !strncmp(e->data, path, plen) &&
           (e->data[plen] == '\0' || e->data[plen] == '/');
}

/* Events of a watch that is gone are dropped with it. */
static void drop_events(struct xs_handle *h, const char *path, const char *token)
{
    struct xs_event **link = &h->ev_head, *e;

    h->ev_tail = NULL;
    while ( (e = *link) )
        if ( event_of(e, path, token) )
        {
            *link = e->next;
            free(e);
        }
        else
        {
            h->ev_tail = e;
            link = &e->next;
        }
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    const char *vec[2] = { path, token };
    int n = xs_join(buf, sizeof(buf), vec, 2);

    if ( n < 0 || !xs_bool(h, XS_UNWATCH, XBT_NULL, buf, n) )
        return false;
    drop_events(h, path, token);
    return true;
}

int xs_fileno(struct xs_handle *h)
{
    return h->t->ops->fd(h->t);
}

/* The first queued event as {path, token}, one block; NULL if none. */
static char **take_event(struct xs_handle *h, unsigned int *num)
{
    struct xs_event *e = h->ev_head;
    char **vec;

    if ( !e )
        return NULL;
    if ( !(vec = malloc(2 * sizeof(*vec) + e->len)) )
        return NULL;
    memcpy(vec + 2, e->data, e->len);
    vec[XS_WATCH_PATH] = (char *)(vec + 2);
    vec[XS_WATCH_TOKEN] = vec[XS_WATCH_PATH] + strlen(vec[XS_WATCH_PATH]) + 1;
    h->ev_head = e->next;
    if ( !h->ev_head )
        h->ev_tail = NULL;
    free(e);
    if ( num )
        *num = 2;
    return vec;
}

/* Read one message; it can only be an event (no request is out). */
static int read_one(struct xs_handle *h)
{
    struct xsd_sockmsg hdr;
    char *body = xs_read_msg(h, &hdr);

    if ( !body )
        return -1;
    if ( hdr.type == XS_WATCH_EVENT )
        xs_queue_event(h, body, hdr.len);
    free(body);
    return 0;
}

char **xs_read_watch(struct xs_handle *h, unsigned int *num)
{
    while ( !h->ev_head )
        if ( read_one(h) )
            return NULL;
    return take_event(h, num);
}

/* Is a whole message waiting on the transport? */
static bool message_waiting(struct xs_handle *h)
{
    struct
    {
        struct xsd_sockmsg hdr;
        char body[XENSTORE_PAYLOAD_MAX];
    } peek;
    int n = h->t->ops->peek(h->t, &peek, sizeof(peek.hdr));

    if ( n < (int)sizeof(peek.hdr) || peek.hdr.len > XENSTORE_PAYLOAD_MAX )
        return n == (int)sizeof(peek.hdr); /* a bad length: let the read fail */
    n = h->t->ops->peek(h->t, &peek, sizeof(peek.hdr) + peek.hdr.len);
    return n == (int)(sizeof(peek.hdr) + peek.hdr.len);
}

char **xs_check_watch(struct xs_handle *h)
{
    while ( !h->ev_head && message_waiting(h) )
        if ( read_one(h) )
            return NULL;
    if ( !h->ev_head )
    {
        errno = EAGAIN;
        return NULL;
    }
    return take_event(h, NULL);
}
