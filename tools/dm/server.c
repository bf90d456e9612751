/* SPDX-License-Identifier: MIT */
/*
 * server.c - one served domain's IOREQ server from creation to
 * destruction: create (with a buffered ring), map its pages with
 * xenforeignmemory_map_resource, bind the buffered port and each vCPU's
 * vp_eport, build the devices (the UART - COM2 on x86, MMIO on Arm, see
 * layout.h -, the table device, x86's PCI function), claim their ranges,
 * enable; and the reverse, each step undone only if it was done.
 *
 * May not touch: domains it does not serve; it acts on the served one
 * only through libxendevicemodel, the resource mapping and its mapcache.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/memory.h>
#include <xen/hvm/hvm_op.h>

#include "dm.h"
#include "layout.h"

static void dm_uart_emit(void *opaque, const char *line)
{
    struct dm_domain *dom = opaque;

    fprintf(stderr, "wren-dm[dom%u]: %s\n", dom->domid, line);
}

/* The table device's DMOPs; positive errno. */
static int dm_protect(void *opaque, uint64_t gfn, uint32_t nr, bool on)
{
    struct dm_domain *dom = opaque;
    int rc;

    if ( !on )
    {
        rc = xendevicemodel_set_mem_type(dm_h.dmod, dom->domid, HVMMEM_ram_rw, gfn, nr);
        rc |= xendevicemodel_map_mem_type_to_ioreq_server(dm_h.dmod, dom->domid, dom->id,
                                                          HVMMEM_ioreq_server, 0);
        dom->type_claimed = false;
        return rc ? errno : 0;
    }
    if ( xendevicemodel_map_mem_type_to_ioreq_server(
             dm_h.dmod, dom->domid, dom->id, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE) )
        return errno;
    dom->type_claimed = true;
    if ( !xendevicemodel_set_mem_type(dm_h.dmod, dom->domid, HVMMEM_ioreq_server, gfn, nr) )
        return 0;
    rc = errno;
    xendevicemodel_map_mem_type_to_ioreq_server(dm_h.dmod, dom->domid, dom->id, HVMMEM_ioreq_server,
                                                0);
    dom->type_claimed = false;
    return rc;
}

static void dm_modified(void *opaque, uint64_t gfn)
{
    struct dm_domain *dom = opaque;

    /* Only matters under log-dirty; a refusal changes nothing here. */
    xendevicemodel_modified_memory(dm_h.dmod, dom->domid, gfn, 1);
}

static const struct dtable_ops dm_dtable_ops = {
    .protect = dm_protect,
    .modified = dm_modified,
};

static uint64_t uart_dev_read(void *o, uint64_t addr, unsigned int size)
{
    return uart_read(o, (unsigned int)(addr - DM_UART_BASE));
}

static void uart_dev_write(void *o, uint64_t addr, unsigned int size, uint64_t val)
{
    uart_write(o, (unsigned int)(addr - DM_UART_BASE), (uint8_t)val);
}

static uint64_t regs_read(void *o, uint64_t addr, unsigned int size)
{
    return dtable_reg_read(o, addr - DTABLE_MMIO_BASE, size);
}

static void regs_write(void *o, uint64_t addr, unsigned int size, uint64_t val)
{
    dtable_reg_write(o, addr - DTABLE_MMIO_BASE, size, val);
}

static bool table_range(void *o, uint64_t *start, uint64_t *end)
{
    return dtable_table_range(o, start, end);
}

static uint64_t table_read(void *o, uint64_t addr, unsigned int size)
{
    return dtable_table_read(o, addr, size);
}

static void table_write(void *o, uint64_t addr, unsigned int size, uint64_t val)
{
    dtable_table_write(o, addr, size, val);
}

static uint64_t pci_read(void *o, uint64_t addr, unsigned int size)
{
    return pcidev_read(o, addr, size);
}

static void pci_write(void *o, uint64_t addr, unsigned int size, uint64_t val)
{
    pcidev_write(o, addr, size, val);
}

/* The device table: COM2, the table device's registers and its table,
 * the PCI function. */
static void dm_devices(struct dm_domain *dom)
{
    const struct dm_dev devs[] = {
        { "uart", DM_UART_TYPE, DM_UART_BASE, DM_UART_BASE + UART_NR_PORTS - 1, NULL, uart_dev_read,
          uart_dev_write, &dom->uart },
        { "dtable-regs", IOREQ_TYPE_COPY, DTABLE_MMIO_BASE, DTABLE_MMIO_BASE + DTABLE_MMIO_SIZE - 1,
          NULL, regs_read, regs_write, &dom->dt },
        { "dtable", IOREQ_TYPE_COPY, 0, 0, table_range, table_read, table_write, &dom->dt },
        { "pci", IOREQ_TYPE_PCI_CONFIG, PCIDEV_CFG_START, PCIDEV_CFG_END, NULL, pci_read, pci_write,
          &dom->pci },
    };
    /* The PCI function is the last entry: left out where there is none. */
    unsigned int i, nr = sizeof(devs) / sizeof(devs[0]) - !DM_HAS_PCI;

    dm_io_init(&dom->io, dom->mc);
    uart_init(&dom->uart, dm_uart_emit, dom);
    dtable_init(&dom->dt, dom->mc, DM_RAM_BASE, DM_RAM_BASE + dom->ram_end, &dm_dtable_ops, dom);
    for ( i = 0; i < nr; i++ )
        dm_io_add(&dom->io, &devs[i]);
}

/* The server, its pages and its ports. */
static int dm_connect(struct dm_domain *dom)
{
    evtchn_port_t buf_port;
    void *addr = NULL;
    unsigned int i;
    int port;

    if ( xendevicemodel_create_ioreq_server(dm_h.dmod, dom->domid, HVM_IOREQSRV_BUFIOREQ_ATOMIC,
                                            &dom->id) )
        return -1;
    dom->created = true;
    if ( xendevicemodel_get_ioreq_server_info(dm_h.dmod, dom->domid, dom->id, NULL, NULL,
                                              &buf_port) )
        return -1;
    dom->fres = xenforeignmemory_map_resource(dm_h.fmem, dom->domid, XENMEM_resource_ioreq_server,
                                              dom->id, XENMEM_resource_ioreq_server_frame_bufioreq,
                                              2, &addr, PROT_READ | PROT_WRITE, 0);
    if ( !dom->fres )
        return -1;
    dom->buf = addr;
    dom->sync = (shared_iopage_t *)((char *)addr + 4096);
    dom->buf_port = port = xenevtchn_bind_interdomain(dm_h.xce, dom->domid, buf_port);
    if ( port < 0 )
        return -1;
    for ( i = 0; i < dom->vcpus; i++ )
    {
        port = xenevtchn_bind_interdomain(dm_h.xce, dom->domid, dom->sync->vcpu_ioreq[i].vp_eport);
        if ( port < 0 )
            return -1;
        dom->vcpu_port[i] = port;
    }
    return 0;
}

/* Claim the devices' ranges and start forwarding. */
static int dm_claim(struct dm_domain *dom)
{
    if ( xendevicemodel_map_io_range_to_ioreq_server(
             dm_h.dmod, dom->domid, dom->id, DM_UART_RANGE == XEN_DMOP_IO_RANGE_MEMORY,
             DM_UART_BASE, DM_UART_BASE + UART_NR_PORTS - 1) ||
         xendevicemodel_map_io_range_to_ioreq_server(dm_h.dmod, dom->domid, dom->id, 1,
                                                     DTABLE_MMIO_BASE,
                                                     DTABLE_MMIO_BASE + DTABLE_MMIO_SIZE - 1) ||
         (DM_HAS_PCI &&
          xendevicemodel_map_pcidev_to_ioreq_server(dm_h.dmod, dom->domid, dom->id, 0, PCIDEV_BUS,
                                                    PCIDEV_DEV, PCIDEV_FN)) ||
         xendevicemodel_set_ioreq_server_state(dm_h.dmod, dom->domid, dom->id, 1) )
        return -1;
    dom->enabled = true;
    return 0;
}

int dm_server_start(struct dm_domain *dom, uint32_t domid, unsigned int vcpus, uint64_t ram_end)
{
    unsigned int i;
    int err;

    memset(dom, 0, sizeof(*dom));
    dom->domid = domid;
    dom->vcpus = vcpus;
    dom->ram_end = ram_end;
    dom->buf_port = -1;
    for ( i = 0; i < DM_MAX_VCPUS; i++ )
        dom->vcpu_port[i] = -1;
    dom->mc = mapcache_create(dm_h.fmem, domid, DM_MAPCACHE_BUCKETS);
    if ( !dom->mc || dm_connect(dom) )
        goto fail;
    dm_devices(dom);
    if ( dm_claim(dom) )
        goto fail;
    dom->live = true;
    return 0;
fail:
    err = errno;
    fprintf(stderr, "wren-dm: cannot serve domain %u: errno %d\n", domid, err);
    dm_server_stop(dom);
    errno = err;
    return -1;
}

static void dm_unbind(struct dm_domain *dom)
{
    unsigned int i;

    if ( dom->buf_port >= 0 )
        xenevtchn_unbind(dm_h.xce, (evtchn_port_t)dom->buf_port);
    dom->buf_port = -1;
    for ( i = 0; i < DM_MAX_VCPUS; i++ )
        if ( dom->vcpu_port[i] >= 0 )
        {
            xenevtchn_unbind(dm_h.xce, (evtchn_port_t)dom->vcpu_port[i]);
            dom->vcpu_port[i] = -1;
        }
}

void dm_server_stop(struct dm_domain *dom)
{
    if ( dom->type_claimed )
        dtable_fini(&dom->dt);
    if ( dom->created )
        xendevicemodel_destroy_ioreq_server(dm_h.dmod, dom->domid, dom->id);
    dm_unbind(dom);
    if ( dom->fres )
        xenforeignmemory_unmap_resource(dm_h.fmem, dom->fres);
    mapcache_destroy(dom->mc);
    memset(dom, 0, sizeof(*dom));
}

/* Drain the ring first: a synchronous answer may not overtake it. */
bool dm_server_serve(struct dm_domain *dom)
{
    bool did = dm_io_drain(&dom->io, dom->buf) > 0;
    unsigned int i;

    for ( i = 0; i < dom->vcpus; i++ )
    {
        if ( IOREQ_STATE(&dom->sync->vcpu_ioreq[i]) != STATE_IOREQ_READY )
            continue;
        dm_io_drain(&dom->io, dom->buf);
        if ( dm_io_serve_slot(&dom->io, &dom->sync->vcpu_ioreq[i]) )
        {
            xenevtchn_notify(dm_h.xce, (evtchn_port_t)dom->vcpu_port[i]);
            did = true;
        }
    }
    return did;
}
