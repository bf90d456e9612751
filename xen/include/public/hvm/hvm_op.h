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

/*
 * HVMOP_altp2m: alternative p2m views of a domain (Xen's numbers and
 * layouts). Who may call what follows HVM_PARAM_ALTP2M (hvm/params.h):
 * mixed, the guest and its toolstack; external, the toolstack only;
 * limited, the guest only vcpu_enable_notify (it switches by VMFUNC).
 * View 0 is the host p2m. Access values are xenmem_access_t
 * (n r w rw x rx wx rwx = 0..7; XENMEM_access_default takes the view's
 * default).
 */
#define HVMOP_ALTP2M_INTERFACE_VERSION 0x00000001

#define HVMOP_altp2m_get_domain_state      1
#define HVMOP_altp2m_set_domain_state      2
#define HVMOP_altp2m_vcpu_enable_notify    3
#define HVMOP_altp2m_create_p2m            4
#define HVMOP_altp2m_destroy_p2m           5
#define HVMOP_altp2m_switch_p2m            6 /* every vCPU of the domain */
#define HVMOP_altp2m_set_mem_access        7
#define HVMOP_altp2m_change_gfn            8
#define HVMOP_altp2m_set_mem_access_multi  9
#define HVMOP_altp2m_set_suppress_ve       10
#define HVMOP_altp2m_get_suppress_ve       11
#define HVMOP_altp2m_get_mem_access        12
#define HVMOP_altp2m_vcpu_disable_notify   13
#define HVMOP_altp2m_get_p2m_idx           14
#define HVMOP_altp2m_set_suppress_ve_multi 15
#define HVMOP_altp2m_set_visibility        16

struct xen_hvm_altp2m_domain_state
{
    uint8_t state; /* IN (set) or OUT (get): altp2m on or off */
};

struct xen_hvm_altp2m_vcpu_enable_notify
{
    uint32_t vcpu_id;
    uint32_t pad;
    uint64_t gfn; /* the #VE information page */
};
XEN_ABI_SIZE(struct xen_hvm_altp2m_vcpu_enable_notify, 16);

struct xen_hvm_altp2m_vcpu_disable_notify
{
    uint32_t vcpu_id;
};

struct xen_hvm_altp2m_view
{
    uint16_t view;                  /* OUT (create) or IN */
    uint16_t hvmmem_default_access; /* IN (create): xenmem_access_t */
};
XEN_ABI_SIZE(struct xen_hvm_altp2m_view, 4);

struct xen_hvm_altp2m_mem_access
{
    uint16_t view;
    uint16_t access; /* IN (set) or OUT (get): xenmem_access_t */
    uint32_t pad;
    uint64_t gfn;
};
XEN_ABI_SIZE(struct xen_hvm_altp2m_mem_access, 16);

struct xen_hvm_altp2m_set_mem_access_multi
{
    uint16_t view;
    uint16_t pad;
    uint32_t nr;          /* entries in both lists */
    uint64_t opaque;      /* 0 on the first call; where a continuation resumes */
    uint64_t pfn_list;    /* guest address of nr uint64_t gfns */
    uint64_t access_list; /* guest address of nr uint8_t accesses */
};
XEN_ABI_SIZE(struct xen_hvm_altp2m_set_mem_access_multi, 32);

struct xen_hvm_altp2m_change_gfn
{
    uint16_t view;
    uint16_t pad1;
    uint32_t pad2;
    uint64_t old_gfn;
    uint64_t new_gfn; /* INVALID_GFN (~0): revert to the host's frame */
};
XEN_ABI_SIZE(struct xen_hvm_altp2m_change_gfn, 24);

struct xen_hvm_altp2m_suppress_ve
{
    uint16_t view;
    uint8_t suppress_ve; /* boolean */
    uint8_t pad1;
    uint32_t pad2;
    uint64_t gfn;
};
XEN_ABI_SIZE(struct xen_hvm_altp2m_suppress_ve, 16);

struct xen_hvm_altp2m_suppress_ve_multi
{
    uint16_t view;
    uint8_t suppress_ve; /* boolean */
    uint8_t pad1;
    int32_t first_error;      /* OUT: the first error met (0 on input) */
    uint64_t first_gfn;       /* IN/OUT: where a continuation resumes */
    uint64_t last_gfn;        /* inclusive */
    uint64_t first_error_gfn; /* OUT: the gfn of first_error */
};
XEN_ABI_SIZE(struct xen_hvm_altp2m_suppress_ve_multi, 32);

struct xen_hvm_altp2m_get_vcpu_p2m_idx
{
    uint32_t vcpu_id;
    uint16_t altp2m_idx; /* OUT */
};

struct xen_hvm_altp2m_set_visibility
{
    uint16_t altp2m_idx;
    uint8_t visible;
    uint8_t pad;
};
XEN_ABI_SIZE(struct xen_hvm_altp2m_set_visibility, 4);

struct xen_hvm_altp2m_op
{
    uint32_t version; /* HVMOP_ALTP2M_INTERFACE_VERSION */
    uint32_t cmd;     /* HVMOP_altp2m_* */
    domid_t domain;
    uint16_t pad1;
    uint32_t pad2;
    union
    {
        struct xen_hvm_altp2m_domain_state domain_state;
        struct xen_hvm_altp2m_vcpu_enable_notify enable_notify;
        struct xen_hvm_altp2m_view view;
        struct xen_hvm_altp2m_mem_access mem_access;
        struct xen_hvm_altp2m_change_gfn change_gfn;
        struct xen_hvm_altp2m_set_mem_access_multi set_mem_access_multi;
        struct xen_hvm_altp2m_suppress_ve suppress_ve;
        struct xen_hvm_altp2m_suppress_ve_multi suppress_ve_multi;
        struct xen_hvm_altp2m_vcpu_disable_notify disable_notify;
        struct xen_hvm_altp2m_get_vcpu_p2m_idx get_vcpu_p2m_idx;
        struct xen_hvm_altp2m_set_visibility set_visibility;
        uint8_t pad[64];
    } u;
};
typedef struct xen_hvm_altp2m_op xen_hvm_altp2m_op_t;
XEN_ABI_SIZE(struct xen_hvm_altp2m_op, 80);

#endif /* WREN_PUBLIC_HVM_HVM_OP_H */
