/* SPDX-License-Identifier: MIT */
/*
 * xc_private.h - what libxenctrl's files share: the handle, the typed
 * hypercall stubs, and the bounce buffers arguments travel in.
 *
 * The stubs are not written by hand: each is expanded from its row of
 * xen/include/xen/hypercall-defs.h (reached as <wren/hypercall-defs.h>,
 * the one hypervisor file tool code may include), with xencall_stubs.h's
 * argument macros, so a wrapper that passes the wrong arguments to a
 * hypercall does not compile. Private to
 * tools/libs/ctrl.
 */
#ifndef XC_PRIVATE_H
#define XC_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/arch-x86/xen-mca.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/memory.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/dm_op.h>
#include <wren/hypercall-defs.h>

#include "xencall.h"
#include "xencall_stubs.h"
#include "xenctrl.h"

struct xc_interface_core
{
    xencall_handle *xcall;
};

/*
 * A copy of [src, src + len) in a hypercall buffer (zeroes when src is
 * NULL), and its way back: copy the buffer out to dst (if dst is not NULL)
 * and free it. bounce_out keeps errno, so it can sit on an error path.
 */
void *xc_bounce_in(xc_interface *xch, const void *src, size_t len);
void xc_bounce_out(xc_interface *xch, void *buf, void *dst, size_t len);

/* One versioned call (domctl, sysctl): op is copied to a hypercall
 * buffer, issued, and copied back whether or not it succeeded. */
int xc_bounce_call(xc_interface *xch, unsigned int nr, void *op, size_t len);

/* xc__hypercall_NAME(xch, args...): pointer arguments must already be
 * hypercall buffers. Returns the hypercall's result or -1 with errno. */
#define XC_HC_STUB(name, who, nargs, args)                                                 \
    static inline int xc__hypercall_##name(xc_interface *xch, XENCALL_ARGS_##nargs args)   \
    {                                                                                      \
        return xencall##nargs(xch->xcall, __HYPERVISOR_##name, XENCALL_VALS_##nargs args); \
    }

/* xc__hypercall_NAME(xch, struct *op): op is ordinary memory; the stub
 * fills in interface_version and bounces it. */
#define XC_HC_STUB_VERSIONED(name, who, type, version)                         \
    static inline int xc__hypercall_##name(xc_interface *xch, struct type *op) \
    {                                                                          \
        op->interface_version = (version);                                     \
        return xc_bounce_call(xch, __HYPERVISOR_##name, op, sizeof(*op));      \
    }

WREN_HYPERCALLS(XC_HC_STUB, XC_HC_STUB_VERSIONED)

/* A domctl of cmd on domid; d's union is the caller's, the rest is set. */
int xc_domctl(xc_interface *xch, uint32_t cmd, uint32_t domid, struct xen_domctl *d);
/* A sysctl of cmd; s's union is the caller's. */
int xc_sysctl(xc_interface *xch, uint32_t cmd, struct xen_sysctl *s);

#endif /* XC_PRIVATE_H */
