/* SPDX-License-Identifier: MIT */
/*
 * xenctrl_wren.h - libxenctrl's controls for what Wren offers beyond Xen
 * (public/wren.h): the p2m debug domctl, the log-dirty counters, the
 * dirty rings and the vCPU-load counters, for tests, migration and
 * `make bench`.
 *
 * Kept apart from xenctrl.h so that header stays Xen's. Same conventions:
 * 0 on success, -1 with errno set to the hypercall's positive error code.
 */
#ifndef XENCTRL_WREN_H
#define XENCTRL_WREN_H

#include <stdint.h>
#include <xen/wren.h>

#include "xenctrl.h"

/* XEN_DOMCTL_wren_p2m: op is IN (op, arg[]) and OUT (arg[], counters). */
int xc_wren_p2m(xc_interface *xch, uint32_t domid, struct xen_domctl_wren_p2m *op);
/* XEN_DOMCTL_wren_logdirty, WREN_LOGDIRTY_GET_STATS. */
int xc_wren_logdirty_stats(xc_interface *xch, uint32_t domid,
                           struct xen_domctl_wren_logdirty *stats);
/*
 * XEN_DOMCTL_wren_dirty_ring (docs/designs/live-migration.md, "The dirty
 * ring"). enable: entries per ring, log-dirty already on. status: vcpu
 * is a vCPU id or WREN_DIRTY_RING_NO_VCPU. harvest: takes up to max of
 * the ring's oldest entries into buf and returns how many (0 to max), or
 * -1; st (may be NULL) gets the ring's counters and flags as HARVEST
 * left them.
 */
int xc_wren_dirty_ring_enable(xc_interface *xch, uint32_t domid, uint32_t entries);
int xc_wren_dirty_ring_disable(xc_interface *xch, uint32_t domid);
int xc_wren_dirty_ring_status(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                              struct xen_domctl_wren_dirty_ring *st);
int xc_wren_dirty_ring_harvest(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                               struct xen_wren_dirty_entry *buf, uint32_t max,
                               struct xen_domctl_wren_dirty_ring *st);

/* XEN_SYSCTL_wren_vcpu_load. */
int xc_wren_vcpu_load(xc_interface *xch, struct xen_sysctl_wren_vcpu_load *load);

/* XEN_SYSCTL_wren_link: where the two-machine link's region is in the
 * control domain (OUT); -1 with ENODEV when the machine has none. */
int xc_wren_link(xc_interface *xch, struct xen_sysctl_wren_link *l);

/* XEN_SYSCTL_wren_frame: f is IN (op, mfn or domid/gfn) and OUT. */
int xc_wren_frame(xc_interface *xch, struct xen_sysctl_wren_frame *f);

struct xen_mc;
/* __HYPERVISOR_mca: mc is IN and OUT (interface_version filled in). */
int xc_mca_op(xc_interface *xch, struct xen_mc *mc);

/* Break domid's frame at gfn now, as a machine check would: XEN_MC
 * msrinject (bank 1: uncorrected, action-required memory read error at
 * gfn's guest-physical address) and mceinject on cpu. When it returns 0
 * the frame is broken, its p2m entry p2m_ram_broken and the guest's vMCE
 * pending (docs/designs/vmce.md). The test hook of xen-mceinj and of the
 * saving tool's final-round cases. */
int xc_wren_break_gfn(xc_interface *xch, uint32_t cpu, uint32_t domid, uint64_t gfn,
                      uint32_t offset);

/* XEN_DOMCTL_wren_vm_event: domid's mem_access and vm_event counters. */
int xc_wren_vm_event_stats(xc_interface *xch, uint32_t domid, struct xen_domctl_wren_vm_event *s);

#endif /* XENCTRL_WREN_H */
