/*
 * runstate.c - per-vCPU run-state accounting (Xen's vcpu_runstate_info):
 * how long each vCPU has been running, runnable (waiting for a CPU),
 * blocked and offline, in the domain's system time (domain_time.c). Guests read it for steal time
 * (VCPUOP_get_runstate_info, or an area they register with
 * VCPUOP_register_runstate_memory_area that is refreshed each time the
 * vCPU is switched in, in the 32-bit layout for a domain that latched
 * the 32-bit shared_info layout).
 *
 * The state is derived from the scheduler's (v->state, v->processor) at
 * each call of runstate_sync(), which the scheduler makes at every change
 * it performs, under sched_lock. May not touch: scheduling decisions.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/timer.h>
#include <xen/guest_access.h>
#include <xen/shared_layout.h>
#include <public/vcpu.h>

/* Bit 63 of state_entry_time while the guest area is being rewritten
 * (VMASST_TYPE_runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

static int runstate_of(const struct vcpu *v)
{
    switch ( v->state )
    {
    case VCPU_RUNNING: return v->processor >= 0 ? RUNSTATE_running : RUNSTATE_runnable;
    case VCPU_RUNNABLE: return RUNSTATE_runnable;
    case VCPU_BLOCKED: return RUNSTATE_blocked;
    default: return RUNSTATE_offline;
    }
}

void runstate_sync(struct vcpu *v)
{
    struct vcpu_runstate_info *r = &v->runstate;
    int now_state = runstate_of(v);
    s_time_t now = domain_now(v->domain);
    if ( now_state == r->state )
        return;
    if ( now > (s_time_t)r->state_entry_time )
        r->time[r->state] += (uint64_t)now - r->state_entry_time;
    r->state = now_state;
    r->state_entry_time = (uint64_t)now;
}

void runstate_init(struct vcpu *v)
{
    v->runstate =
        (struct vcpu_runstate_info){ .state = RUNSTATE_offline,
                                     .state_entry_time = (uint64_t)domain_now(v->domain) };
}

/* The guest's copy, refreshed as v enters (v is current: its page
 * tables translate the address). A guest that unmapped its area simply
 * gets no update. With the update flag on, the guest sees bit 63 of
 * state_entry_time set while the rest changes. */
void runstate_guest_update(struct vcpu *v)
{
    struct runstate_image img;
    uint64_t va = v->runstate_guest_va;
    if ( !va )
        return;
    runstate_image(v->domain, &v->runstate, &img);
    if ( v->domain->runstate_update_flag )
    {
        uint64_t busy = v->runstate.state_entry_time | XEN_RUNSTATE_UPDATE;
        if ( copy_to_vcpu(v, va + img.entry_offset, &busy, sizeof(busy)) )
            return;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    copy_to_vcpu(v, va, &img.u, img.size);
}

long vcpuop_get_runstate_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_runstate_info r;
    unsigned long f = spin_lock_irqsave(&sched_lock);
    runstate_sync(v);
    r = v->runstate;
    spin_unlock_irqrestore(&sched_lock, f);
    /* The time in the current state so far counts too. */
    r.time[r.state] += (uint64_t)domain_now(v->domain) - r.state_entry_time;
    return copy_to_guest(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

long vcpuop_register_runstate_area(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_runstate_memory_area area;
    if ( copy_from_guest(&area, arg, sizeof(area)) )
        return -EFAULT;
    v->runstate_guest_va = area.addr;
    if ( v == current )
        runstate_guest_update(v);
    return 0;
}
