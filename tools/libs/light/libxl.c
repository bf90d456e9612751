/* SPDX-License-Identifier: MIT */
/*
 * libxl.c - the context: opening and closing the lower libraries, the
 * last error, and the small xenstore helpers every other file uses.
 *
 * It may not change any domain.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxl_internal.h"

static void ctx_close(libxl_ctx *ctx)
{
    if ( ctx->xsh )
        xs_close(ctx->xsh);
    if ( ctx->fmem )
        xenforeignmemory_close(ctx->fmem);
    if ( ctx->xch )
        xc_interface_close(ctx->xch);
}

int libxl_ctx_alloc(libxl_ctx **pctx, int version, unsigned int flags, void *lg)
{
    libxl_ctx *ctx;

    *pctx = NULL;
    if ( version != LIBXL_VERSION )
        return ERROR_VERSION;
    ctx = calloc(1, sizeof(*ctx));
    if ( !ctx )
        return ERROR_NOMEM;
    ctx->xch = xc_interface_open(NULL, NULL, 0);
    if ( ctx->xch )
        ctx->fmem = xenforeignmemory_open(NULL, 0);
    if ( ctx->fmem )
        ctx->xsh = xs_open(0);
    if ( !ctx->xsh )
    {
        int saved = errno; /* which library failed, for the caller */

        ctx_close(ctx);
        free(ctx);
        errno = saved;
        return ERROR_FAIL;
    }
    *pctx = ctx;
    return 0;
}

void libxl__version_info_dispose(libxl_version_info *v)
{
    free(v->xen_version_extra);
    free(v->compiler);
    free(v->compile_by);
    free(v->compile_domain);
    free(v->compile_date);
    free(v->capabilities);
    free(v->changeset);
    free(v->commandline);
    memset(v, 0, sizeof(*v));
}

int libxl_ctx_free(libxl_ctx *ctx)
{
    if ( !ctx )
        return 0;
    ctx_close(ctx);
    libxl__version_info_dispose(&ctx->version);
    free(ctx);
    return 0;
}

const char *libxl_ctx_last_error(const libxl_ctx *ctx)
{
    return ctx->error;
}

void libxl__err_clear(libxl_ctx *ctx)
{
    ctx->error[0] = '\0';
}

int libxl__err(libxl_ctx *ctx, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
    va_end(ap);
    return rc;
}

int libxl__err_errno(libxl_ctx *ctx, int rc, const char *fmt, ...)
{
    int saved = errno;
    size_t n;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
    va_end(ap);
    n = strlen(ctx->error);
    snprintf(ctx->error + n, sizeof(ctx->error) - n, ": %s", strerror(saved));
    return rc;
}

void libxl__dom_path(char buf[XS_PATH_BUF], libxl_domid domid, const char *rel)
{
    snprintf(buf, XS_PATH_BUF, "/local/domain/%u%s%s", domid, rel[0] ? "/" : "", rel);
}

int libxl__xs_printf(libxl_ctx *ctx, xs_transaction_t t, const char *path, const char *fmt, ...)
{
    char value[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    if ( n < 0 || (size_t)n >= sizeof(value) )
        return libxl__err(ctx, ERROR_INVAL, "value for %s too long", path);
    if ( !xs_write(ctx->xsh, t, path, value, n) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot write %s", path);
    return 0;
}

char *libxl__xs_read(libxl_ctx *ctx, xs_transaction_t t, const char *path)
{
    unsigned int len;

    return xs_read(ctx->xsh, t, path, &len);
}
