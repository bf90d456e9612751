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

struct xen_dm_op_buf
{
    XEN_GUEST_HANDLE(void) h;
    xen_ulong_t size;
};
XEN_ABI_SIZE(struct xen_dm_op_buf, 16);

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

struct xen_dm_op
{
    uint32_t op;
    uint32_t pad;
    union
    {
        struct xen_dm_op_set_mem_type set_mem_type;
    } u;
};
XEN_ABI_SIZE(struct xen_dm_op, 24);

#endif /* WREN_PUBLIC_HVM_DM_OP_H */
