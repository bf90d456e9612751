/* SPDX-License-Identifier: MIT */
/*
 * libxl_save.c - libxl_domain_suspend(): a domain written to a file
 * descriptor as the migration stream (xc_domain_save), for xl save and
 * xl migrate (LIBXL_SUSPEND_LIVE: pre-copy rounds while it runs, each
 * reported to the caller; LIBXL_SUSPEND_RING: their dirty sets from the
 * dirty rings). Restore is libxl_domain_create_restore() in
 * libxl_create.c.
 *
 * It reads the domain it is given and pauses it; it never destroys it.
 */
#include <errno.h>
#include <string.h>

#include <xenctrl_wren.h>

#include "libxl_internal.h"

/* xenguest's round, as libxl's callers see it. */
static void round_done(void *data, const struct xc_sr_round *r)
{
    libxl_save_opts *opts = data;
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

int libxl_domain_suspend_opts(libxl_ctx *ctx, libxl_domid domid, int fd, int flags,
                              libxl_save_opts *opts)
{
    struct save_callbacks cb = { .fmem = ctx->fmem };
    uint32_t xcflags = (flags & LIBXL_SUSPEND_LIVE ? XCFLAGS_LIVE : 0) |
                       (flags & LIBXL_SUSPEND_RING ? XCFLAGS_WREN_DIRTY_RING : 0);

    libxl__err_clear(ctx);
    if ( fd < 0 || (flags & ~(LIBXL_SUSPEND_LIVE | LIBXL_SUSPEND_RING)) )
        return libxl__err(ctx, ERROR_INVAL, "bad save arguments");
    if ( (flags & LIBXL_SUSPEND_RING) && !(flags & LIBXL_SUSPEND_LIVE) )
        return libxl__err(ctx, ERROR_INVAL, "the dirty ring is for live saves only");
    if ( opts )
    {
        cb.max_rounds = opts->max_rounds;
        cb.dirty_threshold = opts->dirty_threshold;
        cb.round_done = opts->round_done ? round_done : NULL;
        cb.data = opts;
    }
    if ( xc_domain_save(ctx->xch, fd, domid, xcflags, &cb) )
        return libxl__err(ctx, ERROR_FAIL, "cannot save domain %u: %s", domid,
                          cb.error[0] ? cb.error : strerror(errno));
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
