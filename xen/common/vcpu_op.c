/*
 * vcpu_op.c - the vcpu_op hypercall: a domain starts, stops and queries
 * its own vCPUs.
 *
 * Every vCPU up to max_vcpus exists from domain creation (offline). A
 * secondary vCPU is given registers once with VCPUOP_initialise (an HVM
 * context), then started with VCPUOP_up; VCPUOP_down stops one, and the
 * last one to go down powers the domain off, as in Xen.
 *
 * Locking: d->lock makes "is it initialised? then initialise it" one
 * step; run-state changes are the scheduler's, under sched_lock. Register
 * state is the vendor code's: this file only hands it a checked context.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/arch.h>
#include <xen/time.h>
#include <asm/system.h>
#include <public/vcpu.h>
#include <public/sched.h>
#include <public/hvm/hvm_vcpu.h>

/* The scheduler's lock (schedule.c); until it offers a vcpu_up(), VCPUOP_up
 * makes the offline -> runnable change itself, under that lock. */
extern spinlock_t sched_lock;

static long vcpuop_initialise(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->domain;
    struct vcpu_hvm_context ctx;
    long rc;
    if ( copy_from_guest(&ctx, arg, sizeof(ctx)) )
        return -EFAULT;
    if ( ctx.pad != 0 || (ctx.mode != VCPU_HVM_MODE_32B && ctx.mode != VCPU_HVM_MODE_64B) )
        return -EINVAL;
    spin_lock(&d->lock);
    if ( v->initialised )
        rc = -EEXIST; /* Xen's answer; a context is given once */
    else
        rc = arch_vcpu_set_context(v, &ctx);
    if ( !rc )
        v->initialised = true;
    spin_unlock(&d->lock);
    return rc;
}

static long vcpuop_up(struct vcpu *v)
{
    unsigned long f;
    if ( !v->initialised )
        return -EINVAL;
    f = spin_lock_irqsave(&sched_lock);
    if ( !v->is_up )
    {
        v->is_up = true;
        if ( v->state == VCPU_OFFLINE )
            v->state = VCPU_RUNNABLE;
    }
    spin_unlock_irqrestore(&sched_lock, f);
    vcpu_wake(v); /* lets an idle CPU pick it up */
    return 0;
}

static bool other_vcpu_up(const struct vcpu *v)
{
    const struct domain *d = v->domain;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && d->vcpu[i] != v && d->vcpu[i]->is_up )
            return true;
    return false;
}

static long vcpuop_down(struct vcpu *v)
{
    struct domain *d = v->domain;
    bool last;
    int cpu;
    /* Under d->lock so that two vCPUs going down together cannot both
     * count the other as still up. */
    spin_lock(&d->lock);
    last = v->is_up && !other_vcpu_up(v);
    if ( v->is_up && !last )
        vcpu_offline(v);
    spin_unlock(&d->lock);
    if ( last )
    {
        domain_shutdown(d, SHUTDOWN_poweroff);
        return 0;
    }
    /* Stopping ourselves takes effect when this exit returns; another
     * vCPU may be in guest mode and must be made to leave it. */
    cpu = ACCESS_ONCE(v->processor);
    if ( v != current && cpu >= 0 )
        smp_kick_cpu((unsigned int)cpu);
    return 0;
}

/* The checks and the move are event_channel.c's (vcpu_info_of). */
static long vcpuop_register_vcpu_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    if ( copy_from_guest(&info, arg, sizeof(info)) )
        return -EFAULT;
    return evtchn_register_vcpu_info(v, info.mfn, info.offset);
}

/* Xen's arguments are (int cmd, unsigned int vcpuid, arg). */
long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg)
{
    struct domain *d = current->domain;
    uint32_t id = (uint32_t)vcpuid;
    struct vcpu *v;
    if ( id >= d->max_vcpus || !(v = d->vcpu[id]) )
        return -ENOENT;
    switch ( (uint32_t)cmd )
    {
    case VCPUOP_initialise: return vcpuop_initialise(v, arg);
    case VCPUOP_up: return vcpuop_up(v);
    case VCPUOP_down: return vcpuop_down(v);
    case VCPUOP_is_up: return v->is_up ? 1 : 0;
    case VCPUOP_get_runstate_info: return vcpuop_get_runstate_info(v, arg);
    case VCPUOP_register_runstate_memory_area: return vcpuop_register_runstate_area(v, arg);
    case VCPUOP_register_vcpu_info: return vcpuop_register_vcpu_info(v, arg);
    case VCPUOP_set_periodic_timer:
    case VCPUOP_stop_periodic_timer:
    case VCPUOP_set_singleshot_timer:
    case VCPUOP_stop_singleshot_timer: return vcpu_timer_op((uint32_t)cmd, v, arg);
    default: return -ENOSYS;
    }
}
