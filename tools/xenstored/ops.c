/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ops.c - the handlers of the requests on nodes, watches and
 * transactions, with Xen's semantics and error codes, and the table that
 * maps a message type to its handler.
 *
 * A handler checks every argument and permission before it changes
 * anything. It works on r->tree (a transaction's copy, or the store);
 * in a transaction it notes every path it reads or changes, outside one
 * it fires the watches itself. It never sends: conn.c replies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Up to n NUL-terminated strings of the payload; how many there were. */
int req_strings(const struct req *r, const char **vec, unsigned int n)
{
    unsigned int i = 0, off = 0;
    const char *nul;

    while ( i < n && off < r->len && (nul = memchr(r->data + off, '\0', r->len - off)) )
    {
        vec[i++] = r->data + off;
        off = nul - r->data + 1;
    }
    return i;
}

/* The payload is exactly one NUL-terminated string. */
int req_onearg(const struct req *r, const char **arg)
{
    if ( !r->len || strlen(r->data) != r->len - 1 )
        return EINVAL;
    *arg = r->data;
    return 0;
}

/* Append s and its NUL to the reply. */
int req_reply(struct req *r, const char *s)
{
    size_t n = strlen(s) + 1;

    if ( n > sizeof(r->out) - r->olen )
        return E2BIG;
    memcpy(r->out + r->olen, s, n);
    r->olen += n;
    return 0;
}

static int reply_ok(struct req *r)
{
    return req_reply(r, "OK");
}

static const struct who *who(const struct req *r)
{
    return &r->conn->who;
}

/* A missing node: ENOENT if the asker may read its nearest ancestor,
 * EACCES otherwise, so nothing is learnt about nodes one cannot read. */
static int missing_errno(const struct req *r, const char *path)
{
    char dir[PATH_BUF];
    const struct node *n = NULL;
    char *slash;

    snprintf(dir, sizeof(dir), "%s", path);
    while ( !n && (slash = strrchr(dir, '/')) )
    {
        slash[slash == dir] = '\0';
        n = tree_lookup(r->tree, dir);
    }
    return n && (perm_for(who(r), &n->perms) & PERM_READ) ? ENOENT : EACCES;
}

static int note(struct req *r, const char *path, bool modified, bool fire)
{
    return r->txn ? txn_note(r->txn, path, modified, fire) : 0;
}

/* The node at in (canonical form left in path) if the asker has perm. */
static int node_get(struct req *r, const char *in, unsigned int perm, char *path, struct node **out)
{
    struct node *n;
    int rc = path_canon(who(r), in, path);

    if ( rc || (rc = note(r, path, false, false)) )
        return rc;
    if ( !(n = tree_lookup(r->tree, path)) )
        return missing_errno(r, path);
    if ( (perm_for(who(r), &n->perms) & perm) != perm )
        return EACCES;
    *out = n;
    return 0;
}

static int op_read(struct req *r)
{
    char path[PATH_BUF];
    const char *arg;
    struct node *n;
    int rc;

    if ( (rc = req_onearg(r, &arg)) || (rc = node_get(r, arg, PERM_READ, path, &n)) )
        return rc;
    memcpy(r->out, n->value ? n->value : "", n->vlen);
    r->olen = n->vlen;
    return 0;
}

static int op_directory(struct req *r)
{
    char path[PATH_BUF];
    const char *arg;
    struct node *n, *c;
    int rc;

    if ( (rc = req_onearg(r, &arg)) || (rc = node_get(r, arg, PERM_READ, path, &n)) )
        return rc;
    for ( c = n->children; c && !rc; c = c->next )
        rc = req_reply(r, c->name);
    return rc;
}

/* Children from byte offset off of the list, after the generation; a
 * final empty string says the list ended. */
static int op_directory_part(struct req *r)
{
    char path[PATH_BUF], gen[32], *end;
    const char *vec[2];
    unsigned long off, pos = 0;
    struct node *n, *c;
    int rc;

    if ( req_strings(r, vec, 2) != 2 )
        return EINVAL;
    off = strtoul(vec[1], &end, 10);
    if ( !*vec[1] || *end )
        return EINVAL;
    if ( (rc = node_get(r, vec[0], PERM_READ, path, &n)) )
        return rc;
    snprintf(gen, sizeof(gen), "%llu", (unsigned long long)n->gen);
    req_reply(r, gen);
    for ( c = n->children; c; pos += strlen(c->name) + 1, c = c->next )
        if ( pos >= off && r->olen + strlen(c->name) + 2 > sizeof(r->out) )
            return 0;
        else if ( pos >= off )
            req_reply(r, c->name);
    return req_reply(r, "");
}

/* Perms of a node a domain creates under parent: the parent's, owned by
 * the creator unless it is privileged. */
static int new_perms(const struct req *r, const struct node *parent, struct perms *out)
{
    if ( perms_copy(out, &parent->perms) )
        return ENOMEM;
    if ( !who(r)->privileged )
        out->p[0].id = who(r)->domid;
    return 0;
}

static int create_check(struct req *r, const char *path, struct node **anc, unsigned int *levels)
{
    char dir[PATH_BUF];
    struct node *n = NULL;
    char *slash;

    snprintf(dir, sizeof(dir), "%s", path);
    for ( *levels = 0; !n && (slash = strrchr(dir, '/')); ++*levels )
    {
        slash[slash == dir] = '\0';
        n = tree_lookup(r->tree, dir);
    }
    if ( !(perm_for(who(r), &n->perms) & PERM_WRITE) )
        return EACCES;
    if ( !who(r)->privileged &&
         acct_nodes(r->tree, who(r)->domid) + *levels > QUOTA_NODES_PER_DOMAIN )
        return ENOSPC;
    *anc = n;
    return 0;
}

/* Note path's prefix ending at end (a '/' or the NUL) in the transaction. */
static int note_prefix(struct req *r, char *path, char *end, bool modified)
{
    char save = *end;
    int rc;

    *end = '\0';
    rc = note(r, end == path ? "/" : path, modified, false);
    *end = save;
    return rc;
}

/* Create path and its missing ancestors; the new node in *out. */
static int create_path(struct req *r, char *path, struct node **out)
{
    struct node *n;
    struct perms perms;
    unsigned int i, levels;
    char *p, *next;
    int rc;

    if ( (rc = create_check(r, path, &n, &levels)) )
        return rc;
    for ( p = path + strlen(path), i = 0; i < levels; i++ )
        for ( p--; *p != '/'; p-- )
            ;
    for ( ; n && *p; p = next )
    {
        next = strchrnul(p + 1, '/');
        if ( (rc = note_prefix(r, path, p, true)) || (rc = note_prefix(r, path, next, true)) )
            return rc;
        if ( new_perms(r, n, &perms) )
            return ENOMEM;
        n = node_add(r->tree, n, p + 1, next - p - 1, &perms);
        perms_dispose(&perms);
    }
    *out = n;
    return n ? 0 : ENOMEM;
}

static void fire(struct req *r, const char *path, const struct perms *perms, bool removed)
{
    if ( !r->txn )
        watch_fire(r->xsd, path, perms, removed);
}

/* The node at path for writing: existing (with write access) or new. */
static int node_for_write(struct req *r, const char *in, char *path, struct node **n)
{
    int rc = node_get(r, in, PERM_WRITE, path, n);

    if ( rc == ENOENT )
        rc = create_path(r, path, n);
    return rc ? rc : note(r, path, true, true);
}

static int op_write(struct req *r)
{
    char path[PATH_BUF];
    const char *vec[1];
    unsigned int vlen;
    struct node *n;
    int rc;

    if ( req_strings(r, vec, 1) != 1 )
        return EINVAL;
    vlen = r->len - strlen(vec[0]) - 1;
    if ( !who(r)->privileged && vlen > QUOTA_ENTRY_SIZE )
        return ENOSPC;
    if ( (rc = node_for_write(r, vec[0], path, &n)) ||
         (rc = node_set_value(r->tree, n, vec[0] + strlen(vec[0]) + 1, vlen)) )
        return rc;
    fire(r, path, &n->perms, false);
    return reply_ok(r);
}

static int op_mkdir(struct req *r)
{
    char path[PATH_BUF];
    const char *arg;
    struct node *n;
    int rc = req_onearg(r, &arg);

    if ( !rc && (rc = node_get(r, arg, PERM_WRITE, path, &n)) == ENOENT )
    {
        if ( (rc = create_path(r, path, &n)) || (rc = note(r, path, true, true)) )
            return rc;
        fire(r, path, &n->perms, false);
    }
    return rc ? rc : reply_ok(r);
}

static int rm_node(struct req *r, struct node *n, const char *path)
{
    char dir[PATH_BUF];
    struct perms old;
    int rc;

    snprintf(dir, sizeof(dir), "%s", path);
    *strrchr(dir, '/') = '\0';
    if ( r->txn &&
         ((rc = txn_note_subtree(r->txn, n, path)) ||
          (rc = note(r, dir[0] ? dir : "/", true, false)) || (rc = note(r, path, true, true))) )
        return rc;
    if ( perms_copy(&old, &n->perms) )
        return ENOMEM;
    node_remove(r->tree, n);
    fire(r, path, &old, true);
    perms_dispose(&old);
    return 0;
}

static int op_rm(struct req *r)
{
    char path[PATH_BUF];
    const char *arg;
    struct node *n;
    int rc = req_onearg(r, &arg);

    if ( rc || (rc = path_canon(who(r), arg, path)) )
        return rc;
    if ( !strcmp(path, "/") )
        return EINVAL;
    rc = node_get(r, arg, PERM_WRITE, path, &n);
    if ( rc == ENOENT )
    {
        /* Already gone is fine, if its parent is there. */
        *strrchr(path, '/') = '\0';
        return tree_lookup(r->tree, path[0] ? path : "/") ? reply_ok(r) : ENOENT;
    }
    return rc ? rc : (rc = rm_node(r, n, path)) ? rc : reply_ok(r);
}

static int op_get_perms(struct req *r)
{
    char path[PATH_BUF];
    const char *arg;
    struct node *n;
    int rc;

    if ( (rc = req_onearg(r, &arg)) || (rc = node_get(r, arg, PERM_READ, path, &n)) )
        return rc;
    r->olen = perms_format(&n->perms, r->out, sizeof(r->out));
    return r->olen > sizeof(r->out) ? E2BIG : 0;
}

static int set_perms_checked(struct req *r, const char *in, struct perms *perms)
{
    char path[PATH_BUF];
    struct node *n;
    int rc = node_get(r, in, PERM_WRITE | PERM_OWNER, path, &n);

    if ( rc )
        return rc;
    if ( !who(r)->privileged && perms->p[0].id != n->perms.p[0].id )
        return EPERM;
    if ( (rc = note(r, path, true, true)) || (rc = node_set_perms(r->tree, n, perms)) )
        return rc;
    fire(r, path, &n->perms, false);
    return reply_ok(r);
}

static int op_set_perms(struct req *r)
{
    const char *vec[XENSTORE_PAYLOAD_MAX / 2];
    int n = req_strings(r, vec, XENSTORE_PAYLOAD_MAX / 2), rc;
    struct perms perms;

    if ( n < 2 )
        return EINVAL;
    if ( !who(r)->privileged && n - 1 > QUOTA_PERMS_PER_NODE )
        return ENOSPC;
    if ( (rc = perms_parse(vec[1], r->len - (vec[1] - r->data), n - 1, &perms)) )
        return rc;
    rc = set_perms_checked(r, vec[0], &perms);
    perms_dispose(&perms);
    return rc;
}

/* A watch's path: a special name (@...) or a node path, canonical in
 * abspath; relative paths stay relative in the events. */
static int watch_path(const struct req *r, const char *in, char *abspath)
{
    if ( in[0] != '@' )
        return path_canon(who(r), in, abspath);
    if ( strlen(in) > XENSTORE_REL_PATH_MAX || strchr(in, '/') )
        return EINVAL;
    strcpy(abspath, in);
    return 0;
}

static int op_watch(struct req *r)
{
    char abspath[PATH_BUF];
    const char *vec[2];
    struct watch *w;
    int rc;

    if ( req_strings(r, vec, 2) != 2 || (rc = watch_path(r, vec[0], abspath)) )
        return EINVAL;
    rc = watch_add(r->conn, vec[0], abspath, vec[1], vec[0][0] != '/' && vec[0][0] != '@', &w);
    if ( rc )
        return rc;
    r->new_watch = w;
    return reply_ok(r);
}

static int op_unwatch(struct req *r)
{
    char abspath[PATH_BUF];
    const char *vec[2];
    int rc;

    if ( req_strings(r, vec, 2) != 2 || watch_path(r, vec[0], abspath) )
        return EINVAL;
    return (rc = watch_del(r->conn, abspath, vec[1])) ? rc : reply_ok(r);
}

static int op_reset_watches(struct req *r)
{
    watch_del_all(r->conn);
    txn_end_all(r->conn);
    return reply_ok(r);
}

static int op_transaction_start(struct req *r)
{
    struct conn *c = r->conn;
    char id[16];

    if ( r->hdr.tx_id )
        return EBUSY;
    if ( !c->who.privileged && c->ntxns >= QUOTA_TXNS_PER_CONN )
        return ENOSPC;
    if ( !++r->xsd->next_txid )
        r->xsd->next_txid = 1;
    if ( !txn_start(c, r->xsd->next_txid) )
        return ENOMEM;
    snprintf(id, sizeof(id), "%u", r->xsd->next_txid);
    return req_reply(r, id);
}

static int op_transaction_end(struct req *r)
{
    const char *arg;
    struct txn *t = r->txn;
    int rc;

    if ( req_onearg(r, &arg) || (strcmp(arg, "T") && strcmp(arg, "F")) )
        return EINVAL;
    if ( !t )
        return ENOENT;
    rc = arg[0] == 'T' ? txn_commit(r->xsd, r->conn, t) : 0;
    txn_end(r->conn, t);
    return rc ? rc : reply_ok(r);
}

/* clang-format off */
static const struct op_desc ops[XS_TYPE_COUNT] = {
    [XS_CONTROL]              = { op_control, false },
    [XS_DIRECTORY]            = { op_directory, true },
    [XS_READ]                 = { op_read, true },
    [XS_GET_PERMS]            = { op_get_perms, true },
    [XS_WATCH]                = { op_watch, false },
    [XS_UNWATCH]              = { op_unwatch, false },
    [XS_TRANSACTION_START]    = { op_transaction_start, false },
    [XS_TRANSACTION_END]      = { op_transaction_end, true },
    [XS_INTRODUCE]            = { op_introduce, false },
    [XS_RELEASE]              = { op_release, false },
    [XS_GET_DOMAIN_PATH]      = { op_get_domain_path, false },
    [XS_WRITE]                = { op_write, true },
    [XS_MKDIR]                = { op_mkdir, true },
    [XS_RM]                   = { op_rm, true },
    [XS_SET_PERMS]            = { op_set_perms, true },
    [XS_IS_DOMAIN_INTRODUCED] = { op_is_introduced, false },
    [XS_RESUME]               = { op_resume, false },
    [XS_SET_TARGET]           = { op_set_target, false },
    [XS_RESET_WATCHES]        = { op_reset_watches, false },
    [XS_DIRECTORY_PART]       = { op_directory_part, true },
};
/* clang-format on */

const struct op_desc *op_lookup(uint32_t type)
{
    return type < XS_TYPE_COUNT && ops[type].fn ? &ops[type] : NULL;
}
