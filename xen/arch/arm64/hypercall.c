/*
 * hypercall.c - Xen's Arm hypercall ABI into the common dispatcher:
 * `HVC #0xEA1` with the number in x16, arguments in x0..x4 and the result
 * in x0 (the other argument registers are left as they were). A call from
 * EL0 is refused by the dispatcher. A handler's -ERESTART puts the PC
 * back on the HVC (HVC's ELR_EL2 is the next instruction), so the guest
 * issues the call again with the arguments hypercall_set_arg rewrote.
 *
 * May not touch: any guest register but x0..x4 and the PC.
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/hypercall.h>
#include <asm/guest.h>
#include <public/memory.h>
#include <public/hvm/hvm_op.h>
#include <public/arch-x86/xen-mca.h>

void arch_hypercall(struct vcpu *v)
{
    struct guest_regs *r = &v->arch.regs;
    bool from_user = (r->pstate & PSR_MODE_MASK) == PSR_MODE_EL0T;
    long rc = hypercall_dispatch(v->domain, r->x[16], r->x, from_user);
    if ( rc == -ERESTART )
    {
        r->pc -= 4;
        vcpu_yield();
        return;
    }
    r->x[0] = (uint64_t)rc;
}

void hypercall_set_arg(unsigned int idx, uint64_t val)
{
    if ( idx < HYPERCALL_MAX_ARGS )
        current->arch.regs.x[idx] = val;
}

/*
 * What Xen's Arm build lacks though the common tables list it: the
 * machine-check hypercall, XENMEM_memory_map (an Arm guest finds its RAM
 * in the device tree) and the HVMOPs other than the parameters (Wren adds
 * get_mem_type). A domU asking gets Xen on Arm's -ENOSYS, not the
 * -EPERM, -EFAULT or -EOPNOTSUPP of a handler that was never meant to
 * run here (found by the hostile-guest fuzzer, seed 1).
 */
bool arch_hypercall_absent(uint64_t nr, uint64_t cmd)
{
    switch ( nr )
    {
    case __HYPERVISOR_mca: return true;
    case __HYPERVISOR_memory_op: return cmd == XENMEM_memory_map;
    case __HYPERVISOR_hvm_op: return cmd == HVMOP_set_evtchn_upcall_vector || cmd == HVMOP_altp2m;
    }
    return false;
}

/* Xen on Arm's word for 64-bit Arm guests (no AArch32 ones here). */
const char *arch_xen_capabilities(void)
{
    return "xen-3.0-aarch64";
}
