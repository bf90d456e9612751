/*
 * intr.c - which interrupt a vCPU gets at its next entry, in Xen's order:
 * a pending NMI, then the event-channel callback vector
 * (HVM_PARAM_CALLBACK_IRQ of the vector type, delivered straight to the
 * vCPU while its vcpu_info evtchn_upcall_pending is set, not through the
 * LAPIC), then the vLAPIC's highest requested vector above its PPR. The
 * vendor injects it if the guest can take it now and otherwise opens an
 * interrupt or NMI window. Also the event-channel upcall hook
 * (arch_evtchn_inject) and HVMOP_set_evtchn_upcall_vector, which routes a
 * vCPU's upcalls through its vLAPIC's IRR instead.
 *
 * May not touch: the vLAPIC's registers (vlapic.c's), a VMCS or VMCB
 * (the vendor's), event-channel state beyond reading evtchn_upcall_pending.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/smp.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/vlapic.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

#define RFLAGS_IF (1ULL << 9)

void hvm_vcpu_kick(struct vcpu *v)
{
    int cpu = ACCESS_ONCE(v->processor);

    vcpu_wake(v);
    if ( cpu >= 0 && v != current )
        smp_kick_cpu((unsigned int)cpu);
}

/* The callback vector if the guest asked for one and v has an upcall
 * pending; -1 otherwise. A vCPU with its own upcall vector gets its
 * upcalls through the LAPIC instead. */
static int callback_vector(struct vcpu *v)
{
    uint64_t via = ACCESS_ONCE(v->domain->hvm_params[HVM_PARAM_CALLBACK_IRQ]);
    struct vcpu_info *vi;

    if ( (via >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) != HVM_PARAM_CALLBACK_TYPE_VECTOR ||
         ACCESS_ONCE(v->arch.upcall_vector) )
        return -1;
    vi = vcpu_info_of(v);
    if ( !vi || !ACCESS_ONCE(vi->evtchn_upcall_pending) )
        return -1;
    return (int)(via & 0xff);
}

void hvm_intr_assist(struct vcpu *v)
{
    struct vlapic *vl = &v->arch.vlapic;
    int vec;

    if ( ACCESS_ONCE(vl->nmi_pending) )
    {
        if ( hvm_vendor->inject_intr(v, HVM_INTR_NMI, 2) )
            ACCESS_ONCE(vl->nmi_pending) = false;
        return;
    }
    vec = callback_vector(v);
    if ( vec >= 0 )
    {
        /* Level-like: re-delivered until the guest clears upcall_pending. */
        if ( hvm_vendor->inject_intr(v, HVM_INTR_EXT, (uint8_t)vec) )
            v->arch.intr_from_lapic = -1;
        return;
    }
    vec = vlapic_pending_vector(v);
    if ( vec >= 0 && hvm_vendor->inject_intr(v, HVM_INTR_EXT, (uint8_t)vec) )
    {
        vlapic_ack(v, (uint8_t)vec);
        v->arch.intr_from_lapic = vec;
    }
}

void hvm_intr_not_taken(struct vcpu *v, uint8_t vec)
{
    if ( v->arch.intr_from_lapic == vec )
        vlapic_unack(v, vec);
    v->arch.intr_from_lapic = -1;
}

bool hvm_intr_pending(struct vcpu *v)
{
    if ( ACCESS_ONCE(v->arch.vlapic.nmi_pending) )
        return true;
    if ( !(v->arch.regs.rflags & RFLAGS_IF) )
        return false;
    return callback_vector(v) >= 0 || vlapic_pending_vector(v) >= 0;
}

bool arch_vcpu_intr_pending(struct vcpu *v)
{
    return hvm_intr_pending(v);
}

void arch_evtchn_inject(struct vcpu *v)
{
    uint8_t vec = ACCESS_ONCE(v->arch.upcall_vector);

    if ( vec )
        vlapic_set_irq(v, vec);
    else
        hvm_vcpu_kick(v);
}

/* Xen's checks and answers: vector below 0x10 -EINVAL, no such vCPU
 * -ENOENT. There is no way back to the callback vector (0 is refused). */
long hvmop_set_evtchn_upcall_vector(uint64_t arg)
{
    struct xen_hvm_evtchn_upcall_vector op;
    struct domain *d = current->domain;
    struct vcpu_info *vi;
    struct vcpu *v;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.vector < 0x10 )
        return -EINVAL;
    if ( op.vcpu >= d->max_vcpus || !(v = d->vcpu[op.vcpu]) )
        return -ENOENT;
    ACCESS_ONCE(v->arch.upcall_vector) = op.vector;
    vi = vcpu_info_of(v);
    if ( vi && ACCESS_ONCE(vi->evtchn_upcall_pending) )
        vlapic_set_irq(v, op.vector);
    return 0;
}
