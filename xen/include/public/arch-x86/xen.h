/*
 * public/arch-x86/xen.h - the x86-64 parts of shared_info and vcpu_info
 * (included by public/xen.h): the fields Xen's x86 ABI adds to each, 32
 * vcpu_info slots in shared_info, and the sizes public/xen.h checks.
 *
 * May not touch: nothing; it only declares.
 */
#ifndef WREN_PUBLIC_XEN_H
/* A part of public/xen.h, which includes it where it belongs: included
 * alone, it brings the whole of public/xen.h. */
#include "../xen.h"
#elif !defined(WREN_PUBLIC_ARCH_X86_XEN_H)
#define WREN_PUBLIC_ARCH_X86_XEN_H

struct arch_vcpu_info
{
    uint64_t cr2;
    uint64_t pad;
};
XEN_ABI_SIZE(struct arch_vcpu_info, 16);

struct arch_shared_info
{
    xen_ulong_t max_pfn;
    xen_pfn_t pfn_to_mfn_frame_list_list;
    xen_ulong_t nmi_reason;
    xen_ulong_t p2m_cr3;
    xen_ulong_t p2m_vaddr;
    xen_ulong_t p2m_generation;
};
XEN_ABI_SIZE(struct arch_shared_info, 48);

#define XEN_LEGACY_MAX_VCPUS 32

#define XEN_ABI_VCPU_INFO_SIZE 64
#define XEN_ABI_VCPU_INFO_TIME 32
#define XEN_ABI_SHINFO_PENDING 2048 /* 32 vcpu_infos */
#define XEN_ABI_SHINFO_SIZE    3136

#endif /* WREN_PUBLIC_ARCH_X86_XEN_H */
