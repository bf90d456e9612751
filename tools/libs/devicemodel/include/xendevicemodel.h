/* SPDX-License-Identifier: MIT */
/*
 * xendevicemodel.h - what a device model does to the domain it serves
 * (Xen's libxendevicemodel), through /dev/xen/privcmd's
 * IOCTL_PRIVCMD_DM_OP (__HYPERVISOR_dm_op underneath).
 *
 * Xen's names and signatures, for what Wren's hypervisor implements:
 * IOREQ servers, the ioreq_server memory type, set_mem_type,
 * modified_memory, and restricting the handle to one domain. Errors: -1
 * with errno (the hypercall's error, positive).
 */
#ifndef XENDEVICEMODEL_H
#define XENDEVICEMODEL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/dm_op.h>
#include <xen/event_channel.h>

struct xentoollog_logger;
typedef struct xendevicemodel_handle xendevicemodel_handle;
/* Xen's hvm_op.h makes this an enum of the HVMMEM_* values; Wren's
 * public header has them as macros, so the type is named here. */
typedef unsigned int hvmmem_type_t;

xendevicemodel_handle *xendevicemodel_open(struct xentoollog_logger *logger,
                                           unsigned int open_flags);
int xendevicemodel_close(xendevicemodel_handle *dmod);

/* From now on this handle may act on domid only (IOCTL_PRIVCMD_RESTRICT). */
int xendevicemodel_restrict(xendevicemodel_handle *dmod, domid_t domid);

/* Give [first_pfn, first_pfn + nr) of domid the type mem_type (HVMMEM_*). */
int xendevicemodel_set_mem_type(xendevicemodel_handle *dmod, domid_t domid, hvmmem_type_t mem_type,
                                uint64_t first_pfn, uint32_t nr);

/* Tell Xen the device model wrote [first_pfn, first_pfn + nr) itself
 * (marked dirty while log-dirty is on). */
int xendevicemodel_modified_memory(xendevicemodel_handle *dmod, domid_t domid, uint64_t first_pfn,
                                   uint32_t nr);

/* ---- IOREQ servers (docs/designs/ioreq.md) ---- */

/* A new, disabled server; handle_bufioreq is HVM_IOREQSRV_BUFIOREQ_*. */
int xendevicemodel_create_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                       int handle_bufioreq, ioservid_t *id);
/* The buffered port (and, if ioreq_gfn or bufioreq_gfn is not NULL, the
 * gfns of the pages in the guest: Wren maps none, so ask with both NULL
 * and map the pages with xenforeignmemory_map_resource). */
int xendevicemodel_get_ioreq_server_info(xendevicemodel_handle *dmod, domid_t domid, ioservid_t id,
                                         xen_pfn_t *ioreq_gfn, xen_pfn_t *bufioreq_gfn,
                                         evtchn_port_t *bufioreq_port);
/* Claim or give back [start, end] (inclusive): ports, or memory if is_mmio. */
int xendevicemodel_map_io_range_to_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                                ioservid_t id, int is_mmio, uint64_t start,
                                                uint64_t end);
int xendevicemodel_unmap_io_range_from_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                                    ioservid_t id, int is_mmio, uint64_t start,
                                                    uint64_t end);
/* Claim or give back one PCI function's config space. */
int xendevicemodel_map_pcidev_to_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                              ioservid_t id, uint16_t segment, uint8_t bus,
                                              uint8_t device, uint8_t function);
int xendevicemodel_unmap_pcidev_from_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                                  ioservid_t id, uint16_t segment, uint8_t bus,
                                                  uint8_t device, uint8_t function);
/* Own memory type (HVMMEM_ioreq_server) for flags
 * (XEN_DMOP_IOREQ_MEM_ACCESS_WRITE); flags 0 gives it back. -1/EBUSY
 * while an earlier owner's entries are still outstanding. */
int xendevicemodel_map_mem_type_to_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
                                                ioservid_t id, uint16_t type, uint32_t flags);
int xendevicemodel_set_ioreq_server_state(xendevicemodel_handle *dmod, domid_t domid, ioservid_t id,
                                          int enabled);
int xendevicemodel_destroy_ioreq_server(xendevicemodel_handle *dmod, domid_t domid, ioservid_t id);

#endif /* XENDEVICEMODEL_H */
