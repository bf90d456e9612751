/* SPDX-License-Identifier: MIT */
/*
 * hvm/dm_op.h - device-model operations (__HYPERVISOR_dm_op).
 *
 * A device model acts on the domain it serves: dm_op(domid, nr_bufs,
 * bufs). bufs[0] holds a struct xen_dm_op naming the operation; further
 * buffers carry bulk data for the operations that need it. A buffer
 * shorter than the operation needs is -EFAULT. Numbers and layouts are
 * Xen's; only the operations Wren implements are declared.
 */
#ifndef WREN_PUBLIC_HVM_DM_OP_H
#define WREN_PUBLIC_HVM_DM_OP_H

#include "../xen.h"
#include "../event_channel.h"

struct xen_dm_op_buf
{
    XEN_GUEST_HANDLE(void) h;
    xen_ulong_t size;
};
XEN_ABI_SIZE(struct xen_dm_op_buf, 16);

/*
 * IOREQ servers (docs/designs/ioreq.md). A device model creates a server
 * for the domain it serves, maps the server's pages with
 * XENMEM_acquire_resource (XENMEM_resource_ioreq_server, id = the
 * server's id), binds each vCPU's port (the ioreq page's vp_eport, a
 * port in the served domain whose other end is the hypervisor) and the
 * buffered port, claims port, MMIO and PCI config ranges, and enables
 * the server. From then on every access in a claimed range is sent to it
 * as an ioreq_t (public/hvm/ioreq.h) and the vCPU waits for the answer.
 */
typedef uint16_t ioservid_t;

/* XEN_DMOP_create_ioreq_server: a new, disabled server; id is OUT. */
#define XEN_DMOP_create_ioreq_server 1

#define HVM_IOREQSRV_BUFIOREQ_OFF    0
#define HVM_IOREQSRV_BUFIOREQ_LEGACY 1
/* The buffered ring's pointers are read and written as one 64-bit word. */
#define HVM_IOREQSRV_BUFIOREQ_ATOMIC 2

struct xen_dm_op_create_ioreq_server
{
    uint8_t handle_bufioreq; /* IN: HVM_IOREQSRV_BUFIOREQ_* */
    uint8_t pad[3];
    ioservid_t id; /* OUT */
    uint16_t pad2;
};
XEN_ABI_SIZE(struct xen_dm_op_create_ioreq_server, 8);

/*
 * XEN_DMOP_get_ioreq_server_info: the buffered ring's port (0 if the
 * server has none) and, unless XEN_DMOP_no_gfns, the gfns at which the
 * pages are mapped in the served domain. Wren does not map ioreq pages
 * into the guest: without XEN_DMOP_no_gfns the call is -EOPNOTSUPP and a
 * device model uses XENMEM_acquire_resource.
 */
#define XEN_DMOP_get_ioreq_server_info 2
#define XEN_DMOP_no_gfns               (1U << 0)

struct xen_dm_op_get_ioreq_server_info
{
    ioservid_t id;               /* IN */
    uint16_t flags;              /* IN: XEN_DMOP_no_gfns */
    evtchn_port_t bufioreq_port; /* OUT */
    uint64_t ioreq_gfn;          /* OUT */
    uint64_t bufioreq_gfn;       /* OUT */
};
XEN_ABI_SIZE(struct xen_dm_op_get_ioreq_server_info, 24);

/*
 * XEN_DMOP_map_io_range_to_ioreq_server / unmap_io_range_from_ioreq_server:
 * claim (or give back) [start, end], inclusive. For PCI, start and end
 * are XEN_DMOP_PCI_SBDF values. A range may not overlap one of another
 * server of the same kind (-EEXIST); unmapping needs the exact range
 * that was mapped (-ENOENT).
 */
#define XEN_DMOP_map_io_range_to_ioreq_server     3
#define XEN_DMOP_unmap_io_range_from_ioreq_server 4

#define XEN_DMOP_IO_RANGE_PORT   0 /* I/O port space */
#define XEN_DMOP_IO_RANGE_MEMORY 1 /* guest-physical addresses */
#define XEN_DMOP_IO_RANGE_PCI    2 /* PCI segment/bus/device/function */

#define XEN_DMOP_PCI_SBDF(s, b, d, f) \
    ((((s)&0xffffU) << 16) | (((b)&0xffU) << 8) | (((d)&0x1fU) << 3) | ((f)&0x07U))

struct xen_dm_op_ioreq_server_range
{
    ioservid_t id; /* IN */
    uint16_t pad;
    uint32_t type;  /* IN: XEN_DMOP_IO_RANGE_* */
    uint64_t start; /* IN: inclusive */
    uint64_t end;   /* IN: inclusive */
};
XEN_ABI_SIZE(struct xen_dm_op_ioreq_server_range, 24);

/* XEN_DMOP_set_ioreq_server_state: enabled 1 starts forwarding, 0 stops. */
#define XEN_DMOP_set_ioreq_server_state 5

struct xen_dm_op_set_ioreq_server_state
{
    ioservid_t id;   /* IN */
    uint8_t enabled; /* IN */
    uint8_t pad;
};
XEN_ABI_SIZE(struct xen_dm_op_set_ioreq_server_state, 4);

/* XEN_DMOP_destroy_ioreq_server: ranges, memory type and pages go. */
#define XEN_DMOP_destroy_ioreq_server 6

struct xen_dm_op_destroy_ioreq_server
{
    ioservid_t id; /* IN */
    uint16_t pad;
};
XEN_ABI_SIZE(struct xen_dm_op_destroy_ioreq_server, 4);

/*
 * XEN_DMOP_modified_memory: the device model wrote these frames through
 * its own mappings; with log-dirty on they are marked dirty. buf[1]
 * holds nr_extents struct xen_dm_op_modified_memory_extent. On a
 * continuation nr_extents and opaque describe what is left.
 */
#define XEN_DMOP_modified_memory 11

struct xen_dm_op_modified_memory
{
    uint32_t nr_extents; /* IN */
    uint32_t pad;
    uint64_t opaque; /* IN/OUT: continuation, 0 at first */
};
XEN_ABI_SIZE(struct xen_dm_op_modified_memory, 16);

struct xen_dm_op_modified_memory_extent
{
    uint64_t nr;
    uint64_t first_pfn;
};
XEN_ABI_SIZE(struct xen_dm_op_modified_memory_extent, 16);

/*
 * XEN_DMOP_set_mem_type: give [first_pfn, first_pfn + nr) the type
 * mem_type (HVMMEM_*, hvm_op.h). On a continuation the hypervisor writes
 * back first_pfn and nr describing what is left, and the call is re-issued.
 */
#define XEN_DMOP_set_mem_type 12

struct xen_dm_op_set_mem_type
{
    uint32_t nr;
    uint16_t mem_type;
    uint16_t pad;
    uint64_t first_pfn;
};
XEN_ABI_SIZE(struct xen_dm_op_set_mem_type, 16);

/*
 * XEN_DMOP_map_mem_type_to_ioreq_server: server id takes the memory type
 * (only HVMMEM_ioreq_server) for the accesses in flags (only
 * XEN_DMOP_IOREQ_MEM_ACCESS_WRITE: writes go to the server, reads go to
 * RAM); flags 0 gives it back, and every entry still of the type becomes
 * ram_rw again. The guard (seed 000): while entries of an earlier claim
 * are outstanding, a new claim is -EBUSY. opaque carries a continuation
 * and must be 0 on the first call.
 */
#define XEN_DMOP_map_mem_type_to_ioreq_server 15

#define XEN_DMOP_IOREQ_MEM_ACCESS_READ  (1U << 0)
#define XEN_DMOP_IOREQ_MEM_ACCESS_WRITE (1U << 1)

struct xen_dm_op_map_mem_type_to_ioreq_server
{
    ioservid_t id;   /* IN */
    uint16_t type;   /* IN: HVMMEM_ioreq_server */
    uint32_t flags;  /* IN: XEN_DMOP_IOREQ_MEM_ACCESS_*; 0 unmaps */
    uint64_t opaque; /* IN/OUT: continuation, 0 at first */
};
XEN_ABI_SIZE(struct xen_dm_op_map_mem_type_to_ioreq_server, 16);

struct xen_dm_op
{
    uint32_t op;
    uint32_t pad;
    union
    {
        struct xen_dm_op_create_ioreq_server create_ioreq_server;
        struct xen_dm_op_get_ioreq_server_info get_ioreq_server_info;
        struct xen_dm_op_ioreq_server_range map_io_range_to_ioreq_server;
        struct xen_dm_op_ioreq_server_range unmap_io_range_from_ioreq_server;
        struct xen_dm_op_set_ioreq_server_state set_ioreq_server_state;
        struct xen_dm_op_destroy_ioreq_server destroy_ioreq_server;
        struct xen_dm_op_modified_memory modified_memory;
        struct xen_dm_op_set_mem_type set_mem_type;
        struct xen_dm_op_map_mem_type_to_ioreq_server map_mem_type_to_ioreq_server;
        uint8_t xen_size[24]; /* Xen's union is 24 bytes (its largest ops) */
    } u;
};
XEN_ABI_SIZE(struct xen_dm_op, 32);

#endif /* WREN_PUBLIC_HVM_DM_OP_H */
