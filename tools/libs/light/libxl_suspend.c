/* SPDX-License-Identifier: MIT */
/*
 * libxl_suspend.c - how a save stops its guest before the final round,
 * and how a guest stopped that way runs on when the save fails or was a
 * checkpoint (libxl_domain_resume).
 *
 * The rule (docs/designs/live-migration.md, "A Linux guest"): a guest
 * whose store says control/feature-suspend = "1" (Linux's xenbus writes
 * it when it comes up) is asked, as Xen's toolstack asks a PVH guest:
 * "suspend" in control/shutdown; the guest takes the request by emptying
 * the node, quiesces, and makes SCHEDOP_shutdown(SHUTDOWN_suspend). A
 * guest that does not take it within libxl__suspend_ack_ms has it
 * withdrawn and keeps running. Any other guest (the XTF kernels, which
 * never watch control/shutdown) is paused, as before. Either way the
 * domain is then paused by the controller for the final round.
 *
 * It acts only on the domain it is given and writes only that domain's
 * control/shutdown node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libxl_internal.h"

#define WATCH_TOKEN "libxl-suspend"

int libxl__suspend_ack_ms = 15000;
int libxl__suspend_done_ms = 60000;

static bool guest_cooperates(libxl_ctx *ctx, libxl_domid domid)
{
    char path[XS_PATH_BUF];
    char *v;
    bool yes;

    libxl__dom_path(path, domid, "control/feature-suspend");
    v = libxl__xs_read(ctx, XBT_NULL, path);
    yes = v && !strcmp(v, "1");
    free(v);
    return yes;
}

static bool request_pending(libxl_ctx *ctx, xs_transaction_t t, const char *path)
{
    char *v = libxl__xs_read(ctx, t, path);
    bool pending = v && !strcmp(v, "suspend");

    free(v);
    return pending;
}

/* The guest never took the request: take it back in one transaction.
 * 0: withdrawn; 1: the guest took it after all. */
static int withdraw(libxl_ctx *ctx, const char *path)
{
    for ( ;; )
    {
        xs_transaction_t t = xs_transaction_start(ctx->xsh);
        bool pending;

        if ( t == XBT_NULL )
            return libxl__err_errno(ctx, ERROR_FAIL, "cannot withdraw the suspend request");
        pending = request_pending(ctx, t, path);
        if ( pending && !xs_write(ctx->xsh, t, path, "", 0) )
        {
            xs_transaction_end(ctx->xsh, t, true);
            return libxl__err_errno(ctx, ERROR_FAIL, "cannot withdraw the suspend request");
        }
        if ( xs_transaction_end(ctx->xsh, t, false) )
            return pending ? 0 : 1;
        if ( errno != EAGAIN )
            return libxl__err_errno(ctx, ERROR_FAIL, "cannot withdraw the suspend request");
    }
}

/* Write the request and wait for the guest to take it. */
static int ask_guest(struct libxl__suspend *s, const char *path)
{
    libxl_ctx *ctx = s->ctx;
    int left = libxl__suspend_ack_ms, rc = 0;

    if ( libxl__xs_printf(ctx, XBT_NULL, path, "suspend") )
        return libxl__err(ctx, ERROR_FAIL, "cannot ask domain %u to suspend", s->domid);
    while ( request_pending(ctx, XBT_NULL, path) && !(rc = libxl__wait_store(ctx, &left)) )
        continue;
    if ( rc == ERROR_TIMEDOUT && (rc = withdraw(ctx, path)) == 0 )
        return libxl__err(ctx, ERROR_TIMEDOUT,
                          "domain %u did not take the suspend request within %d ms (it has "
                          "control/feature-suspend); it keeps running",
                          s->domid, libxl__suspend_ack_ms);
    if ( rc < 0 )
        return rc;
    s->asked = true; /* now, or just before it was withdrawn (rc 1) */
    return 0;
}

/* 1 once the domain has shut down for a suspend, 0 while it runs. */
static int suspended_yet(struct libxl__suspend *s)
{
    libxl_dominfo info;
    int rc = libxl_domain_info(s->ctx, &info, s->domid);

    if ( rc )
        return rc;
    if ( info.shutdown && info.shutdown_reason != LIBXL_SHUTDOWN_REASON_SUSPEND )
        return libxl__err(s->ctx, ERROR_FAIL,
                          "domain %u shut down (reason %d) instead of suspending", s->domid,
                          (int)info.shutdown_reason);
    return info.shutdown;
}

static int wait_suspended(struct libxl__suspend *s)
{
    int left = libxl__suspend_done_ms, rc;

    while ( !(rc = suspended_yet(s)) )
        if ( (rc = libxl__wait_store(s->ctx, &left)) )
            break;
    if ( rc == ERROR_TIMEDOUT )
        return libxl__err(s->ctx, rc,
                          "domain %u took the suspend request but did not suspend in %d ms",
                          s->domid, libxl__suspend_done_ms);
    s->suspended = rc == 1;
    return rc < 0 ? rc : 0;
}

static int cooperative_suspend(struct libxl__suspend *s)
{
    char path[XS_PATH_BUF];
    int rc;

    libxl__dom_path(path, s->domid, "control/shutdown");
    if ( !xs_watch(s->ctx->xsh, path, WATCH_TOKEN) ||
         !xs_watch(s->ctx->xsh, "@releaseDomain", WATCH_TOKEN) )
        return libxl__err_errno(s->ctx, ERROR_FAIL, "cannot watch domain %u's store", s->domid);
    rc = ask_guest(s, path);
    if ( !rc )
        rc = wait_suspended(s);
    xs_unwatch(s->ctx->xsh, path, WATCH_TOKEN);
    xs_unwatch(s->ctx->xsh, "@releaseDomain", WATCH_TOKEN);
    return rc;
}

/* save_callbacks.suspend: 0 once the guest is stopped and paused. */
int libxl__suspend_guest(void *data)
{
    struct libxl__suspend *s = data;
    int rc = guest_cooperates(s->ctx, s->domid) ? cooperative_suspend(s) : 0;

    if ( !rc && xc_domain_pause(s->ctx->xch, s->domid) )
        rc = libxl__err_errno(s->ctx, ERROR_FAIL, "cannot pause domain %u", s->domid);
    s->paused = !rc;
    s->failed = rc != 0;
    if ( rc )
        errno = rc == ERROR_TIMEDOUT ? ETIMEDOUT : EIO;
    return rc ? -1 : 0;
}

/* After a failed save: the guest runs as before. A guest that took the
 * request but had not suspended by the deadline is looked at once more. */
void libxl__suspend_undo(struct libxl__suspend *s)
{
    if ( s->asked && !s->suspended )
        s->suspended = suspended_yet(s) == 1;
    if ( s->suspended && xc_domain_resume(s->ctx->xch, s->domid, 1) == 0 )
        s->suspended = false;
    if ( s->paused && xc_domain_unpause(s->ctx->xch, s->domid) == 0 )
        s->paused = false;
}

int libxl_domain_resume(libxl_ctx *ctx, libxl_domid domid, int suspend_cancel, const void *ao_how)
{
    libxl_dominfo info;
    int rc;

    libxl__err_clear(ctx);
    rc = libxl_domain_info(ctx, &info, domid);
    if ( rc || !info.shutdown )
        return rc; /* not suspended: nothing to undo */
    if ( info.shutdown_reason != LIBXL_SHUTDOWN_REASON_SUSPEND )
        return libxl__err(ctx, ERROR_INVAL, "domain %u shut down for good (reason %d)", domid,
                          (int)info.shutdown_reason);
    if ( xc_domain_resume(ctx->xch, domid, suspend_cancel) )
        return libxl__err_errno(ctx, ERROR_FAIL, "cannot resume domain %u", domid);
    return 0;
}
