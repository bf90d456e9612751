/*
 * xs-local.h - host tests' way into xenstored: a connection whose
 * transport is two buffers in memory, a call that sends one request and
 * runs the daemon until the reply comes, and the watch events seen on
 * the way. Test code only; it reaches the daemon through core.h.
 */
#ifndef TESTS_XS_LOCAL_H
#define TESTS_XS_LOCAL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../xenstored/core.h"
#include "harness.h"

/* A NUL-terminated argument (its NUL counts), and bytes without one. */
#define S(lit) lit, sizeof(lit)
#define B(lit) lit, sizeof(lit) - 1

#define LC_BUF    (1 << 17)
#define LC_EVENTS 256

struct lmsg
{
    struct xsd_sockmsg hdr;
    char data[XENSTORE_PAYLOAD_MAX + 1];
};

struct lc
{
    struct conn *c;
    struct xenstored *xsd;
    char in[LC_BUF];
    unsigned int in_len, in_off;
    char out[LC_BUF];
    unsigned int out_len;
    uint32_t next_req;
    struct lmsg events[LC_EVENTS];
    unsigned int nevents;
    unsigned int failed; /* the error conn_ignore() reported, +1 */
};

static inline int lc_op_read(struct conn *c, void *buf, unsigned int len)
{
    struct lc *l = c->priv;
    unsigned int n = l->in_len - l->in_off;

    n = n < len ? n : len;
    memcpy(buf, l->in + l->in_off, n);
    l->in_off += n;
    return n;
}

static inline int lc_op_write(struct conn *c, const void *buf, unsigned int len)
{
    struct lc *l = c->priv;
    unsigned int n = LC_BUF - l->out_len;

    n = n < len ? n : len;
    memcpy(l->out + l->out_len, buf, n);
    l->out_len += n;
    return n;
}

static inline void lc_op_fail(struct conn *c, unsigned int err)
{
    ((struct lc *)c->priv)->failed = err + 1;
}

static const struct conn_ops lc_ops = {
    .read = lc_op_read,
    .write = lc_op_write,
    .fail = lc_op_fail,
};

static inline struct lc *lc_new(struct xenstored *xsd, unsigned int domid)
{
    struct lc *l = calloc(1, sizeof(*l));

    CHECK(l);
    l->xsd = xsd;
    l->next_req = 1;
    l->c = conn_new(xsd, domid, &lc_ops, l);
    CHECK(l->c);
    return l;
}

/* The connection itself is the daemon's (xenstored_destroy frees it). */
static inline void lc_free(struct lc *l)
{
    free(l);
}

static inline void lc_send_raw(struct lc *l, const void *bytes, unsigned int len)
{
    CHECK(l->in_len + len <= LC_BUF);
    memcpy(l->in + l->in_len, bytes, len);
    l->in_len += len;
}

static inline uint32_t lc_send(struct lc *l, uint32_t type, uint32_t tx, const char *data,
                               unsigned int len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = l->next_req++, .tx_id = tx, .len = len };

    lc_send_raw(l, &h, sizeof(h));
    lc_send_raw(l, data, len);
    return h.req_id;
}

/* Take one whole message off the output, if there is one. */
static inline bool lc_take(struct lc *l, struct lmsg *m)
{
    struct xsd_sockmsg h;

    if ( l->out_len < sizeof(h) )
        return false;
    memcpy(&h, l->out, sizeof(h));
    CHECK(h.len <= XENSTORE_PAYLOAD_MAX);
    if ( l->out_len < sizeof(h) + h.len )
        return false;
    m->hdr = h;
    memcpy(m->data, l->out + sizeof(h), h.len);
    m->data[h.len] = '\0';
    memmove(l->out, l->out + sizeof(h) + h.len, l->out_len - sizeof(h) - h.len);
    l->out_len -= sizeof(h) + h.len;
    return true;
}

/* Run the daemon until nothing moves; file events, return a reply. */
static inline bool lc_pump(struct lc *l, struct lmsg *reply)
{
    struct lmsg m;
    bool got = false;
    int i;

    for ( i = 0; i < 1000 && xenstored_run(l->xsd); i++ )
        ;
    while ( lc_take(l, &m) )
        if ( m.hdr.type == XS_WATCH_EVENT )
        {
            CHECK(l->nevents < LC_EVENTS);
            l->events[l->nevents++] = m;
        }
        else
        {
            CHECK_MSG(!got, "two replies");
            *reply = m;
            got = true;
        }
    return got;
}

/* One request: 0 (reply of its own type, in *rep), or the errno of the
 * XS_ERROR reply. */
static inline int lc_call_rep(struct lc *l, uint32_t type, uint32_t tx, const char *data,
                              unsigned int len, struct lmsg *rep)
{
    uint32_t id = lc_send(l, type, tx, data, len);
    unsigned int i;

    CHECK_MSG(lc_pump(l, rep), "no reply to type %u", type);
    CHECK_EQ(rep->hdr.req_id, id);
    CHECK_EQ(rep->hdr.tx_id, tx);
    if ( rep->hdr.type != XS_ERROR )
    {
        CHECK_EQ(rep->hdr.type, type);
        return 0;
    }
    for ( i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++ )
        if ( !strcmp(rep->data, xsd_errors[i].errstring) )
            return xsd_errors[i].errnum;
    CHECK_MSG(0, "unknown error string %s", rep->data);
    return -1;
}

static inline int lc_call(struct lc *l, uint32_t type, uint32_t tx, const char *data,
                          unsigned int len)
{
    static struct lmsg rep;

    return lc_call_rep(l, type, tx, data, len, &rep);
}

/* Requests with a path and maybe a value, built at run time. */
static inline int lc_write(struct lc *l, uint32_t tx, const char *path, const char *value)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t p = strlen(path) + 1, v = strlen(value);

    memcpy(buf, path, p);
    memcpy(buf + p, value, v);
    return lc_call(l, XS_WRITE, tx, buf, p + v);
}

static inline int lc_path(struct lc *l, uint32_t type, uint32_t tx, const char *path)
{
    return lc_call(l, type, tx, path, strlen(path) + 1);
}

/* XS_READ's value (a static buffer), or NULL with *err set. */
static inline const char *lc_read_value(struct lc *l, uint32_t tx, const char *path, int *err)
{
    static struct lmsg rep;

    *err = lc_call_rep(l, XS_READ, tx, path, strlen(path) + 1, &rep);
    return *err ? NULL : rep.data;
}

/* Two strings a, b as one payload (watch, unwatch, set_target...). */
static inline int lc_call2(struct lc *l, uint32_t type, const char *a, const char *b)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t na = strlen(a) + 1, nb = strlen(b) + 1;

    memcpy(buf, a, na);
    memcpy(buf + na, b, nb);
    return lc_call(l, type, 0, buf, na + nb);
}

/* Did an event (path, token) arrive? Consumes it. */
static inline bool lc_event(struct lc *l, const char *path, const char *token)
{
    unsigned int i;

    for ( i = 0; i < l->nevents; i++ )
        if ( !strcmp(l->events[i].data, path) &&
             !strcmp(l->events[i].data + strlen(path) + 1, token) )
        {
            memmove(&l->events[i], &l->events[i + 1], (l->nevents - i - 1) * sizeof(l->events[0]));
            l->nevents--;
            return true;
        }
    return false;
}

/*
 * A backend whose rings are ordinary memory: domain d's page is
 * rings[d] (d < FB_DOMS); frame FB_BAD_MFN cannot be mapped, port
 * FB_BAD_PORT cannot be bound.
 */
#define FB_DOMS     8
#define FB_BAD_MFN  0xdeadul
#define FB_BAD_PORT 0xbadu

struct fake_be
{
    struct xenstore_domain_interface rings[FB_DOMS];
    unsigned int mapped, bound, notified[FB_DOMS];
};

static inline void *fb_map(void *opaque, unsigned int domid, unsigned long mfn)
{
    struct fake_be *fb = opaque;

    if ( domid >= FB_DOMS || mfn == FB_BAD_MFN )
        return NULL;
    fb->mapped++;
    return &fb->rings[domid];
}

static inline void fb_unmap(void *opaque, void *page)
{
    ((struct fake_be *)opaque)->mapped--;
}

static inline int fb_bind(void *opaque, unsigned int domid, unsigned int port)
{
    if ( port == FB_BAD_PORT )
        return -1;
    ((struct fake_be *)opaque)->bound++;
    return domid;
}

static inline void fb_unbind(void *opaque, int port)
{
    ((struct fake_be *)opaque)->bound--;
}

static inline void fb_notify(void *opaque, int port)
{
    ((struct fake_be *)opaque)->notified[port]++;
}

static inline struct xenstored *fb_daemon(struct fake_be *fb)
{
    struct xenstored_backend be = {
        .map = fb_map,
        .unmap = fb_unmap,
        .bind = fb_bind,
        .unbind = fb_unbind,
        .notify = fb_notify,
        .opaque = fb,
    };
    struct xenstored *xsd;

    memset(fb, 0, sizeof(*fb));
    xsd = xenstored_create(&be);
    CHECK(xsd);
    return xsd;
}

/* dom0 introduces domid with its fake ring. */
static inline int fb_introduce(struct lc *l0, unsigned int domid)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "%u%c%u%c%u", domid, '\0', 100 + domid, '\0', 7);

    return lc_call(l0, XS_INTRODUCE, 0, buf, n + 1);
}

#endif /* TESTS_XS_LOCAL_H */
