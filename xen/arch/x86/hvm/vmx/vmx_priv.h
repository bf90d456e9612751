/*
 * vmx_priv.h - what the files of hvm/vmx/ share among themselves and
 * nobody else may use: the capabilities found at probe time, VMCS access,
 * the guest-state helpers and the assembly entry. Included by entry.S for
 * the register offsets only.
 *
 * Files: vmcs.c (CPU bring-up, VMCS creation, host state), guest.c (guest
 * register state: reset states, CR0/CR4 writes, the cached view),
 * vmx.c (entering the guest and describing exits), pml.c (page-
 * modification logging and the EPT A/D flags), altp2m.c (the EPTP list,
 * VMFUNC and #VE for altp2m views), selftest.c (debug).
 */
#ifndef HVM_VMX_PRIV_H
#define HVM_VMX_PRIV_H

/* Offsets in struct guest_regs (asm/vcpu_arch.h), checked in vmx.c. */
#define GREG_RAX 0
#define GREG_RBX 8
#define GREG_RCX 16
#define GREG_RDX 24
#define GREG_RSI 32
#define GREG_RDI 40
#define GREG_RBP 48
#define GREG_R8  64
#define GREG_R9  72
#define GREG_R10 80
#define GREG_R11 88
#define GREG_R12 96
#define GREG_R13 104
#define GREG_R14 112
#define GREG_R15 120

/* vmx_enter() results */
#define VMX_ENTER_EXITED       0 /* ran, and a VM exit brought us back */
#define VMX_ENTER_FAIL_VALID   1 /* VMfailValid: see VMCS_INSN_ERROR */
#define VMX_ENTER_FAIL_INVALID 2 /* VMfailInvalid: no current VMCS */

#ifndef __ASSEMBLY__

#include <xen/types.h>
#include <asm/vmx.h>

struct vcpu;
struct domain;
struct guest_regs;
struct vcpu_hvm_context;
struct hvm_guest_state;
struct logdirty_mech_ops;
struct p2m_domain;

/* Found by vmx_probe() on the boot CPU; read-only afterwards. */
struct vmx_caps
{
    uint32_t revision;
    uint32_t pin, proc, proc2, exit, entry; /* control values to write */
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
    uint64_t cr0_force1;         /* CR0 bits the guest cannot clear (not PE/PG) */
    uint64_t cr0_mask, cr4_mask; /* guest/host masks: bits we own */
    uint64_t cr4_guest_ok;       /* CR4 bits a guest may set */
    uint64_t ept_vpid;
    uint64_t misc;
    unsigned int maxphyaddr;
    uint32_t quantum; /* VMX-preemption timer value per entry, or 0 */
};
extern struct vmx_caps vmx_caps;

/* vmcs.c */
int vmx_probe(void);
int vmx_cpu_up(unsigned int cpu);
int vmcs_create(struct vcpu *v);
void vmcs_destroy(struct vcpu *v);
/* Make v's VMCS current on this CPU (interrupts off), first having the CPU
 * where it is active write it back if that is another one. It stays active
 * here until vmcs_unload() (VMCLEAR now, for one-off accesses), another
 * CPU's vmcs_load() or vmcs_drop(). */
void vmcs_load(struct vcpu *v);
void vmcs_unload(struct vcpu *v);
/* Write v's VMCS back wherever it is active; v must not be running. */
void vmcs_drop(struct vcpu *v);
/* The kick handler (interrupts off): a clear another CPU is waiting for. */
void vmcs_serve_clear_request(void);
uint64_t vmcs_read(uint64_t field);
void vmcs_write(uint64_t field, uint64_t val);
/* One field of a vCPU that is not running (loads and unloads the VMCS). */
uint64_t vmx_vcpu_vmread(struct vcpu *v, uint64_t field);

/* guest.c */
void vmx_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t ebx);
void vmx_set_real_mode(struct vcpu *v, uint16_t cs_sel);
int vmx_set_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *ctx);
int vmx_check_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *ctx);
struct hvm_vcpu_state;
void vmx_save_state(struct vcpu *v, struct hvm_vcpu_state *st);
void vmx_load_state(struct vcpu *v, const struct hvm_vcpu_state *st);
uint64_t vmx_vcpu_get_pat(struct vcpu *v);
void vmx_vcpu_load_pat(struct vcpu *v, uint64_t pat);
/* vmcs.c: an MSR of the per-vCPU save area (STAR .. KERNEL_GS_BASE,
 * TSC_AUX) of v, which is not running. */
uint64_t vmx_switched_msr(struct vcpu *v, uint32_t msr);
void vmx_set_switched_msr(struct vcpu *v, uint32_t msr, uint64_t val);
void vmx_get_guest_state(struct vcpu *v, struct hvm_guest_state *st);
void vmx_cache_guest_state(struct vcpu *v); /* VMCS loaded */
/* A MOV to CR0/CR4 exit (VMCS loaded): true if emulated (RIP advanced or a
 * fault queued), false if it was not one we intercept. */
bool vmx_cr_access(struct vcpu *v, unsigned int insn_len);
void vmx_lmsw(struct vcpu *v, uint16_t src);
void vmx_dump_guest_state(struct vcpu *v); /* VMCS loaded */

/* vmx.c */
void vmx_queue_exception(struct vcpu *v, uint8_t vector, int32_t error_code);
void vmx_flush_guest_tlbs(struct domain *d);

/* pml.c */
extern const struct logdirty_mech_ops vmx_pml_ops;
bool vmx_pml_probe(void);               /* boot CPU, after vmx_probe */
int vmx_pml_vcpu_init(struct vcpu *v);  /* vmcs_create */
void vmx_pml_vcpu_free(struct vcpu *v); /* vmcs_destroy */
/* Around every run, VMCS loaded: run_start before the EPTP is written
 * (true: the EPT A/D setting changed, flush cached translations), run_end
 * after the exit (drains the PML buffer). */
bool vmx_pml_run_start(struct vcpu *v);
void vmx_pml_run_end(struct vcpu *v);
void vmx_pml_full(struct vcpu *v); /* exit 62 */

/* altp2m.c: the EPTP list and VMFUNC, #VE */
uint64_t vmx_eptp_of(struct vcpu *v, struct p2m_domain *p2m); /* vmx.c */
void vmx_altp2m_probe(void);                                  /* boot CPU, after vmx_probe */
bool vmx_altp2m_has_vmfunc(void);
int vmx_altp2m_vcpu_init(struct vcpu *v);  /* vmcs_create */
void vmx_altp2m_vcpu_free(struct vcpu *v); /* vmcs_destroy */
/* On the way in (VMCS loaded, guest_cpu published, EPTP written): the
 * controls of this run and the EPTP index of view, the table entered. */
void vmx_altp2m_enter(struct vcpu *v, uint16_t view);
void vmx_altp2m_exit(struct vcpu *v);        /* first thing after an exit */
void vmx_altp2m_vmfunc_exit(struct vcpu *v); /* exit 59 */
void vmx_altp2m_flush(struct vcpu *v);       /* flush_if_stale: every EPTP in the list */

/* entry.S: run the guest with the GPRs in *regs until the next VM exit. */
int vmx_enter(struct guest_regs *regs, bool launched);
void vmx_exit_stub(void);

/* selftest.c: the vmx_selftest debug option, run from vmx_cpu_up(). */
void vmx_selftest(unsigned int cpu);

#endif /* __ASSEMBLY__ */
#endif /* HVM_VMX_PRIV_H */
