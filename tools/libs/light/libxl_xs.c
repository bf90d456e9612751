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

/* An empty node the guest owns (it may write it), dom0 reading. */
static int guest_node(struct store_job *j, const char *rel)
{
    char path[XS_PATH_BUF];

    libxl__dom_path(path, j->domid, rel);
    if ( !xs_write(j->ctx->xsh, j->t, path, "", 0) )
        return libxl__err_errno(j->ctx, ERROR_FAIL, "cannot write %s", path);
    return set_perms(j, path, j->domid, XS_PERM_NONE, 0);
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
                        const struct xc_pvh_dom *dom, uint32_t store_port, uint32_t console_port)
{
    struct store_job j = { .ctx = ctx, .domid = domid };
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
