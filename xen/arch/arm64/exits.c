/*
 * exits.c - what an EL1 guest's exception to EL2 means, decoded from
 * ESR_EL2 (Arm ARM D19, "ESR_EL2"): HVC #0xEA1 is a hypercall, HVC #0 and
 * SMC #0 are PSCI, WFI/WFE yield the CPU, a stage-2 data or instruction
 * abort is a p2m fault (pending changes resolved), the vGIC's MMIO or an
 * IOREQ server's (ioreq.c); anything else crashes the domain with its
 * syndrome on the console. FP/SIMD's first use in a slice loads the
 * vCPU's registers (guest.c). The hypervisor itself never stops for a
 * guest's mistake.
 *
 * May not touch: the guest's registers beyond the exit's own (PC past a
 * trapped instruction, x0 for a result); p2m entries (only
 * p2m_resolve_fault changes them, for the core's pending changes).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/hypercall.h>
#include <xen/p2m.h>
#include <xen/logdirty.h>
#include <xen/mem_sharing.h>
#include <xen/mem_fork.h>
#include <xen/vm_event.h>
#include <xen/arch.h>
#include <asm/guest.h>
#include <asm/traps.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>
#include <asm/ioreq.h>
#include <asm/idregs.h>

#define ESR_EC_WFX       0x01
#define ESR_EC_FP        0x07 /* FP/SIMD trapped by CPTR_EL2.TFP */
#define ESR_ISS(e)       ((e)&0x1ffffffUL)
#define HVC_XEN_IMM      0xea1 /* Xen's hypercall immediate */
#define FSC_TRANSLATION  0x04  /* 0b0001LL: levels 0-3 */
#define FSC_PERMISSION   0x0c  /* 0b0011LL */
#define FSC_TYPE(f)      ((f)&0x3c)
#define HPFAR_FIPA(h)    (((h) >> 4) & 0xffffffffffUL) /* IPA[51:12] */
#define SYSREG_ISS_READ  (1UL << 0)
#define SYSREG_ISS_RT(e) (((e) >> 5) & 0x1f)
/* ISS of a trapped MSR/MRS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn
 * [13:10], CRm [4:1]; ICC_SGI1R_EL1 is 3, 0, c12, c11, 5. */
#define SYSREG_ISS_ID(e) ((e)&0x3ffc1eUL)
#define SYSREG_ID_SGI1R  ((3UL << 20) | (5UL << 17) | (0UL << 14) | (12UL << 10) | (11UL << 1))
#define WFX_ISS_WFE      (1UL << 0)

/* The fields of that ISS, for the registers MDCR_EL2 traps. */
#define SYSREG_ISS_OP0(e) (((e) >> 20) & 3)
#define SYSREG_ISS_OP1(e) (((e) >> 14) & 7)
#define SYSREG_ISS_CRN(e) (((e) >> 10) & 0xf)
#define SYSREG_ISS_CRM(e) (((e) >> 1) & 0xf)

static void crash(struct vcpu *v, const char *why)
{
    const struct guest_regs *r = &v->arch.regs;
    printk(XENLOG_ERR "d%uv%u on CPU%u: %s: ESR_EL2 %#lx PC %#lx FAR %#lx HPFAR %#lx\n",
           v->domain->domain_id, v->vcpu_id, smp_processor_id(), why, r->esr, r->pc, r->far,
           r->hpfar);
    domain_crash(v->domain, why);
}

/* Register n of a trapped access; 31 is the zero register (XZR). */
static uint64_t get_reg(const struct vcpu *v, unsigned int n)
{
    return n < 31 ? v->arch.regs.x[n] : 0;
}

static void set_reg(struct vcpu *v, unsigned int n, uint64_t val)
{
    if ( n < 31 )
        v->arch.regs.x[n] = val;
}

static void skip_insn(struct vcpu *v)
{
    v->arch.regs.pc += 4; /* AArch64: every trapped instruction is 4 bytes */
}

static void exit_hvc(struct vcpu *v)
{
    uint64_t imm = ESR_ISS(v->arch.regs.esr) & 0xffff;
    if ( imm == HVC_XEN_IMM )
        arch_hypercall(v);
    else if ( imm == 0 && vpsci_is_call(v->arch.regs.x[0]) )
        vpsci_call(v);
    else
        v->arch.regs.x[0] = (uint64_t)-1; /* SMCCC: unknown function */
}

/* SMC traps with ELR_EL2 on the SMC itself (HVC's is past it). */
static void exit_smc(struct vcpu *v)
{
    skip_insn(v);
    if ( vpsci_is_call(v->arch.regs.x[0]) )
        vpsci_call(v);
    else
        v->arch.regs.x[0] = (uint64_t)-1;
}

static uint64_t abort_ipa(const struct guest_regs *r)
{
    return (HPFAR_FIPA(r->hpfar) << 12) | (r->far & 0xfff);
}

/* An access the syndrome describes (ISV): the vGIC's frames are
 * emulated. A read's value is zero-extended into the register (SSE,
 * sign extension, is not asked of these registers). */
static bool exit_mmio(struct vcpu *v, uint64_t ipa)
{
    uint64_t esr = v->arch.regs.esr, val;
    unsigned int size = 1U << DABT_SAS(esr), rt = DABT_SRT(esr);
    bool write = esr & DABT_WNR;
    uint64_t mask = size == 8 ? ~0UL : (1UL << (8 * size)) - 1;
    val = write ? get_reg(v, rt) & mask : 0;
    if ( !vgic_mmio(v, ipa, size, write, &val) )
        return false;
    if ( !write )
        set_reg(v, rt, val & mask);
    skip_insn(v);
    return true;
}

/*
 * The p2m now allows what faulted: the guest retries. The walker must see
 * the new entry (dsb ishst). A permission fault may also have come from
 * a TLB entry (the Arm ARM lets a PE cache an entry that faults on
 * permission, unlike one that faults on translation), and the retry
 * would fault again on that stale copy: drop this CPU's copies - the
 * stage-2 entry by IPA, then the combined stage-1+2 entries, tagged by
 * VA, of the VMID in VTTBR_EL2, which is the faulting vCPU's. Other CPUs
 * keep theirs until they fault too. (TCG re-walks on every permission
 * miss, so QEMU never shows the difference.)
 */
static bool p2m_retry(const struct vcpu *v)
{
    const struct guest_regs *r = &v->arch.regs;
    asm volatile("dsb ishst" ::: "memory");
    if ( FSC_TYPE(r->esr & ESR_FSC_MASK) == FSC_PERMISSION )
        asm volatile(
            "tlbi ipas2e1, %0; dsb nsh; tlbi vmalle1; dsb nsh; isb" ::"r"(HPFAR_FIPA(r->hpfar))
            : "memory");
    return true;
}

/* The access that faulted, as p2m rights: an instruction fetch, or a
 * data access (a stage-1 walk's own table access counts as a read). */
static unsigned int abort_kind(uint64_t esr, bool data)
{
    if ( !data )
        return p2m_access_x;
    return (esr & DABT_WNR) && !(esr & DABT_S1PTW) ? p2m_access_w : p2m_access_r;
}

/*
 * The entry allows the access now: another CPU resolved the mark, made
 * the page writable or finished a break-before-make after this vCPU's
 * walk. Retry. Translation and permission faults alike: a leaf that
 * grants nothing is not valid, so an access right "n" is a translation
 * fault here.
 */
static bool access_allowed(p2m_type_t t, p2m_access_t a, unsigned int want)
{
    return (p2m_type_rights(t) & a & want) == want;
}

/* RAM whose type allows the access and whose access right
 * (XENMEM_access_op) refuses it: a mem_access event, or Xen's rule when
 * nobody listens (vm_event.h). */
static bool refused_by_access(p2m_type_t t, p2m_access_t a, unsigned int want)
{
    return p2m_is_ram(t) && (p2m_type_rights(t) & want) == want && (a & want) != want;
}

/* The access as vm_event's MEM_ACCESS_* bits (p2m_access_t's r/w/x
 * are the same bits); a stage-1 walk's is flagged as x86's is. */
static uint32_t access_kinds(uint64_t esr, unsigned int want, bool data)
{
    return want | (data && (esr & DABT_S1PTW) ? MEM_ACCESS_FAULT_IN_GPT : 0);
}

/* A write the type refuses is skipped (all A64 instructions are 4 bytes),
 * so the guest sees no fault and the page no change: ram_ro, and a
 * foreign mapping made read-only, as x86's npf.c drops them. */
static bool drop_ro_write(struct vcpu *v, p2m_type_t t, p2m_access_t a)
{
    if ( t != p2m_ram_ro && !(t == p2m_map_foreign && !(a & p2m_access_w)) )
        return false;
    v->domain->ro_writes_dropped++;
    skip_insn(v);
    return true;
}

/*
 * A guest write the entry refuses (the core's write path, x86's
 * hvm_handle_npf order): the first write to a
 * ram_logdirty page (logged, the page or its superpage made ram_rw);
 * ram_shared unshared; a write to a read-only grant mapping given back
 * as a data abort (x86 gives #GP), unless the guest's own stage-1 walk
 * made it; ram_ro and read-only foreign writes dropped. false: not this
 * path's (ioreq, a refused mem_access...).
 */
static bool exit_write_fault(struct vcpu *v, gfn_t gfn)
{
    struct p2m_domain *p2m = &v->domain->p2m;
    p2m_type_t t;
    p2m_access_t a;
    p2m_lookup(p2m, gfn, &t, &a, NULL);
    /* Another vCPU's fault on the same page (or superpage, under the
     * keep policy) may have reopened it since this vCPU looked. */
    if ( p2m_type_rights(t) & a & p2m_access_w )
        return p2m_retry(v);
    if ( t == p2m_ram_logdirty && (a & p2m_access_w) && logdirty_handle_write_fault(v, gfn_x(gfn)) )
        return p2m_retry(v);
    if ( t == p2m_ram_shared && (a & p2m_access_w) )
    {
        mem_sharing_unshare_fault(v, gfn); /* retried, or crashed with the reason */
        return p2m_retry(v);
    }
    if ( t == p2m_grant_map_ro && !(v->arch.regs.esr & DABT_S1PTW) )
    {
        guest_inject_dabt(v); /* the guest's own bug: Xen on Arm's data abort */
        return true;
    }
    return drop_ro_write(v, t, a);
}

/* Nothing handled the abort: the domain crashes with the decode and
 * what the p2m holds there (type, access), as x86's crash_npf says. */
static void crash_abort(struct vcpu *v, bool data, uint64_t ipa, gfn_t gfn)
{
    uint64_t esr = v->arch.regs.esr;
    unsigned int fsc = esr & ESR_FSC_MASK;
    p2m_type_t t;
    p2m_access_t a;
    char why[192];
    p2m_lookup(&v->domain->p2m, gfn, &t, &a, NULL);
    if ( data && (esr & DABT_ISV) )
        snprintf(why, sizeof(why),
                 "data abort at IPA %#lx (FSC %#x, p2m type %u access %#x): %s of %u bytes, "
                 "register x%lu, no device there",
                 ipa, fsc, t, a, esr & DABT_WNR ? "write" : "read", 1U << DABT_SAS(esr),
                 DABT_SRT(esr));
    else
        snprintf(why, sizeof(why), "%s abort at IPA %#lx (FSC %#x%s%s, p2m type %u access %#x)",
                 data ? "data" : "instruction", ipa, fsc, esr & DABT_S1PTW ? ", stage-1 walk" : "",
                 data && (esr & DABT_WNR) ? ", write" : "", t, a);
    crash(v, why);
}

/* A stage-2 abort, in this order: the core's pending changes (a marked
 * entry faults like an empty one) and entries another CPU has fixed;
 * a fork's first touch of a gfn (filled from its parent); an access the
 * page's access right refuses (mem_access); a write the
 * type refuses (exit_write_fault); the vGIC's frames; an IOREQ
 * server's; else the domain crashes with the decode. */
static void exit_abort(struct vcpu *v, bool data)
{
    const struct guest_regs *r = &v->arch.regs;
    uint64_t esr = r->esr, ipa = abort_ipa(r);
    unsigned int fsc = esr & ESR_FSC_MASK, want = abort_kind(esr, data);
    gfn_t gfn = _gfn(ipa >> PAGE_SHIFT);
    p2m_type_t t;
    p2m_access_t a;
    if ( FSC_TYPE(fsc) == FSC_TRANSLATION && p2m_resolve_fault(&v->domain->p2m, gfn) > 0 )
    {
        p2m_retry(v);
        return;
    }
    /* The MMU's dirty update done by software (no FEAT_HAFDBS, or HD
     * off): a writable-clean leaf takes the write from now on. */
    if ( want == p2m_access_w && p2m_mark_written(&v->domain->p2m, gfn) > 0 )
    {
        p2m_retry(v);
        return;
    }
    p2m_lookup(&v->domain->p2m, gfn, &t, &a, NULL);
    if ( access_allowed(t, a, want) )
    {
        p2m_retry(v);
        return;
    }
    /* A fork's first touch of a gfn: filled from its parent. */
    if ( t == p2m_invalid && mem_fork_fault(v, gfn, want == p2m_access_w) )
        return;
    if ( refused_by_access(t, a, want) )
    {
        mem_access_host_violation(v, gfn, access_kinds(esr, want, data), ipa & (PAGE_SIZE - 1));
        return;
    }
    if ( want == p2m_access_w && exit_write_fault(v, gfn) )
        return;
    if ( data && (esr & DABT_ISV) && exit_mmio(v, ipa) )
        return;
    if ( data && arm64_ioreq_abort(v, ipa) ) /* an IOREQ server's */
        return;
    crash_abort(v, data, ipa, gfn);
}

/* Registers MDCR_EL2 traps (guest.c): the debug registers (Op0 2) and
 * the PMU's (Op0 3, CRn 9 with CRm 12-14: PMCR_EL0 ... PMOVSSET_EL0 and
 * PMINTEN*_EL1; Op0 3, Op1 3, CRn 14 with CRm 8-15: PMEVCNTR<n>_EL0,
 * PMEVTYPER<n>_EL0, PMCCFILTR_EL0). They read as 0 and ignore writes. */
static bool sysreg_raz_wi(uint64_t iss)
{
    unsigned int op0 = SYSREG_ISS_OP0(iss), op1 = SYSREG_ISS_OP1(iss);
    unsigned int crn = SYSREG_ISS_CRN(iss), crm = SYSREG_ISS_CRM(iss);
    if ( op0 == 2 )
        return true;
    if ( op0 != 3 )
        return false;
    return (crn == 9 && crm >= 12 && (op1 == 0 || op1 == 3)) || (crn == 14 && op1 == 3 && crm >= 8);
}

/* Trapped on purpose: ICC_SGI1R_EL1 writes (the vGIC), ID register
 * reads (HCR_EL2.TID3, idregs.c), the debug and PMU registers (MDCR_EL2,
 * read as zero); TVM and TACR are clear: any other trapped register
 * access is one the guest may not make. */
static void exit_sysreg(struct vcpu *v)
{
    char why[96];
    uint64_t iss = ESR_ISS(v->arch.regs.esr), val;
    if ( SYSREG_ISS_ID(iss) == SYSREG_ID_SGI1R && !(iss & SYSREG_ISS_READ) )
    {
        vgic_sgi1r(v, get_reg(v, SYSREG_ISS_RT(iss)));
        skip_insn(v);
        return;
    }
    if ( idreg_guest_read(iss, &val) ) /* HCR_EL2.TID3 */
    {
        set_reg(v, SYSREG_ISS_RT(iss), val);
        skip_insn(v);
        return;
    }
    if ( sysreg_raz_wi(iss) ) /* MDCR_EL2's traps: debug and PMU */
    {
        if ( iss & SYSREG_ISS_READ )
            set_reg(v, SYSREG_ISS_RT(iss), 0);
        skip_insn(v);
        return;
    }
    snprintf(why, sizeof(why), "trapped system register %s (ISS %#lx, x%lu)",
             iss & SYSREG_ISS_READ ? "read" : "write", iss, SYSREG_ISS_RT(iss));
    crash(v, why);
}

/* Only the lazy switch's trap is expected: a second one in the same
 * slice means the registers were not given. SVE and SME trap with their
 * own classes (0x19, 0x1d) and crash the domain as unexpected. */
static void exit_fp(struct vcpu *v)
{
    if ( v->arch.fp_live )
        crash(v, "FP/SIMD trapped with its registers loaded");
    else
        guest_fp_trap(v);
}

/* WFI waits for an interrupt: the vCPU blocks unless one is pending
 * (vcpu_block looks again after marking it, so none is missed). WFE
 * waits for an event, mostly a spinlock's: give the CPU away. */
static void exit_wfx(struct vcpu *v)
{
    skip_insn(v);
    if ( v->arch.regs.esr & WFX_ISS_WFE )
        vcpu_yield();
    else if ( !arch_vcpu_intr_pending(v) )
        vcpu_block(v);
}

static void exit_sync(struct vcpu *v)
{
    unsigned int ec = (v->arch.regs.esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    switch ( ec )
    {
    case ESR_EC_HVC64: exit_hvc(v); break;
    case ESR_EC_SMC64: exit_smc(v); break;
    case ESR_EC_WFX: exit_wfx(v); break;
    case ESR_EC_FP: exit_fp(v); break;
    case ESR_EC_DABT_LOW: exit_abort(v, true); break;
    case ESR_EC_IABT_LOW: exit_abort(v, false); break;
    case ESR_EC_SYSREG: exit_sysreg(v); break;
    default: crash(v, "unexpected exception class"); break;
    }
}

void guest_handle_exit(struct vcpu *v, unsigned long kind)
{
    switch ( kind )
    {
    case TRAP_LOWER_A64: exit_sync(v); break;
    case TRAP_LOWER_A64 + 1: /* IRQ: taken at EL2 once run_once unmasks */
    case TRAP_LOWER_A64 + 2: /* FIQ: none are routed (Group 0 unused) */ break;
    case TRAP_LOWER_A64 + 3: crash(v, "SError"); break;
    default: crash(v, "exception from AArch32"); break;
    }
}
