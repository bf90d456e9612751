/* SPDX-License-Identifier: MIT */
/*
 * xengnttab.c - libxengnttab: a backend's handle on grant tables. The
 * queries go through libxencall (GNTTABOP_query_size, _get_version, one
 * op each, arguments in xencall buffers); mapping grants is a stub until
 * the dom0 runtime offers /dev/xen/gntdev.
 *
 * Issues grant_table_op through xencall_stubs.h only; never writes a
 * grant entry (that is the granter's business).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/grant_table.h>

#include "xencall.h"
#include "xencall_stubs.h"
#include "xengnttab.h"

struct xengntdev_handle
{
    xencall_handle *xcall;
    uint32_t max_grants;
};

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned int open_flags)
{
    xengnttab_handle *xgt;

    if ( open_flags )
    {
        errno = EINVAL;
        return NULL;
    }
    xgt = calloc(1, sizeof(*xgt));
    if ( !xgt )
        return NULL;
    xgt->xcall = xencall_open(logger, 0);
    if ( !xgt->xcall )
    {
        int err = errno;

        free(xgt);
        errno = err;
        return NULL;
    }
    return xgt;
}

int xengnttab_close(xengnttab_handle *xgt)
{
    int rc;

    if ( !xgt )
        return 0;
    rc = xencall_close(xgt->xcall);
    free(xgt);
    return rc;
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
    if ( !nr_grants )
    {
        errno = EINVAL;
        return -1;
    }
    xgt->max_grants = nr_grants;
    return 0;
}

/* GNTTABOP_status codes as errno, for the ops that report both. */
static int gnttab_status_errno(int16_t status)
{
    switch ( status )
    {
    case GNTST_okay: return 0;
    case GNTST_bad_domain: return ESRCH;
    case GNTST_permission_denied: return EPERM;
    default: return EINVAL;
    }
}

/* One grant_table_op of cmd on a copy of arg (len bytes), copied back. */
static int gnttab_op(xengnttab_handle *xgt, unsigned int cmd, void *arg, size_t len)
{
    void *buf = xencall_alloc_buffer(xgt->xcall, len);
    int rc, err;

    if ( !buf )
        return -1;
    memcpy(buf, arg, len);
    rc = xencall__grant_table_op(xgt->xcall, cmd, buf, 1);
    err = errno;
    memcpy(arg, buf, len);
    xencall_free_buffer(xgt->xcall, buf);
    errno = err;
    return rc;
}

int xengnttab_query_size(xengnttab_handle *xgt, uint32_t domid, uint32_t *nr_frames,
                         uint32_t *max_nr_frames)
{
    struct gnttab_query_size q = { .dom = (domid_t)domid };

    if ( domid > UINT16_MAX || !nr_frames || !max_nr_frames )
    {
        errno = EINVAL;
        return -1;
    }
    if ( gnttab_op(xgt, GNTTABOP_query_size, &q, sizeof(q)) < 0 )
        return -1;
    if ( q.status != GNTST_okay )
    {
        errno = gnttab_status_errno(q.status);
        return -1;
    }
    *nr_frames = q.nr_frames;
    *max_nr_frames = q.max_nr_frames;
    return 0;
}

int xengnttab_get_version(xengnttab_handle *xgt, uint32_t domid)
{
    struct gnttab_get_version v = { .dom = (domid_t)domid };

    if ( domid > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    if ( gnttab_op(xgt, GNTTABOP_get_version, &v, sizeof(v)) < 0 )
        return -1;
    return (int)v.version;
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
    errno = ENOSYS;
    return NULL;
}

void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count, uint32_t *domids,
                               uint32_t *refs, int prot)
{
    errno = ENOSYS;
    return NULL;
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
    errno = ENOSYS;
    return -1;
}
