/*
 * vcpu_arch.h - the vendor-specific part of a vCPU, embedded in struct
 * vcpu. Only vmx/ and svm/ look inside; the union keeps both in one place.
 */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <xen/types.h>

struct vmx_vcpu {
    void *vmcs;                 /* 4 KiB VMCS region (direct-map pointer) */
    bool launched;              /* VMLAUNCH done, use VMRESUME */
    int last_cpu;               /* CPU the VMCS is loaded on, -1 if none */
    uint16_t vpid;
    uint64_t cr0_shadow, cr4_shadow;
    int32_t pending_vector;     /* -1: none */
    int32_t pending_error;
};

struct svm_vcpu {
    void *vmcb;                 /* 4 KiB VMCB (direct-map pointer) */
    uint32_t asid;
    int last_cpu;               /* CPU it last ran on: a move flushes the TLB */
    uint64_t flush_gen;         /* domain tlb_flush_gen last acted on */
    uint64_t guest_efer;        /* EFER as the guest sees it (no SVME) */
};

struct vcpu_arch {
    union {
        struct vmx_vcpu vmx;
        struct svm_vcpu svm;
    };
};

#endif /* ASM_VCPU_ARCH_H */
