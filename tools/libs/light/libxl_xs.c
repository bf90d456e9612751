/* SPDX-License-Identifier: MIT */
/*
 * libxl_xs.c - the xenstore nodes of a domain, as Xen's toolstack lays
 * them out:
 *
 *   /local/domain/N            owned by N, readable by dom0
 *     name, domid, vm = /vm/<uuid>
 *     memory/target, memory/static-max                       (KiB)
 *     control/shutdown        N may write (the shutdown request)
 *     control/feature-{poweroff,reboot,suspend}, control/sysrq
 *                             N may write (a PV guest announces what it
 *                             obeys; Linux fails its shutdown setup if not)
 *     control/platform-feature-multiprocessor-suspend = 1
 *     control/platform-feature-xs_reset_watches = 1
 *     cpu/<i>/availability    online / offline, one per possible vCPU
 *     data, drivers, feature, attr, error                  N's own
 *     device                  dom0's, readable by N
 *     console/{ring-ref, port, type = xenconsoled, limit}
 *     store/{ring-ref, port}
 *   A restore writes, beside these, what the guest had announced in its
 *   old domain's control/feature-* (libxl_domain_guest_nodes): a resumed
 *   Linux does not announce it again.
 *   /vm/<uuid>/{name, uuid, start_time}                  owned by dom0
 *                           (/vm/<uuid>-N while another domain N' with
 *                           the same uuid holds /vm/<uuid>: a restore or
 *                           a migration to this host)
 *
 * It touches the store only, and only those nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libxl_internal.h"

#define CONSOLE_LIMIT 1048576 /* Xen's LIBXL_XENCONSOLE_LIMIT */
#define STORE_RETRIES 8

struct store_job
{
    libxl_ctx *ctx;
    xs_transaction_t t;
    libxl_domid domid;
    char vm[64];
    const struct libxl__guest_nodes *carried; /* NULL: none */
};

/* The nodes in control/ a guest may write (libxl makes them its own):
 * the only announcements a restore carries. */
static const char *const guest_node_keys[LIBXL__NR_GUEST_NODES] = {
    "control/feature-poweroff",
    "control/feature-reboot",
    "control/feature-suspend",
};

static int set_perms(struct store_job *j, const char *path, unsigned int owner,
                     enum xs_perm_type others, unsigned int reader)
{
    struct xs_permissions p[2] = {
        { .id = owner, .perms = others },
        { .id = reader, .perms = XS_PERM_READ },
    };

    if ( !xs_set_permissions(j->ctx->xsh, j->t, path, p, owner == reader ? 1 : 2) )
        return libxl__err_errno(j->ctx, ERROR_FAIL, "cannot set permissions of %s", path);
    return 0;
}

static int dom_write(struct store_job *j, const char *rel, const char *fmt, unsigned long long v)
{
    char path[XS_PATH_BUF];

    libxl__dom_path(path, j->domid, rel);
    return libxl__xs_printf(j->ctx, j->t, path, fmt, v);
}

static int dom_dir(struct store_job *j, const char *rel, unsigned int owner)
{
    char path[XS_PATH_BUF];

    libxl__dom_path(path, j->domid, rel);
    if ( !xs_mkdir(j->ctx->xsh, j->t, path) )
        return libxl__err_errno(j->ctx, ERROR_FAIL, "cannot make %s", path);
    return set_perms(j, path, owner, XS_PERM_NONE, owner ? 0 : j->domid);
}

static int write_dom_nodes(struct store_job *j, const libxl_domain_config *d)
{
    char path[XS_PATH_BUF];
    int rc = dom_dir(j, "", j->domid);

    if ( !rc )
    {
        libxl__dom_path(path, j->domid, "name");
        rc = libxl__xs_printf(j->ctx, j->t, path, "%s", d->c_info.name);
    }
    if ( !rc )
    {
        libxl__dom_path(path, j->domid, "vm");
        rc = libxl__xs_printf(j->ctx, j->t, path, "%s", j->vm);
    }
    if ( !rc )
        rc = dom_write(j, "domid", "%llu", j->domid);
    if ( !rc )
        rc = dom_write(j, "memory/target", "%llu", d->b_info.target_memkb);
    if ( !rc )
        rc = dom_write(j, "memory/static-max", "%llu", d->b_info.max_memkb);
    return rc;
}

/* A node the guest owns (it may write it), dom0 reading. */
static int guest_value(struct store_job *j, const char *rel, const char *v)
{
    char path[XS_PATH_BUF];

    libxl__dom_path(path, j->domid, rel);
    if ( !xs_write(j->ctx->xsh, j->t, path, v, (unsigned int)strlen(v)) )
        return libxl__err_errno(j->ctx, ERROR_FAIL, "cannot write %s", path);
    return set_perms(j, path, j->domid, XS_PERM_NONE, 0);
}

static int guest_node(struct store_job *j, const char *rel)
{
    return guest_value(j, rel, "");
}

/* What the guest announced in the domain it was saved from. */
static int write_carried(struct store_job *j)
{
    int rc = 0;

    for ( size_t i = 0; !rc && j->carried && i < LIBXL__NR_GUEST_NODES; i++ )
        if ( j->carried->value[i][0] )
            rc = guest_value(j, guest_node_keys[i], j->carried->value[i]);
    return rc;
}

/* control/ is dom0's, readable by the guest; the request node and the
 * feature announcements are the guest's to write, as libxl makes them. */
static int write_control(struct store_job *j)
{
    static const char *const guest_writes[] = {
        "control/shutdown",
        "control/feature-poweroff",
        "control/feature-reboot",
        "control/feature-suspend",
        "control/sysrq",
        "data",
        "drivers",
        "feature",
        "attr",
        "error",
    };
    int rc = dom_dir(j, "control", 0);

    if ( !rc )
        rc = dom_write(j, "control/platform-feature-multiprocessor-suspend", "%llu", 1);
    if ( !rc )
        rc = dom_write(j, "control/platform-feature-xs_reset_watches", "%llu", 1);
    for ( size_t i = 0; !rc && i < sizeof(guest_writes) / sizeof(guest_writes[0]); i++ )
        rc = guest_node(j, guest_writes[i]);
    if ( !rc )
        rc = dom_dir(j, "device", 0);
    return rc;
}

/* cpu/<i>/availability for every possible vCPU, as libxl writes it
 * (Linux reads it to bring vCPUs on- and offline). */
static int write_cpus(struct store_job *j, const libxl_domain_config *d)
{
    unsigned int max = d->b_info.max_vcpus ? d->b_info.max_vcpus : d->b_info.avail_vcpus;
    int rc = 0;

    for ( unsigned int i = 0; !rc && i < max; i++ )
    {
        char path[XS_PATH_BUF], rel[32];

        snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
        libxl__dom_path(path, j->domid, rel);
        rc = libxl__xs_printf(j->ctx, j->t, path, "%s",
                              i < d->b_info.avail_vcpus ? "online" : "offline");
    }
    return rc;
}

static int write_rings(struct store_job *j, const struct xc_pvh_dom *dom, uint32_t store_port,
                       uint32_t console_port)
{
    char path[XS_PATH_BUF];
    int rc = dom_dir(j, "console", 0);

    if ( !rc )
        rc = dom_write(j, "console/ring-ref", "%llu", dom->console_pfn);
    if ( !rc )
        rc = dom_write(j, "console/port", "%llu", console_port);
    if ( !rc )
        rc = dom_write(j, "console/limit", "%llu", CONSOLE_LIMIT);
    if ( !rc )
    {
        libxl__dom_path(path, j->domid, "console/type");
        rc = libxl__xs_printf(j->ctx, j->t, path, "xenconsoled");
    }
    if ( !rc )
        rc = dom_dir(j, "store", 0);
    if ( !rc )
        rc = dom_write(j, "store/ring-ref", "%llu", dom->store_pfn);
    if ( !rc )
        rc = dom_write(j, "store/port", "%llu", store_port);
    return rc;
}

static int write_vm_nodes(struct store_job *j, const libxl_domain_config *d)
{
    char path[XS_PATH_BUF], uuid[LIBXL_UUID_STRLEN];
    int rc;

    libxl_uuid_to_string(&d->c_info.uuid, uuid);
    if ( !xs_mkdir(j->ctx->xsh, j->t, j->vm) )
        return libxl__err_errno(j->ctx, ERROR_FAIL, "cannot make %s", j->vm);
    rc = set_perms(j, j->vm, 0, XS_PERM_NONE, j->domid);
    snprintf(path, sizeof(path), "%s/name", j->vm);
    if ( !rc )
        rc = libxl__xs_printf(j->ctx, j->t, path, "%s", d->c_info.name);
    snprintf(path, sizeof(path), "%s/uuid", j->vm);
    if ( !rc )
        rc = libxl__xs_printf(j->ctx, j->t, path, "%s", uuid);
    snprintf(path, sizeof(path), "%s/start_time", j->vm);
    if ( !rc )
        rc = libxl__xs_printf(j->ctx, j->t, path, "%llu", (unsigned long long)time(NULL));
    return rc;
}

static int store_once(struct store_job *j, const libxl_domain_config *d,
                      const struct xc_pvh_dom *dom, uint32_t store_port, uint32_t console_port)
{
    int rc;

    j->t = xs_transaction_start(j->ctx->xsh);
    if ( !j->t )
        return libxl__err_errno(j->ctx, ERROR_FAIL, "cannot start a store transaction");
    rc = write_dom_nodes(j, d);
    if ( !rc )
        rc = write_control(j);
    if ( !rc )
        rc = write_carried(j);
    if ( !rc )
        rc = write_cpus(j, d);
    if ( !rc )
        rc = write_rings(j, dom, store_port, console_port);
    if ( !rc )
        rc = write_vm_nodes(j, d);
    if ( rc )
    {
        xs_transaction_end(j->ctx->xsh, j->t, true);
        return rc;
    }
    if ( xs_transaction_end(j->ctx->xsh, j->t, false) )
        return 0;
    if ( errno == EAGAIN )
        return ERROR_NOT_READY;
    return libxl__err_errno(j->ctx, ERROR_FAIL, "cannot commit domain %u's store nodes", j->domid);
}

static bool vm_taken(libxl_ctx *ctx, const char *vm)
{
    char *v = libxl__xs_read(ctx, XBT_NULL, vm);
    bool taken = v != NULL;

    free(v);
    return taken;
}

int libxl__create_store(libxl_ctx *ctx, libxl_domid domid, const libxl_domain_config *d,
                        const struct xc_pvh_dom *dom, uint32_t store_port, uint32_t console_port,
                        const struct libxl__guest_nodes *g)
{
    struct store_job j = { .ctx = ctx, .domid = domid, .carried = g };
    char uuid[LIBXL_UUID_STRLEN];
    int rc = ERROR_NOT_READY, tries;

    libxl_uuid_to_string(&d->c_info.uuid, uuid);
    snprintf(j.vm, sizeof(j.vm), "/vm/%s", uuid);
    /* The same domain twice (restored or migrated while the source
     * still exists): each keeps a /vm of its own, removed with it. */
    if ( vm_taken(ctx, j.vm) )
        snprintf(j.vm, sizeof(j.vm), "/vm/%s-%u", uuid, domid);
    for ( tries = 0; rc == ERROR_NOT_READY && tries < STORE_RETRIES; tries++ )
        rc = store_once(&j, d, dom, store_port, console_port);
    if ( rc == ERROR_NOT_READY )
        rc = libxl__err(ctx, ERROR_FAIL, "the store stayed busy: domain %u's nodes not written",
                        domid);
    return rc;
}

void libxl__xs_remove_domain(libxl_ctx *ctx, libxl_domid domid)
{
    char path[XS_PATH_BUF];
    char *vm;

    libxl__dom_path(path, domid, "vm");
    vm = libxl__xs_read(ctx, XBT_NULL, path);
    if ( vm && !strncmp(vm, "/vm/", 4) )
        xs_rm(ctx->xsh, XBT_NULL, vm);
    free(vm);
    libxl__dom_path(path, domid, "");
    xs_rm(ctx->xsh, XBT_NULL, path);
}

/* 1 to LIBXL__GUEST_VALUE_MAX letters or digits ("1" is what Linux says). */
static bool guest_value_ok(const char *v, size_t len)
{
    if ( !len || len > LIBXL__GUEST_VALUE_MAX )
        return false;
    for ( size_t i = 0; i < len; i++ )
        if ( !((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') ||
               (v[i] >= 'A' && v[i] <= 'Z')) )
            return false;
    return true;
}

static int guest_key_index(const char *key, size_t len)
{
    for ( int i = 0; i < LIBXL__NR_GUEST_NODES; i++ )
        if ( strlen(guest_node_keys[i]) == len && !memcmp(guest_node_keys[i], key, len) )
            return i;
    return -1;
}

/* One "KEY=VALUE" line (len bytes, no newline) into g. */
static int parse_guest_line(libxl_ctx *ctx, const char *line, size_t len,
                            struct libxl__guest_nodes *g)
{
    const char *eq = memchr(line, '=', len);
    size_t klen = eq ? (size_t)(eq - line) : 0, vlen = eq ? len - klen - 1 : 0;
    int i = eq ? guest_key_index(line, klen) : -1;

    if ( !eq )
        return libxl__err(ctx, ERROR_INVAL, "guest node line \"%.*s\" has no '='",
                          (int)(len > 40 ? 40 : len), line);
    if ( i < 0 )
        return libxl__err(ctx, ERROR_INVAL,
                          "guest node \"%.*s\" is not one a guest announces "
                          "(control/feature-poweroff, -reboot, -suspend)",
                          (int)(klen > 40 ? 40 : klen), line);
    if ( g->value[i][0] )
        return libxl__err(ctx, ERROR_INVAL, "guest node %s given twice", guest_node_keys[i]);
    if ( !guest_value_ok(eq + 1, vlen) )
        return libxl__err(ctx, ERROR_INVAL, "guest node %s: value is not 1 to %d letters or digits",
                          guest_node_keys[i], LIBXL__GUEST_VALUE_MAX);
    memcpy(g->value[i], eq + 1, vlen);
    g->value[i][vlen] = '\0';
    return 0;
}

int libxl__guest_nodes_parse(libxl_ctx *ctx, const char *text, struct libxl__guest_nodes *g)
{
    size_t len = text ? strnlen(text, LIBXL_GUEST_NODES_MAX + 1) : 0;
    int rc = 0;

    memset(g, 0, sizeof(*g));
    if ( len > LIBXL_GUEST_NODES_MAX )
        return libxl__err(ctx, ERROR_INVAL, "guest nodes: more than %d bytes",
                          LIBXL_GUEST_NODES_MAX);
    for ( size_t at = 0; !rc && at < len; )
    {
        const char *nl = memchr(text + at, '\n', len - at);

        if ( !nl )
            return libxl__err(ctx, ERROR_INVAL, "guest nodes: the last line has no newline");
        rc = parse_guest_line(ctx, text + at, (size_t)(nl - text - at), g);
        at = (size_t)(nl - text) + 1;
    }
    return rc;
}

int libxl_domain_guest_nodes(libxl_ctx *ctx, libxl_domid domid, char **text)
{
    char buf[LIBXL_GUEST_NODES_MAX], path[XS_PATH_BUF];
    size_t used = 0;

    libxl__err_clear(ctx);
    for ( size_t i = 0; i < LIBXL__NR_GUEST_NODES; i++ )
    {
        char *v;

        libxl__dom_path(path, domid, guest_node_keys[i]);
        v = libxl__xs_read(ctx, XBT_NULL, path);
        if ( v && guest_value_ok(v, strlen(v)) ) /* a small, fixed set: always fits */
            used +=
                (size_t)snprintf(buf + used, sizeof(buf) - used, "%s=%s\n", guest_node_keys[i], v);
        free(v);
    }
    buf[used] = '\0';
    *text = strdup(buf);
    return *text ? 0 : libxl__err(ctx, ERROR_NOMEM, "no memory for domain %u's guest nodes", domid);
}
