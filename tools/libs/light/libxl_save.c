/* SPDX-License-Identifier: MIT */
/*
 * libxl_save.c - libxl_domain_suspend(): a domain written to a file
 * descriptor as the migration stream (xc_domain_save), for xl save and,
 * later, xl migrate. Restore is libxl_domain_create_restore() in
 * libxl_create.c.
 *
 * It reads the domain it is given and stops it (libxl_suspend.c: asked to
 * suspend, or paused); it never destroys it, and a failed save leaves
 * it running.
 */
#include <errno.h>
#include <string.h>

#include "libxl_internal.h"

int libxl_domain_suspend(libxl_ctx *ctx, libxl_domid domid, int fd, int flags, const void *ao_how)
{
    struct libxl__suspend ss = { .ctx = ctx, .domid = domid };
    struct save_callbacks cb = { .fmem = ctx->fmem, .suspend = libxl__suspend_guest, .data = &ss };

    libxl__err_clear(ctx);
    if ( fd < 0 || flags )
        return libxl__err(ctx, ERROR_INVAL, "bad save arguments");
    if ( !xc_domain_save(ctx->xch, fd, domid, 0, &cb) )
        return 0;
    libxl__suspend_undo(&ss);
    if ( ss.failed ) /* ctx's error already says how the guest did not stop */
        return ERROR_FAIL;
    return libxl__err(ctx, ERROR_FAIL, "cannot save domain %u: %s", domid,
                      cb.error[0] ? cb.error : strerror(errno));
}
