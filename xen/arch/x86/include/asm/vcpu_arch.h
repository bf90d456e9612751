/*
 * vcpu_arch.h - the vendor-specific part of a vCPU, embedded in struct
 * vcpu. Only vmx/ and svm/ look inside; the union keeps both in one place.
 */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <xen/types.h>
#include <asm/vlapic.h>
#include <asm/hvm_msr.h>

/* General-purpose registers of a guest, as the exit handlers see them. */
struct guest_regs
{
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
};

struct vmx_vcpu
{
    void *vmcs;    /* 4 KiB VMCS region (direct-map pointer) */
    bool launched; /* VMLAUNCH done, use VMRESUME */
    int last_cpu;  /* CPU it last ran on (TLB tags there), -1 if none */
    uint16_t vpid;
    uint64_t cr0_shadow, cr4_shadow; /* read shadows: the guest's view of our bits */
    int32_t pending_vector;          /* -1: none */
    int32_t pending_error;
    /* Owned by hvm/vmx/ (see vmx_priv.h). */
    void *msr_area;         /* guest MSRs saved on exit, loaded on entry */
    void *vapic;            /* virtual-APIC page: the guest's CR8 lives here */
    int loaded_cpu;         /* CPU the VMCS is active on (vmcs.c), -1 if none */
    volatile int guest_cpu; /* CPU it is in guest mode on, -1 if none */
    uint64_t flush_gen;     /* domain tlb_flush_gen last acted on */
    uint64_t eptp;          /* EPTP of the last entry: its altp2m view's root */
    uint64_t last_rip;      /* guest RIP at the last exit */
    uint32_t reinject_info; /* event cut short by the last exit */
    uint32_t reinject_error, reinject_len;
    int32_t pending_intr; /* NMI or external interrupt to inject, or -1 */
    bool pending_intr_nmi;
    bool irq_window, nmi_window; /* exit when the guest can take one */
    uint32_t interruptibility;   /* guest interruptibility at the last exit */
    uint8_t vtpr;                /* TPR shadow (CR8) as loaded at the last entry */
    /* The guest's state at the last exit, for get_guest_state. */
    uint64_t cr0_hw, cr3, cr4_hw, efer;
    uint32_t cs_ar, ss_ar;
    uint16_t cs_sel;
    /* Page-modification logging and EPT A/D flags (vmx/pml.c). */
    uint64_t *pml_buf;      /* log-dirty wants PML into this buffer; NULL: off */
    uint64_t *pml_vmcs_buf; /* the buffer the VMCS logs into; NULL: PML off there */
    bool ad_wanted;         /* A/D harvest wants EPT A/D flags (no logging) */
    bool ept_ad;            /* the EPTP enables A/D flags */
    /* Odd from the start of a run's VMCS work until that run has drained
     * its PML buffer; even outside, when the buffer is empty. */
    uint64_t run_seq;
    /* altp2m views on VMX (vmx/altp2m.c). */
    uint64_t *eptp_list;      /* index = view; NULL: no VMFUNC on this CPU */
    uint32_t proc2;           /* secondary controls in the VMCS */
    uint16_t entry_view;      /* the EPTP index written at the last entry */
    uint64_t ve_maddr;        /* #VE information address in the VMCS, 0: off */
    uint64_t vmfunc_switches; /* view switches the guest made with VMFUNC */
};

struct svm_vcpu
{
    void *vmcb;                /* 4 KiB VMCB (direct-map pointer) */
    uint32_t asid;             /* on last_cpu, in generation asid_gen */
    uint64_t asid_gen;         /* svm.c: a CPU's ASIDs are recycled by generation */
    int last_cpu;              /* CPU it last ran on, -1: needs a fresh ASID */
    uint64_t flush_gen;        /* domain tlb_flush_gen last acted on */
    uint64_t guest_efer;       /* EFER as the guest sees it (no SVME) */
    volatile bool in_guest;    /* between reading the flush generation and #VMEXIT */
    volatile uint64_t entries; /* VMRUNs done, so a flusher sees progress */
    int vmcb_owner;            /* CPU between CLGI and STGI with this VMCB, or -1 */
    uint64_t last_rip;         /* guest RIP at the last exit: the shadow ends if it moves */
    bool nmi_masked;           /* an injected NMI's handler has not IRETed yet */
    bool irq_window;           /* V_IRQ + VINTR intercept at the next entry */
    uint8_t vtpr;              /* V_TPR (CR8) as loaded at the last entry */
    int16_t virq;              /* vector going in as a virtual interrupt, or -1 */
};

/* Room for the standard-format XSAVE image of every component fpu.c lets
 * a guest enable (x87, SSE, AVX, AVX-512: 2688 bytes); fpu.c drops
 * components whose image would not fit. */
#define XSAVE_AREA_SIZE 3072

struct hvm_exit;

struct vcpu_arch
{
    struct guest_regs regs; /* the GPRs, RIP and RFLAGS at the last exit */
    /* x87/SSE/AVX/AVX-512 state (XSAVE format, or FXSAVE where the CPU
     * has no XSAVE), switched around every run slice by fpu.c: the
     * hypervisor itself never touches these registers. */
    uint8_t xsave[XSAVE_AREA_SIZE] __attribute__((aligned(64)));
    uint64_t xcr0; /* the guest's XCR0 (fpu.c) */
    /* Debug registers VM entry and exit leave in the CPU (debugreg.c);
     * DR7 and DEBUGCTL live in the VMCS / VMCB. */
    uint64_t dr[4], dr6;
    uint64_t cr2;             /* cpu_state.c: VMX does not switch CR2 */
    uint64_t tsc_aux;         /* read by RDTSCP/RDPID; SVM loads it at entry */
    struct vlapic vlapic;     /* the emulated local APIC (hvm/vlapic.c) */
    uint8_t upcall_vector;    /* HVMOP_set_evtchn_upcall_vector; 0: none */
    struct hvm_msr_state msr; /* the MSRs vmsr.c virtualises */
    int16_t intr_from_lapic;  /* the last vector injected, if the vLAPIC's; -1 */
    /* The exit whose access waits for an IOREQ server: handled again
     * before the next entry once the answer is in (hvm_ioreq_resume). */
    struct hvm_exit *ioreq_exit;
    union
    {
        struct vmx_vcpu vmx;
        struct svm_vcpu svm;
    };
};

#endif /* ASM_VCPU_ARCH_H */
