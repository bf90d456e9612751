/* SPDX-License-Identifier: MIT */
/*
 * arch-x86/cpuid.h - the hypervisor CPUID leaves a guest uses to find Xen.
 *
 * The leaves start at XEN_CPUID_FIRST_LEAF, or at a multiple of 0x100
 * above it when another hypervisor's leaves (e.g. Viridian) sit first, so
 * guests scan in steps of 0x100 for the signature. Offsets below are from
 * that base. Values follow Xen's public ABI.
 *
 *  base+0: EAX = highest leaf; EBX:ECX:EDX = "XenVMMXenVMM".
 *  base+1: EAX = (major << 16) | minor version.
 *  base+2: EAX = number of hypercall pages; EBX = MSR to which the guest
 *          writes the guest-physical address of each hypercall page
 *          (page i: address | i); ECX = XEN_CPUID_FEAT1_* flags.
 *  base+3: time. Subleaf 0: EAX tsc flags, EBX tsc_mode, ECX guest TSC kHz,
 *          EDX incarnation. Subleaf 1: offset and tsc->ns scale.
 *          Subleaf 2: EAX host TSC kHz.
 *  base+4: HVM. EAX = XEN_HVM_CPUID_* flags; EBX = vCPU id when
 *          VCPU_ID_PRESENT; ECX = domain id when DOMID_PRESENT.
 *  base+5: PV only. EBX bits 7:0 = machine address width.
 */
#ifndef WREN_PUBLIC_ARCH_X86_CPUID_H
#define WREN_PUBLIC_ARCH_X86_CPUID_H

#define XEN_CPUID_FIRST_LEAF  0x40000000U
#define XEN_CPUID_LEAF(i)     (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_BASE_STRIDE 0x100U      /* where to look next */
#define XEN_CPUID_BASE_LIMIT  0x40010000U /* where to stop looking */

/* "XenVMMXenVMM" as three little-endian registers. */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558U /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4dU /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566eU /* "nVMM" */

/* base+2 ECX */
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD (1U << 0)

/* base+3 subleaf 0 EAX */
#define XEN_CPUID_TSC_EMULATED       (1U << 0)
#define XEN_CPUID_HOST_TSC_RELIABLE  (1U << 1)
#define XEN_CPUID_RDTSCP_INSTR_AVAIL (1U << 2)
/* base+3 subleaf 0 EBX */
#define XEN_CPUID_TSC_MODE_DEFAULT        0U
#define XEN_CPUID_TSC_MODE_ALWAYS_EMULATE 1U
#define XEN_CPUID_TSC_MODE_NEVER_EMULATE  2U
#define XEN_CPUID_TSC_MODE_PVRDTSCP       3U

/* base+4 EAX */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1U << 0) /* APIC registers virtualised */
#define XEN_HVM_CPUID_X2APIC_VIRT      (1U << 1) /* x2APIC MSRs virtualised */
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1U << 2) /* foreign maps in the IOMMU */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1U << 3) /* EBX holds the vCPU id */
#define XEN_HVM_CPUID_DOMID_PRESENT    (1U << 4) /* ECX holds the domain id */
#define XEN_HVM_CPUID_EXT_DEST_ID      (1U << 5) /* 15-bit MSI/IO-APIC dest */
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1U << 6) /* per-vCPU upcall vectors */

/* base+5 EBX */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK 0xffU

/* Highest offset from the base Xen defines. */
#define XEN_CPUID_MAX_NUM_LEAVES 5

#endif /* WREN_PUBLIC_ARCH_X86_CPUID_H */
