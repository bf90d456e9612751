/* SPDX-License-Identifier: MIT */
/*
 * libxl_internal.h - what the files of tools/libs/light share: the
 * context (handles on the lower libraries), error recording, and the
 * registry of configurations of the domains this process created.
 *
 * Only tools/libs/light's own files include it.
 */
#ifndef LIBXL_INTERNAL_H
#define LIBXL_INTERNAL_H

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xenguest.h>
#include <xenstore.h>

#include "libxl.h"

struct libxl__ctx
{
    xc_interface *xch;
    xenforeignmemory_handle *fmem;
    struct xs_handle *xsh;
    libxl_version_info version;
    bool have_version;
    char console_dir[96]; /* the console daemon's sockets; "": its default */
    char error[256];
    /* Test only: break this gfn at this final-round step during the next
     * suspend (libxl_debug_break_gfn). */
    struct
    {
        bool armed;
        enum xc_sr_step step;
        uint64_t gfn;
        uint32_t domid;
    } debug_break;
};

/* Record why the current call fails, return rc (for "return LOG(...)"). */
int libxl__err(libxl_ctx *ctx, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same, with ": strerror(errno)" appended. */
int libxl__err_errno(libxl_ctx *ctx, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void libxl__err_clear(libxl_ctx *ctx);

void libxl__version_info_dispose(libxl_version_info *v);

/* "/local/domain/N" etc. into a caller's buffer; never truncated (the
 * longest paths fit XS_PATH_BUF). */
#define XS_PATH_BUF 128
void libxl__dom_path(char buf[XS_PATH_BUF], libxl_domid domid, const char *rel);

/* Writes and reads of small store values. 0 or ERROR_FAIL / NOTFOUND. */
int libxl__xs_printf(libxl_ctx *ctx, xs_transaction_t t, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
char *libxl__xs_read(libxl_ctx *ctx, xs_transaction_t t, const char *path);

/* Wait for any watch event on ctx->xsh, at most 100 ms and *left_ms
 * (counted down; negative: no limit). ERROR_TIMEDOUT once it is 0. */
int libxl__wait_store(libxl_ctx *ctx, int *left_ms);

/* Stopping a guest for a save's final round (libxl_suspend.c): the
 * save_callbacks.suspend of libxl_domain_suspend, and its undoing when
 * the save fails. The timeouts are variables for the unit tests. */
struct libxl__suspend
{
    libxl_ctx *ctx;
    libxl_domid domid;
    bool asked;     /* the guest took the request (control/shutdown) */
    bool suspended; /* it made SCHEDOP_shutdown(suspend) */
    bool paused;    /* libxl paused it */
    bool failed;    /* ctx's error says why the guest did not stop */
};
extern int libxl__suspend_ack_ms, libxl__suspend_done_ms;
int libxl__suspend_guest(void *data);
void libxl__suspend_undo(struct libxl__suspend *s);

/* The guest's announcements a restore carries (libxl_domain_guest_nodes'
 * text), checked: value[i] for guest_node_keys[i], "" when not carried. */
#define LIBXL__NR_GUEST_NODES  3
#define LIBXL__GUEST_VALUE_MAX 16
struct libxl__guest_nodes
{
    char value[LIBXL__NR_GUEST_NODES][LIBXL__GUEST_VALUE_MAX + 1];
};
/* 0, or ERROR_INVAL with ctx's error naming the line that is wrong. */
int libxl__guest_nodes_parse(libxl_ctx *ctx, const char *text, struct libxl__guest_nodes *g);

/* Write the nodes Xen's toolstack writes for a new domain (one
 * transaction, retried while the store says EAGAIN), and the carried
 * guest nodes g (NULL: none) as the guest's own. */
int libxl__create_store(libxl_ctx *ctx, libxl_domid domid, const libxl_domain_config *d,
                        const struct xc_pvh_dom *dom, uint32_t store_port, uint32_t console_port,
                        const struct libxl__guest_nodes *g);
/* Remove everything create wrote for domid (its domain and /vm nodes). */
void libxl__xs_remove_domain(libxl_ctx *ctx, libxl_domid domid);

/* The configurations of domains created by this process, kept for
 * on_poweroff/on_reboot/on_crash and "xl list -l" (Xen's xl keeps them
 * in its per-domain monitor process; dom0 is a single process). */
int libxl__config_store(libxl_domid domid, const libxl_domain_config *d_config);
const libxl_domain_config *libxl__config_lookup(libxl_domid domid);
bool libxl__config_any(void);
void libxl__config_forget(libxl_domid domid);

int libxl__domain_config_copy(libxl_domain_config *dst, const libxl_domain_config *src);

/* Tell the console daemon of a new domain's ring (or that it went). */
int libxl__console_add(libxl_ctx *ctx, libxl_domid domid, uint32_t port, xen_pfn_t pfn);
void libxl__console_remove(libxl_ctx *ctx, libxl_domid domid);

/* The configured device model (libxl_dm.c): started before the first
 * unpause, stopped at destroy. */
int libxl__dm_start(libxl_ctx *ctx, libxl_domid domid, const libxl_domain_config *d);
void libxl__dm_stop(libxl_ctx *ctx, libxl_domid domid);

#endif /* LIBXL_INTERNAL_H */
