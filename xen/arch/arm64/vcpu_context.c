/*
 * vcpu_context.c - XEN_DOMCTL_setvcpucontext on arm64: a toolstack's
 * domain builder gives a down vCPU its start state in Xen's Arm struct
 * vcpu_guest_context (public/arch-arm.h): x0-x30, PC, PSTATE, SP_EL0/1,
 * ELR_EL1, SPSR_EL1 and the stage-1 controls SCTLR/TCR/TTBR0/TTBR1.
 *
 * The state is copied whole, then checked, then applied: PSTATE may name
 * only AArch64 EL1 (EL1h or EL1t) with NZCV and DAIF, because ERET from
 * EL2 goes wherever SPSR_EL2 says (EL2 itself included), and the PC
 * must be 4-byte aligned. Everything else is EL1's own and is what the
 * guest could write itself. The rest of the vCPU is its power-on state
 * (guest_vcpu_reset: FP/SIMD zero, timer off).
 *
 * May not touch: any vCPU but the one given, and that one only after
 * every check passed.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <public/arch-arm.h>
#include <asm/guest.h>

#define PSTATE_NZCV 0xf0000000UL
#define PSTATE_M    0x1fUL

static bool pstate_ok(uint64_t p)
{
    uint64_t m = p & PSTATE_M;
    if ( p & ~(PSTATE_NZCV | PSR_GUEST_DAIF | PSTATE_M) )
        return false;
    return m == PSR_GUEST64_EL1h || m == PSR_GUEST64_EL1t;
}

static int check(const struct vcpu_guest_context *c)
{
    if ( c->flags & ~VGCF_online )
        return -EINVAL;
    if ( !pstate_ok(c->user_regs.cpsr) || (c->user_regs.pc64 & 3) )
        return -EINVAL;
    return 0;
}

static void apply(struct vcpu *v, const struct vcpu_guest_context *c)
{
    const struct vcpu_guest_core_regs *r = &c->user_regs;
    guest_vcpu_reset(v, r->pc64, 0);
    memcpy(v->arch.regs.x, r->x, sizeof(v->arch.regs.x));
    v->arch.regs.pstate = r->cpsr;
    v->arch.sys.sp_el0 = r->sp_el0;
    v->arch.sys.sp_el1 = r->sp_el1;
    v->arch.sys.elr_el1 = r->elr_el1;
    v->arch.sys.spsr_el1 = r->spsr_el1;
    v->arch.sys.sctlr = c->sctlr ? c->sctlr : SCTLR_EL1_RESET;
    v->arch.sys.tcr = c->ttbcr;
    v->arch.sys.ttbr0 = c->ttbr0;
    v->arch.sys.ttbr1 = c->ttbr1;
}

int arch_vcpu_set_guest_context(struct vcpu *v, uint64_t ctxt, bool *online)
{
    struct vcpu_guest_context c;
    int rc;
    if ( copy_from_guest(&c, ctxt, sizeof(c)) )
        return -EFAULT;
    rc = check(&c);
    if ( rc )
        return rc;
    apply(v, &c);
    *online = c.flags & VGCF_online;
    return 0;
}
