/* SPDX-License-Identifier: MIT */
/*
 * hvm/hvm_vcpu.h - initial register state for an HVM/PVH vCPU.
 *
 * The argument of VCPUOP_initialise for HVM and PVH domains. 'mode'
 * picks which half of the union is read. In 64-bit mode the vCPU starts
 * in long mode with flat segments derived by the hypervisor; cr0, cr3,
 * cr4 and efer must describe a valid long-mode state (PE, PG, PAE, LME,
 * LMA). In 32-bit mode the segment bases, limits and attributes are taken
 * as given. Layout follows Xen's public ABI.
 *
 * Segment attribute (_ar) fields: bits 3:0 type, 4 S, 6:5 DPL, 7 P,
 * 8 AVL, 9 L, 10 D/B, 11 G; bits 15:12 must be zero. That is descriptor
 * bits 40..55 with the limit 19:16 nibble removed.
 */
#ifndef WREN_PUBLIC_HVM_HVM_VCPU_H
#define WREN_PUBLIC_HVM_HVM_VCPU_H

#include "../xen.h"

struct vcpu_hvm_x86_32
{
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t eip;
    uint32_t eflags;
    uint32_t cr0;
    uint32_t cr3;
    uint32_t cr4;
    uint32_t pad1;
    uint64_t efer; /* NXE, or LME/LMA for compatibility mode */
    uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
    uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
    uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
    uint16_t pad2[3];
};
XEN_ABI_SIZE(struct vcpu_hvm_x86_32, 120);
XEN_ABI_OFFSET(struct vcpu_hvm_x86_32, efer, 56);
XEN_ABI_OFFSET(struct vcpu_hvm_x86_32, cs_ar, 104);

struct vcpu_hvm_x86_64
{
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    uint64_t rip;
    uint64_t rflags;
    uint64_t cr0;
    uint64_t cr3;
    uint64_t cr4;
    uint64_t efer;
};
XEN_ABI_SIZE(struct vcpu_hvm_x86_64, 112);

#define VCPU_HVM_MODE_32B 0 /* read cpu_regs.x86_32 */
#define VCPU_HVM_MODE_64B 1 /* read cpu_regs.x86_64 */

struct vcpu_hvm_context
{
    uint32_t mode; /* VCPU_HVM_MODE_* */
    uint32_t pad;
    union
    {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};
typedef struct vcpu_hvm_context vcpu_hvm_context_t;
XEN_ABI_SIZE(struct vcpu_hvm_context, 128);

#endif /* WREN_PUBLIC_HVM_HVM_VCPU_H */
