/* SPDX-License-Identifier: MIT */
/*
 * libxl_domain.c - acting on an existing domain: information, names,
 * pause, shutdown requests, memory limits, destroy.
 *
 * It may change only the domain it is asked about, and refuses to
 * destroy, rename or shut down dom0.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libxl_internal.h"

#define DOM0_NAME     "Domain-0"
#define LIST_CHUNK    64
#define WAIT_SLICE_MS 100

void libxl_dominfo_init(libxl_dominfo *info)
{
    memset(info, 0, sizeof(*info));
}

void libxl_dominfo_dispose(libxl_dominfo *info)
{
    memset(info, 0, sizeof(*info));
}

static void dominfo_from_xc(libxl_dominfo *out, const xc_domaininfo_t *in)
{
    libxl_dominfo_init(out);
    memcpy(out->uuid.bytes, in->handle, sizeof(out->uuid.bytes));
    out->domid = in->domain;
    out->dying = in->flags & XEN_DOMINF_dying;
    out->paused = in->flags & XEN_DOMINF_paused;
    out->blocked = in->flags & XEN_DOMINF_blocked;
    out->running = in->flags & XEN_DOMINF_running;
    out->shutdown = in->flags & XEN_DOMINF_shutdown;
    out->shutdown_reason = out->shutdown
                               ? (libxl_shutdown_reason)XEN_DOMINF_SHUTDOWN_REASON(in->flags)
                               : LIBXL_SHUTDOWN_REASON_UNKNOWN;
    out->current_memkb = in->tot_pages * 4;
    out->outstanding_memkb = in->outstanding_pages * 4;
    out->max_memkb = in->max_pages * 4;
    out->cpu_time = in->cpu_time;
    out->vcpu_max_id = in->max_vcpu_id;
    out->vcpu_online = in->nr_online_vcpus;
    out->domain_type =
        (in->flags & XEN_DOMINF_hvm_guest) ? LIBXL_DOMAIN_TYPE_PVH : LIBXL_DOMAIN_TYPE_PV;
}

int libxl_domain_info(libxl_ctx *ctx, libxl_dominfo *info, libxl_domid domid)
{
    xc_domaininfo_t xi;

    if ( xc_domain_getinfo_single(ctx->xch, domid, &xi) )
    {
        if ( errno == ESRCH )
            return libxl__err(ctx, ERROR_DOMAIN_NOTFOUND, "no domain %u", domid);
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot get domain %u's information", domid);
    }
    if ( info )
        dominfo_from_xc(info, &xi);
    return 0;
}

libxl_dominfo *libxl_list_domain(libxl_ctx *ctx, int *nb_domain)
{
    xc_domaininfo_t xi[LIST_CHUNK];
    libxl_dominfo *list = NULL, *grown;
    int n = 0, got, i;
    uint32_t next = 0;

    do
    {
        got = xc_domain_getinfolist(ctx->xch, next, LIST_CHUNK, xi);
        grown = got > 0 ? realloc(list, (n + got) * sizeof(*list)) : list;
        if ( got < 0 || !grown )
        {
            libxl__err_errno(ctx, ERROR_FAIL, "cannot list the domains");
            free(list);
            *nb_domain = 0;
            return NULL;
        }
        list = grown;
        for ( i = 0; i < got; i++ )
            dominfo_from_xc(&list[n + i], &xi[i]);
        n += got;
        if ( got )
            next = (uint32_t)xi[got - 1].domain + 1;
    } while ( got == LIST_CHUNK );
    *nb_domain = n;
    return list ? list : calloc(1, sizeof(*list));
}

void libxl_dominfo_list_free(libxl_dominfo *list, int nb_domain)
{
    free(list);
}

char *libxl_domid_to_name(libxl_ctx *ctx, libxl_domid domid)
{
    char path[XS_PATH_BUF];

    if ( domid == 0 )
        return strdup(DOM0_NAME);
    libxl__dom_path(path, domid, "name");
    return libxl__xs_read(ctx, XBT_NULL, path);
}

int libxl_name_to_domid(libxl_ctx *ctx, const char *name, libxl_domid *domid)
{
    libxl_dominfo *list;
    int nb, i, rc = ERROR_DOMAIN_NOTFOUND;
    char *n;

    list = libxl_list_domain(ctx, &nb);
    if ( !list )
        return ERROR_FAIL;
    for ( i = 0; i < nb && rc; i++ )
    {
        n = libxl_domid_to_name(ctx, list[i].domid);
        if ( n && !strcmp(n, name) )
        {
            *domid = list[i].domid;
            rc = 0;
        }
        free(n);
    }
    libxl_dominfo_list_free(list, nb);
    return rc;
}

static int not_dom0(libxl_ctx *ctx, libxl_domid domid, const char *what)
{
    if ( domid == 0 )
        return libxl__err(ctx, ERROR_INVAL, "cannot %s domain 0", what);
    return libxl_domain_info(ctx, NULL, domid);
}

int libxl_domain_pause(libxl_ctx *ctx, libxl_domid domid, const void *ao_how)
{
    int rc = not_dom0(ctx, domid, "pause");

    if ( !rc && xc_domain_pause(ctx->xch, domid) )
        rc = libxl__err_errno(ctx, ERROR_FAIL, "cannot pause domain %u", domid);
    return rc;
}

int libxl_domain_unpause(libxl_ctx *ctx, libxl_domid domid, const void *ao_how)
{
    int rc = not_dom0(ctx, domid, "unpause");

    if ( !rc && xc_domain_unpause(ctx->xch, domid) )
        rc = libxl__err_errno(ctx, ERROR_FAIL, "cannot unpause domain %u", domid);
    return rc;
}

static int write_shutdown(libxl_ctx *ctx, libxl_domid domid, const char *req)
{
    char path[XS_PATH_BUF];
    int rc = not_dom0(ctx, domid, "shut down");

    if ( rc )
        return rc;
    libxl__dom_path(path, domid, "control/shutdown");
    return libxl__xs_printf(ctx, XBT_NULL, path, "%s", req);
}

int libxl_domain_shutdown(libxl_ctx *ctx, libxl_domid domid, const void *ao_how)
{
    return write_shutdown(ctx, domid, "poweroff");
}

int libxl_domain_reboot(libxl_ctx *ctx, libxl_domid domid, const void *ao_how)
{
    return write_shutdown(ctx, domid, "reboot");
}

/* 1 once domid has shut down or gone, 0 while it runs, or an error. */
static int domain_ended(libxl_ctx *ctx, libxl_domid domid)
{
    libxl_dominfo info;
    int rc = libxl_domain_info(ctx, &info, domid);

    if ( rc == ERROR_DOMAIN_NOTFOUND )
        return 1;
    if ( rc )
        return rc;
    return info.shutdown || info.dying;
}

/* Waits for a watch event, at most WAIT_SLICE_MS (a store that does not
 * fire @releaseDomain on a shutdown is still noticed); *left_ms counts
 * down unless negative (forever). */
int libxl__wait_store(libxl_ctx *ctx, int *left_ms)
{
    struct pollfd p = { .fd = xs_fileno(ctx->xsh), .events = POLLIN };
    int slice = *left_ms >= 0 && *left_ms < WAIT_SLICE_MS ? *left_ms : WAIT_SLICE_MS;
    char **ev;

    if ( *left_ms == 0 )
        return ERROR_TIMEDOUT;
    if ( poll(&p, 1, slice) < 0 && errno != EINTR )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot wait for the store");
    if ( *left_ms > 0 )
        *left_ms -= slice;
    while ( (ev = xs_check_watch(ctx->xsh)) )
        free(ev);
    return 0;
}

int libxl_domain_wait_shutdown(libxl_ctx *ctx, libxl_domid domid, int timeout_ms)
{
    static const char token[] = "libxl-wait-shutdown";
    int rc;

    if ( !xs_watch(ctx->xsh, "@releaseDomain", token) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot watch @releaseDomain");
    while ( !(rc = domain_ended(ctx, domid)) )
    {
        rc = libxl__wait_store(ctx, &timeout_ms);
        if ( rc )
            break;
    }
    xs_unwatch(ctx->xsh, "@releaseDomain", token);
    if ( rc == ERROR_TIMEDOUT )
        return libxl__err(ctx, rc, "domain %u did not shut down in time", domid);
    if ( rc < 0 )
        return rc;
    libxl_domain_death_poll(ctx);
    return 0;
}

int libxl_domain_destroy(libxl_ctx *ctx, libxl_domid domid, const void *ao_how)
{
    int rc = not_dom0(ctx, domid, "destroy");

    if ( rc )
        return rc;
    libxl__dm_stop(ctx, domid);
    libxl__console_remove(ctx, domid);
    if ( xs_is_domain_introduced(ctx->xsh, domid) && !xs_release_domain(ctx->xsh, domid) )
        rc = libxl__err_errno(ctx, ERROR_FAIL, "cannot release domain %u from xenstored", domid);
    if ( xc_domain_destroy(ctx->xch, domid) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot destroy domain %u", domid);
    libxl__xs_remove_domain(ctx, domid);
    libxl__config_forget(domid);
    return rc;
}

int libxl_retrieve_domain_configuration(libxl_ctx *ctx, libxl_domid domid,
                                        libxl_domain_config *d_config)
{
    const libxl_domain_config *c;
    int rc = libxl_domain_info(ctx, NULL, domid);

    /* A domain that went without libxl_domain_destroy is forgotten now. */
    if ( rc == ERROR_DOMAIN_NOTFOUND )
        libxl__config_forget(domid);
    c = libxl__config_lookup(domid);
    if ( !c )
        return libxl__err(ctx, ERROR_NOTFOUND, "domain %u was not created by this dom0", domid);
    return libxl__domain_config_copy(d_config, c);
}
