/* SPDX-License-Identifier: MIT */
/*
 * libxl_save.c - libxl_domain_suspend(): a domain written to a file
 * descriptor as the migration stream (xc_domain_save), for xl save and,
 * later, xl migrate. Restore is libxl_domain_create_restore() in
 * libxl_create.c.
 *
 * It reads the domain it is given and pauses it; it never destroys it.
 * Its one write to a guest is test-only: libxl_debug_break_gfn's frame.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xenctrl_wren.h>

#include "libxl_internal.h"

static const char *const step_names[] = {
    [XC_SR_STEP_STOPPED] = "stopped", [XC_SR_STEP_QUERY] = "query", [XC_SR_STEP_COPY] = "copy",
    [XC_SR_STEP_COPYING] = "copying", [XC_SR_STEP_SENT] = "sent",   [XC_SR_STEP_TAIL] = "tail",
};

int libxl_debug_break_gfn(libxl_ctx *ctx, const char *step, uint64_t gfn)
{
    libxl__err_clear(ctx);
    for ( unsigned int i = 0; i < sizeof(step_names) / sizeof(step_names[0]); i++ )
        if ( step && !strcmp(step, step_names[i]) )
        {
            ctx->debug_break.armed = true;
            ctx->debug_break.step = (enum xc_sr_step)i;
            ctx->debug_break.gfn = gfn;
            return 0;
        }
    return libxl__err(ctx, ERROR_INVAL, "no final-round step \"%s\"", step ? step : "");
}

/* final_step: at the armed step (and batch), break the frame once. The
 * outcome is judged by the test, so a refusal is only reported. */
static void debug_break(void *data, enum xc_sr_step step, const xen_pfn_t *pfns, unsigned int n)
{
    libxl_ctx *ctx = data;
    bool here = !pfns;

    for ( unsigned int i = 0; pfns && i < n; i++ )
        here |= pfns[i] == ctx->debug_break.gfn;
    if ( !ctx->debug_break.armed || step != ctx->debug_break.step || !here )
        return;
    ctx->debug_break.armed = false;
    if ( xc_wren_break_gfn(ctx->xch, 0, ctx->debug_break.domid, ctx->debug_break.gfn, 0) )
        fprintf(stderr, "debug-break: d%u gfn %#llx at %s: %s\n", ctx->debug_break.domid,
                (unsigned long long)ctx->debug_break.gfn, step_names[step], strerror(errno));
    else
        fprintf(stderr, "debug-break: d%u gfn %#llx broken at step %s\n", ctx->debug_break.domid,
                (unsigned long long)ctx->debug_break.gfn, step_names[step]);
}

int libxl_domain_suspend(libxl_ctx *ctx, libxl_domid domid, int fd, int flags, const void *ao_how)
{
    struct save_callbacks cb = { .fmem = ctx->fmem };
    bool armed = ctx->debug_break.armed;
    int rc = 0;

    libxl__err_clear(ctx);
    if ( fd < 0 || flags )
        return libxl__err(ctx, ERROR_INVAL, "bad save arguments");
    if ( armed )
    {
        ctx->debug_break.domid = domid;
        cb.final_step = debug_break;
        cb.data = ctx;
    }
    if ( xc_domain_save(ctx->xch, fd, domid, 0, &cb) )
        rc = libxl__err(ctx, ERROR_FAIL, "cannot save domain %u: %s", domid,
                        cb.error[0] ? cb.error : strerror(errno));
    else if ( armed && ctx->debug_break.armed )
        fprintf(stderr, "debug-break: step %s never came for gfn %#llx\n",
                step_names[ctx->debug_break.step], (unsigned long long)ctx->debug_break.gfn);
    ctx->debug_break.armed = false;
    return rc;
}
