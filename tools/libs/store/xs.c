/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xs.c - libxenstore (xenstore.h): opening a handle, requests with
 * their ids, replies matched to them (watch events that arrive between
 * go to xs-watch.c's queue), Xen's error strings turned into errno, and
 * the calls on single nodes, transactions and domains. Directories and
 * permissions are xs-list.c's, watches xs-watch.c's. One request is in
 * flight per handle at a time.
 *
 * Bytes move through a transport (transport.h) only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs-private.h"

struct xs_handle *xs_open_transport(struct xs_transport *t)
{
    struct xs_handle *h;

    if ( !t )
        return NULL;
    if ( !(h = calloc(1, sizeof(*h))) )
    {
        t->ops->close(t);
        return NULL;
    }
    h->t = t;
    h->next_req = 1;
    return h;
}

struct xs_handle *xs_open(unsigned long flags)
{
    const char *path = getenv("XENSTORED_PATH");

    return xs_open_transport(xs_transport_socket(path && *path ? path : "/run/xenstored/socket"));
}

void xs_close(struct xs_handle *h)
{
    struct xs_event *e, *next;

    if ( !h )
        return;
    for ( e = h->ev_head; e; e = next )
    {
        next = e->next;
        free(e);
    }
    h->t->ops->close(h->t);
    free(h);
}

static int errno_of(const char *name)
{
    unsigned int i;

    for ( i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++ )
        if ( !strcmp(name, xsd_errors[i].errstring) )
            return xsd_errors[i].errnum;
    return EINVAL;
}

/* One message off the transport; its payload malloc()ed with a NUL after. */
char *xs_read_msg(struct xs_handle *h, struct xsd_sockmsg *hdr)
{
    char *body;

    if ( h->t->ops->read_all(h->t, hdr, sizeof(*hdr)) )
        return NULL;
    if ( hdr->len > XENSTORE_PAYLOAD_MAX )
    {
        errno = EPROTO;
        return NULL;
    }
    if ( !(body = malloc(hdr->len + 1)) )
        return NULL;
    if ( h->t->ops->read_all(h->t, body, hdr->len) )
    {
        free(body);
        return NULL;
    }
    body[hdr->len] = '\0';
    return body;
}

static int send_req(struct xs_handle *h, uint32_t type, xs_transaction_t t, const void *data,
                    unsigned int len, uint32_t *id)
{
    struct xsd_sockmsg hdr = { .type = type, .req_id = h->next_req++, .tx_id = t, .len = len };

    if ( len > XENSTORE_PAYLOAD_MAX )
    {
        errno = E2BIG;
        return -1;
    }
    *id = hdr.req_id;
    if ( h->t->ops->write_all(h->t, &hdr, sizeof(hdr)) || h->t->ops->write_all(h->t, data, len) )
        return -1;
    return 0;
}

/* Send one request, return its reply's payload (NUL after it, length in
 * *len), or NULL with errno (the daemon's error, or the transport's). */
char *xs_talk(struct xs_handle *h, uint32_t type, xs_transaction_t t, const void *data,
              unsigned int len, unsigned int *rlen)
{
    struct xsd_sockmsg hdr;
    uint32_t id;
    char *body;

    if ( send_req(h, type, t, data, len, &id) )
        return NULL;
    while ( (body = xs_read_msg(h, &hdr)) )
    {
        if ( hdr.type == XS_WATCH_EVENT )
            xs_queue_event(h, body, hdr.len);
        else if ( hdr.req_id == id && hdr.type == XS_ERROR )
            errno = errno_of(body);
        else if ( hdr.req_id == id && hdr.type == type )
            break;
        else if ( hdr.req_id == id )
            errno = EPROTO;
        free(body);
        if ( hdr.req_id == id )
            return NULL;
    }
    if ( body && rlen )
        *rlen = hdr.len;
    return body;
}

/* A request whose reply is "OK". */
bool xs_bool(struct xs_handle *h, uint32_t type, xs_transaction_t t, const void *data,
             unsigned int len)
{
    char *r = xs_talk(h, type, t, data, len, NULL);

    free(r);
    return r != NULL;
}

static bool xs_path_req(struct xs_handle *h, uint32_t type, xs_transaction_t t, const char *path)
{
    return xs_bool(h, type, t, path, strlen(path) + 1);
}

/* n strings laid end to end, each with its NUL, into buf. */
int xs_join(char *buf, size_t size, const char *const *s, unsigned int n)
{
    size_t off = 0, l;
    unsigned int i;

    for ( i = 0; i < n; i++, off += l )
    {
        l = strlen(s[i]) + 1;
        if ( off + l > size )
        {
            errno = E2BIG;
            return -1;
        }
        memcpy(buf + off, s[i], l);
    }
    return off;
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len)
{
    return xs_talk(h, XS_READ, t, path, strlen(path) + 1, len);
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
              unsigned int len)
{
    size_t p = strlen(path) + 1;
    char *buf;
    bool ok;

    if ( p + len > XENSTORE_PAYLOAD_MAX )
    {
        errno = E2BIG;
        return false;
    }
    if ( !(buf = malloc(p + len + 1)) )
        return false;
    memcpy(buf, path, p);
    memcpy(buf + p, data, len);
    ok = xs_bool(h, XS_WRITE, t, buf, p + len);
    free(buf);
    return ok;
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return xs_path_req(h, XS_MKDIR, t, path);
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return xs_path_req(h, XS_RM, t, path);
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
    char *r = xs_talk(h, XS_TRANSACTION_START, XBT_NULL, "", 1, NULL);
    unsigned long id;

    if ( !r )
        return XBT_NULL;
    id = strtoul(r, NULL, 10);
    free(r);
    if ( !id )
        errno = EPROTO;
    return id;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
    return xs_bool(h, XS_TRANSACTION_END, t, abort ? "F" : "T", 2);
}

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid, unsigned long mfn,
                         unsigned int eventchn)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "%u%c%lu%c%u", domid, '\0', mfn, '\0', eventchn);

    return xs_bool(h, XS_INTRODUCE, XBT_NULL, buf, n + 1);
}

static bool xs_domid_req(struct xs_handle *h, uint32_t type, unsigned int domid)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "%u", domid);
    return xs_path_req(h, type, XBT_NULL, buf);
}

bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
    return xs_domid_req(h, XS_RELEASE, domid);
}

bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
    char buf[16], *r;
    bool yes;

    snprintf(buf, sizeof(buf), "%u", domid);
    if ( !(r = xs_talk(h, XS_IS_DOMAIN_INTRODUCED, XBT_NULL, buf, strlen(buf) + 1, NULL)) )
        return false;
    yes = !strcmp(r, "T");
    free(r);
    return yes;
}

char *xs_get_domain_path(struct xs_handle *h, unsigned int domid)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "%u", domid);
    return xs_talk(h, XS_GET_DOMAIN_PATH, XBT_NULL, buf, strlen(buf) + 1, NULL);
}
