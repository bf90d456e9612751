/* SPDX-License-Identifier: MIT */
/*
 * xenforeignmemory.h - map other domains' frames into this process (Xen's
 * libxenforeignmemory), through /dev/xen/privcmd: mmap() reserves the
 * range, IOCTL_PRIVCMD_MMAPBATCH_V2 fills it in one call per batch.
 *
 * Every mapped frame holds a reference on the hypervisor side until it is
 * unmapped, so a destroyed domain's frames stay allocated while mapped.
 */
#ifndef XENFOREIGNMEMORY_H
#define XENFOREIGNMEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

struct xentoollog_logger;
typedef struct xenforeignmemory_handle xenforeignmemory_handle;

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
                                               unsigned int open_flags);
int xenforeignmemory_close(xenforeignmemory_handle *fmem);

/*
 * Map `pages` frames arr[] of domain dom, contiguously; prot is PROT_READ
 * and/or PROT_WRITE. With err != NULL, err[i] is 0 or a negative errno per
 * frame and the call succeeds if the range could be set up at all (a
 * failed frame is not mapped). With err == NULL any failed frame fails
 * the whole call (NULL, errno set) and nothing stays mapped.
 */
void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot, size_t pages,
                           const xen_pfn_t arr[], int err[]);
int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages);

/* Batches (ioctls) issued and frames mapped so far (make bench). */
uint64_t xenforeignmemory_batches(const xenforeignmemory_handle *fmem);
uint64_t xenforeignmemory_frames(const xenforeignmemory_handle *fmem);

/*
 * A resource of domid (XENMEM_acquire_resource: type XENMEM_resource_*,
 * id, frames [frame, frame + nr_frames)) mapped into this process,
 * through IOCTL_PRIVCMD_MMAP_RESOURCE. *paddr: NULL to let the library
 * choose, the address on return. NULL with errno on failure.
 * Wren's dom0 places mappings itself: *paddr must be NULL and flags 0
 * (no MAP_FIXED), else EINVAL.
 */
typedef struct xenforeignmemory_resource_handle xenforeignmemory_resource_handle;
xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
    xenforeignmemory_handle *fmem, domid_t domid, unsigned int type, unsigned int id,
    unsigned long frame, unsigned long nr_frames, void **paddr, int prot, int flags);
int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
                                    xenforeignmemory_resource_handle *fres);

#endif /* XENFOREIGNMEMORY_H */
