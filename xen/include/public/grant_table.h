/* SPDX-License-Identifier: MIT */
/*
 * grant_table.h - the grant_table_op hypercall: sharing frames between
 * domains by reference.
 *
 * A domain (the granter) writes entries into its grant table, pages the
 * hypervisor shares with it; entry 'ref' says which domain may use which
 * of the granter's frames, and how. The grantee then maps the frame into
 * its own physmap, or asks the hypervisor to copy to or from it, naming
 * it by (granter, ref). grant_table_op(cmd, uop, count) works on an array
 * of count structures of cmd's type. Only version 1 entries exist here.
 *
 * Numbers, layouts and status codes follow Xen's public ABI for x86-64.
 * This header declares the ABI only; it may not include anything but
 * xen.h.
 */
#ifndef WREN_PUBLIC_GRANT_TABLE_H
#define WREN_PUBLIC_GRANT_TABLE_H

#include "xen.h"

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* A version 1 entry, written by the granter, read and flagged by the
 * hypervisor. 512 of them fill a 4 KiB grant frame. */
struct grant_entry_v1
{
    uint16_t flags; /* GTF_* */
    domid_t domid;  /* who may use it */
    uint32_t frame; /* the granter's gfn */
};
XEN_ABI_SIZE(struct grant_entry_v1, 8);
typedef struct grant_entry_v1 grant_entry_v1_t;

/* Entry types (flags & GTF_type_mask). */
#define GTF_invalid         0
#define GTF_permit_access   1
#define GTF_accept_transfer 2
#define GTF_transitive      3
#define GTF_type_mask       3

/* Modifiers of GTF_permit_access. readonly is the granter's; reading and
 * writing are the hypervisor's: set while the frame is in use. */
#define _GTF_readonly 2
#define GTF_readonly  (1U << _GTF_readonly)
#define _GTF_reading  3
#define GTF_reading   (1U << _GTF_reading)
#define _GTF_writing  4
#define GTF_writing   (1U << _GTF_writing)
#define GTF_PWT       (1U << 5)
#define GTF_PCD       (1U << 6)
#define GTF_PAT       (1U << 7)
#define GTF_sub_page  (1U << 8)

/* Sub-ops. */
#define GNTTABOP_map_grant_ref     0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table       2
#define GNTTABOP_dump_table        3
#define GNTTABOP_transfer          4
#define GNTTABOP_copy              5
#define GNTTABOP_query_size        6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version       8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version       10
#define GNTTABOP_swap_grant_ref    11
#define GNTTABOP_cache_flush       12

/* Per-operation status (the call itself returns 0 when it got that far). */
#define GNTST_okay              0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

/* map_grant_ref flags. A PVH/HVM grantee uses host_map with host_addr the
 * guest-physical address (gfn << 12) where the frame is to appear. */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1U << _GNTMAP_device_map)
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1U << _GNTMAP_host_map)
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1U << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1U << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1U << _GNTMAP_contains_pte)

struct gnttab_map_grant_ref
{
    uint64_t host_addr;    /* IN */
    uint32_t flags;        /* IN: GNTMAP_* */
    grant_ref_t ref;       /* IN */
    domid_t dom;           /* IN: the granter */
    int16_t status;        /* OUT: GNTST_* */
    grant_handle_t handle; /* OUT: for unmap */
    uint64_t dev_bus_addr; /* OUT */
};
XEN_ABI_SIZE(struct gnttab_map_grant_ref, 32);
XEN_ABI_OFFSET(struct gnttab_map_grant_ref, handle, 20);

struct gnttab_unmap_grant_ref
{
    uint64_t host_addr;    /* IN: as mapped */
    uint64_t dev_bus_addr; /* IN */
    grant_handle_t handle; /* IN */
    int16_t status;        /* OUT */
};
XEN_ABI_SIZE(struct gnttab_unmap_grant_ref, 24);

struct gnttab_setup_table
{
    domid_t dom;                            /* IN */
    uint32_t nr_frames;                     /* IN */
    int16_t status;                         /* OUT */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT: nr_frames entries */
};
XEN_ABI_SIZE(struct gnttab_setup_table, 24);
XEN_ABI_OFFSET(struct gnttab_setup_table, frame_list, 16);

#define GNTCOPY_source_gref (1U << 0)
#define GNTCOPY_dest_gref   (1U << 1)

struct gnttab_copy_ptr
{
    union
    {
        grant_ref_t ref; /* with GNTCOPY_*_gref */
        xen_pfn_t gmfn;  /* else: a gfn of the caller (DOMID_SELF) */
    } u;
    domid_t domid;
    uint16_t offset;
};
XEN_ABI_SIZE(struct gnttab_copy_ptr, 16);

struct gnttab_copy
{
    struct gnttab_copy_ptr source, dest; /* IN */
    uint16_t len;                        /* IN */
    uint16_t flags;                      /* IN: GNTCOPY_* */
    int16_t status;                      /* OUT */
};
XEN_ABI_SIZE(struct gnttab_copy, 40);
XEN_ABI_OFFSET(struct gnttab_copy, status, 36);

struct gnttab_query_size
{
    domid_t dom;            /* IN */
    uint32_t nr_frames;     /* OUT */
    uint32_t max_nr_frames; /* OUT */
    int16_t status;         /* OUT */
};
XEN_ABI_SIZE(struct gnttab_query_size, 16);

struct gnttab_set_version
{
    uint32_t version; /* IN: 1 or 2; OUT: the version now in use */
};
XEN_ABI_SIZE(struct gnttab_set_version, 4);

struct gnttab_get_version
{
    domid_t dom; /* IN */
    uint16_t pad;
    uint32_t version; /* OUT */
};
XEN_ABI_SIZE(struct gnttab_get_version, 8);

#endif /* WREN_PUBLIC_GRANT_TABLE_H */
