/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * daemon.c - one xenstored: its store, connections and domains, and the
 * non-blocking pass that serves them (xenstored.h). Never blocks, never
 * exits the process; a failed allocation fails the request it was for.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* The paths Xen's xenstored starts with. */
static int seed_tree(struct xenstored *xsd)
{
    static const char *const dirs[] = { "local", "tool" };
    struct node *local;
    unsigned int i;

    for ( i = 0; i < 2; i++ )
        if ( !node_add(&xsd->tree, xsd->tree.root, dirs[i], strlen(dirs[i]),
                       &xsd->tree.root->perms) )
            return ENOMEM;
    local = node_child(xsd->tree.root, "local", 5);
    return node_add(&xsd->tree, local, "domain", 6, &local->perms) ? 0 : ENOMEM;
}

struct xenstored *xenstored_create(const struct xenstored_backend *be)
{
    struct xenstored *xsd = calloc(1, sizeof(*xsd));

    if ( !xsd )
        return NULL;
    xsd->listen_fd = -1;
    if ( be )
    {
        xsd->be = *be;
        xsd->have_be = true;
    }
    if ( tree_init(&xsd->tree, &xsd->gen) || seed_tree(xsd) )
    {
        tree_dispose(&xsd->tree);
        free(xsd);
        return NULL;
    }
    return xsd;
}

static void reap(struct xenstored *xsd)
{
    struct conn *c, *next;

    for ( c = xsd->conns; c; c = next )
    {
        next = c->next;
        if ( c->dead )
            conn_free(c);
    }
}

void xenstored_destroy(struct xenstored *xsd)
{
    if ( !xsd )
        return;
    while ( xsd->domains )
        domain_release(xsd, xsd->domains);
    while ( xsd->conns )
        conn_free(xsd->conns);
    socket_close(xsd);
    tree_dispose(&xsd->tree);
    free(xsd);
}

bool xenstored_run(struct xenstored *xsd)
{
    struct conn *c;
    bool progress = false;

    while ( socket_accept(xsd) )
        progress = true;
    for ( c = xsd->conns; c; c = c->next )
        if ( !c->dead && !c->ignored )
            progress |= conn_io(c);
    reap(xsd);
    return progress;
}

unsigned int xenstored_pollfds(struct xenstored *xsd, struct pollfd *fds, unsigned int max)
{
    struct conn *c;
    unsigned int n = 0;

    if ( xsd->listen_fd >= 0 && n < max )
        fds[n++] = (struct pollfd){ .fd = xsd->listen_fd, .events = POLLIN };
    for ( c = xsd->conns; c && n < max; c = c->next )
        if ( socket_conn_fd(c) >= 0 && !c->dead )
            fds[n++] = (struct pollfd){ .fd = socket_conn_fd(c),
                                        .events = POLLIN | (c->out_head ? POLLOUT : 0) };
    return n;
}

void xenstored_get_stats(const struct xenstored *xsd, struct xenstored_stats *st)
{
    const struct conn *c;
    const struct domain *d;

    memset(st, 0, sizeof(*st));
    st->nodes = tree_count(&xsd->tree);
    for ( c = xsd->conns; c; c = c->next )
        st->connections += !c->dead && !c->ignored;
    for ( d = xsd->domains; d; d = d->next )
        st->domains++;
    st->dropped_events = xsd->dropped_events;
    st->bad_connections = xsd->bad_connections;
}
