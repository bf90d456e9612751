/* SPDX-License-Identifier: MIT */
/*
 * xenctrl.h - the control library (Xen's libxenctrl): domctl, sysctl,
 * memory_op and hvm_op wrappers for a toolstack acting on other domains.
 *
 * Names, arguments and conventions are Xen's: 0 (or a count) on success,
 * -1 with errno set to the hypercall's positive error code on failure.
 * Argument structures travel in xencall buffers. Only what Wren's
 * toolstack uses is here; a new wrapper keeps Xen's signature.
 */
#ifndef XENCTRL_H
#define XENCTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/memory.h>
#include <xen/hvm/params.h>

struct xentoollog_logger;
typedef struct xc_interface_core xc_interface;
typedef struct xen_domctl_getdomaininfo xc_domaininfo_t;
typedef struct xen_sysctl_physinfo xc_physinfo_t;
typedef struct xen_domctl_getvcpuinfo xc_vcpuinfo_t;
typedef struct xen_domctl_shadow_op_stats xc_shadow_op_stats_t;

xc_interface *xc_interface_open(struct xentoollog_logger *logger,
                                struct xentoollog_logger *dombuild_logger, unsigned int open_flags);
int xc_interface_close(xc_interface *xch);
/* The transport underneath, for counting and for libraries layered on
 * this one. */
struct xencall_handle *xc_interface_xcall(xc_interface *xch);

/* --- domains ------------------------------------------------------------ */
/* *pdomid is IN (0: any free id) and OUT. The domain starts paused. */
int xc_domain_create(xc_interface *xch, uint32_t *pdomid, struct xen_domctl_createdomain *config);
int xc_domain_destroy(xc_interface *xch, uint32_t domid);
int xc_domain_pause(xc_interface *xch, uint32_t domid);
int xc_domain_unpause(xc_interface *xch, uint32_t domid);
/* A domain that suspended itself (SHUTDOWN_suspend) runs on; fast: its
 * suspend hypercall returns 1 (cancelled: same domain), else 0. */
int xc_domain_resume(xc_interface *xch, uint32_t domid, int fast);
int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid, xc_domaininfo_t *info);
/* Up to max_domains domains with id >= first_domain, in id order; returns
 * how many were written. */
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain, unsigned int max_domains,
                          xc_domaininfo_t *info);
int xc_domain_sethandle(xc_interface *xch, uint32_t domid, xen_domain_handle_t handle);
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max);
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb);
int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu, xc_vcpuinfo_t *info);

/* HVM context records (public/hvm/save.h): getcontext with a NULL buffer
 * returns the size needed; otherwise the size written. */
int xc_domain_hvm_getcontext(xc_interface *xch, uint32_t domid, uint8_t *ctxt_buf, uint32_t size);
int xc_domain_hvm_setcontext(xc_interface *xch, uint32_t domid, uint8_t *hvm_ctxt, uint32_t size);
/* XEN_DOMCTL_setvcpucontext: vCPU vcpu (down, the domain paused) starts
 * from the architecture's struct vcpu_guest_context (arm64:
 * <xen/arch-arm.h>), size bytes at ctxt. */
int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu, const void *ctxt,
                       size_t size);

int xc_hvm_param_set(xc_interface *xch, uint32_t domid, uint32_t param, uint64_t value);
int xc_hvm_param_get(xc_interface *xch, uint32_t domid, uint32_t param, uint64_t *value);

/* --- altp2m views (HVMOP_altp2m; xc_altp2m.c): Xen's names and
 * arguments. 0, or -1 with errno (the hypervisor's error). --------------- */
int xc_altp2m_get_domain_state(xc_interface *handle, uint32_t dom, bool *state);
int xc_altp2m_set_domain_state(xc_interface *handle, uint32_t dom, bool state);
int xc_altp2m_set_vcpu_enable_notify(xc_interface *handle, uint32_t domid, uint32_t vcpuid,
                                     xen_pfn_t gfn);
int xc_altp2m_set_vcpu_disable_notify(xc_interface *handle, uint32_t domid, uint32_t vcpuid);
int xc_altp2m_create_view(xc_interface *handle, uint32_t domid, xenmem_access_t default_access,
                          uint16_t *view_id);
int xc_altp2m_destroy_view(xc_interface *handle, uint32_t domid, uint16_t view_id);
/* Every vCPU of the domain onto view_id. */
int xc_altp2m_switch_to_view(xc_interface *handle, uint32_t domid, uint16_t view_id);
int xc_altp2m_set_suppress_ve(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t gfn,
                              bool sve);
int xc_altp2m_set_supress_ve_multi(xc_interface *handle, uint32_t domid, uint16_t view_id,
                                   xen_pfn_t first_gfn, xen_pfn_t last_gfn, bool sve,
                                   xen_pfn_t *error_gfn, int32_t *error_code);
int xc_altp2m_get_suppress_ve(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t gfn,
                              bool *sve);
int xc_altp2m_set_mem_access(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t gfn,
                             xenmem_access_t access);
int xc_altp2m_set_mem_access_multi(xc_interface *handle, uint32_t domid, uint16_t view_id,
                                   uint8_t *access, uint64_t *gfns, uint32_t nr);
int xc_altp2m_get_mem_access(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t gfn,
                             xenmem_access_t *access);
int xc_altp2m_change_gfn(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t old_gfn,
                         xen_pfn_t new_gfn);
int xc_altp2m_get_vcpu_p2m_idx(xc_interface *handle, uint32_t domid, uint32_t vcpuid,
                               uint16_t *p2midx);
int xc_altp2m_set_visibility(xc_interface *handle, uint32_t domid, uint16_t view_id, bool visible);

/* --- memory ------------------------------------------------------------- */
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid, unsigned long nr_extents,
                                     unsigned int extent_order, unsigned int mem_flags,
                                     xen_pfn_t *extent_start);
int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents, unsigned int extent_order,
                                         xen_pfn_t *extent_start);
int xc_domain_set_memory_map(xc_interface *xch, uint32_t domid, struct xen_e820_entry entries[],
                             uint32_t nr_entries);
int xc_get_paging_mempool_size(xc_interface *xch, uint32_t domid, uint64_t *size);
int xc_set_paging_mempool_size(xc_interface *xch, uint32_t domid, uint64_t size);
int xc_shadow_control(xc_interface *xch, uint32_t domid, unsigned int sop,
                      unsigned long *dirty_bitmap, unsigned long pages, unsigned long *mb,
                      uint32_t mode, xc_shadow_op_stats_t *stats);

/* --- events ------------------------------------------------------------- */
/* A port in domid bound to nothing, that remote_domid may bind to. */
int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t domid, uint32_t remote_domid);

/* --- save and restore -------------------------------------------------- */
/* The page-type domctls save/restore use (Xen's numbers and layouts; the
 * hypervisor half declares them in public/domctl.h, the guards keep one
 * definition when it does). */
#ifndef XEN_DOMCTL_getpageframeinfo3
#define XEN_DOMCTL_getpageframeinfo3 61
#endif
#ifndef XEN_DOMCTL_settscinfo
#define XEN_DOMCTL_settscinfo 60
#endif
#ifndef XEN_DOMCTL_gettscinfo
#define XEN_DOMCTL_gettscinfo 59
#endif
#ifndef XEN_DOMCTL_set_broken_page_p2m
#define XEN_DOMCTL_set_broken_page_p2m 67
#endif
#ifndef XEN_DOMCTL_PFINFO_LTAB_SHIFT
#define XEN_DOMCTL_PFINFO_LTAB_SHIFT 28
#define XEN_DOMCTL_PFINFO_NOTAB      (0x0U << 28)
#define XEN_DOMCTL_PFINFO_L1TAB      (0x1U << 28)
#define XEN_DOMCTL_PFINFO_L2TAB      (0x2U << 28)
#define XEN_DOMCTL_PFINFO_L3TAB      (0x3U << 28)
#define XEN_DOMCTL_PFINFO_L4TAB      (0x4U << 28)
#define XEN_DOMCTL_PFINFO_LPINTAB    (0x1U << 31)
#define XEN_DOMCTL_PFINFO_BROKEN     (0xdU << 28)
#define XEN_DOMCTL_PFINFO_XALLOC     (0xeU << 28)
#define XEN_DOMCTL_PFINFO_XTAB       (0xfU << 28)
#define XEN_DOMCTL_PFINFO_LTAB_MASK  (0xfU << 28)
#endif

/* arr[] holds num guest frame numbers (IN); each gets its type
 * (XEN_DOMCTL_PFINFO_*) or'ed in (OUT). At most 1024 a call. */
int xc_get_pfn_type_batch(xc_interface *xch, uint32_t dom, unsigned int num, xen_pfn_t *arr);
/* The highest guest frame the domain has had populated. */
int xc_domain_maximum_gpfn(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns);
int xc_domain_get_tsc_info(xc_interface *xch, uint32_t domid, uint32_t *tsc_mode,
                           uint64_t *elapsed_nsec, uint32_t *gtsc_khz, uint32_t *incarnation);
int xc_domain_set_tsc_info(xc_interface *xch, uint32_t domid, uint32_t tsc_mode,
                           uint64_t elapsed_nsec, uint32_t gtsc_khz, uint32_t incarnation);
/* Restore: pfn is broken on the sender; make it a broken entry here. */
int xc_set_broken_page_p2m(xc_interface *xch, uint32_t domid, unsigned long pfn);

/* --- memory sharing (xc_memshr.c; docs/designs/altp2m-sharing.md) ------- */
/* Allow (or stop) sharing of the domain's RAM. */
int xc_memshr_control(xc_interface *xch, uint32_t domid, int enable);
/* The gfn (plain RAM, mapped nowhere else) becomes shared; its handle. */
int xc_memshr_nominate_gfn(xc_interface *xch, uint32_t domid, unsigned long gfn, uint64_t *handle);
/* The client gfn is replaced by the source's frame (both nominated);
 * the client's frame is freed. */
int xc_memshr_share_gfns(xc_interface *xch, uint32_t source_domain, unsigned long source_gfn,
                         uint64_t source_handle, uint32_t client_domain, unsigned long client_gfn,
                         uint64_t client_handle);
/* Map the source's shared frame at a client gfn that has no entry. */
int xc_memshr_add_to_physmap(xc_interface *xch, uint32_t source_domain, unsigned long source_gfn,
                             uint64_t source_handle, uint32_t client_domain,
                             unsigned long client_gfn);
/* Nominate and share every gfn of [first, last] of both (both paused);
 * the client's contents are discarded, as in Xen. */
int xc_memshr_range_share(xc_interface *xch, uint32_t source_domain, uint32_t client_domain,
                          uint64_t first_gfn, uint64_t last_gfn);
/* How many entries map the shared frame at gfn (-1, EINVAL: not shared). */
int xc_memshr_debug_gfn(xc_interface *xch, uint32_t domid, unsigned long gfn);
/* Wren: make gfn private again now (ENOMEM: no room in its reservation). */
int xc_memshr_unshare_gfn(xc_interface *xch, uint32_t domid, unsigned long gfn);
/* The hypervisor's check of every shared frame: the number of errors. */
int xc_memshr_audit(xc_interface *xch);
/* Host-wide: frames sharing saved, and shared frames in use. */
long xc_sharing_freed_pages(xc_interface *xch);
long xc_sharing_used_frames(xc_interface *xch);

/* --- mem_access and the monitor ring (xc_monitor.c, xc_mem_access.c) --- */
#ifndef XC_PAGE_SIZE
#define XC_PAGE_SIZE 4096
#endif
/* The ring page mapped here (munmap it after disabling), *port the
 * target's port to bind; NULL with errno on failure, nothing left. */
void *xc_monitor_enable(xc_interface *xch, uint32_t domain_id, uint32_t *port);
int xc_monitor_disable(xc_interface *xch, uint32_t domain_id);
int xc_monitor_resume(xc_interface *xch, uint32_t domain_id);
/* VM_EVENT_INTERFACE_VERSION, or -1. */
int xc_vm_event_get_version(xc_interface *xch);
int xc_set_mem_access(xc_interface *xch, uint32_t domain_id, xenmem_access_t access,
                      uint64_t first_pfn, uint32_t nr);
int xc_set_mem_access_multi(xc_interface *xch, uint32_t domain_id, uint8_t *access, uint64_t *pages,
                            uint32_t nr);
int xc_get_mem_access(xc_interface *xch, uint32_t domain_id, uint64_t pfn, xenmem_access_t *access);
int xc_domain_set_access_required(xc_interface *xch, uint32_t domid, unsigned int required);
/* --- VM fork (xc_memshr_fork.c; docs/designs/altp2m-sharing.md) ---------- */
/* Make domid, paused and without RAM, with as many vCPUs as pdomid, a
 * fork of pdomid (XENMEM_sharing_op_fork). block_interrupts is refused
 * (EOPNOTSUPP); with no IOMMU, allow_with_iommu changes nothing. */
int xc_memshr_fork(xc_interface *xch, uint32_t pdomid, uint32_t domid, bool allow_with_iommu,
                   bool block_interrupts);
/* Throw away the fork's own pages (reset_memory) and/or take the
 * parent's vCPU state again (reset_state); ENOSYS if domid is no fork. */
int xc_memshr_fork_reset(xc_interface *xch, uint32_t domid, bool reset_state, bool reset_memory);

/* --- the host ----------------------------------------------------------- */
int xc_physinfo(xc_interface *xch, xc_physinfo_t *info);
/* The hypervisor's console ring (xl dmesg). *pnr_chars is IN (buffer
 * size) and OUT; with incremental, *pindex is where the last read ended. */
int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars, int clear,
                       int incremental, uint32_t *pindex);
int xc_version(xc_interface *xch, int cmd, void *arg);

#endif /* XENCTRL_H */
