/* SPDX-License-Identifier: MIT */
/*
 * vm_event.h - events the hypervisor sends to a listener in another
 * domain (Xen's xen-access is the model): one shared page holding a ring
 * of requests (hypervisor -> listener) and responses (listener ->
 * hypervisor), in io/ring.h's layout, and an event channel each way.
 * Numbers and layouts are Xen's at VM_EVENT_INTERFACE_VERSION 7.
 *
 * The listener sets the ring up with XEN_DOMCTL_vm_event_op (domctl.h):
 * the ring is the frame the target's HVM_PARAM_MONITOR_RING_PFN names.
 * Wren sends VM_EVENT_REASON_MEM_ACCESS only (mem_access violations);
 * the other reasons and structures are here for the layout.
 */
#ifndef WREN_PUBLIC_VM_EVENT_H
#define WREN_PUBLIC_VM_EVENT_H

#include "xen.h"
#include "io/ring.h"

#define VM_EVENT_INTERFACE_VERSION 0x00000007

/* flags, in a request and in a response. */
#define VM_EVENT_FLAG_VCPU_PAUSED        (1U << 0) /* request: vCPU waits; response: let it go */
#define VM_EVENT_FLAG_FOREIGN            (1U << 1)
#define VM_EVENT_FLAG_EMULATE            (1U << 2)
#define VM_EVENT_FLAG_EMULATE_NOWRITE    (1U << 3)
#define VM_EVENT_FLAG_TOGGLE_SINGLESTEP  (1U << 4)
#define VM_EVENT_FLAG_SET_EMUL_READ_DATA (1U << 5)
#define VM_EVENT_FLAG_DENY               (1U << 6)
/* request: the access was made in view altp2m_idx; response: run the
 * vCPU on in view altp2m_idx. */
#define VM_EVENT_FLAG_ALTERNATE_P2M      (1U << 7)
#define VM_EVENT_FLAG_SET_REGISTERS      (1U << 8)
#define VM_EVENT_FLAG_SET_EMUL_INSN_DATA (1U << 9)
#define VM_EVENT_FLAG_GET_NEXT_INTERRUPT (1U << 10)
#define VM_EVENT_FLAG_FAST_SINGLESTEP    (1U << 11)
#define VM_EVENT_FLAG_NESTED_P2M         (1U << 12)

/* reason */
#define VM_EVENT_REASON_UNKNOWN             0
#define VM_EVENT_REASON_MEM_ACCESS          1
#define VM_EVENT_REASON_MEM_SHARING         2
#define VM_EVENT_REASON_MEM_PAGING          3
#define VM_EVENT_REASON_WRITE_CTRLREG       4
#define VM_EVENT_REASON_MOV_TO_MSR          5
#define VM_EVENT_REASON_SOFTWARE_BREAKPOINT 6
#define VM_EVENT_REASON_SINGLESTEP          7
#define VM_EVENT_REASON_GUEST_REQUEST       8
#define VM_EVENT_REASON_DEBUG_EXCEPTION     9
#define VM_EVENT_REASON_CPUID               10
#define VM_EVENT_REASON_PRIVILEGED_CALL     11
#define VM_EVENT_REASON_INTERRUPT           12
#define VM_EVENT_REASON_DESCRIPTOR_ACCESS   13
#define VM_EVENT_REASON_EMUL_UNIMPLEMENTED  14

/* mem_access.flags: what the faulting access was (any combination). */
#define MEM_ACCESS_R              (1U << 0)
#define MEM_ACCESS_W              (1U << 1)
#define MEM_ACCESS_X              (1U << 2)
#define MEM_ACCESS_RWX            (MEM_ACCESS_R | MEM_ACCESS_W | MEM_ACCESS_X)
#define MEM_ACCESS_RW             (MEM_ACCESS_R | MEM_ACCESS_W)
#define MEM_ACCESS_RX             (MEM_ACCESS_R | MEM_ACCESS_X)
#define MEM_ACCESS_WX             (MEM_ACCESS_W | MEM_ACCESS_X)
#define MEM_ACCESS_GLA_VALID      (1U << 3) /* gla holds the linear address */
#define MEM_ACCESS_FAULT_WITH_GLA (1U << 4) /* the access to gla itself faulted */
#define MEM_ACCESS_FAULT_IN_GPT   (1U << 5) /* the guest's page walk faulted */

struct vm_event_mem_access
{
    uint64_t gfn;
    uint64_t offset; /* of the access within the frame */
    uint64_t gla;    /* if MEM_ACCESS_GLA_VALID */
    uint32_t flags;  /* MEM_ACCESS_* */
    uint32_t _pad;
};
XEN_ABI_SIZE(struct vm_event_mem_access, 32);

struct vm_event_write_ctrlreg
{
    uint32_t index;
    uint32_t _pad;
    uint64_t new_value;
    uint64_t old_value;
};

struct vm_event_singlestep
{
    uint64_t gfn;
};

struct vm_event_fast_singlestep
{
    uint16_t p2midx;
};

struct vm_event_debug
{
    uint64_t gfn;
    uint64_t pending_dbg;
    uint32_t insn_length;
    uint8_t type;
    uint8_t _pad[3];
};

struct vm_event_mov_to_msr
{
    uint64_t msr;
    uint64_t new_value;
    uint64_t old_value;
};

struct vm_event_desc_access
{
    union
    {
        struct
        {
            uint32_t instr_info;
            uint32_t _pad1;
            uint64_t exit_qualification;
        } vmx;
    } arch;
    uint8_t descriptor;
    uint8_t is_write;
    uint8_t _pad[6];
};

struct vm_event_cpuid
{
    uint32_t insn_length;
    uint32_t leaf;
    uint32_t subleaf;
    uint32_t _pad;
};

struct vm_event_interrupt_x86
{
    uint32_t vector;
    uint32_t type;
    uint32_t error_code;
    uint32_t _pad;
    uint64_t cr2;
};

struct vm_event_paging
{
    uint64_t gfn;
    uint32_t p2mt;
    uint32_t flags;
};

struct vm_event_sharing
{
    uint64_t gfn;
    uint32_t p2mt;
    uint32_t _pad;
};

/* A segment's limit (20 bits) and attributes (12 bits). */
struct vm_event_x86_selector_reg
{
    uint32_t limit : 20;
    uint32_t ar : 12;
};

struct vm_event_regs_x86
{
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rflags, dr6, dr7, rip;
    uint64_t cr0, cr2, cr3, cr4;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t msr_efer, msr_star, msr_lstar;
    uint64_t gdtr_base;
    uint64_t npt_base; /* interface version 7 */
    uint32_t cs_base, ss_base, ds_base, es_base;
    uint64_t fs_base, gs_base;
    struct vm_event_x86_selector_reg cs, ss, ds, es, fs, gs;
    uint64_t shadow_gs;
    uint16_t gdtr_limit;
    uint16_t cs_sel, ss_sel, ds_sel, es_sel, fs_sel, gs_sel;
    uint16_t _pad;
};
XEN_ABI_OFFSET(struct vm_event_regs_x86, cs_base, 256);
XEN_ABI_OFFSET(struct vm_event_regs_x86, shadow_gs, 312);
XEN_ABI_SIZE(struct vm_event_regs_x86, 336);

struct vm_event_regs_arm
{
    uint64_t ttbr0, ttbr1, ttbcr, pc;
    uint32_t cpsr;
    uint32_t _pad;
};

struct vm_event_emul_read_data
{
    uint32_t size;
    uint8_t data[sizeof(struct vm_event_regs_x86) - sizeof(uint32_t)];
};

struct vm_event_emul_insn_data
{
    uint8_t data[16];
};

typedef struct vm_event_st
{
    uint32_t version; /* VM_EVENT_INTERFACE_VERSION */
    uint32_t flags;   /* VM_EVENT_FLAG_* */
    uint32_t reason;  /* VM_EVENT_REASON_* */
    uint32_t vcpu_id;
    uint16_t altp2m_idx; /* with VM_EVENT_FLAG_ALTERNATE_P2M */
    uint16_t _pad[3];
    union
    {
        struct vm_event_paging mem_paging;
        struct vm_event_sharing mem_sharing;
        struct vm_event_mem_access mem_access;
        struct vm_event_write_ctrlreg write_ctrlreg;
        struct vm_event_mov_to_msr mov_to_msr;
        struct vm_event_desc_access desc_access;
        struct vm_event_singlestep singlestep;
        struct vm_event_fast_singlestep fast_singlestep;
        struct vm_event_debug software_breakpoint;
        struct vm_event_debug debug_exception;
        struct vm_event_cpuid cpuid;
        union
        {
            struct vm_event_interrupt_x86 x86;
        } interrupt;
    } u;
    union
    {
        union
        {
            struct vm_event_regs_x86 x86;
            struct vm_event_regs_arm arm;
        } regs;
        union
        {
            struct vm_event_emul_read_data read;
            struct vm_event_emul_insn_data insn;
        } emul;
    } data;
} vm_event_request_t, vm_event_response_t;
XEN_ABI_OFFSET(struct vm_event_st, u, 24);
XEN_ABI_OFFSET(struct vm_event_st, data, 56);
XEN_ABI_SIZE(struct vm_event_st, 392);

DEFINE_RING_TYPES(vm_event, vm_event_request_t, vm_event_response_t);

/* 64 bytes of indexes, then (4096 - 64) / 392 rounded down to a power
 * of two: 8 entries in a page. */
#define VM_EVENT_RING_ENTRIES 8

#endif /* WREN_PUBLIC_VM_EVENT_H */
