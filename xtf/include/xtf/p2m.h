/*
 * p2m.h - helpers for controller tests that inspect and drive another
 * domain's p2m: DMOP set_mem_type, HVMOP_get_mem_type, Wren's
 * XEN_DOMCTL_wren_p2m (public/wren.h) and mapping one of its frames
 * into our own physmap (XENMAPSPACE_gmfn_foreign).
 *
 * Every call returns 0 or the hypercall's negative XEN_E*, and changes
 * nothing but what the hypercall changes.
 */
#ifndef XTF_P2M_H
#define XTF_P2M_H

#include <xtf/types.h>
#include <public/xen.h>
#include <public/domctl.h>
#include <public/hvm/dm_op.h>
#include <xtf/ram-base.h>

/* The frame off pages into a test kernel's RAM: tests name their frames
 * this way, so the same numbers work where RAM does not start at 0. */
#define XTF_RAM_GFN  (XTF_RAM_BASE >> 12)
#define XTF_GFN(off) (XTF_RAM_GFN + (off))

/* p2m types: Xen's x86 numbering (docs/designs/p2m-types.md). */
#define XTF_P2M_RAM_RW       0
#define XTF_P2M_INVALID      1
#define XTF_P2M_RAM_LOGDIRTY 2
#define XTF_P2M_RAM_RO       3

const char *xtf_p2m_type_name(unsigned int t);

/* __HYPERVISOR_dm_op with one buffer holding *op. */
long xtf_dm_op(domid_t domid, struct xen_dm_op *op);
long xtf_dm_set_mem_type(domid_t domid, uint64_t first_pfn, uint32_t nr, uint16_t mem_type);

/* HVMOP_get_mem_type: the HVMMEM_* type Xen's interface shows. */
long xtf_get_mem_type(domid_t domid, uint64_t pfn, uint16_t *mem_type);

/*
 * XEN_DOMCTL_wren_p2m op on domid with arguments a0..a2. On success *out
 * (if not NULL) holds the whole reply: arg[] and the counters.
 */
long xtf_wren_p2m(domid_t domid, uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2,
                  struct xen_domctl_wren_p2m *out);

/* WREN_P2M_GET_STATS into *s; a failure is reported (FAILURE) and false. */
bool xtf_p2m_stats(domid_t domid, struct xen_domctl_wren_p2m *s);

/* WREN_P2M_AUDIT; a failed call or an inconsistent p2m is reported as a
 * FAILURE naming 'phase', and false. */
bool xtf_p2m_audit(domid_t domid, const char *phase);

/* WREN_P2M_LOOKUP: type (with every begun change applied) and order. */
long xtf_p2m_lookup(domid_t domid, uint64_t gfn, unsigned int *type, unsigned int *order);
/* gfn's type in domid (~0 and an error if the lookup fails). */
unsigned int xtf_p2m_type_of(domid_t domid, uint64_t gfn);
/* A failure naming what, gfn and both types unless gfn's type is t. */
void xtf_p2m_expect_type(domid_t domid, const char *what, uint64_t gfn, unsigned int t);

/* WREN_P2M_FAULT_COUNTS: ram_ro writes dropped, log-dirty write faults. */
long xtf_p2m_fault_counts(domid_t domid, uint64_t *ro_dropped, uint64_t *logdirty);

/* WREN_P2M_POOL: the p2m pool's pages, those in use as tables, and the
 * frames the domain owns (any may be NULL). */
long xtf_p2m_pool(domid_t domid, uint64_t *pool, uint64_t *used, uint64_t *owned);

/* XEN_DOMCTL_get/set_paging_mempool_size, in bytes. */
long xtf_get_paging_pool(domid_t domid, uint64_t *bytes);
long xtf_set_paging_pool(domid_t domid, uint64_t bytes);

/* Map foreign_domid's frame gfn at our own frame local_gfn, and undo it.
 * _space: through another map space (WREN_MAPSPACE_gmfn_foreign_ro). */
long xtf_map_foreign(domid_t foreign_domid, uint64_t gfn, uint64_t local_gfn);
long xtf_map_foreign_space(unsigned int space, domid_t foreign_domid, uint64_t gfn,
                           uint64_t local_gfn);
long xtf_unmap_local(uint64_t local_gfn);

/* End of the highest RAM range in our memory map (x86: the start info's,
 * arch/x86/memmap.c; arm64: the command line's page is RAM's last). */
uint64_t xtf_ram_end(void);
/* True if [addr, addr + len) lies in one RAM range of our memory map. */
bool xtf_is_ram(uint64_t addr, uint64_t len);

#endif /* XTF_P2M_H */
