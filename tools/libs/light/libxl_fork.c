/* SPDX-License-Identifier: MIT */
/*
 * libxl_fork.c - VM fork from the toolstack (xl fork-vm): a new domain
 * made as xl create makes one, but with no RAM and no devices, then
 * forked from the parent by the hypervisor (xc_memshr_fork); and the
 * reset of a fork. Xen's libxl names: libxl_domain_fork_vm,
 * libxl_domain_fork_reset. docs/designs/altp2m-sharing.md, "Part fork".
 *
 * A fork has no xenstore entries, no console daemon and no device
 * model (as Xen's fork with --launch-dm no): it runs on the vCPU state
 * and memory it took from its parent. May not touch: the parent, but
 * through the fork op (which pauses it while the fork lives).
 */
#include <errno.h>
#include <string.h>

#include "libxl_internal.h"

/* As libxl_create.c's limits for a new domain. */
#define FORK_EVTCHN_PORT     1023
#define FORK_GRANT_FRAMES    32
#define FORK_MAPTRACK_FRAMES 1024

static int fork_create(libxl_ctx *ctx, uint32_t max_vcpus, uint32_t *domid)
{
    struct xen_domctl_createdomain cd = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = max_vcpus,
        .max_evtchn_port = FORK_EVTCHN_PORT,
        .max_grant_frames = FORK_GRANT_FRAMES,
        .max_maptrack_frames = FORK_MAPTRACK_FRAMES,
        .arch.emulation_flags = XEN_X86_EMU_LAPIC,
    };

    *domid = 0;
    if ( xc_domain_create(ctx->xch, domid, &cd) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot create the fork's domain");
    return 0;
}

static const char *fork_error(int err)
{
    switch ( err )
    {
    case EINVAL: return "the parent is dying, or has another number of vCPUs";
    case EPERM: return "a domain cannot fork itself or dom0";
    case ESRCH: return "no such parent domain";
    case EOPNOTSUPP: return "the parent is itself a fork";
    case ENOMEM: return "out of memory";
    default: return strerror(err);
    }
}

int libxl_domain_fork_vm(libxl_ctx *ctx, uint32_t pdomid, uint32_t max_vcpus, uint32_t *domid)
{
    xc_domaininfo_t info;
    int err;

    if ( pdomid == 0 )
        return libxl__err(ctx, ERROR_INVAL, "dom0 cannot be forked");
    if ( xc_domain_getinfo_single(ctx->xch, pdomid, &info) )
        return libxl__err(ctx, ERROR_INVAL, "no domain %u to fork", pdomid);
    if ( !max_vcpus )
        max_vcpus = info.max_vcpu_id + 1;
    if ( fork_create(ctx, max_vcpus, domid) )
        return ERROR_FAIL;
    if ( !xc_memshr_fork(ctx->xch, pdomid, *domid, false, false) )
        return 0;
    err = errno;
    if ( xc_domain_destroy(ctx->xch, *domid) )
        return libxl__err_errno(ctx, ERROR_BADFAIL, "cannot destroy the failed fork %u", *domid);
    return libxl__err(ctx, ERROR_FAIL, "cannot fork domain %u: %s", pdomid, fork_error(err));
}

int libxl_domain_fork_reset(libxl_ctx *ctx, uint32_t domid)
{
    if ( !xc_memshr_fork_reset(ctx->xch, domid, true, true) )
        return 0;
    if ( errno == ENOSYS )
        return libxl__err(ctx, ERROR_INVAL, "domain %u is not a fork", domid);
    return libxl__err_errno(ctx, ERROR_FAIL, "cannot reset fork %u", domid);
}
