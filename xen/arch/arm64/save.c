/*
 * save.c - arm64's HVM context records (public/arch-arm/hvm/save.h) for
 * common/hvm_save.c: the table arch_hvm_records gives it (WREN_ARM_CPU,
 * WREN_ARM_FPSIMD, WREN_ARM_VTIMER, WREN_ARM_VGIC and the common
 * WREN_VCPU_TIMERS), and the save, check and load of the first three.
 * The vGIC's record is vgic_save.c's.
 *
 * Save reads a vCPU no CPU runs (the domain is paused), so everything is
 * in struct vcpu_arch. Check refuses, with a log line naming the field,
 * any value the vCPU could not have had or that EL2 must not load for
 * it (a PSTATE at EL2/EL3 or AArch32, reserved bits, an unaligned PC),
 * and changes nothing; load runs only after every record of the context
 * passed its check.
 *
 * May not touch: the registers of a vCPU that is running (none is: the
 * controller paused the domain), the stage-2 tables, the record walk
 * (common/hvm_save.c).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/timer.h>
#include <xen/hvm_save.h>
#include <public/hvm/save.h>
#include <public/arch-arm/hvm/save.h>
#include <asm/save.h>

/* PSTATE as SPSR_EL2 holds it: NZCV, TCO, DIT, UAO, PAN, SS, SSBS,
 * BTYPE, DAIF and M[3:0]; M[4] (AArch32), IL and the rest must be 0. */
#define PSTATE_OK_BITS 0xf3e01fcfUL
#define PSTATE_MODE(p) ((p)&0xfUL)
#define MODE_EL0T      0x0UL
#define MODE_EL1T      0x4UL
#define MODE_EL1H      0x5UL
/* CPACR_EL1: ZEN, FPEN, SMEN, TTA (SVE and SME stay trapped at EL2). */
#define CPACR_OK_BITS 0x13330000UL
/* FPSR: NZCV, QC, IDC and the cumulative flags. FPCR: AHP, DN, FZ,
 * RMode, Stride, FZ16, Len, the trap enables, EBF, NEP, AH, FIZ. */
#define FPSR_OK_BITS 0xf800009fUL
#define FPCR_OK_BITS 0x07ffbf07UL
/* CNTV_CTL_EL0: ENABLE and IMASK (ISTATUS is the hardware's). */
#define CNTV_CTL_OK_BITS 0x3UL

static int refuse(const struct vcpu *v, const char *what, uint64_t val)
{
    printk(XENLOG_WARNING "d%uv%u: HVM context: %s %#lx refused\n", v->domain->domain_id,
           v->vcpu_id, what, val);
    return -EINVAL;
}

/* ---- WREN_ARM_CPU ---- */

/* clang-format off */
#define CPU_SYSREGS(X) \
    X(sp_el0) X(sp_el1) X(elr_el1) X(spsr_el1) X(sctlr) X(actlr) X(cpacr) \
    X(ttbr0) X(ttbr1) X(tcr) X(mair) X(amair) X(vbar) X(contextidr) \
    X(tpidr_el1) X(tpidr_el0) X(tpidrro_el0) X(esr) X(far) X(afsr0) X(afsr1) \
    X(par) X(cntkctl) X(csselr) X(mdscr)
/* clang-format on */
#define TO_RECORD(f)   r->f = s->f;
#define FROM_RECORD(f) s->f = r->f;

static void cpu_record_save(struct vcpu *v, struct hvm_wren_arm_cpu *r)
{
    const struct guest_sysregs *s = &v->arch.sys;
    memcpy(r->x, v->arch.regs.x, sizeof(r->x));
    r->pc = v->arch.regs.pc;
    r->pstate = v->arch.regs.pstate;
    CPU_SYSREGS(TO_RECORD)
}

static int pstate_check(const struct vcpu *v, uint64_t p)
{
    uint64_t m = PSTATE_MODE(p);
    if ( p & ~PSTATE_OK_BITS )
        return refuse(v, "PSTATE (reserved, IL or AArch32 bits)", p);
    if ( m != MODE_EL0T && m != MODE_EL1T && m != MODE_EL1H )
        return refuse(v, "PSTATE mode (not EL0t, EL1t or EL1h)", p);
    return 0;
}

static int cpu_record_check(struct vcpu *v, const struct hvm_wren_arm_cpu *r)
{
    int rc = pstate_check(v, r->pstate);
    if ( rc )
        return rc;
    if ( r->pc & 3 )
        return refuse(v, "PC (not 4-byte aligned)", r->pc);
    if ( r->vbar & 0x7ff )
        return refuse(v, "VBAR_EL1 (bits 10:0 are RES0)", r->vbar);
    if ( r->cpacr & ~CPACR_OK_BITS )
        return refuse(v, "CPACR_EL1 (reserved bits)", r->cpacr);
    if ( r->csselr & ~0x1fUL )
        return refuse(v, "CSSELR_EL1 (reserved bits)", r->csselr);
    if ( r->sp_el1 & 0xf )
        return refuse(v, "SP_EL1 (not 16-byte aligned)", r->sp_el1);
    return 0;
}

static int cpu_record_load(struct vcpu *v, const struct hvm_wren_arm_cpu *r)
{
    struct guest_sysregs *s = &v->arch.sys;
    memcpy(v->arch.regs.x, r->x, sizeof(r->x));
    v->arch.regs.pc = r->pc;
    v->arch.regs.pstate = r->pstate;
    CPU_SYSREGS(FROM_RECORD)
    v->arch.entered = false; /* its first entry is logged again */
    return 0;
}

/* ---- WREN_ARM_FPSIMD ---- */

static void fp_record_save(struct vcpu *v, struct hvm_wren_arm_fpsimd *r)
{
    memcpy(r->v, v->arch.fp.v, sizeof(r->v));
    r->fpsr = v->arch.fp.fpsr;
    r->fpcr = v->arch.fp.fpcr;
}

static int fp_record_check(struct vcpu *v, const struct hvm_wren_arm_fpsimd *r)
{
    if ( r->fpsr & ~FPSR_OK_BITS )
        return refuse(v, "FPSR (reserved bits)", r->fpsr);
    if ( r->fpcr & ~FPCR_OK_BITS )
        return refuse(v, "FPCR (reserved bits)", r->fpcr);
    return 0;
}

/* The vCPU is off every CPU: the next slice's first FP/SIMD instruction
 * loads these (fp_live is false outside a slice). */
static int fp_record_load(struct vcpu *v, const struct hvm_wren_arm_fpsimd *r)
{
    memcpy(v->arch.fp.v, r->v, sizeof(r->v));
    v->arch.fp.fpsr = r->fpsr;
    v->arch.fp.fpcr = r->fpcr;
    return 0;
}

/* ---- WREN_ARM_VTIMER ---- */

static void vtimer_record_save(struct vcpu *v, struct hvm_wren_arm_vtimer *r)
{
    r->ctl = v->arch.sys.cntv_ctl & CNTV_CTL_OK_BITS;
    r->cval = v->arch.sys.cntv_cval;
    r->count = arch_cycles() - v->arch.vgic.cntvoff;
    r->freq = arch_cycles_hz();
}

static int vtimer_record_check(struct vcpu *v, const struct hvm_wren_arm_vtimer *r)
{
    if ( r->ctl & ~CNTV_CTL_OK_BITS )
        return refuse(v, "CNTV_CTL_EL0 (reserved or ISTATUS bits)", r->ctl);
    if ( r->freq != arch_cycles_hz() )
        return refuse(v, "counter frequency (not this host's CNTFRQ_EL0)", r->freq);
    return 0;
}

/* The count goes on from the saved one: one offset for the whole domain
 * (its vCPUs must agree), set by each record, so the last one (the
 * highest vCPU, saved last: the largest count) wins and no vCPU sees its
 * count go back. The deadline timer of the old state is stopped: the
 * next switch-out arms it for the loaded CVAL. */
static int vtimer_record_load(struct vcpu *v, const struct hvm_wren_arm_vtimer *r)
{
    struct domain *d = v->domain;
    uint64_t off = arch_cycles() - r->count;
    stop_timer(&v->arch.vgic.timer);
    v->arch.sys.cntv_ctl = r->ctl;
    v->arch.sys.cntv_cval = r->cval;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            d->vcpu[i]->arch.vgic.cntvoff = off;
    return 0;
}

/* ---- the table ---- */

HVM_RECORD_FNS(arm_cpu, struct hvm_wren_arm_cpu, cpu_record_save, cpu_record_check, cpu_record_load)
HVM_RECORD_FNS(arm_fp, struct hvm_wren_arm_fpsimd, fp_record_save, fp_record_check, fp_record_load)
HVM_RECORD_FNS(arm_vtimer, struct hvm_wren_arm_vtimer, vtimer_record_save, vtimer_record_check,
               vtimer_record_load)
HVM_RECORD_FNS(arm_vgic, struct hvm_wren_arm_vgic, vgic_record_save, vgic_record_check,
               vgic_record_load)
HVM_RECORD_FNS(timers, struct hvm_wren_vcpu_timers, hvm_timers_save, hvm_timers_check,
               hvm_timers_load)

static const struct hvm_record_type arm64_records[] = {
    HVM_RECORD_ROW(WREN_ARM_CPU, arm_cpu, true),
    HVM_RECORD_ROW(WREN_ARM_FPSIMD, arm_fp, false),
    HVM_RECORD_ROW(WREN_ARM_VTIMER, arm_vtimer, false),
    HVM_RECORD_ROW(WREN_ARM_VGIC, arm_vgic, false),
    HVM_RECORD_ROW(WREN_VCPU_TIMERS, timers, false),
};

const struct hvm_record_type *arch_hvm_records(unsigned int *nr)
{
    *nr = ARRAY_SIZE(arm64_records);
    return arm64_records;
}
