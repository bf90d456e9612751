/* SPDX-License-Identifier: MIT */
/*
 * libxl_save.c - libxl_domain_suspend(): a domain written to a file
 * descriptor as the migration stream (xc_domain_save), for xl save and
 * xl migrate (LIBXL_SUSPEND_LIVE: pre-copy rounds while it runs, each
 * reported to the caller; LIBXL_SUSPEND_RING: their dirty sets from the
 * dirty rings). Restore is libxl_domain_create_restore() in
 * libxl_create.c.
 *
 * It reads the domain it is given and stops it (libxl_suspend.c: asked to
 * suspend, or paused); it never destroys it, and a failed save leaves
 * it running. Its one write to a guest is test-only:
 * libxl_debug_break_gfn's frame.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xenctrl_wren.h>

#include "libxl_internal.h"

/* What xenguest's callbacks see of one suspend. */
struct suspend_job
{
    libxl_ctx *ctx;
    libxl_save_opts *opts;
    struct libxl__suspend ss; /* how the guest was stopped (libxl_suspend.c) */
};

static int suspend_guest(void *data)
{
    return libxl__suspend_guest(&((struct suspend_job *)data)->ss);
}

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
    libxl_ctx *ctx = ((struct suspend_job *)data)->ctx;
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

/* xenguest's round, as libxl's callers see it. */
static void round_done(void *data, const struct xc_sr_round *r)
{
    libxl_save_opts *opts = ((struct suspend_job *)data)->opts;
    libxl_save_round out = {
        .round = r->round,
        .final = r->final,
        .pfns = r->pfns,
        .pages_sent = r->pages_sent,
        .pages_dirtied = r->pages_dirtied,
        .ns = r->ns,
    };

    opts->round_done(opts->data, &out);
}

static void copy_stats(libxl_save_opts *opts, const struct xc_sr_stats *st)
{
    opts->rounds = st->rounds;
    opts->pages_sent = st->pages_sent;
    opts->guest_pages = st->guest_pages;
    opts->final_pages = st->final_pages;
    opts->final_dirty = st->final_dirty;
    opts->ring_entries = st->ring_entries;
    opts->ring_bitmap_rounds = st->ring_bitmap_rounds;
    opts->ring_full_exits = st->ring_full_exits;
}

/* Which log-dirty mechanism the live save had, and what it cost (the
 * counters stay after log-dirty is off). */
static void logdirty_stats(libxl_ctx *ctx, libxl_domid domid, libxl_save_opts *opts)
{
    struct xen_domctl_wren_logdirty st = { .op = WREN_LOGDIRTY_GET_STATS };

    opts->logdirty = opts->logdirty_best = LIBXL_LOGDIRTY_OFF;
    if ( xc_wren_logdirty_stats(ctx->xch, domid, &st) )
        return;
    opts->logdirty = (libxl_logdirty)st.mech;
    opts->logdirty_best = (libxl_logdirty)st.default_mech;
    opts->logging_exits = st.logging_exits;
    opts->pml_entries = st.pml_entries;
}

/* The callbacks for job: the caller's rounds, the armed frame break. */
static void set_callbacks(struct save_callbacks *cb, struct suspend_job *job, libxl_domid domid)
{
    libxl_save_opts *opts = job->opts;

    cb->data = job;
    cb->suspend = suspend_guest;
    if ( opts )
    {
        cb->max_rounds = opts->max_rounds;
        cb->dirty_threshold = opts->dirty_threshold;
        cb->round_done = opts->round_done ? round_done : NULL;
    }
    if ( job->ctx->debug_break.armed )
    {
        job->ctx->debug_break.domid = domid;
        cb->final_step = debug_break;
    }
}

int libxl_domain_suspend_opts(libxl_ctx *ctx, libxl_domid domid, int fd, int flags,
                              libxl_save_opts *opts)
{
    struct save_callbacks cb = { .fmem = ctx->fmem };
    struct suspend_job job = { .ctx = ctx, .opts = opts, .ss = { .ctx = ctx, .domid = domid } };
    uint32_t xcflags = (flags & LIBXL_SUSPEND_LIVE ? XCFLAGS_LIVE : 0) |
                       (flags & LIBXL_SUSPEND_RING ? XCFLAGS_WREN_DIRTY_RING : 0);
    bool armed = ctx->debug_break.armed;
    int rc = 0;

    libxl__err_clear(ctx);
    if ( fd < 0 || (flags & ~(LIBXL_SUSPEND_LIVE | LIBXL_SUSPEND_RING)) )
        return libxl__err(ctx, ERROR_INVAL, "bad save arguments");
    if ( (flags & LIBXL_SUSPEND_RING) && !(flags & LIBXL_SUSPEND_LIVE) )
        return libxl__err(ctx, ERROR_INVAL, "the dirty ring is for live saves only");
    set_callbacks(&cb, &job, domid);
    if ( xc_domain_save(ctx->xch, fd, domid, xcflags, &cb) )
    {
        libxl__suspend_undo(&job.ss);
        /* a guest that did not stop: ctx's error already says how */
        rc = job.ss.failed ? ERROR_FAIL
                           : libxl__err(ctx, ERROR_FAIL, "cannot save domain %u: %s", domid,
                                        cb.error[0] ? cb.error : strerror(errno));
    }
    else if ( armed && ctx->debug_break.armed )
        fprintf(stderr, "debug-break: step %s never came for gfn %#llx\n",
                step_names[ctx->debug_break.step], (unsigned long long)ctx->debug_break.gfn);
    ctx->debug_break.armed = false;
    if ( rc )
        return rc;
    if ( opts )
        copy_stats(opts, &cb.stats);
    if ( opts && (flags & LIBXL_SUSPEND_LIVE) )
        logdirty_stats(ctx, domid, opts);
    return 0;
}

int libxl_domain_suspend(libxl_ctx *ctx, libxl_domid domid, int fd, int flags, const void *ao_how)
{
    return libxl_domain_suspend_opts(ctx, domid, fd, flags, NULL);
}
