/* SPDX-License-Identifier: MIT */
/*
 * xen-sys/privcmd.h - the control device's ioctl interface
 * (/dev/xen/privcmd), as Linux defines it for a Xen control domain.
 *
 * The layouts and request numbers are Linux's UAPI (facts of the ABI);
 * Wren's dom0 runtime (tools/dom0) implements the same device, so the
 * libraries in tools/libs talk to it exactly as Xen's libraries talk to a
 * Linux dom0. Nothing here may depend on which of the two is underneath.
 */
#ifndef WREN_XEN_SYS_PRIVCMD_H
#define WREN_XEN_SYS_PRIVCMD_H

#include <stdint.h>
#include <sys/ioctl.h>
#include <xen/xen.h>

/* One hypercall: op is __HYPERVISOR_*, arguments as the hypercall takes
 * them. The ioctl's return value is the hypercall's (negative errors are
 * reported as -1 with errno set to the positive code). */
typedef struct privcmd_hypercall
{
    uint64_t op;
    uint64_t arg[5];
} privcmd_hypercall_t;

/*
 * Map `num` frames of domain `dom` at `addr` (which must lie in a range
 * returned by mmap() of the privcmd fd, at least num pages long). arr[i]
 * is the guest frame for page i; err[i] is set to 0 or a negative errno
 * per frame, and the ioctl fails with ENOENT if any frame failed.
 */
typedef struct privcmd_mmapbatch_v2
{
    unsigned int num;
    domid_t dom;
    uint64_t addr;
    const xen_pfn_t *arr;
    int *err;
} privcmd_mmapbatch_v2_t;

/* A dm_op issued through the device (restricted or not). */
typedef struct privcmd_dm_op_buf
{
    void *uptr;
    size_t size;
} privcmd_dm_op_buf_t;

typedef struct privcmd_dm_op
{
    domid_t dom;
    uint16_t num;
    const privcmd_dm_op_buf_t *ubufs;
} privcmd_dm_op_t;

/*
 * Map frames [idx, idx + num) of resource (type, id) of domain dom
 * (XENMEM_acquire_resource) at addr, which must lie in a range returned
 * by mmap() of the privcmd fd, at least num pages long.
 */
typedef struct privcmd_mmap_resource
{
    domid_t dom;
    uint32_t type;
    uint32_t id;
    uint32_t idx;
    uint64_t num;
    uint64_t addr;
} privcmd_mmap_resource_t;
_Static_assert(sizeof(privcmd_mmap_resource_t) == 32, "Linux's layout");

#define IOCTL_PRIVCMD_HYPERCALL     _IOC(_IOC_NONE, 'P', 0, sizeof(privcmd_hypercall_t))
#define IOCTL_PRIVCMD_MMAPBATCH_V2  _IOC(_IOC_NONE, 'P', 4, sizeof(privcmd_mmapbatch_v2_t))
#define IOCTL_PRIVCMD_DM_OP         _IOC(_IOC_NONE, 'P', 5, sizeof(privcmd_dm_op_t))
#define IOCTL_PRIVCMD_RESTRICT      _IOC(_IOC_NONE, 'P', 6, sizeof(domid_t))
#define IOCTL_PRIVCMD_MMAP_RESOURCE _IOC(_IOC_NONE, 'P', 7, sizeof(privcmd_mmap_resource_t))

#endif /* WREN_XEN_SYS_PRIVCMD_H */
