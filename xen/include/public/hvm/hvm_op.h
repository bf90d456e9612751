/* SPDX-License-Identifier: MIT */
/*
 * hvm/hvm_op.h - the hvm_op hypercall: HVM/PVH domain parameters and
 * memory types.
 *
 * hvm_op(cmd, arg). A guest reads its own parameters (console ring,
 * xenstore ring, ...) with HVMOP_get_param and DOMID_SELF; the control
 * domain may set them for others. Numbers and layouts follow Xen.
 */
#ifndef WREN_PUBLIC_HVM_HVM_OP_H
#define WREN_PUBLIC_HVM_HVM_OP_H

#include "../xen.h"

#define HVMOP_set_param                0 /* struct xen_hvm_param */
#define HVMOP_get_param                1 /* struct xen_hvm_param */
#define HVMOP_flush_tlbs               5 /* arg NULL */
#define HVMOP_pagetable_dying          9
#define HVMOP_get_time                 10
#define HVMOP_xentrace                 11
#define HVMOP_set_mem_access           12
#define HVMOP_get_mem_access           13
#define HVMOP_inject_trap              14
#define HVMOP_get_mem_type             15 /* struct xen_hvm_get_mem_type */
#define HVMOP_set_evtchn_upcall_vector 23
#define HVMOP_guest_request_vm_event   24
#define HVMOP_altp2m                   25

struct xen_hvm_param
{
    domid_t domid; /* DOMID_SELF or a domain the caller controls */
    uint16_t pad;
    uint32_t index; /* HVM_PARAM_* (hvm/params.h) */
    uint64_t value; /* IN for set, OUT for get */
};
typedef struct xen_hvm_param xen_hvm_param_t;
XEN_ABI_SIZE(struct xen_hvm_param, 16);

/* p2m types a guest can see through HVMOP_get_mem_type / DMOP set_mem_type. */
#define HVMMEM_ram_rw       0
#define HVMMEM_ram_ro       1
#define HVMMEM_mmio_dm      2
#define HVMMEM_unused       3
#define HVMMEM_ioreq_server 4
/* Wren: a broken frame (p2m_ram_broken, a machine check or a restore
 * said so); Xen reports it as mmio_dm. Read only: set_mem_type refuses it. */
#define HVMMEM_broken 5

struct xen_hvm_get_mem_type
{
    domid_t domid;
    uint16_t mem_type; /* OUT: HVMMEM_* */
    uint16_t pad[2];
    uint64_t pfn; /* IN: the GFN to query */
};
XEN_ABI_SIZE(struct xen_hvm_get_mem_type, 16);

struct xen_hvm_evtchn_upcall_vector
{
    uint32_t vcpu;
    uint8_t vector;
    uint8_t pad[3];
};
XEN_ABI_SIZE(struct xen_hvm_evtchn_upcall_vector, 8);

#endif /* WREN_PUBLIC_HVM_HVM_OP_H */
