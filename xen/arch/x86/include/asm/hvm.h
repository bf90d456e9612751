/*
 * hvm.h - the vendor interface. VMX and SVM each provide one struct
 * vcpu_vendor_ops; hvm.c picks one at boot and owns everything above it:
 * the exit handlers for CPUID, MSRs, I/O, hypercalls, nested page faults,
 * HLT and shutdown are written once and see exits in the vendor-neutral
 * form below.
 */
#ifndef ASM_HVM_H
#define ASM_HVM_H

#include <xen/types.h>

struct vcpu;
struct domain;
struct vcpu_hvm_context;
struct cpuid_regs;

enum hvm_exit_reason
{
    HVM_EXIT_NONE, /* nothing to do (e.g. an interrupt was taken) */
    HVM_EXIT_CPUID,
    HVM_EXIT_MSR_READ,
    HVM_EXIT_MSR_WRITE,
    HVM_EXIT_IO,
    HVM_EXIT_HYPERCALL,
    HVM_EXIT_NPF,           /* second-stage fault or EPT violation */
    HVM_EXIT_NPF_MISCONFIG, /* EPT misconfiguration (lazy recalc, later) */
    HVM_EXIT_HLT,
    HVM_EXIT_XSETBV,        /* guest XCR write: checked, or #UD/#GP */
    HVM_EXIT_WBINVD,        /* WBINVD or INVD (done as WBINVD) */
    HVM_EXIT_RDTSC,         /* a guest TSC at another rate: computed */
    HVM_EXIT_RDTSCP,        /* the same, and TSC_AUX in ECX */
    HVM_EXIT_TRIPLE_FAULT,  /* guest shutdown / triple fault */
    HVM_EXIT_INVALID_STATE, /* VM entry refused the guest state */
    HVM_EXIT_UNHANDLED,     /* anything else: crash the domain, log raw */
};

struct hvm_exit
{
    enum hvm_exit_reason reason;
    uint64_t raw_reason;   /* vendor's own code, for logs */
    unsigned int insn_len; /* length of the exiting instruction, 0 if unknown */
    /* HVM_EXIT_IO */
    uint16_t io_port;
    uint8_t io_size; /* 1, 2, 4 */
    bool io_in, io_string, io_rep;
    /* HVM_EXIT_NPF */
    uint64_t gpa, gla;
    bool npf_read, npf_write, npf_exec, npf_present, npf_gla_valid;
    bool npf_guest_walk; /* the fault hit the guest's own page-table walk */
};

/* Guest register set beyond the GPRs, for CR3-walks and logs. */
struct hvm_guest_state
{
    uint64_t cr0, cr3, cr4, efer;
    uint16_t cs_sel;
    uint8_t cpl;
    bool long_mode; /* EFER.LMA and CS.L */
    bool cs_32;     /* CS.D/B: 32-bit default operand size (outside long mode) */
};

/* A segment or descriptor-table register as the HVM save record has it:
 * attributes packed as in public/hvm/hvm_vcpu.h (0: unusable). */
struct hvm_seg
{
    uint16_t sel;
    uint16_t ar;
    uint32_t limit;
    uint64_t base;
};

enum hvm_seg_index
{
    HVM_SEG_ES,
    HVM_SEG_CS,
    HVM_SEG_SS,
    HVM_SEG_DS,
    HVM_SEG_FS,
    HVM_SEG_GS,
    HVM_SEG_LDTR,
    HVM_SEG_TR,
    HVM_SEG_GDTR, /* sel and ar unused */
    HVM_SEG_IDTR,
    HVM_NR_SEGS
};

/* What the vendor structure holds of a vCPU's state, for the HVM save
 * record (save_cpu.c). CR0 and CR4 are the guest's view. */
struct hvm_vcpu_state
{
    uint64_t cr0, cr3, cr4, efer, dr7;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base; /* the SYSCALL MSRs */
    struct hvm_seg seg[HVM_NR_SEGS];
};

/* A segment register as the emulator checks it (emulate_seg.c): whether
 * it is usable, and its limit for selector checks. Indexes are
 * enum hvm_seg_index's. */
struct hvm_sreg
{
    uint64_t base;
    uint32_t limit;
    uint16_t sel; /* 0 for GDTR and IDTR */
    bool usable;  /* VMX's "unusable" clear; SVM's P bit (GDTR, IDTR: always) */
};

enum hvm_intr_type
{
    HVM_INTR_EXT, /* an external (maskable) interrupt, by vector */
    HVM_INTR_NMI,
};

struct vcpu_vendor_ops
{
    const char *name;
    const struct p2m_pte_ops *p2m_ops;
    /* Boot CPU, once: is the hardware there and usable? 0 or -ENODEV. */
    int (*probe)(void);
    /* Every CPU: VMXON / EFER.SVME and host save area. */
    int (*cpu_up)(unsigned int cpu);
    int (*vcpu_create)(struct vcpu *v);
    void (*vcpu_destroy)(struct vcpu *v);
    /* Reset to Xen's PVH entry state: 32-bit flat protected mode, paging off. */
    void (*vcpu_set_pvh_entry)(struct vcpu *v, uint32_t entry, uint32_t ebx);
    /* VCPUOP_initialise for HVM guests; 0 or -EINVAL if the context is bad. */
    int (*vcpu_set_hvm_context)(struct vcpu *v, const struct vcpu_hvm_context *ctx);
    /* Would vcpu_set_hvm_context accept ctx? The same checks, no change:
     * 0, -EINVAL or -EOPNOTSUPP. v is not running. */
    int (*vcpu_check_hvm_context)(struct vcpu *v, const struct vcpu_hvm_context *ctx);
    /* v's state beyond v->arch.regs, for XEN_DOMCTL_gethvmcontext. v is
     * not running. */
    void (*vcpu_save_state)(struct vcpu *v, struct hvm_vcpu_state *st);
    /* For XEN_DOMCTL_sethvmcontext, after vcpu_set_hvm_context gave v its
     * control registers: every segment and descriptor table, DR7 and the
     * SYSENTER MSRs of st (cr0..efer ignored), which save_cpu.c checked.
     * v is not running. */
    void (*vcpu_load_state)(struct vcpu *v, const struct hvm_vcpu_state *st);
    /* The guest's PAT of v, which is not running, for the MTRR record:
     * read it, or set a value vmsr.c checked. */
    uint64_t (*vcpu_get_pat)(struct vcpu *v);
    void (*vcpu_load_pat)(struct vcpu *v, uint64_t pat);
    /* Enter the guest and come back at the next exit, described in *exit.
     * v->arch.regs holds the GPRs, RIP and RFLAGS on both sides of the call.
     * Calls hvm_intr_assist() once host interrupts are held off. */
    void (*vcpu_run)(struct vcpu *v, struct hvm_exit *exit);
    void (*get_guest_state)(struct vcpu *v, struct hvm_guest_state *st);
    /* The guest's PAT (vmsr.c checked it), from its own MSR exit: the
     * vCPU is the one loaded on this CPU. */
    void (*set_guest_pat)(struct vcpu *v, uint64_t pat);
    /* Segment register seg's base (0 ES .. 5 GS, the sreg encoding), from
     * an exit handler of v (its VMCS/VMCB is the one loaded here). */
    uint64_t (*seg_base)(struct vcpu *v, unsigned int seg);
    /* Segment or descriptor-table register seg (HVM_SEG_*), likewise. */
    void (*get_seg)(struct vcpu *v, unsigned int seg, struct hvm_sreg *s);
    /* LMSW: CR0 bits 3:0 := src's (PE can be set, never cleared), from
     * an exit handler of v. No value of src can fault. */
    void (*lmsw)(struct vcpu *v, uint16_t src);
    /* A segment load checked by the emulator (emulate_desc.c): ES-GS,
     * LDTR or TR := s, ar packed as the save record has it; P clear
     * makes it unusable (its DPL kept: SS's is the CPL on VMX). */
    void (*set_seg)(struct vcpu *v, unsigned int seg, const struct hvm_seg *s);
    /* LGDT/LIDT: GDTR or IDTR (HVM_SEG_GDTR/_IDTR) := base, limit. */
    void (*set_dtr)(struct vcpu *v, unsigned int seg, uint64_t base, uint16_t limit);
    /* The guest's CR2 for a #PF about to be injected (vCPU loaded here). */
    void (*set_guest_cr2)(struct vcpu *v, uint64_t cr2);
    /* Inject an exception (vector, error code or -1) at the next entry. */
    void (*inject_exception)(struct vcpu *v, uint8_t vector, int32_t error_code);
    /* Deliver an interrupt at the next entry if the guest can take it now
     * (RFLAGS.IF or no NMI in progress, no STI/MOV-SS shadow, no event
     * already being injected): true. Otherwise false, and the next entry
     * opens the window that makes the guest exit as soon as it can. */
    bool (*inject_intr)(struct vcpu *v, enum hvm_intr_type type, uint8_t vector);
    /* A SIPI: real mode at CS selector cs_sel (base cs_sel << 4), IP 0.
     * v is not running. */
    void (*vcpu_set_real_mode)(struct vcpu *v, uint16_t cs_sel);
    /* The domain's p2m changed: drop cached translations on every CPU. */
    void (*flush_guest_tlbs)(struct domain *d);
    const struct logdirty_mech_ops *pml; /* page-modification logging; NULL: none */
    /* This CPU took a kick IPI (interrupts off): serve what other CPUs
     * wait for. NULL: nothing to do. */
    void (*kicked)(void);
};

extern struct vcpu_vendor_ops vmx_vendor_ops; /* its probe sets .pml */
extern const struct vcpu_vendor_ops svm_vendor_ops;
extern const struct vcpu_vendor_ops *hvm_vendor;

/* cpu_policy.c: the guest's CPUID leaf (its CR4 and XCR0 decide OSXSAVE
 * and the XSAVE size) and the CR4 bits that CPUID allows it. */
/* Xen's CPUID time leaf (base+3), subleaf sub (time.c). */
struct cpuid_regs hvm_time_cpuid_leaf(const struct domain *d, uint32_t sub);

/* CR0 after an LMSW of src: bits 3:0 loaded, PE kept if it was set. */
static inline uint64_t hvm_lmsw_cr0(uint64_t cr0, uint16_t src)
{
    return (cr0 & ~0xfULL) | (src & 0xf) | (cr0 & 1);
}
struct cpuid_regs hvm_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint64_t cr4,
                                  uint64_t xcr0);
uint64_t hvm_cr4_guest_ok(void);
void hvm_cpu_policy_show(void);
/* cr4_check.c: MOV to CR4's checks; 0 or -EINVAL (#GP). */
int hvm_cr4_write_check(uint64_t guest_ok, uint64_t old, uint64_t val, bool lma,
                        uint64_t cr3); /* boot: host and guest feature words */

/* The registers a 64-bit VCPUOP_initialise context gives (RFLAGS bit 1,
 * always set, included). */
struct vcpu_hvm_x86_64;
struct guest_regs hvm_regs_from_context64(const struct vcpu_hvm_x86_64 *r);

/* The guest's GPR n in ModRM / CR-qualification order (rAX, rCX, rDX, rBX,
 * rSP, rBP, rSI, rDI, r8-r15), from v->arch.regs. */
uint64_t hvm_read_gpr(struct vcpu *v, unsigned int n);

int hvm_init(void);                /* boot CPU: choose the vendor */
void hvm_cpu_up(unsigned int cpu); /* every CPU; panics if it fails */
void hvm_kicked(void);             /* the kick IPI handler, interrupts off */
void hvm_handle_exit(struct vcpu *v, const struct hvm_exit *exit);
/* An IOREQ server answered the access of exit (saved when it was sent):
 * finish the exit's instruction before the next entry (hvm.c). */
void hvm_ioreq_resume(struct vcpu *v, const struct hvm_exit *exit);
/* The access of exit waits for an IOREQ server: keep the exit for
 * hvm_ioreq_resume; RIP stays on the instruction. */
void hvm_ioreq_wait(struct vcpu *v, const struct hvm_exit *exit);
void hvm_handle_npf(struct vcpu *v, const struct hvm_exit *exit); /* npf.c */
/* npf.c: the guest's bytes at its RIP into buf[15], as many as are mapped. */
size_t hvm_fetch_insn(struct vcpu *v, uint8_t *buf);
/* pm_ports.c: the FADT's sleep control/status and reset ports; true if
 * the port is one of them (the access is then done). */
bool hvm_pm_port_write(struct vcpu *v, uint16_t port, unsigned int size, uint32_t val);
bool hvm_pm_port_read(struct vcpu *v, uint16_t port, unsigned int size, uint32_t *val);
/* A byte the guest wrote to port 0xE9, rate-limited per domain (debugcon.c). */
void hvm_debugcon_write(struct domain *d, char c);

/* svm/stress.c: "svm_stress=N" replaces the domains by N entries per CPU
 * into a private one-instruction guest (an emulator test, not a feature). */
paddr_t svm_host_area(unsigned int cpu);
bool svm_stress_enabled(void);
__noreturn void svm_stress_cpu(unsigned int cpu);

/* vcpu_load.c: per-CPU counts for XEN_SYSCTL_wren_vcpu_load. Count with
 * interrupts off (or in an interrupt handler) on the CPU that did it. */
enum hvm_load_event
{
    HVM_LOAD_ENTRY,
    HVM_LOAD_VMLAUNCH,
    HVM_LOAD_VMRESUME,
    HVM_LOAD_VMPTRLD,
    HVM_LOAD_VMCLEAR,
    HVM_LOAD_REMOTE_CLEAR,
    HVM_LOAD_ASID_ALLOC,
    HVM_LOAD_ASID_ROLLOVER,
    HVM_LOAD_TLB_FLUSH_ALL,
    HVM_LOAD_NR
};
struct xen_sysctl_wren_vcpu_load;
void hvm_load_count(enum hvm_load_event e);
/* Two events counted as one update: a reader sees both or neither. */
void hvm_load_count2(enum hvm_load_event a, enum hvm_load_event b);
void hvm_load_stats(struct xen_sysctl_wren_vcpu_load *out);

#endif /* ASM_HVM_H */
