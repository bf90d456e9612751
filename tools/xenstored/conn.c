/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * conn.c - a connection to a client, whatever carries its bytes (a Unix
 * socket, a guest's ring, a test's buffer): assembling messages from the
 * input, checking the header, running the handler, queueing the reply
 * and watch events, and writing what the transport takes.
 *
 * A payload longer than XENSTORE_PAYLOAD_MAX or a transport that reports
 * a broken protocol (a ring index out of range) ends the connection's
 * service at once (conn_ignore): the peer is told through the
 * transport, its watches and transactions go, the daemon carries on.
 * A request arriving while too many replies wait unread is held back.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

const char *xs_errname(int err)
{
    unsigned int i;

    for ( i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++ )
        if ( xsd_errors[i].errnum == err )
            return xsd_errors[i].errstring;
    return "EINVAL";
}

struct conn *conn_new(struct xenstored *xsd, unsigned int domid, const struct conn_ops *ops,
                      void *priv)
{
    struct conn *c = calloc(1, sizeof(*c));

    if ( !c )
        return NULL;
    c->xsd = xsd;
    c->ops = ops;
    c->priv = priv;
    c->who.domid = domid;
    c->who.target = DOMID_NONE;
    c->who.privileged = domid == 0;
    c->next = xsd->conns;
    xsd->conns = c;
    return c;
}

static void conn_drop_output(struct conn *c)
{
    struct outmsg *m, *next;

    for ( m = c->out_head; m; m = next )
    {
        next = m->next;
        free(m);
    }
    c->out_head = c->out_tail = NULL;
    c->out_msgs = c->out_events = 0;
}

/* Unlinks and frees c; its transport is closed. */
void conn_free(struct conn *c)
{
    struct conn **link;

    for ( link = &c->xsd->conns; *link && *link != c; link = &(*link)->next )
        ;
    if ( *link )
        *link = c->next;
    watch_del_all(c);
    txn_end_all(c);
    conn_drop_output(c);
    if ( c->ops->close )
        c->ops->close(c);
    free(c);
}

void conn_ignore(struct conn *c, unsigned int err)
{
    if ( c->ignored )
        return;
    c->ignored = true;
    c->xsd->bad_connections++;
    if ( c->ops->fail )
        c->ops->fail(c, err);
    watch_del_all(c);
    txn_end_all(c);
    conn_drop_output(c);
}

int conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const char *data,
              unsigned int len, bool event)
{
    struct xsd_sockmsg hdr = { .type = type, .req_id = req_id, .tx_id = tx_id, .len = len };
    struct outmsg *m;

    if ( c->dead || c->ignored )
        return 0;
    if ( event && !c->who.privileged && c->out_events >= OUT_EVENTS_MAX )
    {
        c->xsd->dropped_events++;
        return ENOSPC;
    }
    if ( !(m = malloc(sizeof(*m) + sizeof(hdr) + len)) )
        return ENOMEM;
    m->next = NULL;
    m->len = sizeof(hdr) + len;
    m->done = 0;
    m->event = event;
    memcpy(m->data, &hdr, sizeof(hdr));
    memcpy(m->data + sizeof(hdr), data, len);
    if ( c->out_tail )
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
    c->out_msgs++;
    c->out_events += event;
    return 0;
}

static void send_result(struct conn *c, struct req *r, int rc)
{
    const char *name = xs_errname(rc);

    if ( rc )
        conn_send(c, XS_ERROR, r->hdr.req_id, r->hdr.tx_id, name, strlen(name) + 1, false);
    else
        conn_send(c, r->hdr.type, r->hdr.req_id, r->hdr.tx_id, r->out, r->olen, false);
    if ( !rc && r->new_watch )
        watch_fire_initial(c, r->new_watch);
}

/* The transaction a request names: 0 and ENOENT are the cases. */
static int req_bind_txn(struct conn *c, struct req *r, const struct op_desc *op)
{
    r->tree = &c->xsd->tree;
    if ( !op->txn || !r->hdr.tx_id )
        return 0;
    if ( !(r->txn = txn_find(c, r->hdr.tx_id)) )
        return ENOENT;
    r->tree = &r->txn->tree;
    return 0;
}

static void dispatch(struct conn *c)
{
    struct req *r = calloc(1, sizeof(*r));
    const struct op_desc *op = op_lookup(c->hdr.type);
    int rc;

    if ( !r )
        return;
    r->xsd = c->xsd;
    r->conn = c;
    r->hdr = c->hdr;
    r->data = c->in;
    r->len = c->hdr.len;
    c->in[c->hdr.len] = '\0';
    if ( !op )
        rc = EINVAL;
    else if ( !(rc = req_bind_txn(c, r, op)) )
        rc = op->fn(r);
    send_result(c, r, rc);
    free(r);
}

/* Read what is available of the current message; true when complete. */
static bool read_message(struct conn *c, bool *progress)
{
    int n;

    if ( c->hdr_used < sizeof(c->hdr) )
    {
        n = c->ops->read(c, (char *)&c->hdr + c->hdr_used, sizeof(c->hdr) - c->hdr_used);
        if ( n < 0 )
            goto bad;
        c->hdr_used += n;
        *progress |= n > 0;
        if ( c->hdr_used < sizeof(c->hdr) )
            return false;
        if ( c->hdr.len > XENSTORE_PAYLOAD_MAX )
        {
            n = -XENSTORE_ERROR_PROTO;
            goto bad;
        }
    }
    n = c->hdr.len > c->in_used ? c->ops->read(c, c->in + c->in_used, c->hdr.len - c->in_used) : 0;
    if ( n < 0 )
        goto bad;
    c->in_used += n;
    *progress |= n > 0;
    return c->in_used == c->hdr.len;

bad:
    if ( n == -1 )
        c->dead = true;
    else
        conn_ignore(c, -n);
    return false;
}

static bool write_output(struct conn *c)
{
    struct outmsg *m;
    bool progress = false;
    int n;

    while ( (m = c->out_head) && !c->dead && !c->ignored )
    {
        n = c->ops->write(c, m->data + m->done, m->len - m->done);
        if ( n < 0 )
        {
            if ( n == -1 )
                c->dead = true;
            else
                conn_ignore(c, -n);
            break;
        }
        if ( !n )
            break;
        progress = true;
        if ( (m->done += n) < m->len )
            break;
        c->out_head = m->next;
        c->out_tail = c->out_head ? c->out_tail : NULL;
        c->out_msgs--;
        c->out_events -= m->event;
        free(m);
    }
    return progress;
}

/* Do what the connection allows now; true if anything moved. */
bool conn_io(struct conn *c)
{
    bool progress = false;
    unsigned int budget = 16; /* messages a pass, so no client starves the rest */

    while ( budget-- && !c->dead && !c->ignored && c->out_msgs < OUT_PENDING_MAX &&
            read_message(c, &progress) )
    {
        dispatch(c);
        c->hdr_used = c->in_used = 0;
        progress = true;
    }
    if ( !c->dead && !c->ignored )
        progress |= write_output(c);
    return progress;
}
