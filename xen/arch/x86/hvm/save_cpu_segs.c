/*
 * save_cpu_segs.c - the part of the HVM context's CPU record that
 * VCPUOP_initialise cannot say: every segment register as it was (the
 * guest's own selectors and descriptor caches, FS/GS bases, LDTR, TR),
 * GDTR and IDTR, DR7 and the SYSENTER MSRs. Checked here against what a
 * VM entry on either vendor accepts, then handed to the vendor's
 * vcpu_load_state, so a running guest carries on with its own tables.
 *
 * May not touch: the control registers and GPRs (save_cpu.c, through
 * the VCPUOP_initialise path), any vendor structure directly.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/hvm/save.h>
#include "save_cpu_priv.h"

#define AR_TYPE(ar) ((ar)&0xf)
#define AR_S        (1U << 4)
#define AR_DPL(ar)  (((ar) >> 5) & 3)
#define AR_P        (1U << 7)
#define AR_L        (1U << 9)
#define AR_G        (1U << 11)

static struct hvm_seg seg_of(uint32_t sel, uint32_t limit, uint64_t base, uint32_t ar)
{
    return (struct hvm_seg){ (uint16_t)sel, (uint16_t)ar, limit, base };
}

/*
 * A TSS descriptor LTR loaded is busy in the GDT, but QEMU's TCG keeps
 * the hidden TR type it read before setting that bit, so its VMCB says
 * "available" (9, or 1 for a 16-bit TSS) where real processors say busy.
 * SVM runs either; a VMX entry refuses anything but busy. A record that
 * says available is taken as the busy TSS it is.
 */
static uint32_t tr_busy(uint32_t ar)
{
    unsigned int t = AR_TYPE(ar);
    return (ar & AR_S) || (t != 9 && t != 1) ? ar : ar | 2;
}

void cpu_record_segs(const struct hvm_hw_cpu *r, struct hvm_vcpu_state *st)
{
    memset(st, 0, sizeof(*st));
    st->seg[HVM_SEG_ES] = seg_of(r->es_sel, r->es_limit, r->es_base, r->es_arbytes);
    st->seg[HVM_SEG_CS] = seg_of(r->cs_sel, r->cs_limit, r->cs_base, r->cs_arbytes);
    st->seg[HVM_SEG_SS] = seg_of(r->ss_sel, r->ss_limit, r->ss_base, r->ss_arbytes);
    st->seg[HVM_SEG_DS] = seg_of(r->ds_sel, r->ds_limit, r->ds_base, r->ds_arbytes);
    st->seg[HVM_SEG_FS] = seg_of(r->fs_sel, r->fs_limit, r->fs_base, r->fs_arbytes);
    st->seg[HVM_SEG_GS] = seg_of(r->gs_sel, r->gs_limit, r->gs_base, r->gs_arbytes);
    st->seg[HVM_SEG_LDTR] = seg_of(r->ldtr_sel, r->ldtr_limit, r->ldtr_base, r->ldtr_arbytes);
    st->seg[HVM_SEG_TR] = seg_of(r->tr_sel, r->tr_limit, r->tr_base, tr_busy(r->tr_arbytes));
    st->seg[HVM_SEG_GDTR] = seg_of(0, r->gdtr_limit, r->gdtr_base, 0);
    st->seg[HVM_SEG_IDTR] = seg_of(0, r->idtr_limit, r->idtr_base, 0);
    st->dr7 = r->dr7;
    st->sysenter_cs = r->sysenter_cs;
    st->sysenter_esp = r->sysenter_esp;
    st->sysenter_eip = r->sysenter_eip;
    st->star = r->msr_star;
    st->lstar = r->msr_lstar;
    st->cstar = r->msr_cstar;
    st->sfmask = r->msr_syscall_mask;
    st->kernel_gs_base = r->shadow_gs;
}

static bool canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* The granularity rule both vendors enforce on a usable segment. */
static bool limit_fits(const struct hvm_seg *s)
{
    if ( (s->limit & 0xfff) != 0xfff && (s->ar & AR_G) )
        return false;
    return !(s->limit >> 20) || (s->ar & AR_G);
}

/* ES/DS/FS/GS: unusable, or present data / readable code. */
static bool data_ok(const struct hvm_seg *s)
{
    if ( !(s->ar & AR_P) )
        return !(s->ar & ~0xfffU);
    return (s->ar & AR_S) && (!(s->ar & 8) || (s->ar & 2)) && limit_fits(s);
}

static bool code_stack_ok(const struct hvm_seg *cs, const struct hvm_seg *ss, bool lma)
{
    if ( !(cs->ar & AR_P) || !(cs->ar & AR_S) || !(cs->ar & 8) || !limit_fits(cs) )
        return false;
    if ( !lma && (cs->ar & AR_L) )
        return false;
    if ( !(ss->ar & AR_P) )
        return lma; /* a null SS only in long mode */
    return (ss->ar & AR_S) && AR_TYPE(ss->ar & 0xa) == 2 && limit_fits(ss) &&
           ((cs->ar & 4) || AR_DPL(ss->ar) == AR_DPL(cs->ar));
}

/* TR: a busy TSS (32/64-bit, or 16-bit outside long mode); LDTR: an LDT
 * or unusable. */
static bool system_ok(const struct hvm_seg *tr, const struct hvm_seg *ldtr, bool lma)
{
    unsigned int t = AR_TYPE(tr->ar);
    if ( !(tr->ar & AR_P) || (tr->ar & AR_S) || !(t == 11 || (t == 3 && !lma)) || !limit_fits(tr) )
        return false;
    if ( !(ldtr->ar & AR_P) )
        return true;
    return !(ldtr->ar & AR_S) && AR_TYPE(ldtr->ar) == 2 && limit_fits(ldtr);
}

int cpu_record_segs_check(const struct hvm_hw_cpu *r)
{
    struct hvm_vcpu_state st;
    bool lma = r->msr_efer & EFER_LMA;
    const unsigned int data[] = { HVM_SEG_ES, HVM_SEG_DS, HVM_SEG_FS, HVM_SEG_GS };

    cpu_record_segs(r, &st);
    for ( unsigned int s = 0; s < HVM_NR_SEGS; s++ )
        if ( !canonical(st.seg[s].base) || (!lma && st.seg[s].base >> 32) )
            return -EINVAL;
    for ( size_t i = 0; i < ARRAY_SIZE(data); i++ )
        if ( !data_ok(&st.seg[data[i]]) )
            return -EINVAL;
    if ( !code_stack_ok(&st.seg[HVM_SEG_CS], &st.seg[HVM_SEG_SS], lma) ||
         !system_ok(&st.seg[HVM_SEG_TR], &st.seg[HVM_SEG_LDTR], lma) )
        return -EINVAL;
    if ( r->gdtr_limit > 0xffff || r->idtr_limit > 0xffff )
        return -EINVAL;
    /* WRMSR would fault on these: so would the vendor's MSR load. */
    if ( !canonical(r->msr_lstar) || !canonical(r->msr_cstar) || !canonical(r->shadow_gs) ||
         r->msr_syscall_mask >> 32 )
        return -EINVAL;
    return r->sysenter_cs >> 32 || !canonical(r->sysenter_esp) || !canonical(r->sysenter_eip)
               ? -EINVAL
               : 0;
}
