/* SPDX-License-Identifier: MIT */
/*
 * libxl_dm.c - the device model of a domain whose configuration names
 * one (device_model = "wren-dm"): started before the domain is first
 * unpaused, stopped when it is destroyed. Xen's libxl spawns QEMU here;
 * Wren's device model is a dom0 service (tools/dm), reached through
 * wrendm.h. A toolstack built without it (the library's host tests)
 * refuses such a configuration instead of running the domain without
 * its devices.
 *
 * It touches only the device model of the domain it is asked about.
 */
#include <errno.h>
#include <wrendm.h>

#include "libxl_internal.h"

/* Weak: resolved when tools/dm is linked (dom0), NULL otherwise. */
extern int wrendm_start(uint32_t domid, unsigned int vcpus, uint64_t ram_bytes)
    __attribute__((weak));
extern int wrendm_stop(uint32_t domid) __attribute__((weak));

int libxl__dm_start(libxl_ctx *ctx, libxl_domid domid, const libxl_domain_config *d)
{
    if ( d->b_info.device_model != LIBXL_DEVICE_MODEL_WREN_DM )
        return 0;
    if ( !wrendm_start )
        return libxl__err(ctx, ERROR_NI, "device_model \"%s\" is not part of this toolstack",
                          WRENDM_NAME);
    if ( wrendm_start(domid, d->b_info.max_vcpus, d->b_info.target_memkb * 1024) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot start %s for domain %u", WRENDM_NAME,
                                domid);
    return 0;
}

void libxl__dm_stop(libxl_ctx *ctx, libxl_domid domid)
{
    /* Not served (no device model, or already stopped): nothing to do. */
    if ( wrendm_stop && wrendm_stop(domid) && errno != ESRCH )
        libxl__err_errno(ctx, ERROR_FAIL, "cannot stop %s for domain %u", WRENDM_NAME, domid);
}
