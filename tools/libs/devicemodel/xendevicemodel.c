/* SPDX-License-Identifier: MIT */
/*
 * xendevicemodel.c - libxendevicemodel: dm_ops through /dev/xen/privcmd's
 * IOCTL_PRIVCMD_DM_OP, which checks the handle's restriction and passes
 * the buffers to __HYPERVISOR_dm_op (so they need not be xencall
 * buffers: the device bounces them).
 *
 * Reaches the device through wren-sys.h only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <xen/hvm/dm_op.h>
#include <xen-sys/privcmd.h>

#include "wren-sys.h"
#include "xendevicemodel.h"

struct xendevicemodel_handle
{
    int fd;
};

xendevicemodel_handle *xendevicemodel_open(struct xentoollog_logger *logger,
                                           unsigned int open_flags)
{
    xendevicemodel_handle *dmod;

    if ( open_flags )
    {
        errno = EINVAL;
        return NULL;
    }
    dmod = calloc(1, sizeof(*dmod));
    if ( !dmod )
        return NULL;
    dmod->fd = wren_sys_open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if ( dmod->fd < 0 )
    {
        int err = errno;

        fprintf(stderr, "xendevicemodel: cannot open /dev/xen/privcmd: errno %d\n", err);
        free(dmod);
        errno = err;
        return NULL;
    }
    return dmod;
}

int xendevicemodel_close(xendevicemodel_handle *dmod)
{
    int rc;

    if ( !dmod )
        return 0;
    rc = wren_sys_close(dmod->fd);
    free(dmod);
    return rc;
}

int xendevicemodel_restrict(xendevicemodel_handle *dmod, domid_t domid)
{
    return wren_sys_ioctl(dmod->fd, IOCTL_PRIVCMD_RESTRICT, &domid);
}

/* One dm_op whose only buffer is op itself. */
static int dm_op_one(xendevicemodel_handle *dmod, domid_t domid, struct xen_dm_op *op)
{
    privcmd_dm_op_buf_t buf = { .uptr = op, .size = sizeof(*op) };
    privcmd_dm_op_t call = { .dom = domid, .num = 1, .ubufs = &buf };

    return wren_sys_ioctl(dmod->fd, IOCTL_PRIVCMD_DM_OP, &call);
}

int xendevicemodel_set_mem_type(xendevicemodel_handle *dmod, domid_t domid, hvmmem_type_t mem_type,
                                uint64_t first_pfn, uint32_t nr)
{
    struct xen_dm_op op = { .op = XEN_DMOP_set_mem_type };

    if ( mem_type > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    op.u.set_mem_type.mem_type = (uint16_t)mem_type;
    op.u.set_mem_type.first_pfn = first_pfn;
    op.u.set_mem_type.nr = nr;
    return dm_op_one(dmod, domid, &op);
}

/* A dm_op with a second buffer of bulk data (modified_memory's extents). */
static int dm_op_two(xendevicemodel_handle *dmod, domid_t domid, struct xen_dm_op *op, void *data,
                     size_t size)
{
    privcmd_dm_op_buf_t bufs[2] = {
        { .uptr = op, .size = sizeof(*op) },
        { .uptr = data, .size = size },
    };
    privcmd_dm_op_t call = { .dom = domid, .num = 2, .ubufs = bufs };

    return wren_sys_ioctl(dmod->fd, IOCTL_PRIVCMD_DM_OP, &call);
}

static int dm_einval(void)
{
    errno = EINVAL;
    return -1;
}

int xendevicemodel_modified_memory(xendevicemodel_handle *dmod, domid_t domid, uint64_t first_pfn,
                                   uint32_t nr)
{
    struct xen_dm_op op = { .op = XEN_DMOP_modified_memory };
    struct xen_dm_op_modified_memory_extent extent = { .nr = nr, .first_pfn = first_pfn };

    if ( !nr )
        return dm_einval();
    op.u.modified_memory.nr_extents = 1;
    return dm_op_two(dmod, domid, &op, &extent, sizeof(extent));
}

int xendevicemodel_create_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                       int handle_bufioreq, ioservid_t *id)
{
    struct xen_dm_op op = { .op = XEN_DMOP_create_ioreq_server };

    if ( !id || handle_bufioreq < HVM_IOREQSRV_BUFIOREQ_OFF ||
         handle_bufioreq > HVM_IOREQSRV_BUFIOREQ_ATOMIC )
        return dm_einval();
    op.u.create_ioreq_server.handle_bufioreq = (uint8_t)handle_bufioreq;
    if ( dm_op_one(dmod, domid, &op) )
        return -1;
    *id = op.u.create_ioreq_server.id;
    return 0;
}

int xendevicemodel_get_ioreq_server_info(xendevicemodel_handle *dmod, domid_t domid, ioservid_t id,
                                         xen_pfn_t *ioreq_gfn, xen_pfn_t *bufioreq_gfn,
                                         evtchn_port_t *bufioreq_port)
{
    struct xen_dm_op op = { .op = XEN_DMOP_get_ioreq_server_info };
    struct xen_dm_op_get_ioreq_server_info *info = &op.u.get_ioreq_server_info;

    info->id = id;
    /* Wren maps no ioreq page into the guest: ask for none unless told. */
    if ( !ioreq_gfn && !bufioreq_gfn )
        info->flags = XEN_DMOP_no_gfns;
    if ( dm_op_one(dmod, domid, &op) )
        return -1;
    if ( ioreq_gfn )
        *ioreq_gfn = info->ioreq_gfn;
    if ( bufioreq_gfn )
        *bufioreq_gfn = info->bufioreq_gfn;
    if ( bufioreq_port )
        *bufioreq_port = info->bufioreq_port;
    return 0;
}

/* map/unmap_io_range and the PCI forms: one range op. */
static int dm_range(xendevicemodel_handle *dmod, domid_t domid, uint32_t dmop, ioservid_t id,
                    uint32_t type, uint64_t start, uint64_t end)
{
    struct xen_dm_op op = { .op = dmop };
    struct xen_dm_op_ioreq_server_range *r = &op.u.map_io_range_to_ioreq_server;

    if ( start > end )
        return dm_einval();
    r->id = id;
    r->type = type;
    r->start = start;
    r->end = end;
    return dm_op_one(dmod, domid, &op);
}

int xendevicemodel_map_io_range_to_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                                ioservid_t id, int is_mmio, uint64_t start,
                                                uint64_t end)
{
    return dm_range(dmod, domid, XEN_DMOP_map_io_range_to_ioreq_server, id,
                    is_mmio ? XEN_DMOP_IO_RANGE_MEMORY : XEN_DMOP_IO_RANGE_PORT, start, end);
}

int xendevicemodel_unmap_io_range_from_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                                    ioservid_t id, int is_mmio, uint64_t start,
                                                    uint64_t end)
{
    return dm_range(dmod, domid, XEN_DMOP_unmap_io_range_from_ioreq_server, id,
                    is_mmio ? XEN_DMOP_IO_RANGE_MEMORY : XEN_DMOP_IO_RANGE_PORT, start, end);
}

/* Device 0-31, function 0-7: anything else would be folded by the macro
 * into a different function than the caller named. */
static int dm_pci(xendevicemodel_handle *dmod, domid_t domid, uint32_t dmop, ioservid_t id,
                  uint16_t segment, uint8_t bus, uint8_t device, uint8_t function)
{
    uint64_t sbdf;

    if ( device > 0x1f || function > 0x7 )
        return dm_einval();
    sbdf = XEN_DMOP_PCI_SBDF(segment, bus, device, function);
    return dm_range(dmod, domid, dmop, id, XEN_DMOP_IO_RANGE_PCI, sbdf, sbdf);
}

int xendevicemodel_map_pcidev_to_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                              ioservid_t id, uint16_t segment, uint8_t bus,
                                              uint8_t device, uint8_t function)
{
    return dm_pci(dmod, domid, XEN_DMOP_map_io_range_to_ioreq_server, id, segment, bus, device,
                  function);
}

int xendevicemodel_unmap_pcidev_from_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                                  ioservid_t id, uint16_t segment, uint8_t bus,
                                                  uint8_t device, uint8_t function)
{
    return dm_pci(dmod, domid, XEN_DMOP_unmap_io_range_from_ioreq_server, id, segment, bus, device,
                  function);
}

int xendevicemodel_map_mem_type_to_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                                ioservid_t id, uint16_t type, uint32_t flags)
{
    struct xen_dm_op op = { .op = XEN_DMOP_map_mem_type_to_ioreq_server };
    struct xen_dm_op_map_mem_type_to_ioreq_server *m = &op.u.map_mem_type_to_ioreq_server;

    if ( flags & ~(XEN_DMOP_IOREQ_MEM_ACCESS_READ | XEN_DMOP_IOREQ_MEM_ACCESS_WRITE) )
        return dm_einval();
    m->id = id;
    m->type = type;
    m->flags = flags;
    /* opaque stays 0: a preempted reset is continued by the hypervisor. */
    return dm_op_one(dmod, domid, &op);
}

int xendevicemodel_set_ioreq_server_state(xendevicemodel_handle *dmod, domid_t domid, ioservid_t id,
                                          int enabled)
{
    struct xen_dm_op op = { .op = XEN_DMOP_set_ioreq_server_state };

    op.u.set_ioreq_server_state.id = id;
    op.u.set_ioreq_server_state.enabled = !!enabled;
    return dm_op_one(dmod, domid, &op);
}

int xendevicemodel_destroy_ioreq_server(xendevicemodel_handle *dmod, domid_t domid, ioservid_t id)
{
    struct xen_dm_op op = { .op = XEN_DMOP_destroy_ioreq_server };

    op.u.destroy_ioreq_server.id = id;
    return dm_op_one(dmod, domid, &op);
}
