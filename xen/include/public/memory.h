/* SPDX-License-Identifier: MIT */
/*
 * memory.h - the memory_op hypercall: a domain's physical address space.
 *
 * memory_op(cmd, arg) grows and shrinks a domain's RAM, maps special
 * frames (shared_info, grant table, another domain's frames) into its
 * physmap, and reports the memory map. Numbers and layouts follow Xen's
 * public ABI for x86-64.
 */
#ifndef WREN_PUBLIC_MEMORY_H
#define WREN_PUBLIC_MEMORY_H

#include "xen.h"

/* A memory_op command: the sub-op in the low bits; resumable sub-ops
 * (the reservation ones) keep the extent to resume at above them. */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1U << MEMOP_EXTENT_SHIFT) - 1)

#define XENMEM_increase_reservation 0 /* struct xen_memory_reservation */
#define XENMEM_decrease_reservation 1 /* struct xen_memory_reservation */
#define XENMEM_maximum_ram_page     2 /* arg NULL; returns highest MFN */
#define XENMEM_current_reservation  3 /* arg domid_t *; returns pages */
#define XENMEM_maximum_reservation  4 /* arg domid_t *; returns pages */
#define XENMEM_machphys_mfn_list    5
#define XENMEM_populate_physmap     6  /* struct xen_memory_reservation */
#define XENMEM_add_to_physmap       7  /* struct xen_add_to_physmap */
#define XENMEM_memory_map           9  /* struct xen_memory_map: own map */
#define XENMEM_machine_memory_map   10 /* struct xen_memory_map: host map */
#define XENMEM_exchange             11
#define XENMEM_set_memory_map       13
#define XENMEM_maximum_gpfn         14 /* arg domid_t *; returns max GFN */
#define XENMEM_remove_from_physmap  15 /* struct xen_remove_from_physmap */
#define XENMEM_access_op            21 /* struct xen_mem_access_op */
#define XENMEM_add_to_physmap_batch 23 /* struct xen_add_to_physmap_batch */
#define XENMEM_acquire_resource     28 /* struct xen_mem_acquire_resource */

/* Memory sharing (docs/designs/altp2m-sharing.md): XENMEM_sharing_op is
 * privileged; the two counters are open to all, as in Xen. */
#define XENMEM_get_sharing_freed_pages  18 /* arg NULL; frames sharing saved */
#define XENMEM_get_sharing_shared_pages 19 /* arg NULL; shared frames now */
#define XENMEM_sharing_op               22 /* struct xen_mem_sharing_op */

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)     (x) /* limit MFNs below 2^x */
#define XENMEMF_get_address_bits(x) ((x)&0xffU)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_populate_on_demand  (1U << 16)
#define XENMEMF_exact_node_request  (1U << 17)
#define XENMEMF_vnode               (1U << 18)

struct xen_memory_reservation
{
    /*
     * increase/decrease: MFN/GFN list (OUT/IN); populate_physmap: the GFNs
     * to fill (IN). May be 0 for increase_reservation.
     */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    xen_ulong_t nr_extents;
    uint32_t extent_order; /* each extent is 2^order pages */
    uint32_t mem_flags;    /* XENMEMF_* */
    domid_t domid;         /* DOMID_SELF unless privileged */
    uint16_t pad[3];
};
XEN_ABI_SIZE(struct xen_memory_reservation, 32);

/* Spaces a frame added to the physmap may come from. */
#define XENMAPSPACE_shared_info  0 /* idx 0: this domain's shared_info */
#define XENMAPSPACE_grant_table  1 /* idx: grant frame number */
#define XENMAPSPACE_gmfn         2 /* idx: one of our own GFNs (moves it) */
#define XENMAPSPACE_gmfn_range   3 /* like gmfn, 'size' frames */
#define XENMAPSPACE_gmfn_foreign 4 /* idx: a GFN of foreign_domid (batch) */
#define XENMAPSPACE_dev_mmio     5 /* Arm only */

#define XENMAPIDX_grant_table_status (1U << 31)

struct xen_add_to_physmap
{
    domid_t domid;   /* whose physmap changes */
    uint16_t size;   /* gmfn_range only: number of frames */
    uint32_t space;  /* XENMAPSPACE_* */
    xen_ulong_t idx; /* index into the space */
    xen_pfn_t gpfn;  /* where the frame appears in domid */
};
XEN_ABI_SIZE(struct xen_add_to_physmap, 24);

struct xen_add_to_physmap_batch
{
    domid_t domid;  /* whose physmap changes */
    uint16_t space; /* XENMAPSPACE_* */
    uint16_t size;  /* entries in idxs/gpfns/errs */
    union
    {
        domid_t foreign_domid; /* XENMAPSPACE_gmfn_foreign */
        uint16_t res0;         /* other spaces: must be 0 */
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs; /* IN: indexes into the space */
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;  /* IN: destination GFNs */
    XEN_GUEST_HANDLE(int) errs;         /* OUT: int32 errno per entry */
};
XEN_ABI_SIZE(struct xen_add_to_physmap_batch, 32);
XEN_ABI_OFFSET(struct xen_add_to_physmap_batch, idxs, 8);

struct xen_remove_from_physmap
{
    domid_t domid;
    uint16_t pad[3];
    xen_pfn_t gpfn;
};
XEN_ABI_SIZE(struct xen_remove_from_physmap, 16);

/* One entry of the map XENMEM_memory_map returns: BIOS E820 format. */
struct xen_e820_entry
{
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* E820_* */
} __attribute__((packed));
XEN_ABI_SIZE(struct xen_e820_entry, 20);

#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5

struct xen_memory_map
{
    uint32_t nr_entries; /* IN: buffer capacity; OUT: entries written */
    uint32_t pad;
    XEN_GUEST_HANDLE(struct xen_e820_entry) buffer;
};
XEN_ABI_SIZE(struct xen_memory_map, 16);

/* XENMEM_set_memory_map (privileged): the map XENMEM_memory_map returns
 * to domain domid from now on. */
struct xen_foreign_memory_map
{
    domid_t domid;
    uint16_t pad[3];
    struct xen_memory_map map;
};
XEN_ABI_OFFSET(struct xen_foreign_memory_map, map, 8);
XEN_ABI_SIZE(struct xen_foreign_memory_map, 24);

/*
 * XENMEM_access_op: the access rights of a domain's pages (a listener
 * gets an event for each access the rights refuse: vm_event.h). Needs
 * the target's monitor ring (-ENODEV without it); resumable: a set keeps
 * how far it got above MEMOP_CMD_MASK.
 */
#define XENMEM_access_op_set_access 0
#define XENMEM_access_op_get_access 1
/* 2 and 3 were enable/disable_emulate in Xen: never reused. */
#define XENMEM_access_op_set_access_multi 4

/* The access values: xenmem_access_t, below. */

struct xen_mem_access_op
{
    uint8_t op;     /* XENMEM_access_op_* */
    uint8_t access; /* xenmem_access_t */
    domid_t domid;
    uint32_t nr;                             /* pages to set, or entries of the two lists (multi) */
    uint64_t pfn;                            /* first page (set), the page (get); ~0: the default */
    XEN_GUEST_HANDLE(const_uint64) pfn_list; /* multi: the pages */
    XEN_GUEST_HANDLE(const_uint8) access_list; /* multi: each one's access */
};
XEN_ABI_OFFSET(struct xen_mem_access_op, pfn, 8);
XEN_ABI_SIZE(struct xen_mem_access_op, 32);

#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2

#define XENMEM_rsrc_acq_caller_owned (1U << 0)

struct xen_mem_acquire_resource
{
    domid_t domid;                          /* owner of the resource */
    uint16_t type;                          /* XENMEM_resource_* */
    uint32_t id;                            /* type-specific id, e.g. ioreq server id */
    uint32_t nr_frames;                     /* IN: wanted; OUT: available if list is 0 */
    uint32_t flags;                         /* OUT: XENMEM_rsrc_acq_* */
    uint64_t frame;                         /* first frame index within the resource */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* IN: GFNs to map at */
};
XEN_ABI_SIZE(struct xen_mem_acquire_resource, 32);

/* XENMEM_sharing_op (privileged): memory sharing, docs/designs/altp2m-sharing.md. */
#define XENMEM_sharing_op_nominate_gfn  0
#define XENMEM_sharing_op_nominate_gref 1
#define XENMEM_sharing_op_share         2
#define XENMEM_sharing_op_debug_gfn     3
#define XENMEM_sharing_op_debug_mfn     4
#define XENMEM_sharing_op_debug_gref    5
#define XENMEM_sharing_op_add_physmap   6
#define XENMEM_sharing_op_audit         7
#define XENMEM_sharing_op_range_share   8
#define XENMEM_sharing_op_fork          9
#define XENMEM_sharing_op_fork_reset    10

/* share and add_physmap: a handle that does not name the gfn's frame. */
#define XENMEM_SHARING_OP_S_HANDLE_INVALID (-10)
#define XENMEM_SHARING_OP_C_HANDLE_INVALID (-9)

/* A gfn field that carries a grant reference instead. */
#define XENMEM_SHARING_OP_FIELD_IS_GREF_FLAG (1ULL << 62)

/* fork flags */
#define XENMEM_FORK_WITH_IOMMU_ALLOWED (1U << 0)
#define XENMEM_FORK_BLOCK_INTERRUPTS   (1U << 1)
#define XENMEM_FORK_RESET_STATE        (1U << 2)
#define XENMEM_FORK_RESET_MEMORY       (1U << 3)

struct xen_mem_sharing_op
{
    uint8_t op; /* XENMEM_sharing_op_* */
    uint8_t pad0;
    domid_t domain;
    uint32_t pad1;
    union
    {
        struct mem_sharing_op_nominate /* nominate_gfn, nominate_gref */
        {
            union
            {
                uint64_t gfn;       /* IN */
                uint32_t grant_ref; /* IN */
            } u;
            uint64_t handle; /* OUT */
        } nominate;
        struct mem_sharing_op_share /* share, add_physmap */
        {
            uint64_t source_gfn;
            uint64_t source_handle;
            uint64_t client_gfn;
            uint64_t client_handle; /* share only */
            domid_t client_domain;
            uint16_t _pad[3]; /* Xen's layout on x86-64, spelt out for 32-bit callers */
        } share;
        struct mem_sharing_op_range /* range_share */
        {
            uint64_t first_gfn;
            uint64_t last_gfn;
            uint64_t opaque; /* 0 from the caller; where a continuation resumes */
            domid_t client_domain;
            uint16_t _pad[3];
        } range;
        struct mem_sharing_op_debug /* debug_gfn, debug_mfn, debug_gref */
        {
            union
            {
                uint64_t gfn;
                uint64_t mfn;
                uint32_t gref;
            } u;
        } debug;
        struct mem_sharing_op_fork /* fork, fork_reset */
        {
            domid_t parent_domain;
            uint16_t flags; /* XENMEM_FORK_* */
            uint32_t pad;
        } fork;
    } u;
};
XEN_ABI_OFFSET(struct xen_mem_sharing_op, domain, 2);
XEN_ABI_OFFSET(struct xen_mem_sharing_op, u, 8);
XEN_ABI_OFFSET(struct xen_mem_sharing_op, u.share.client_domain, 40);
XEN_ABI_SIZE(struct xen_mem_sharing_op, 48);
/*
 * An access to a guest frame, as XENMEM_access_op and HVMOP_altp2m
 * carry it (Xen's numbering). rx2rw and n2rwx are Xen's automatic
 * changes on a violation; default is the table's default access.
 */
#ifndef XEN_MEMORY_ACCESS_T_DEFINED
#define XEN_MEMORY_ACCESS_T_DEFINED
typedef enum
{
    XENMEM_access_n = 0,
    XENMEM_access_r = 1,
    XENMEM_access_w = 2,
    XENMEM_access_rw = 3,
    XENMEM_access_x = 4,
    XENMEM_access_rx = 5,
    XENMEM_access_wx = 6,
    XENMEM_access_rwx = 7,
    XENMEM_access_rx2rw = 8,
    XENMEM_access_n2rwx = 9,
    XENMEM_access_default = 10,
} xenmem_access_t;
#endif

#endif /* WREN_PUBLIC_MEMORY_H */
