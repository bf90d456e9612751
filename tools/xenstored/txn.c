/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * txn.c - transactions. A transaction works on its own copy of the store
 * and remembers every path it touched with that node's generation when
 * first touched (0: absent). Ending it with commit compares those
 * generations with the store's: any difference means another writer got
 * there first, and the answer is EAGAIN (the client retries). Otherwise
 * each path the transaction changed is copied into the store, parents
 * before children, and its watches fire.
 *
 * Uses tree.c and watch.c; knows nothing of the wire.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct txn *txn_start(struct conn *c, uint32_t id)
{
    struct txn *t = calloc(1, sizeof(*t));

    if ( !t )
        return NULL;
    if ( tree_clone(&t->tree, &c->xsd->tree) )
    {
        free(t);
        return NULL;
    }
    t->id = id;
    t->next = c->txns;
    c->txns = t;
    c->ntxns++;
    return t;
}

struct txn *txn_find(struct conn *c, uint32_t id)
{
    struct txn *t;

    for ( t = c->txns; t; t = t->next )
        if ( t->id == id )
            return t;
    return NULL;
}

static struct txn_path *txn_path_find(struct txn *t, const char *path)
{
    struct txn_path *p;

    for ( p = t->paths; p; p = p->next )
        if ( !strcmp(p->path, path) )
            return p;
    return NULL;
}

int txn_note(struct txn *t, const char *path, bool modified, bool fire)
{
    struct txn_path *p = txn_path_find(t, path);
    struct node *n;

    if ( !p )
    {
        if ( t->npaths >= QUOTA_TXN_PATHS || !(p = calloc(1, sizeof(*p))) )
            return t->npaths >= QUOTA_TXN_PATHS ? ENOSPC : ENOMEM;
        if ( !(p->path = strdup(path)) )
        {
            free(p);
            return ENOMEM;
        }
        n = tree_lookup(&t->tree, path);
        p->base_gen = n ? n->gen : 0;
        if ( t->tail )
            t->tail->next = p;
        else
            t->paths = p;
        t->tail = p;
        t->npaths++;
    }
    p->modified |= modified;
    p->fire |= fire;
    return 0;
}

/* Before a removal: every node below n (at path) is read by it. */
int txn_note_subtree(struct txn *t, const struct node *n, const char *path)
{
    char child[PATH_BUF];
    const struct node *c;
    int rc = txn_note(t, path, false, false);

    for ( c = n->children; !rc && c; c = c->next )
    {
        if ( snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", c->name) >=
             (int)sizeof(child) )
            return EINVAL;
        rc = txn_note_subtree(t, c, child);
    }
    return rc;
}

static bool txn_conflicts(const struct txn *t, const struct tree *store)
{
    const struct txn_path *p;
    const struct node *n;

    for ( p = t->paths; p; p = p->next )
    {
        n = tree_lookup(store, p->path);
        if ( (n ? n->gen : 0) != p->base_gen )
            return true;
    }
    return false;
}

/* The store's node at path, created under its parent if missing. */
static struct node *store_node(struct tree *store, const char *path, const struct perms *perms)
{
    struct node *n = tree_lookup(store, path), *parent;
    const char *slash = strrchr(path, '/');
    char dir[PATH_BUF];

    if ( n )
        return n;
    if ( slash == path )
        strcpy(dir, "/");
    else
    {
        memcpy(dir, path, slash - path);
        dir[slash - path] = '\0';
    }
    parent = tree_lookup(store, dir);
    return parent ? node_add(store, parent, slash + 1, strlen(slash + 1), perms) : NULL;
}

static int apply_present(struct tree *store, const struct node *tn, const char *path)
{
    struct node *n = store_node(store, path, &tn->perms), *c, *next;
    bool same_perms;

    if ( !n )
        return ENOMEM;
    same_perms = n->perms.num == tn->perms.num &&
                 !memcmp(n->perms.p, tn->perms.p, tn->perms.num * sizeof(*tn->perms.p));
    if ( (!same_perms && node_set_perms(store, n, &tn->perms)) ||
         node_set_value(store, n, tn->value ? tn->value : "", tn->vlen) )
        return ENOMEM;
    for ( c = n->children; c; c = next )
    {
        next = c->next;
        if ( !node_child(tn, c->name, strlen(c->name)) )
            node_remove(store, c);
    }
    return 0;
}

static int apply_one(struct xenstored *xsd, struct txn *t, const struct txn_path *p)
{
    const struct node *tn = tree_lookup(&t->tree, p->path);
    struct node *n;
    struct perms old;
    int rc;

    if ( tn )
    {
        rc = apply_present(&xsd->tree, tn, p->path);
        if ( !rc && p->fire )
            watch_fire(xsd, p->path, &tn->perms, false);
        return rc;
    }
    if ( !(n = tree_lookup(&xsd->tree, p->path)) )
        return 0;
    if ( perms_copy(&old, &n->perms) )
        return ENOMEM;
    node_remove(&xsd->tree, n);
    if ( p->fire )
        watch_fire(xsd, p->path, &old, true);
    perms_dispose(&old);
    return 0;
}

static unsigned int path_depth(const char *path)
{
    unsigned int d = 0;

    for ( path++; *path; path++ )
        d += *path == '/';
    return d + (path[-1] != '/');
}

/* Shallow paths first, so every node is made after its parent. */
int txn_commit(struct xenstored *xsd, struct conn *c, struct txn *t)
{
    const struct txn_path *p;
    unsigned int depth, max = 0;
    int rc = 0;

    if ( txn_conflicts(t, &xsd->tree) )
        return EAGAIN;
    for ( p = t->paths; p; p = p->next )
        max = path_depth(p->path) > max ? path_depth(p->path) : max;
    for ( depth = 0; depth <= max && !rc; depth++ )
        for ( p = t->paths; p && !rc; p = p->next )
            if ( p->modified && path_depth(p->path) == depth )
                rc = apply_one(xsd, t, p);
    return rc;
}

void txn_end(struct conn *c, struct txn *t)
{
    struct txn **link;
    struct txn_path *p, *next;

    for ( link = &c->txns; *link != t; link = &(*link)->next )
        ;
    *link = t->next;
    c->ntxns--;
    for ( p = t->paths; p; p = next )
    {
        next = p->next;
        free(p->path);
        free(p);
    }
    tree_dispose(&t->tree);
    free(t);
}

void txn_end_all(struct conn *c)
{
    while ( c->txns )
        txn_end(c, c->txns);
}
