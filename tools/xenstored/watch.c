/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * watch.c - watches: registration per connection, and firing. A change
 * to a node fires every watch on it or on an ancestor; removing a node
 * also fires the watches below it. An event goes only to a connection
 * allowed to read the node; a relative watch gets a relative path.
 * @introduceDomain and @releaseDomain go to privileged connections.
 *
 * Events are queued on the watcher's connection (conn_send); nothing
 * here touches the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static void watch_free(struct watch *w)
{
    free(w->path);
    free(w->abspath);
    free(w->token);
    free(w);
}

static struct watch **watch_link(struct conn *c, const char *abspath, const char *token)
{
    struct watch **link;

    for ( link = &c->watches; *link; link = &(*link)->next )
        if ( !strcmp((*link)->abspath, abspath) && !strcmp((*link)->token, token) )
            break;
    return link;
}

int watch_add(struct conn *c, const char *path, const char *abspath, const char *token,
              bool relative, struct watch **out)
{
    struct watch *w;

    if ( *watch_link(c, abspath, token) )
        return EEXIST;
    if ( !c->who.privileged && c->nwatches >= QUOTA_WATCHES_PER_CONN )
        return E2BIG;
    if ( !(w = calloc(1, sizeof(*w))) )
        return ENOMEM;
    w->path = strdup(path);
    w->abspath = strdup(abspath);
    w->token = strdup(token);
    w->relative = relative;
    if ( !w->path || !w->abspath || !w->token )
    {
        watch_free(w);
        return ENOMEM;
    }
    w->next = c->watches;
    c->watches = w;
    c->nwatches++;
    *out = w;
    return 0;
}

int watch_del(struct conn *c, const char *abspath, const char *token)
{
    struct watch **link = watch_link(c, abspath, token), *w = *link;

    if ( !w )
        return ENOENT;
    *link = w->next;
    c->nwatches--;
    watch_free(w);
    return 0;
}

void watch_del_all(struct conn *c)
{
    struct watch *w, *next;

    for ( w = c->watches; w; w = next )
    {
        next = w->next;
        watch_free(w);
    }
    c->watches = NULL;
    c->nwatches = 0;
}

static void watch_send(struct conn *c, const struct watch *w, const char *path)
{
    char buf[PATH_BUF + XENSTORE_PAYLOAD_MAX];
    char base[32];
    int n;

    if ( w->relative )
    {
        n = snprintf(base, sizeof(base), "/local/domain/%u/", c->who.domid);
        if ( !strncmp(path, base, n) )
            path += n;
    }
    n = snprintf(buf, sizeof(buf), "%s%c%s", path, '\0', w->token);
    if ( n > 0 && n < XENSTORE_PAYLOAD_MAX )
        conn_send(c, XS_WATCH_EVENT, 0, 0, buf, n + 1, true);
}

void watch_fire_initial(struct conn *c, const struct watch *w)
{
    watch_send(c, w, w->abspath);
}

/* Which path the event names for watch w, or NULL if w does not fire. */
static const char *watch_match(const struct watch *w, const char *path, bool removed)
{
    if ( w->abspath[0] != '/' )
        return NULL;
    if ( path_is_under(path, w->abspath) )
        return path;
    if ( removed && path_is_under(w->abspath, path) )
        return w->abspath;
    return NULL;
}

void watch_fire(struct xenstored *xsd, const char *path, const struct perms *perms, bool removed)
{
    struct conn *c;
    struct watch *w;
    const char *evpath;

    for ( c = xsd->conns; c; c = c->next )
    {
        if ( c->dead || c->ignored || !(perm_for(&c->who, perms) & PERM_READ) )
            continue;
        for ( w = c->watches; w; w = w->next )
            if ( (evpath = watch_match(w, path, removed)) )
                watch_send(c, w, evpath);
    }
}

void watch_fire_special(struct xenstored *xsd, const char *name)
{
    struct conn *c;
    struct watch *w;

    for ( c = xsd->conns; c; c = c->next )
    {
        if ( c->dead || c->ignored || !c->who.privileged )
            continue;
        for ( w = c->watches; w; w = w->next )
            if ( !strcmp(w->abspath, name) )
                watch_send(c, w, name);
    }
}
