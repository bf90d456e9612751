/*
 * context.c - an SVM vCPU's register state from outside: the contexts of
 * VCPUOP_initialise and of XEN_DOMCTL_sethvmcontext's CPU record (64-bit
 * long mode, or 32-bit protected mode as the PVH entry needs), checked
 * before anything is written, and the state the HVM save record reads.
 *
 * What VMRUN's consistency checks would refuse is refused here with
 * -EINVAL: a bad context must never become a failed entry (a crashed
 * domain). May not touch: a running vCPU's VMCB (callers hold it off
 * every CPU), anything but the VMCB and v->arch.regs.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/hvm/hvm_vcpu.h>
#include "vmcb.h"

#define SVM_EFER_GUEST_OK (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define SVM_RFLAGS_MBZ    0xffffffffffc08028ULL /* bits 3, 5, 15, 22-63 */
#define SVM_RFLAGS_VM     (1ULL << 17)

/* Packed segment attributes (public/hvm/hvm_vcpu.h, also the VMCB's). */
#define AR_TYPE_CODE (1u << 3)
#define AR_ACCESSED  (1u << 0)
#define AR_S         (1u << 4)
#define AR_DPL(ar)   (((ar) >> 5) & 3u)
#define AR_P         (1u << 7)
#define AR_L         (1u << 9)
#define AR_G         (1u << 11)

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TR   0x18

static bool control_ok(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer, uint64_t rflags)
{
    unsigned int maxphyaddr = cpuid_count(0x80000008, 0).a & 0xff;
    if ( (cr0 >> 32) || ((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD)) || !(cr0 & X86_CR0_PE) )
        return false;
    if ( (efer & ~SVM_EFER_GUEST_OK) || (cr4 & ~svm_cr4_guest_ok) )
        return false;
    if ( maxphyaddr && (cr3 >> maxphyaddr) )
        return false;
    return !(rflags & (SVM_RFLAGS_MBZ | SVM_RFLAGS_VM));
}

static int check_64(const struct vcpu_hvm_x86_64 *r)
{
    const uint64_t need_cr0 = X86_CR0_PE | X86_CR0_PG;
    if ( (r->cr0 & need_cr0) != need_cr0 || !(r->cr4 & X86_CR4_PAE) || !(r->efer & EFER_LME) ||
         ((int64_t)(r->rip << 16) >> 16) != (int64_t)r->rip ||
         !control_ok(r->cr0, r->cr3, r->cr4, r->efer, r->rflags) )
        return -EINVAL;
    return 0;
}

/* A segment a 32-bit context gives: unusable (not present), or with a
 * limit its granularity can express. */
static bool seg_ok(uint32_t limit, uint16_t ar)
{
    if ( ar & 0xf000 )
        return false;
    if ( !(ar & AR_P) )
        return true;
    return (ar & AR_G) ? (limit & 0xfff) == 0xfff : limit <= 0xfffff;
}

/* Data segments (DS, ES): unusable, data, or readable code. */
static bool data_seg_ok(uint16_t ar)
{
    return !(ar & AR_P) || ((ar & AR_S) && (ar & 0xa) != 0x8);
}

static int check_segs_32(const struct vcpu_hvm_x86_32 *r)
{
    uint16_t cs = r->cs_ar, ss = r->ss_ar, tr = r->tr_ar;
    if ( !seg_ok(r->cs_limit, cs) || !seg_ok(r->ds_limit, r->ds_ar) || !seg_ok(r->ss_limit, ss) ||
         !seg_ok(r->es_limit, r->es_ar) || !seg_ok(r->tr_limit, tr) )
        return -EINVAL;
    if ( !(cs & AR_P) || !(cs & AR_S) || !(cs & AR_TYPE_CODE) || (cs & AR_L) )
        return -EINVAL; /* present code, not 64-bit */
    if ( (ss & AR_P) && (!(ss & AR_S) || (ss & 0xa) != 0x2 || AR_DPL(ss) != AR_DPL(cs)) )
        return -EINVAL; /* writable data; CPL is SS.DPL */
    if ( !(tr & AR_P) || (tr & AR_S) || ((tr & 0xf) != 0xb && (tr & 0xf) != 0x3) )
        return -EINVAL; /* a busy TSS */
    return data_seg_ok(r->ds_ar) && data_seg_ok(r->es_ar) ? 0 : -EINVAL;
}

/* Protected mode, paging on or off; not long mode (compatibility mode
 * contexts are not offered on SVM: -EOPNOTSUPP). */
static int check_32(const struct vcpu_hvm_x86_32 *r)
{
    if ( r->efer & EFER_LMA )
        return -EOPNOTSUPP;
    if ( (r->efer & EFER_LME) && (r->cr0 & X86_CR0_PG) )
        return -EINVAL;
    if ( !control_ok(r->cr0, r->cr3, r->cr4, r->efer, r->eflags) )
        return -EINVAL;
    return check_segs_32(r);
}

int svm_vcpu_check_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    (void)v;
    if ( ctx->mode == VCPU_HVM_MODE_64B )
        return check_64(&ctx->cpu_regs.x86_64);
    if ( ctx->mode == VCPU_HVM_MODE_32B )
        return check_32(&ctx->cpu_regs.x86_32);
    return -EINVAL;
}

/* Loading a code or data segment sets its "accessed" bit. */
static void set_seg(void *vmcb, unsigned int off, uint16_t sel, uint16_t ar, uint32_t limit,
                    uint32_t base)
{
    if ( !(ar & AR_P) )
        ar = 0;
    else if ( ar & AR_S )
        ar |= AR_ACCESSED;
    vmcb_set_seg(vmcb, off, ar ? sel : 0, ar, limit, base);
}

static void apply_32(struct vcpu *v, const struct vcpu_hvm_x86_32 *r)
{
    void *vmcb = v->arch.svm.vmcb;
    svm_reset_state(v, r->cr0, r->cr3, r->cr4);
    svm_flat_segments(vmcb, SEG_CODE32); /* LDTR, GDTR, IDTR as at reset */
    set_seg(vmcb, VMCB_CS, SEL_CODE, r->cs_ar, r->cs_limit, r->cs_base);
    set_seg(vmcb, VMCB_DS, SEL_DATA, r->ds_ar, r->ds_limit, r->ds_base);
    set_seg(vmcb, VMCB_FS, SEL_DATA, r->ds_ar, r->ds_limit, r->ds_base);
    set_seg(vmcb, VMCB_GS, SEL_DATA, r->ds_ar, r->ds_limit, r->ds_base);
    set_seg(vmcb, VMCB_ES, SEL_DATA, r->es_ar, r->es_limit, r->es_base);
    set_seg(vmcb, VMCB_SS, SEL_DATA, r->ss_ar, r->ss_limit, r->ss_base);
    vmcb_set_seg(vmcb, VMCB_TR, SEL_TR, r->tr_ar, r->tr_limit, r->tr_base);
    vmcb_set(vmcb, VMCB_CPL, 1, AR_DPL(r->ss_ar & AR_P ? r->ss_ar : r->cs_ar));
    svm_set_efer(v, r->efer);
    v->arch.regs = (struct guest_regs){
        .rax = r->eax,
        .rcx = r->ecx,
        .rdx = r->edx,
        .rbx = r->ebx,
        .rsp = r->esp,
        .rbp = r->ebp,
        .rsi = r->esi,
        .rdi = r->edi,
        .rip = r->eip,
        .rflags = r->eflags | 2,
    };
}

static void apply_64(struct vcpu *v, const struct vcpu_hvm_x86_64 *r)
{
    svm_reset_state(v, r->cr0, r->cr3, r->cr4);
    svm_flat_segments(v->arch.svm.vmcb, SEG_CODE64);
    svm_set_efer(v, r->efer | EFER_LMA);
    v->arch.regs = hvm_regs_from_context64(r);
}

int svm_vcpu_set_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    int rc = svm_vcpu_check_hvm_context(v, ctx);
    if ( rc )
        return rc;
    if ( ctx->mode == VCPU_HVM_MODE_64B )
        apply_64(v, &ctx->cpu_regs.x86_64);
    else
        apply_32(v, &ctx->cpu_regs.x86_32);
    return 0;
}

/* The VMCB's segments in the save record's order. */
static const unsigned int seg_offset[HVM_NR_SEGS] = {
    [HVM_SEG_ES] = VMCB_ES,     [HVM_SEG_CS] = VMCB_CS, [HVM_SEG_SS] = VMCB_SS,
    [HVM_SEG_DS] = VMCB_DS,     [HVM_SEG_FS] = VMCB_FS, [HVM_SEG_GS] = VMCB_GS,
    [HVM_SEG_LDTR] = VMCB_LDTR, [HVM_SEG_TR] = VMCB_TR, [HVM_SEG_GDTR] = VMCB_GDTR,
    [HVM_SEG_IDTR] = VMCB_IDTR,
};

void svm_vcpu_save_state(struct vcpu *v, struct hvm_vcpu_state *st)
{
    const void *vmcb = v->arch.svm.vmcb;
    for ( unsigned int s = 0; s < HVM_NR_SEGS; s++ )
    {
        unsigned int off = seg_offset[s];
        uint16_t ar = (uint16_t)vmcb_get(vmcb, off + 2, 2);
        st->seg[s] = (struct hvm_seg){
            .sel = (uint16_t)vmcb_get(vmcb, off, 2),
            .ar = s >= HVM_SEG_GDTR || (ar & AR_P) ? ar : 0,
            .limit = (uint32_t)vmcb_get(vmcb, off + 4, 4),
            .base = vmcb_get64(vmcb, off + 8),
        };
    }
    st->cr0 = vmcb_get64(vmcb, VMCB_CR0);
    st->cr3 = vmcb_get64(vmcb, VMCB_CR3);
    st->cr4 = vmcb_get64(vmcb, VMCB_CR4);
    st->efer = v->arch.svm.guest_efer;
    st->dr7 = vmcb_get64(vmcb, VMCB_DR7);
    st->sysenter_cs = vmcb_get64(vmcb, VMCB_SYSENTER_CS);
    st->sysenter_esp = vmcb_get64(vmcb, VMCB_SYSENTER_ESP);
    st->sysenter_eip = vmcb_get64(vmcb, VMCB_SYSENTER_EIP);
    st->star = vmcb_get64(vmcb, VMCB_STAR);
    st->lstar = vmcb_get64(vmcb, VMCB_LSTAR);
    st->cstar = vmcb_get64(vmcb, VMCB_CSTAR);
    st->sfmask = vmcb_get64(vmcb, VMCB_SFMASK);
    st->kernel_gs_base = vmcb_get64(vmcb, VMCB_KERNEL_GS);
}

/* The record's segments as they were (the accessed bits included), and
 * the CPL from SS as the save record's DPL says. */
void svm_vcpu_load_state(struct vcpu *v, const struct hvm_vcpu_state *st)
{
    void *vmcb = v->arch.svm.vmcb;
    const uint16_t ss = st->seg[HVM_SEG_SS].ar, cs = st->seg[HVM_SEG_CS].ar;
    for ( unsigned int s = 0; s < HVM_NR_SEGS; s++ )
    {
        const struct hvm_seg *g = &st->seg[s];
        vmcb_set_seg(vmcb, seg_offset[s], g->sel, g->ar, g->limit, g->base);
    }
    vmcb_set(vmcb, VMCB_CPL, 1, AR_DPL(ss & AR_P ? ss : cs));
    vmcb_set(vmcb, VMCB_DR7, 8, st->dr7);
    vmcb_set(vmcb, VMCB_SYSENTER_CS, 8, st->sysenter_cs);
    vmcb_set(vmcb, VMCB_SYSENTER_ESP, 8, st->sysenter_esp);
    vmcb_set(vmcb, VMCB_SYSENTER_EIP, 8, st->sysenter_eip);
    vmcb_set(vmcb, VMCB_STAR, 8, st->star);
    vmcb_set(vmcb, VMCB_LSTAR, 8, st->lstar);
    vmcb_set(vmcb, VMCB_CSTAR, 8, st->cstar);
    vmcb_set(vmcb, VMCB_SFMASK, 8, st->sfmask);
    vmcb_set(vmcb, VMCB_KERNEL_GS, 8, st->kernel_gs_base);
}
