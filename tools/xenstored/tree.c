/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tree.c - the store's nodes: lookup by path, creation, removal, values,
 * permissions, generation counts and the per-domain node count the quota
 * needs; and the path rules (canonical form, length limits).
 *
 * Knows nothing of connections, requests or watches; every change it
 * makes bumps the node's generation (and the parent's, when the list of
 * children changes), which is what transactions compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static struct acct *acct_get(struct tree *t, unsigned int domid, bool create)
{
    struct acct *a;

    for ( a = t->acct; a; a = a->next )
        if ( a->domid == domid )
            return a;
    if ( !create || !(a = calloc(1, sizeof(*a))) )
        return NULL;
    a->domid = domid;
    a->next = t->acct;
    t->acct = a;
    return a;
}

unsigned int acct_nodes(const struct tree *t, unsigned int domid)
{
    const struct acct *a;

    for ( a = t->acct; a; a = a->next )
        if ( a->domid == domid )
            return a->nodes;
    return 0;
}

/* delta is +1 or -1; a failed allocation only loses the count. */
static void acct_add(struct tree *t, unsigned int domid, int delta)
{
    struct acct *a = acct_get(t, domid, delta > 0);

    if ( a )
        a->nodes += delta;
}

static void node_free(struct node *n)
{
    free(n->name);
    free(n->value);
    perms_dispose(&n->perms);
    free(n);
}

static struct node *node_alloc(const char *name, unsigned int len, const struct perms *perms)
{
    struct node *n = calloc(1, sizeof(*n));

    if ( !n )
        return NULL;
    n->name = strndup(name, len);
    if ( !n->name || perms_copy(&n->perms, perms) )
    {
        node_free(n);
        return NULL;
    }
    return n;
}

int tree_init(struct tree *t, uint64_t *gen)
{
    struct xs_perm p0 = { .id = 0, .perms = PERM_NONE };
    struct perms perms = { .num = 1, .p = &p0 };

    memset(t, 0, sizeof(*t));
    t->gen = gen;
    t->root = node_alloc("", 0, &perms);
    if ( !t->root )
        return ENOMEM;
    t->root->gen = ++*gen;
    acct_add(t, 0, 1);
    return 0;
}

static void subtree_free(struct node *n)
{
    struct node *c, *next;

    for ( c = n->children; c; c = next )
    {
        next = c->next;
        subtree_free(c);
    }
    node_free(n);
}

void tree_dispose(struct tree *t)
{
    struct acct *a, *next;

    if ( t->root )
        subtree_free(t->root);
    for ( a = t->acct; a; a = next )
    {
        next = a->next;
        free(a);
    }
    memset(t, 0, sizeof(*t));
}

static struct node *node_dup(const struct node *src)
{
    struct node *n = node_alloc(src->name, strlen(src->name), &src->perms);

    if ( !n )
        return NULL;
    n->gen = src->gen;
    n->vlen = src->vlen;
    if ( src->value && !(n->value = malloc(src->vlen + 1)) )
    {
        node_free(n);
        return NULL;
    }
    if ( src->value )
        memcpy(n->value, src->value, src->vlen + 1);
    return n;
}

/* Copies src's subtree under dst (a copy of src itself). */
static int subtree_dup(struct node *dst, const struct node *src)
{
    const struct node *c;
    struct node *copy, **link = &dst->children;

    for ( c = src->children; c; c = c->next )
    {
        if ( !(copy = node_dup(c)) )
            return ENOMEM;
        copy->parent = dst;
        *link = copy;
        link = &copy->next;
        if ( subtree_dup(copy, c) )
            return ENOMEM;
    }
    return 0;
}

int tree_clone(struct tree *dst, const struct tree *src)
{
    const struct acct *a;
    struct acct *copy;

    memset(dst, 0, sizeof(*dst));
    dst->gen = src->gen;
    if ( !(dst->root = node_dup(src->root)) || subtree_dup(dst->root, src->root) )
        goto fail;
    for ( a = src->acct; a; a = a->next )
    {
        if ( !(copy = acct_get(dst, a->domid, true)) )
            goto fail;
        copy->nodes = a->nodes;
    }
    return 0;

fail:
    tree_dispose(dst);
    return ENOMEM;
}

struct node *node_child(const struct node *n, const char *name, unsigned int len)
{
    struct node *c;

    for ( c = n->children; c; c = c->next )
        if ( !strncmp(c->name, name, len) && c->name[len] == '\0' )
            return c;
    return NULL;
}

/* path is canonical (path_canon). */
struct node *tree_lookup(const struct tree *t, const char *path)
{
    struct node *n = t->root;
    const char *end;

    for ( path++; n && *path; path = *end ? end + 1 : end )
    {
        end = strchrnul(path, '/');
        n = node_child(n, path, end - path);
    }
    return n;
}

struct node *node_add(struct tree *t, struct node *parent, const char *name, unsigned int len,
                      const struct perms *perms)
{
    struct node *n = node_alloc(name, len, perms), **link;

    if ( !n )
        return NULL;
    for ( link = &parent->children; *link; link = &(*link)->next )
        ;
    *link = n;
    n->parent = parent;
    n->gen = ++*t->gen;
    parent->gen = n->gen;
    acct_add(t, n->perms.p[0].id, 1);
    return n;
}

static void subtree_unaccount(struct tree *t, struct node *n)
{
    struct node *c;

    for ( c = n->children; c; c = c->next )
        subtree_unaccount(t, c);
    acct_add(t, n->perms.p[0].id, -1);
}

/* Not the root. */
void node_remove(struct tree *t, struct node *n)
{
    struct node **link;

    for ( link = &n->parent->children; *link != n; link = &(*link)->next )
        ;
    *link = n->next;
    n->parent->gen = ++*t->gen;
    subtree_unaccount(t, n);
    subtree_free(n);
}

int node_set_value(struct tree *t, struct node *n, const char *v, unsigned int len)
{
    char *copy = malloc(len + 1);

    if ( !copy )
        return ENOMEM;
    memcpy(copy, v, len);
    copy[len] = '\0';
    free(n->value);
    n->value = copy;
    n->vlen = len;
    n->gen = ++*t->gen;
    return 0;
}

int node_set_perms(struct tree *t, struct node *n, const struct perms *perms)
{
    struct perms copy;

    if ( perms_copy(&copy, perms) )
        return ENOMEM;
    acct_add(t, n->perms.p[0].id, -1);
    acct_add(t, copy.p[0].id, 1);
    perms_dispose(&n->perms);
    n->perms = copy;
    n->gen = ++*t->gen;
    return 0;
}

static unsigned int subtree_count(const struct node *n)
{
    const struct node *c;
    unsigned int count = 1;

    for ( c = n->children; c; c = c->next )
        count += subtree_count(c);
    return count;
}

unsigned int tree_count(const struct tree *t)
{
    return subtree_count(t->root);
}

static void subtree_chown(struct tree *t, struct node *n, unsigned int from, unsigned int to)
{
    struct node *c;

    if ( n->perms.p[0].id == from )
    {
        n->perms.p[0].id = to;
        acct_add(t, from, -1);
        acct_add(t, to, 1);
    }
    for ( c = n->children; c; c = c->next )
        subtree_chown(t, c, from, to);
}

/* A released domain's nodes go to dom0, so a later domain with the same
 * id does not inherit them (Xen does the same). */
void acct_rename(struct tree *t, unsigned int from, unsigned int to)
{
    subtree_chown(t, t->root, from, to);
}

/* Is path dir itself or below it? Both canonical. */
bool path_is_under(const char *path, const char *dir)
{
    size_t len = strlen(dir);

    if ( !strcmp(dir, "/") )
        return path[0] == '/';
    return !strncmp(path, dir, len) && (path[len] == '\0' || path[len] == '/');
}

static bool path_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '/' || c == '_' || c == '@';
}

static bool path_valid(const char *p)
{
    size_t len = strlen(p);

    if ( p[0] != '/' || (len > 1 && p[len - 1] == '/') || strstr(p, "//") )
        return false;
    for ( ; *p; p++ )
        if ( !path_char_ok(*p) )
            return false;
    return true;
}

/* The part of a path under /local/domain/<id>/, for the length limit. */
static size_t path_rel_len(const char *p)
{
    static const char base[] = "/local/domain/";
    const char *q = p + sizeof(base) - 1;

    if ( strncmp(p, base, sizeof(base) - 1) || *q < '0' || *q > '9' )
        return 0;
    while ( *q >= '0' && *q <= '9' )
        q++;
    return *q == '/' ? strlen(q + 1) : 0;
}

/* in: absolute, or relative to the asker's /local/domain/<id>; out:
 * PATH_BUF bytes. EINVAL for a bad or too long path. */
int path_canon(const struct who *w, const char *in, char *out)
{
    int n;

    if ( in[0] == '/' )
        n = snprintf(out, PATH_BUF, "%s", in);
    else if ( in[0] )
        n = snprintf(out, PATH_BUF, "/local/domain/%u/%s", w->domid, in);
    else
        return EINVAL;
    if ( n < 0 || n >= PATH_BUF || !path_valid(out) )
        return EINVAL;
    return path_rel_len(out) > XENSTORE_REL_PATH_MAX ? EINVAL : 0;
}
