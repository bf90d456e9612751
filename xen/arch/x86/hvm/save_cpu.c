/*
 * save_cpu.c - the HVM context's CPU record (public/hvm/save.h, struct
 * hvm_hw_cpu) for one vCPU: written from the vendor structure and
 * v->arch on XEN_DOMCTL_gethvmcontext, and on sethvmcontext turned into
 * the VCPUOP_initialise context the vendor already knows how to check
 * and load, so both calls accept exactly the same register states.
 *
 * Loaded from a record: the GPRs, RIP, RFLAGS, CR0/CR2/CR3/CR4, EFER,
 * DR0-DR3/DR6, TSC_AUX through the VCPUOP_initialise path; then every
 * segment, GDTR/IDTR, DR7 and the SYSENTER MSRs as the record has them
 * (save_cpu_segs.c checks them, the vendor's vcpu_load_state writes
 * them) with the SYSCALL MSRs and KERNEL_GS_BASE, and the FXSAVE image if
 * the record says it is initialised. The TSC: the domain's carries on
 * from the record's value (domain_time.c; one TSC a domain, so the last
 * vCPU record loaded sets it). A record with an event pending is
 * refused, as nothing could deliver it.
 *
 * May not touch: scheduling state (common code brings the vCPU up) or any
 * vendor structure except through struct vcpu_vendor_ops.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/hvm/save.h>
#include <asm/fpu.h>
#include "save_cpu_priv.h"

#define PENDING_EVENT_VALID (1U << 31)

static void save_regs(const struct guest_regs *g, struct hvm_hw_cpu *r)
{
    r->rax = g->rax;
    r->rbx = g->rbx;
    r->rcx = g->rcx;
    r->rdx = g->rdx;
    r->rbp = g->rbp;
    r->rsi = g->rsi;
    r->rdi = g->rdi;
    r->rsp = g->rsp;
    r->r8 = g->r8;
    r->r9 = g->r9;
    r->r10 = g->r10;
    r->r11 = g->r11;
    r->r12 = g->r12;
    r->r13 = g->r13;
    r->r14 = g->r14;
    r->r15 = g->r15;
    r->rip = g->rip;
    r->rflags = g->rflags;
}

#define SAVE_SEG(r, st, name, idx)                \
    do                                            \
    {                                             \
        (r)->name##_sel = (st)->seg[idx].sel;     \
        (r)->name##_limit = (st)->seg[idx].limit; \
        (r)->name##_base = (st)->seg[idx].base;   \
        (r)->name##_arbytes = (st)->seg[idx].ar;  \
    } while ( 0 )

static void save_segs(const struct hvm_vcpu_state *st, struct hvm_hw_cpu *r)
{
    SAVE_SEG(r, st, cs, HVM_SEG_CS);
    SAVE_SEG(r, st, ds, HVM_SEG_DS);
    SAVE_SEG(r, st, es, HVM_SEG_ES);
    SAVE_SEG(r, st, fs, HVM_SEG_FS);
    SAVE_SEG(r, st, gs, HVM_SEG_GS);
    SAVE_SEG(r, st, ss, HVM_SEG_SS);
    SAVE_SEG(r, st, tr, HVM_SEG_TR);
    SAVE_SEG(r, st, ldtr, HVM_SEG_LDTR);
    r->gdtr_base = st->seg[HVM_SEG_GDTR].base;
    r->gdtr_limit = st->seg[HVM_SEG_GDTR].limit;
    r->idtr_base = st->seg[HVM_SEG_IDTR].base;
    r->idtr_limit = st->seg[HVM_SEG_IDTR].limit;
}

void arch_hvm_cpu_save(struct vcpu *v, struct hvm_hw_cpu *r)
{
    struct hvm_vcpu_state st;

    memset(r, 0, sizeof(*r));
    memset(&st, 0, sizeof(st));
    hvm_vendor->vcpu_save_state(v, &st);
    save_regs(&v->arch.regs, r);
    save_segs(&st, r);
    r->cr0 = st.cr0;
    r->cr2 = v->arch.cr2;
    r->cr3 = st.cr3;
    r->cr4 = st.cr4;
    r->dr0 = v->arch.dr[0];
    r->dr1 = v->arch.dr[1];
    r->dr2 = v->arch.dr[2];
    r->dr3 = v->arch.dr[3];
    r->dr6 = v->arch.dr6;
    r->dr7 = st.dr7;
    r->sysenter_cs = st.sysenter_cs;
    r->sysenter_esp = st.sysenter_esp;
    r->sysenter_eip = st.sysenter_eip;
    r->msr_star = st.star;
    r->msr_lstar = st.lstar;
    r->msr_cstar = st.cstar;
    r->msr_syscall_mask = st.sfmask;
    r->shadow_gs = st.kernel_gs_base;
    r->msr_efer = st.efer;
    r->msr_tsc_aux = v->arch.tsc_aux;
    r->tsc = domain_tsc(v->domain); /* the guest's own (domain_time.c) */
    fpu_get_fxsave(v, r->fpu_regs);
    r->flags = XEN_X86_FPU_INITIALISED;
}

static void context_64(const struct hvm_hw_cpu *r, struct vcpu_hvm_x86_64 *c)
{
    *c = (struct vcpu_hvm_x86_64){
        .rax = r->rax,
        .rcx = r->rcx,
        .rdx = r->rdx,
        .rbx = r->rbx,
        .rsp = r->rsp,
        .rbp = r->rbp,
        .rsi = r->rsi,
        .rdi = r->rdi,
        .rip = r->rip,
        .rflags = r->rflags,
        .cr0 = r->cr0,
        .cr3 = r->cr3,
        .cr4 = r->cr4,
        .efer = r->msr_efer,
    };
}

/* Is every value a 32-bit context carries within 32 bits? */
static bool fits_32(const struct hvm_hw_cpu *r)
{
    const uint64_t v[] = { r->rax, r->rbx,     r->rcx,     r->rdx,     r->rbp,     r->rsi,
                           r->rdi, r->rsp,     r->rip,     r->rflags,  r->cr0,     r->cr3,
                           r->cr4, r->cs_base, r->ds_base, r->ss_base, r->es_base, r->tr_base };
    const uint32_t ar =
        r->cs_arbytes | r->ds_arbytes | r->ss_arbytes | r->es_arbytes | r->tr_arbytes;
    uint64_t high = r->r8 | r->r9 | r->r10 | r->r11 | r->r12 | r->r13 | r->r14 | r->r15;

    for ( size_t i = 0; i < ARRAY_SIZE(v); i++ )
        high |= v[i] >> 32;
    return !high && !(ar >> 16);
}

static void context_32(const struct hvm_hw_cpu *r, struct vcpu_hvm_x86_32 *c)
{
    *c = (struct vcpu_hvm_x86_32){
        .eax = (uint32_t)r->rax,
        .ecx = (uint32_t)r->rcx,
        .edx = (uint32_t)r->rdx,
        .ebx = (uint32_t)r->rbx,
        .esp = (uint32_t)r->rsp,
        .ebp = (uint32_t)r->rbp,
        .esi = (uint32_t)r->rsi,
        .edi = (uint32_t)r->rdi,
        .eip = (uint32_t)r->rip,
        .eflags = (uint32_t)r->rflags,
        .cr0 = (uint32_t)r->cr0,
        .cr3 = (uint32_t)r->cr3,
        .cr4 = (uint32_t)r->cr4,
        .efer = r->msr_efer,
        .cs_base = (uint32_t)r->cs_base,
        .ds_base = (uint32_t)r->ds_base,
        .ss_base = (uint32_t)r->ss_base,
        .es_base = (uint32_t)r->es_base,
        .tr_base = (uint32_t)r->tr_base,
        .cs_limit = r->cs_limit,
        .ds_limit = r->ds_limit,
        .ss_limit = r->ss_limit,
        .es_limit = r->es_limit,
        .tr_limit = r->tr_limit,
        .cs_ar = (uint16_t)r->cs_arbytes,
        .ds_ar = (uint16_t)r->ds_arbytes,
        .ss_ar = (uint16_t)r->ss_arbytes,
        .es_ar = (uint16_t)r->es_arbytes,
        .tr_ar = (uint16_t)r->tr_arbytes,
    };
}

/* The record as a VCPUOP_initialise context, and what that cannot say
 * checked here: -EINVAL if it does not fit. */
static int record_to_context(const struct hvm_hw_cpu *r, struct vcpu_hvm_context *c)
{
    memset(c, 0, sizeof(*c));
    if ( r->pending_event & PENDING_EVENT_VALID )
        return -EINVAL;
    if ( (r->dr6 | r->dr7) >> 32 || r->msr_tsc_aux >> 32 )
        return -EINVAL;
    if ( r->msr_efer & EFER_LMA )
    {
        c->mode = VCPU_HVM_MODE_64B;
        context_64(r, &c->cpu_regs.x86_64);
        return 0;
    }
    if ( !fits_32(r) )
        return -EINVAL;
    c->mode = VCPU_HVM_MODE_32B;
    context_32(r, &c->cpu_regs.x86_32);
    return 0;
}

int arch_hvm_cpu_check(struct vcpu *v, const struct hvm_hw_cpu *r)
{
    struct vcpu_hvm_context c;
    int rc = record_to_context(r, &c);

    if ( !rc )
        rc = cpu_record_segs_check(r);
    if ( !rc && (r->flags & XEN_X86_FPU_INITIALISED) )
        rc = fpu_fxsave_check(r->fpu_regs);
    return rc ? rc : hvm_vendor->vcpu_check_hvm_context(v, &c);
}

static void load_extra(struct vcpu *v, const struct hvm_hw_cpu *r)
{
    struct guest_regs *g = &v->arch.regs;

    if ( r->msr_efer & EFER_LMA )
    {
        g->r8 = r->r8;
        g->r9 = r->r9;
        g->r10 = r->r10;
        g->r11 = r->r11;
        g->r12 = r->r12;
        g->r13 = r->r13;
        g->r14 = r->r14;
        g->r15 = r->r15;
    }
    v->arch.cr2 = r->cr2;
    v->arch.dr[0] = r->dr0;
    v->arch.dr[1] = r->dr1;
    v->arch.dr[2] = r->dr2;
    v->arch.dr[3] = r->dr3;
    v->arch.dr6 = r->dr6;
    v->arch.tsc_aux = r->msr_tsc_aux;
    domain_tsc_set(v->domain, r->tsc); /* as Xen: the TSC carries on from it */
}

int arch_hvm_cpu_load(struct vcpu *v, const struct hvm_hw_cpu *r)
{
    struct vcpu_hvm_context c;
    struct hvm_vcpu_state st;
    int rc = record_to_context(r, &c);

    if ( !rc )
        rc = arch_vcpu_set_context(v, &c);
    if ( rc )
        return rc;
    load_extra(v, r);
    cpu_record_segs(r, &st);
    hvm_vendor->vcpu_load_state(v, &st);
    if ( r->flags & XEN_X86_FPU_INITIALISED )
        fpu_set_fxsave(v, r->fpu_regs);
    return 0;
}
