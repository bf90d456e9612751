/*
 * ioreq.c (arm64) - a stage-2 data abort that an IOREQ server claims
 * becomes an IOREQ_TYPE_COPY request (docs/designs/arm64.md, "Part
 * arm-ioreq"), and the request's answer finishes the instruction before
 * the vCPU's next entry.
 *
 * The syndrome describes the access when ISV is set (Arm ARM D19,
 * "ISS encoding for an exception from a Data Abort"): SAS the size, WnR
 * the direction, SRT the register, SSE and SF how a load extends. That
 * is the whole instruction's effect on the registers besides the PC, so
 * no instruction is fetched or decoded: a write sends the register, a
 * read puts the answer into it, and the PC moves on. An abort without
 * ISV (a pair, a writeback form, a SIMD register) cannot be emulated
 * that way; at a forwarded address it is given back to the guest as a
 * synchronous external abort, as Xen on Arm does for what it cannot
 * decode, instead of being sent half understood.
 *
 * Port I/O does not exist on Arm: a server's XEN_DMOP_IO_RANGE_PORT
 * ranges are never matched because nothing here asks for them.
 *
 * May not touch: p2m entries (common ioreq_fwd.c only looks them up),
 * the servers' pages and the slot's state (common code's), any guest
 * register but the access's Rt and the PC, and the guest's EL1 fault
 * registers only to inject the abort.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/ioreq.h>
#include <asm/ioreq.h>
#include <asm/guest.h>
#include <asm/sysregs.h>
#include <asm/system.h>

static uint64_t size_mask(unsigned int size)
{
    return size == 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

/* What a load of size bytes leaves in its register: sign-extended to 64
 * bits with SSE, then cut to 32 bits for a W register (SF clear). */
static uint64_t load_value(uint64_t esr, unsigned int size, uint64_t data)
{
    uint64_t val = data & size_mask(size);
    if ( (esr & DABT_SSE) && size < 8 )
    {
        uint64_t sign = 1UL << (8 * size - 1);
        val = (val ^ sign) - sign;
    }
    return (esr & DABT_SF) ? val : (uint32_t)val;
}

/* The access's outcome on the registers, once it is answered. */
static void finish(struct vcpu *v, uint64_t esr, uint64_t data)
{
    unsigned int rt = DABT_SRT(esr);
    if ( !(esr & DABT_WNR) && rt < 31 ) /* 31 is XZR: the value goes nowhere */
        v->arch.regs.x[rt] = load_value(esr, 1U << DABT_SAS(esr), data);
    v->arch.regs.pc += 4; /* AArch64: ISV is only set for 4-byte instructions */
    ioreq_instruction_done(v);
}

/* Send (or replay) the access the syndrome describes. True if a server
 * took it: answered now, or the vCPU waits and run_once finishes it. */
static bool forward(struct vcpu *v, uint64_t esr, uint64_t ipa)
{
    unsigned int size = 1U << DABT_SAS(esr), rt = DABT_SRT(esr);
    bool write = esr & DABT_WNR;
    uint64_t val = write && rt < 31 ? v->arch.regs.x[rt] & size_mask(size) : 0;
    switch ( ioreq_mmio(v, ipa, size, write, &val) )
    {
    case IOREQ_DONE: finish(v, esr, val); return true;
    case IOREQ_PENDING:
        v->arch.ioreq_esr = esr;
        v->arch.ioreq_ipa = ipa;
        return true;
    default: return false;
    }
}

bool arm64_ioreq_abort(struct vcpu *v, uint64_t ipa)
{
    uint64_t esr = v->arch.regs.esr;
    if ( !ACCESS_ONCE(v->domain->ioreq.nr_servers) )
        return false;
    if ( esr & DABT_ISV )
        return forward(v, esr, ipa);
    if ( !ioreq_mmio_claimed(v, ipa, 1, esr & DABT_WNR) )
        return false;
    if ( !v->arch.ioreq_nosyn_logged ) /* once per vCPU: a guest may loop on it */
        printk(XENLOG_WARNING "d%uv%u: data abort without ISV at forwarded IPA %#lx (PC %#lx): "
                              "cannot be decoded, external abort injected (said once)\n",
               v->domain->domain_id, v->vcpu_id, ipa, v->arch.regs.pc);
    v->arch.ioreq_nosyn_logged = true;
    guest_inject_dabt(v);
    return true;
}

/* Its answer is in: the same access again is replayed from the list
 * (or, if an invalidation went first, sent now and waited for). */
static void resume(struct vcpu *v)
{
    if ( !forward(v, v->arch.ioreq_esr, v->arch.ioreq_ipa) )
    {
        /* The server went while we waited: what it claimed is a hole. */
        domain_crash(v->domain, "forwarded MMIO access lost its IOREQ server");
    }
}

void arm64_ioreq_before_entry(struct vcpu *v)
{
    if ( ACCESS_ONCE(v->ioreq.resume) )
    {
        smp_rmb(); /* waiting (cleared) was read first by the scheduler */
        v->ioreq.resume = false;
        resume(v);
    }
    if ( vcpu_runnable(v) )
        ioreq_before_entry(v);
}
