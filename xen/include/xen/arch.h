/*
 * arch.h - every hook common code calls into the architecture, and when.
 * Common code (xen/common/) reaches the hardware only through these and
 * through the backend a p2m is given (struct p2m_pte_ops); it names no
 * register, instruction or vendor. Each architecture implements all of
 * them (x86: xen/arch/x86/arch.c, cpu_state.c, hvm/hvm.c).
 *
 * Unless said otherwise a hook may sleep-wait (spin) but takes no lock of
 * the caller's: call them with no lock held after `domain` in
 * xen/include/xen/lock-order.h.
 */
#ifndef XEN_ARCH_H
#define XEN_ARCH_H

#include <xen/types.h>

struct vcpu;
struct domain;
struct p2m_pte_ops;
struct logdirty_mech_ops;
struct vcpu_hvm_context;
struct xen_sysctl_wren_vcpu_load;
struct hvm_hw_cpu;

/* ---- vCPUs ---- */

/* vcpu_create, after the common fields are set: the vCPU's power-on
 * register state and its hardware control structure. 0 or -ENOMEM. */
int arch_vcpu_create(struct vcpu *v);
/* The vCPU is stopped for good (no CPU runs it): free what create made. */
void arch_vcpu_destroy(struct vcpu *v);
/* VCPUOP_initialise: the register state the guest asks for. 0, or
 * -EINVAL (a state the hardware would refuse) / -EOPNOTSUPP, with
 * nothing changed. Called with d->lock held, v not running. */
int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx);
/* XEN_DOMCTL_setvcpucontext: the architecture's struct
 * vcpu_guest_context at guest address ctxt (copied and checked here:
 * 0, -EFAULT, -EINVAL for a state the guest may not start in, or
 * -EOPNOTSUPP where the domain builder uses the HVM context). Called
 * with d->lock held, v down and not running; *online: the caller is to
 * bring v up. */
int arch_vcpu_set_guest_context(struct vcpu *v, uint64_t ctxt, bool *online);

/* The per-vCPU HVM context records this arch saves, in save order
 * (struct hvm_record_type, xen/hvm_save.h; x86: hvm/save_records.c, the
 * hooks below; arm64: save.c); *nr set to their number. Any context. */
struct hvm_record_type;
const struct hvm_record_type *arch_hvm_records(unsigned int *nr);

/* The HVM context's CPU record (public/hvm/save.h) of v, which no CPU
 * runs (x86: hvm/save_cpu.c). save: fill *r. check: would load accept
 * r? 0 or -EINVAL / -EOPNOTSUPP, nothing changed (the checks are
 * VCPUOP_initialise's). load: apply r, with d->lock held. */
void arch_hvm_cpu_save(struct vcpu *v, struct hvm_hw_cpu *r);
int arch_hvm_cpu_check(struct vcpu *v, const struct hvm_hw_cpu *r);
int arch_hvm_cpu_load(struct vcpu *v, const struct hvm_hw_cpu *r);
/* The same three for the LAPIC (5) and LAPIC_REGS (6) records (x86:
 * hvm/vlapic_save.c); a loaded timer runs on from where it was saved. */
struct hvm_hw_lapic;
struct hvm_hw_lapic_regs;
void arch_hvm_lapic_save(struct vcpu *v, struct hvm_hw_lapic *r);
int arch_hvm_lapic_check(struct vcpu *v, const struct hvm_hw_lapic *r);
int arch_hvm_lapic_load(struct vcpu *v, const struct hvm_hw_lapic *r);
void arch_hvm_lapic_regs_save(struct vcpu *v, struct hvm_hw_lapic_regs *r);
int arch_hvm_lapic_regs_check(struct vcpu *v, const struct hvm_hw_lapic_regs *r);
int arch_hvm_lapic_regs_load(struct vcpu *v, const struct hvm_hw_lapic_regs *r);
/* And for the MTRR record (14: PAT and the MTRRs; x86: hvm/vmsr.c). */
struct hvm_hw_mtrr;
void arch_hvm_mtrr_save(struct vcpu *v, struct hvm_hw_mtrr *r);
int arch_hvm_mtrr_check(struct vcpu *v, const struct hvm_hw_mtrr *r);
int arch_hvm_mtrr_load(struct vcpu *v, const struct hvm_hw_mtrr *r);
/* The machine-check records: Xen's VMCE_VCPU (18: MCG_CAP, the CTL2s)
 * and Wren's WREN_VMCE_PENDING (0x5773: MCG_STATUS, the banks, a vMCE
 * not yet delivered, which load arms for the vCPU's first entry; its
 * page must be p2m_ram_broken in v's domain). x86: hvm/vmsr.c. */
struct hvm_vmce_vcpu;
struct hvm_wren_vmce_pending;
void arch_hvm_vmce_save(struct vcpu *v, struct hvm_vmce_vcpu *r);
int arch_hvm_vmce_check(struct vcpu *v, const struct hvm_vmce_vcpu *r);
int arch_hvm_vmce_load(struct vcpu *v, const struct hvm_vmce_vcpu *r);
void arch_hvm_vmce_pending_save(struct vcpu *v, struct hvm_wren_vmce_pending *r);
int arch_hvm_vmce_pending_check(struct vcpu *v, const struct hvm_wren_vmce_pending *r);
int arch_hvm_vmce_pending_load(struct vcpu *v, const struct hvm_wren_vmce_pending *r);
/* CPU_XSAVE (16), variable length (x86: fpu.c): max is the length every
 * record of this host has (0: the CPU has no XSAVE, no record); save
 * returns the length written; check and load take the record's. */
struct hvm_hw_cpu_xsave;
uint32_t arch_hvm_xsave_max(void);
uint32_t arch_hvm_xsave_save(struct vcpu *v, struct hvm_hw_cpu_xsave *r);
int arch_hvm_xsave_check(struct vcpu *v, const struct hvm_hw_cpu_xsave *r, uint32_t len);
int arch_hvm_xsave_load(struct vcpu *v, const struct hvm_hw_cpu_xsave *r, uint32_t len);

/* The scheduler, on the CPU that runs v: switch_in before v's slice,
 * run_once as often as v stays runnable (enter the guest, handle one
 * exit), switch_out after. */
void arch_vcpu_switch_in(struct vcpu *v);
void arch_vcpu_run_once(struct vcpu *v);
void arch_vcpu_switch_out(struct vcpu *v);

/* ---- time ---- */

/* The free-running cycle counter NOW() is built on (x86: the TSC, which
 * guests read unchanged: no offset, no scaling), and its rate in Hz as
 * calibrated at boot. Any context. */
uint64_t arch_cycles(void);
uint64_t arch_cycles_hz(void);
/* This CPU's timer interrupt (timer_softirq) once, ns from now (> 0);
 * replaces the previous setting. Interrupts off. */
void arch_timer_program(int64_t ns);
/* Does the cycle counter keep one constant rate whatever the CPU does
 * (x86: invariant TSC)? Then guests may be told their clock is stable. */
bool arch_cycles_invariant(void);
/* Wall-clock time at this moment, seconds since 1970 (UTC), from the
 * battery-backed clock; 0 if it reads as nonsense. Boot only (slow). */
uint64_t arch_wallclock_seconds(void);

/* ---- events ---- */

/* v's vcpu_info evtchn_upcall_pending was just set (0 -> 1), or an unmask
 * or a newly registered vcpu_info re-raised it: deliver the upcall the way
 * the guest asked (HVM_PARAM_CALLBACK_IRQ vector, per-vCPU
 * HVMOP_set_evtchn_upcall_vector) and make v notice: wake it if blocked,
 * kick its CPU if it is in guest mode. Any context, interrupts off, locks
 * up to `evtchn_queue` held. */
void arch_evtchn_inject(struct vcpu *v);
/* Would v take an interrupt now (an NMI, or with interrupts enabled a
 * maskable one)? vcpu_block's last look before v sleeps. Any context. */
bool arch_vcpu_intr_pending(struct vcpu *v);

/* ---- second stage ---- */

/* The table format every domain's p2m uses on this machine. */
const struct p2m_pte_ops *arch_p2m_ops(void);
/* d's p2m changed: every CPU drops the translations it caches for d
 * before this returns. Called with the p2m lock held (p2m->flush_tlbs):
 * must not wait for a CPU that may spin on it with interrupts off. */
void arch_flush_guest_tlbs(struct domain *d);
/* A hardware log of written guest frames (Intel PML), or NULL. */
const struct logdirty_mech_ops *arch_logdirty_hw_log(void);
/* The guest-physical address width a new domain gets. */
unsigned int arch_gpaddr_bits(void);
/* XENVER_capabilities: the guest kinds this hypervisor runs, in Xen's
 * words (what `xl info` shows as xen_caps). */
const char *arch_xen_capabilities(void);
/* Xen's build for this architecture has no hypercall nr (asked with cmd
 * HC_NO_CMD), or no sub-op cmd of the hypercall nr that dispatches on
 * it: the dispatchers then answer as for a number they do not know
 * (-ENOSYS), before reading any argument, whatever the common tables
 * offer (arm64: x86's machine checks, memory map and HVMOPs). Any
 * context, no lock. */
#define HC_NO_CMD (~0ULL)
bool arch_hypercall_absent(uint64_t nr, uint64_t cmd);

/* ---- counters ---- */

/* XEN_SYSCTL_wren_vcpu_load: what making vCPUs ready to enter cost so
 * far, summed over CPUs (a racy snapshot); fields for hardware this
 * architecture does not have are 0. */
void arch_vcpu_load_stats(struct xen_sysctl_wren_vcpu_load *out);

/* ---- the two-machine link ---- */

/* At boot, before dom0 is built: the shared memory of the machine's
 * inter-VM link device, if it has one (x86: QEMU's ivshmem on PCI bus 0,
 * arch/x86/ivshmem.c). false: no device, or none usable (logged). */
bool arch_link_find(uint64_t *maddr, uint64_t *size, uint16_t *bdf);

#endif /* XEN_ARCH_H */
