/*
 * p2m_debug.h - XEN_DOMCTL_wren_p2m: the control domain's window onto a
 * domain's p2m (counters, audit, lookups, global changes), used by the
 * guest tests and benchmarks. Public layout in public/wren.h.
 */
#ifndef XEN_P2M_DEBUG_H
#define XEN_P2M_DEBUG_H

#include <xen/types.h>

struct domain;
struct xen_domctl_wren_p2m;

/* Handle one request; op is the copied-in struct, out_va where it goes back. */
long domctl_wren_p2m(struct domain *d, struct xen_domctl_wren_p2m *op, uint64_t out_va);

#endif /* XEN_P2M_DEBUG_H */
