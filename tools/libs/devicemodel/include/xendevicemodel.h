/* SPDX-License-Identifier: MIT */
/*
 * xendevicemodel.h - what a device model does to the domain it serves
 * (Xen's libxendevicemodel), through /dev/xen/privcmd's
 * IOCTL_PRIVCMD_DM_OP (__HYPERVISOR_dm_op underneath).
 *
 * Only what Wren's hypervisor implements is here: set_mem_type, and
 * restricting the handle to one domain. The ioreq-server work extends
 * it, keeping Xen's names and signatures. Errors: -1 with errno.
 */
#ifndef XENDEVICEMODEL_H
#define XENDEVICEMODEL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_op.h>

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

#endif /* XENDEVICEMODEL_H */
