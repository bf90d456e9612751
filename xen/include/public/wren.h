/* SPDX-License-Identifier: MIT */
/*
 * wren.h - Wren's own additions to the Xen guest ABI.
 *
 * Wren speaks Xen's ABI unchanged; anything Wren offers beyond it is
 * declared here and only here, so that a reader can see at a glance what
 * a Xen guest would not find on Xen. Each addition uses a number Xen has
 * not assigned and follows the rules of the other headers in this
 * directory: fixed-width fields, explicit zero padding, no bitfields, a
 * size assertion on every struct.
 */
#ifndef WREN_PUBLIC_WREN_H
#define WREN_PUBLIC_WREN_H

#include "xen.h"

/*
 * XEN_DOMCTL_wren_p2m (domctl.h's union member "wren_p2m"): inspect and
 * drive a domain's p2m from the control domain, for tests, benchmarks and
 * debugging. Xen has no such domctl; 0x7701 is outside Xen's numbering.
 * Privileged callers only, like every domctl.
 */
#define XEN_DOMCTL_wren_p2m 0x7701

#define WREN_P2M_GET_STATS     0  /* fill the counters below */
#define WREN_P2M_AUDIT         1  /* counters + audit_rc (0 or -EILSEQ) */
#define WREN_P2M_BEGIN_GLOBAL  2  /* arg[0] old type -> arg[1] new type, lazily */
#define WREN_P2M_FINISH        3  /* resolve everything pending (preemptible) */
#define WREN_P2M_SET_EAGER     4  /* arg[0]: 1 = apply global changes at once */
#define WREN_P2M_LOOKUP        5  /* arg[0] gfn -> arg[1] p2m type, arg[2] order */
#define WREN_P2M_TYPE_COUNT    6  /* arg[0] p2m type -> arg[1] present leaves of it */
#define WREN_P2M_CLAIM_TYPE    7  /* arg[0] type, arg[1] owner id (nonzero) */
#define WREN_P2M_RELEASE_TYPE  8  /* arg[0] type, arg[1] owner, arg[2] type entries become */
#define WREN_P2M_COALESCE      9  /* arg[0] gfn, arg[1] order (9 or 18) -> arg[2] 1 if merged */
#define WREN_P2M_CHANGE_RANGE 10  /* arg[0] gfn, arg[1] nr, arg[2] old | new << 8 -> arg[0] changed */
#define WREN_P2M_FAULT_COUNTS 11  /* -> arg[0] ram_ro writes dropped, arg[1] log-dirty write faults */

struct xen_domctl_wren_p2m {
    uint32_t op;               /* WREN_P2M_* */
    uint32_t pad;              /* zero */
    uint64_t arg[3];           /* IN/OUT, per op */
    /* OUT: the p2m's counters (see xen/include/xen/p2m.h) */
    uint64_t entries_4k, entries_2m, entries_1g;
    uint64_t recalc_pending, recalc_resolved, leaves_recalculated;
    uint64_t global_changes, resyncs, shatters, coalesces, entries_written;
    int32_t audit_rc;
    uint32_t pad2;
};
XEN_ABI_SIZE(struct xen_domctl_wren_p2m, 128);

#endif /* WREN_PUBLIC_WREN_H */
