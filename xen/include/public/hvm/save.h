/* SPDX-License-Identifier: MIT */
/*
 * hvm/save.h - the HVM context format: the records XEN_DOMCTL_gethvmcontext
 * returns and XEN_DOMCTL_sethvmcontext takes (Xen's public/hvm/save.h and
 * arch-x86/hvm/save.h; numbers and layouts are Xen's, so a Xen-era
 * toolstack's buffers line up).
 *
 * A context is a sequence of records, each a struct hvm_save_descriptor
 * followed by `length` bytes of the record: first a HEADER, then records
 * of any type in any order (CPU once per vCPU, instance = vCPU id), last
 * an END. Save/restore (issue 12) adds further typecodes here.
 *
 * Only definitions: no code, nothing the hypervisor does with them.
 */
#ifndef WREN_PUBLIC_HVM_SAVE_H
#define WREN_PUBLIC_HVM_SAVE_H

#include "../xen.h"

struct hvm_save_descriptor
{
    uint16_t typecode; /* HVM_SAVE_CODE_* */
    uint16_t instance; /* which one of this type (CPU: the vCPU id) */
    uint32_t length;   /* bytes of record after this descriptor */
};
XEN_ABI_SIZE(struct hvm_save_descriptor, 8);

/* HVM_SAVE_CODE(CPU) and HVM_SAVE_LENGTH(CPU), as Xen spells them. */
#define HVM_SAVE_CODE(x)   HVM_SAVE_CODE_##x
#define HVM_SAVE_LENGTH(x) HVM_SAVE_LENGTH_##x

/* --- END (0): the last record; no body ---------------------------------- */

#define HVM_SAVE_CODE_END   0
#define HVM_SAVE_LENGTH_END 0

/* --- HEADER (1): the first record --------------------------------------- */

#define HVM_FILE_MAGIC   0x54381286U
#define HVM_FILE_VERSION 0x00000001U

struct hvm_save_header
{
    uint32_t magic;     /* HVM_FILE_MAGIC */
    uint32_t version;   /* HVM_FILE_VERSION */
    uint64_t changeset; /* the saving hypervisor's build; informational */
    uint32_t cpuid;     /* CPUID leaf 1 EAX of the saving machine */
    uint32_t gtsc_khz;  /* the guest's TSC rate, kHz (0: not known) */
};
XEN_ABI_SIZE(struct hvm_save_header, 24);

#define HVM_SAVE_CODE_HEADER   1
#define HVM_SAVE_LENGTH_HEADER 24

/* --- CPU (2): one per vCPU ---------------------------------------------- */

/* hvm_hw_cpu.flags */
#define XEN_X86_FPU_INITIALISED (1U << 0)

/*
 * Segment attributes (*_arbytes) are packed as in hvm_vcpu.h: bits 3:0
 * type, 4 S, 6:5 DPL, 7 P, 8 AVL, 9 L, 10 D/B, 11 G; 0 for an unusable
 * (null) segment. pending_event: bits 7:0 vector, 10:8 type, 11 error
 * code valid, 31 valid.
 */
struct hvm_hw_cpu
{
    uint8_t fpu_regs[512]; /* FXSAVE image */

    uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip;
    uint64_t rflags;

    uint64_t cr0, cr2, cr3, cr4;
    uint64_t dr0, dr1, dr2, dr3, dr6, dr7;

    uint32_t cs_sel, ds_sel, es_sel, fs_sel, gs_sel, ss_sel, tr_sel, ldtr_sel;
    uint32_t cs_limit, ds_limit, es_limit, fs_limit, gs_limit, ss_limit, tr_limit, ldtr_limit;
    uint32_t idtr_limit, gdtr_limit;
    uint64_t cs_base, ds_base, es_base, fs_base, gs_base, ss_base, tr_base, ldtr_base;
    uint64_t idtr_base, gdtr_base;
    uint32_t cs_arbytes, ds_arbytes, es_arbytes, fs_arbytes, gs_arbytes, ss_arbytes;
    uint32_t tr_arbytes, ldtr_arbytes;

    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t shadow_gs; /* KERNEL_GS_BASE */

    uint64_t msr_flags; /* obsolete, ignored */
    uint64_t msr_lstar, msr_star, msr_cstar, msr_syscall_mask;
    uint64_t msr_efer;
    uint64_t msr_tsc_aux;

    uint64_t tsc; /* what RDTSC would return in the guest */

    uint32_t pending_event; /* an event being delivered, see above */
    uint32_t error_code;    /* its error code */

    uint32_t flags; /* XEN_X86_FPU_INITIALISED */
    uint32_t pad0;
};
XEN_ABI_OFFSET(struct hvm_hw_cpu, rax, 512);
XEN_ABI_OFFSET(struct hvm_hw_cpu, rip, 640);
XEN_ABI_OFFSET(struct hvm_hw_cpu, cr0, 656);
XEN_ABI_OFFSET(struct hvm_hw_cpu, cs_sel, 736);
XEN_ABI_OFFSET(struct hvm_hw_cpu, cs_limit, 768);
XEN_ABI_OFFSET(struct hvm_hw_cpu, cs_base, 808);
XEN_ABI_OFFSET(struct hvm_hw_cpu, cs_arbytes, 888);
XEN_ABI_OFFSET(struct hvm_hw_cpu, sysenter_cs, 920);
XEN_ABI_OFFSET(struct hvm_hw_cpu, msr_efer, 992);
XEN_ABI_OFFSET(struct hvm_hw_cpu, tsc, 1008);
XEN_ABI_OFFSET(struct hvm_hw_cpu, pending_event, 1016);
XEN_ABI_OFFSET(struct hvm_hw_cpu, flags, 1024);
XEN_ABI_SIZE(struct hvm_hw_cpu, 1032);

#define HVM_SAVE_CODE_CPU   2
#define HVM_SAVE_LENGTH_CPU 1032

/* --- LAPIC (5): the local APIC's state beyond its registers, per vCPU --- */

#define VLAPIC_SW_DISABLED 0x1 /* SVR's enable bit clear */
#define VLAPIC_HW_DISABLED 0x2 /* MSR_APIC_BASE's enable bit clear */

struct hvm_hw_lapic
{
    uint64_t apic_base_msr; /* MSR_IA32_APIC_BASE */
    uint32_t disabled;      /* VLAPIC_*_DISABLED */
    uint32_t timer_divisor; /* 1..128, from the divide configuration */
    uint64_t tdt_msr;       /* IA32_TSC_DEADLINE; 0: disarmed */
};
XEN_ABI_SIZE(struct hvm_hw_lapic, 24);

#define HVM_SAVE_CODE_LAPIC   5
#define HVM_SAVE_LENGTH_LAPIC 24

/* --- LAPIC_REGS (6): the register page, per vCPU ------------------------- */

/* Each register at its MMIO offset (0x20 ID ... 0x3e0 divide
 * configuration); 0x390 holds the current count when saved, from which
 * the timer runs on after a load. */
struct hvm_hw_lapic_regs
{
    uint8_t data[1024];
};
XEN_ABI_SIZE(struct hvm_hw_lapic_regs, 1024);

#define HVM_SAVE_CODE_LAPIC_REGS   6
#define HVM_SAVE_LENGTH_LAPIC_REGS 1024

/* --- MTRR (14): PAT and the MTRRs, per vCPU ------------------------------ */

#define MTRR_VCNT     8  /* variable ranges */
#define NUM_FIXED_MSR 11 /* 64K_00000, 16K_80000/A0000, 4K_C0000..F8000 */

struct hvm_hw_mtrr
{
    uint64_t msr_pat_cr;                  /* IA32_PAT */
    uint64_t msr_mtrr_var[MTRR_VCNT * 2]; /* PHYSBASE, PHYSMASK pairs */
    uint64_t msr_mtrr_fixed[NUM_FIXED_MSR];
    uint64_t msr_mtrr_cap; /* MTRRcap: VCNT in 7:0 */
    uint64_t msr_mtrr_def_type;
};
XEN_ABI_SIZE(struct hvm_hw_mtrr, 240);

#define HVM_SAVE_CODE_MTRR   14
#define HVM_SAVE_LENGTH_MTRR 240

/* --- CPU_XSAVE (16): the XSAVE state, per vCPU; variable length --------
 *
 * The 24 bytes below, then the vCPU's XSAVE image in the standard
 * (uncompacted) format, as long as the components of xcr0_accum need on
 * the saving CPU (the legacy region and header at least: 576 bytes). The
 * legacy region repeats the CPU record's FXSAVE image; this one wins. */
struct hvm_hw_cpu_xsave_hdr
{
    uint64_t xstate_bv; /* components not in their init state */
    uint64_t xcomp_bv;  /* 0: standard format */
    uint64_t reserved[6];
};
XEN_ABI_SIZE(struct hvm_hw_cpu_xsave_hdr, 64);

struct hvm_hw_cpu_xsave
{
    uint64_t xfeature_mask; /* what the saving host offered; ignored on load */
    uint64_t xcr0;          /* the guest's XCR0 */
    uint64_t xcr0_accum;    /* every component the guest's XCR0 ever held */
    struct
    {
        uint8_t fpu_sse[512]; /* the FXSAVE-format legacy region */
        struct hvm_hw_cpu_xsave_hdr xsave_hdr;
        /* the extended components follow, at CPUID 0xD's offsets */
    } save_area;
};
XEN_ABI_OFFSET(struct hvm_hw_cpu_xsave, save_area, 24);
XEN_ABI_SIZE(struct hvm_hw_cpu_xsave, 600);

#define HVM_SAVE_CODE_CPU_XSAVE 16
/* The shortest record: no extended component. */
#define HVM_SAVE_LENGTH_CPU_XSAVE_MIN 600

/* --- VMCE_VCPU (18): the guest's machine-check capabilities, per vCPU ---- */

struct hvm_vmce_vcpu
{
    uint64_t caps;           /* MCG_CAP as the guest read it */
    uint64_t mci_ctl2_bank0; /* Intel's MC0_CTL2 (CMCI) */
    uint64_t mci_ctl2_bank1;
    uint64_t mcg_ext_ctl; /* MCG_EXT_CTL (LMCE); 0 without MCG_LMCE_P */
};
XEN_ABI_SIZE(struct hvm_vmce_vcpu, 32);

#define HVM_SAVE_CODE_VMCE_VCPU   18
#define HVM_SAVE_LENGTH_VMCE_VCPU 32

/* --- WREN_VCPU_TIMERS (0x5772): Wren's own, per vCPU ----------------------
 *
 * The VCPUOP singleshot and periodic timers, which Xen's context does not
 * carry, as absolute system times (NOW(), ns): 0 when not armed. A typecode
 * far above Xen's so that neither reads the other's. */
struct hvm_wren_vcpu_timers
{
    uint64_t singleshot; /* expiry; 0: not armed */
    uint64_t periodic;   /* next expiry; 0: not armed */
    uint64_t period;     /* ns; non-zero exactly when periodic is */
};
XEN_ABI_SIZE(struct hvm_wren_vcpu_timers, 24);

#define HVM_SAVE_CODE_WREN_VCPU_TIMERS   0x5772
#define HVM_SAVE_LENGTH_WREN_VCPU_TIMERS 24

/* --- WREN_VMCE_PENDING (0x5773): Wren's own, per vCPU ---------------------
 *
 * What Xen's VMCE_VCPU leaves out: MCG_STATUS and the two banks' STATUS,
 * ADDR (guest-physical) and MISC as the guest would read them, and
 * whether a vMCE was queued for the vCPU and not yet delivered (the
 * frame broke while the guest was stopped, e.g. for a migration's final
 * round). A PENDING vMCE is delivered at the vCPU's first entry after
 * the load; its page must be broken in the loading domain
 * (docs/designs/vmce.md, "Across a migration"). */
#define HVM_WREN_VMCE_PENDING (1U << 0) /* a vMCE waits for delivery */
#define HVM_WREN_VMCE_NESTED  (1U << 1) /* ... queued while MCIP was set */

struct hvm_wren_vmce_pending
{
    uint32_t flags; /* HVM_WREN_VMCE_* */
    uint32_t pad;   /* 0 */
    uint64_t mcg_status;
    struct
    {
        uint64_t status, addr, misc;
    } bank[2];
};
XEN_ABI_SIZE(struct hvm_wren_vmce_pending, 64);

#define HVM_SAVE_CODE_WREN_VMCE_PENDING   0x5773
#define HVM_SAVE_LENGTH_WREN_VMCE_PENDING 64

#endif /* WREN_PUBLIC_HVM_SAVE_H */
