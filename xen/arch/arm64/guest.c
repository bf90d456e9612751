/*
 * guest.c - EL1 guests: what EL2 sets once per CPU for them (VTCR_EL2
 * from the stage-2 backend, the counter and ID registers they see), a
 * vCPU's power-on state, the switch of its EL1 system registers, HCR_EL2
 * and VTTBR_EL2 around its slice, and one entry and exit (guest_run,
 * guest_entry.S) per arch_vcpu_run_once. What an exit means is exits.c's.
 *
 * FP/SIMD is switched lazily: a vCPU enters with CPTR_EL2.TFP set, its
 * first FP/SIMD instruction of the slice traps (EC 0x07) and loads its V
 * registers, FPSR and FPCR; only a vCPU that did so saves them when it
 * leaves the CPU. A vCPU that never touches FP/SIMD costs nothing, and
 * no vCPU can read what the previous one left (it traps first). SVE and
 * SME stay trapped (CPTR_EL2.TZ, TSM): a guest that uses them crashes.
 *
 * VMIDs: a domain's VMID is its domid + 1 (VMID 0 stays unused), so no
 * table is kept; a domid reused after a destroy gets its VMID flushed
 * when its vCPU 0 is created. That needs 16-bit VMIDs for every domid;
 * with 8 bits domains 255 and up are refused.
 *
 * May not touch: the stage-2 table format (mm/p2m-stage2.c), the
 * scheduler's decisions (common/schedule.c), the vGIC's state (vgic.c);
 * FP/SIMD registers only through fpsimd.S.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/param.h>
#include <xen/logdirty.h>
#include <asm/arm64.h>
#include <asm/guest.h>
#include <asm/ioreq.h>
#include <asm/p2m-stage2.h>
#include <asm/system.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>

/* HCR_EL2 for every guest (Arm ARM D19, "HCR_EL2"). */
#define HCR_VM     (1UL << 0) /* stage 2 on */
#define HCR_SWIO   (1UL << 1) /* set/way invalidate becomes clean+invalidate */
#define HCR_FMO    (1UL << 3) /* FIQs, IRQs and SErrors to EL2; the guest's */
#define HCR_IMO    (1UL << 4) /* are virtual (none are raised yet: no vGIC) */
#define HCR_AMO    (1UL << 5)
#define HCR_FB     (1UL << 9)  /* TLB and I-cache maintenance broadcast */
#define HCR_BSU_IS (1UL << 10) /* barriers: inner shareable */
#define HCR_TWI    (1UL << 13) /* WFI traps: the vCPU yields */
#define HCR_TWE    (1UL << 14) /* WFE traps likewise */
#define HCR_TID3   (1UL << 18) /* ID register reads trap: idregs.c */
#define HCR_TSC    (1UL << 19) /* SMC traps: PSCI */
#define HCR_RW     (1UL << 31) /* EL1 is AArch64 */
#define GUEST_HCR                                                                                \
    (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI | HCR_TWE | \
     HCR_TSC | HCR_RW | HCR_TID3)

#define CNTHCTL_EL1PCTEN (1UL << 0) /* EL1 reads the physical counter */
#define CNTHCTL_EL1PCEN  (1UL << 1) /* and its physical timer */
#define MPIDR_RES1       (1UL << 31)

/* MDCR_EL2: EL1 and EL0 accesses to the PMU (TPMCR, TPM) and to the
 * debug registers (TDA, TDOSA, TDRA) trap, and exits.c reads them as 0
 * and ignores writes: neither is switched per vCPU, and an unswitched
 * PMU would let a guest count at EL2 (PMEVTYPER/PMCCFILTR NSH). HPMN
 * [4:0] keeps the value the CPU came up with. */
#define MDCR_HPMN_MASK   0x1fUL
#define MDCR_TPMCR       (1UL << 5)
#define MDCR_TPM         (1UL << 6)
#define MDCR_TDA         (1UL << 9)
#define MDCR_TDOSA       (1UL << 10)
#define MDCR_TDRA        (1UL << 11)
#define MDCR_GUEST_TRAPS (MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)

/* CPTR_EL2 with HCR_EL2.E2H == 0: RES1 bits 13, 9 and 7:0; TSM (12) and
 * TZ (8) trap SME and SVE; TFP (10) traps FP/SIMD until the vCPU's
 * registers are loaded. */
#define CPTR_EL2_BASE 0x33ffUL
#define CPTR_EL2_TFP  (1UL << 10)

static struct stage2_caps caps;

/* Registers EL1 may write without a trap that no feature it is told of
 * uses (idregs.c hides SME; no virtual SError is ever injected), so
 * none is switched: each is cleared when a vCPU leaves the CPU, so the
 * next vCPU never reads another's. DISR_EL1 reaches VDISR_EL2 while
 * HCR_EL2.AMO is set. Only where the CPU has the feature. */
#define PFR0_RAS(p) (((p) >> 28) & 0xf)
#define PFR1_SME(p) (((p) >> 24) & 0xf)
#define VDISR_EL2   S3_4_C12_C1_1
#define TPIDR2_EL0  S3_3_C13_C0_5
static bool cpu_has_ras, cpu_has_sme;

/* stage2_hd=no: VTCR_EL2.HD stays off although the CPU has FEAT_HAFDBS,
 * so the dirty state is kept by the permission-fault handler (exits.c),
 * as on a CPU without it. For tests and measurements; logdirty=wp is the
 * knob that forces write-protect log-dirty. */
static bool opt_stage2_hd = true;
boolean_param("stage2_hd", opt_stage2_hd);

/* The boot CPU: what the CPU offers stage 2, what Wren uses, and so
 * which log-dirty mechanism a domain gets by default. */
static void stage2_caps_init(void)
{
    uint64_t mmfr1 = READ_SYSREG(id_aa64mmfr1_el1);
    if ( stage2_probe(READ_SYSREG(id_aa64mmfr0_el1), mmfr1, &caps) )
        panic("stage 2: no 4K granule or an IPA space below 40 bits");
    if ( !opt_stage2_hd )
        caps.hw_dirty = false;
    printk("stage 2: %u-bit IPA, %u-bit VMIDs; ID_AA64MMFR1_EL1.HAFDBS %u: dirty state by %s\n",
           caps.ipa_bits, caps.vmid_bits, MMFR1_HAFDBS(mmfr1),
           caps.hw_dirty ? "hardware (VTCR_EL2.HD, DBM)"
                         : "software (a permission fault per page and round)");
    printk("log-dirty: default mechanism %s\n", logdirty_default_mech_name());
}

/* Every CPU, before it runs a guest. The boot CPU reads the caps. */
void guest_cpu_init(void)
{
    if ( !caps.ipa_bits )
    {
        stage2_caps_init();
        cpu_has_ras = PFR0_RAS(READ_SYSREG(id_aa64pfr0_el1)) != 0;
        cpu_has_sme = PFR1_SME(READ_SYSREG(id_aa64pfr1_el1)) != 0;
    }
    WRITE_SYSREG(stage2_vtcr(&caps), vtcr_el2);
    WRITE_SYSREG(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, cnthctl_el2);
    WRITE_SYSREG(0, cntvoff_el2);
    WRITE_SYSREG(READ_SYSREG(midr_el1), vpidr_el2);
    WRITE_SYSREG(CPTR_EL2_BASE | CPTR_EL2_TFP, cptr_el2);
    WRITE_SYSREG((READ_SYSREG(mdcr_el2) & MDCR_HPMN_MASK) | MDCR_GUEST_TRAPS, mdcr_el2);
    vgic_cpu_init();
    isb();
}

unsigned int arch_gpaddr_bits(void)
{
    return caps.ipa_bits ? caps.ipa_bits : 40;
}

const struct p2m_pte_ops *arch_p2m_ops(void)
{
    return &stage2_pte_ops;
}

static uint16_t domain_vmid(const struct domain *d)
{
    return (uint16_t)(d->domain_id + 1);
}

static uint64_t domain_vttbr(struct domain *d)
{
    return stage2_vttbr(p2m_root_maddr(&d->p2m), domain_vmid(d), caps.vmid_bits);
}

/* Drop every stage-1 and stage-2 entry tagged with d's VMID, on every
 * CPU (the inner-shareable TLBI is broadcast: no CPU is waited for).
 * TLBI acts on the VMID in VTTBR_EL2, so d's is loaded for it. */
void arch_flush_guest_tlbs(struct domain *d)
{
    unsigned long f = local_save_flags();
    uint64_t old;
    local_irq_disable();
    old = READ_SYSREG(vttbr_el2);
    asm volatile("dsb ishst" ::: "memory");
    WRITE_SYSREG(domain_vttbr(d), vttbr_el2);
    isb();
    asm volatile("tlbi vmalls12e1is; dsb ish" ::: "memory");
    WRITE_SYSREG(old, vttbr_el2);
    isb();
    asm volatile("msr daif, %0" ::"r"(f) : "memory");
}

/* Power-on state: EL1h, interrupts masked, MMU and caches off. */
void guest_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0)
{
    memset(&v->arch.regs, 0, sizeof(v->arch.regs));
    memset(&v->arch.sys, 0, sizeof(v->arch.sys));
    memset(&v->arch.fp, 0, sizeof(v->arch.fp));
    v->arch.entered = false;
    v->arch.fp_live = false;
    v->arch.regs.pc = pc;
    v->arch.regs.x[0] = x0;
    v->arch.regs.pstate = PSR_EL1H_MASKED;
    v->arch.sys.sctlr = SCTLR_EL1_RESET;
}

int arch_vcpu_create(struct vcpu *v)
{
    struct domain *d = v->domain;
    if ( d->domain_id + 1U >= (1U << caps.vmid_bits) )
        return -ENOSPC;
    vgic_vcpu_init(v);
    guest_vcpu_reset(v, 0, 0);
    v->arch.hcr = GUEST_HCR;
    v->arch.vmpidr = MPIDR_RES1 | vcpu_to_mpidr(v->vcpu_id);
    if ( v->vcpu_id == 0 )
        arch_flush_guest_tlbs(d); /* a reused domid's old entries */
    return 0;
}

#define VEC_CUR_SP0   0x000 /* VBAR_EL1 offsets of a synchronous exception */
#define VEC_CUR_SPX   0x200
#define VEC_LOWER_A64 0x400

/* A synchronous external abort on the guest's own data access, taken
 * to its EL1 as the CPU would: the live EL1 registers are the vCPU's
 * (this runs on its exit, before any switch). */
void guest_inject_dabt(struct vcpu *v)
{
    struct guest_regs *r = &v->arch.regs;
    uint64_t mode = r->pstate & PSR_MODE_MASK, off = VEC_LOWER_A64;
    uint64_t ec = mode == PSR_MODE_EL0T ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
    if ( mode != PSR_MODE_EL0T )
        off = mode == PSR_MODE_EL1T ? VEC_CUR_SP0 : VEC_CUR_SPX;
    WRITE_SYSREG((ec << ESR_EC_SHIFT) | ESR_IL | FSC_SYNC_EXT, esr_el1);
    WRITE_SYSREG(r->far, far_el1);
    WRITE_SYSREG(r->pc, elr_el1);
    WRITE_SYSREG(r->pstate, spsr_el1);
    r->pc = READ_SYSREG(vbar_el1) + off;
    r->pstate = PSR_EL1H_MASKED;
}

void arch_vcpu_destroy(struct vcpu *v)
{
    vgic_vcpu_destroy(v);
}

/* The EL1 registers a vCPU owns, one X-macro for save and load. */
/* clang-format off */
#define GUEST_SYSREGS(X) \
    X(sctlr, sctlr_el1) \
    X(actlr, actlr_el1) \
    X(cpacr, cpacr_el1) \
    X(ttbr0, ttbr0_el1) \
    X(ttbr1, ttbr1_el1) \
    X(tcr, tcr_el1) \
    X(mair, mair_el1) \
    X(amair, amair_el1) \
    X(vbar, vbar_el1) \
    X(contextidr, contextidr_el1) \
    X(tpidr_el1, tpidr_el1) \
    X(tpidr_el0, tpidr_el0) \
    X(tpidrro_el0, tpidrro_el0) \
    X(sp_el0, sp_el0) \
    X(sp_el1, sp_el1) \
    X(elr_el1, elr_el1) \
    X(spsr_el1, spsr_el1) \
    X(esr, esr_el1) \
    X(far, far_el1) \
    X(afsr0, afsr0_el1) \
    X(afsr1, afsr1_el1) \
    X(par, par_el1) \
    X(cntkctl, cntkctl_el1) \
    X(csselr, csselr_el1) \
    X(mdscr, mdscr_el1) \
    X(cntv_cval, cntv_cval_el0) \
    X(cntv_ctl, cntv_ctl_el0) \
    X(cntp_cval, cntp_cval_el0) \
    X(cntp_ctl, cntp_ctl_el0)

/* clang-format on */

#define SAVE_ONE(field, reg) s->field = READ_SYSREG(reg);
#define LOAD_ONE(field, reg) WRITE_SYSREG(s->field, reg);

/* The first FP/SIMD instruction of v's slice trapped: give v its own
 * registers and let it run on (the instruction is retried). */
void guest_fp_trap(struct vcpu *v)
{
    WRITE_SYSREG(CPTR_EL2_BASE, cptr_el2);
    isb();
    fpsimd_load(&v->arch.fp);
    v->arch.fp_live = true;
}

/* v leaves the CPU: keep what it changed, and trap the next vCPU's use. */
static void fp_switch_out(struct vcpu *v)
{
    if ( v->arch.fp_live )
        fpsimd_save(&v->arch.fp);
    v->arch.fp_live = false;
    WRITE_SYSREG(CPTR_EL2_BASE | CPTR_EL2_TFP, cptr_el2);
}

void arch_vcpu_switch_in(struct vcpu *v)
{
    const struct guest_sysregs *s = &v->arch.sys;
    vgic_switch_in(v); /* first: its deadline timer stops before CNTV loads */
    GUEST_SYSREGS(LOAD_ONE)
    WRITE_SYSREG(CPTR_EL2_BASE | CPTR_EL2_TFP, cptr_el2);
    v->arch.fp_live = false;
    WRITE_SYSREG(v->arch.vmpidr, vmpidr_el2);
    WRITE_SYSREG(domain_vttbr(v->domain), vttbr_el2);
    WRITE_SYSREG(v->arch.hcr, hcr_el2);
    isb();
    if ( !v->arch.entered )
        printk("d%uv%u enters at %#lx on CPU%u\n", v->domain->domain_id, v->vcpu_id,
               v->arch.regs.pc, smp_processor_id());
    v->arch.entered = true;
}

static void clear_unowned(void)
{
    if ( cpu_has_ras )
        WRITE_SYSREG(0, S3_4_C12_C1_1); /* VDISR_EL2 */
    if ( cpu_has_sme )
        WRITE_SYSREG(0, S3_3_C13_C0_5); /* TPIDR2_EL0 */
}

/* IRQs off: a CNTV interrupt between the save and the stop would be
 * injected from the live register the save no longer sees. */
void arch_vcpu_switch_out(struct vcpu *v)
{
    struct guest_sysregs *s = &v->arch.sys;
    unsigned long f = local_save_flags();
    local_irq_disable();
    GUEST_SYSREGS(SAVE_ONE)
    fp_switch_out(v);
    vgic_switch_out(v);
    clear_unowned();
    WRITE_SYSREG(0, cntv_ctl_el0); /* its virtual timer stays with it */
    isb();
    asm volatile("msr daif, %0" ::"r"(f) : "memory");
}

void arch_vcpu_run_once(struct vcpu *v)
{
    unsigned long f = local_save_flags();
    unsigned long kind;
    arm64_ioreq_before_entry(v); /* an answered access, an invalidation owed */
    if ( !vcpu_runnable(v) )
        return; /* it waits for an IOREQ server */
    local_irq_disable();
    vgic_flush(v);
    kind = guest_run(&v->arch.regs);
    /* An IRQ that made the guest exit is taken here, at EL2 (entry.S). */
    asm volatile("msr daif, %0; isb" ::"r"(f) : "memory");
    v->exits++;
    guest_handle_exit(v, kind);
}
