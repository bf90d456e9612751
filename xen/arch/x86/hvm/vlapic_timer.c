/*
 * vlapic_timer.c - the emulated local APIC's timer: one-shot and periodic
 * counts of the initial-count register, and TSC-deadline mode
 * (IA32_TSC_DEADLINE), each on one software timer (xen/timer.h) per vCPU.
 *
 * As in Xen the count runs at 1 GHz before the divider (one tick a
 * nanosecond divided by DCR's 1..128), a length that is the same on the
 * host's clock and the guest's. A TSC deadline is in the guest's TSC
 * (domain_time.c, at the guest's rate and offset): it is compared with
 * that and armed at the host time the guest's TSC reaches it.
 *
 * May not touch: any register but the timer's (LVT timer, initial and
 * current count, divide configuration, the deadline MSR).
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/timer.h>
#include <asm/x86.h>
#include <xen/time_scale.h>
#include <asm/vlapic.h>
#include "vlapic_priv.h"

/* The shortest period a periodic count re-arms with (as Xen's 0.1 ms):
 * a guest may not turn the host's timer into a storm. */
#define MIN_PERIOD MICROSECS(100)

static unsigned int divider(const struct vlapic *vl)
{
    unsigned int d = ((vl->timer_dcr >> 1) & 4) | (vl->timer_dcr & 3);

    return d == 7 ? 1 : 2U << d; /* 000: 2, 001: 4, ... 110: 128, 111: 1 */
}

static uint32_t timer_mode(const struct vlapic *vl)
{
    return vl->lvt[0] & LVT_TIMER_MODE_MASK;
}

/* The host time at which v's TSC reads tsc (the past: now). */
static s_time_t tsc_to_system_time(const struct vcpu *v, uint64_t tsc)
{
    return domain_tsc_to_host_time(v->domain, tsc);
}

/* A deadline or count that is due (lock held): whether to raise the
 * vector. A callback that is not due (stale: the timer was re-armed or
 * stopped while it waited for the lock) re-arms for the real expiry or
 * does nothing. */
static bool timer_due(struct vcpu *v)
{
    struct vlapic *vl = &v->arch.vlapic;
    s_time_t now = NOW(), due = vl->timer_start + vl->timer_period;

    if ( !vl->timer_armed )
        return false;
    if ( timer_mode(vl) == LVT_TIMER_TSC_DEADLINE )
    {
        if ( domain_tsc(v->domain) < vl->tsc_deadline )
        {
            set_timer(&vl->timer, tsc_to_system_time(v, vl->tsc_deadline));
            return false;
        }
        vl->tsc_deadline = 0;
        vl->timer_armed = false;
        return true;
    }
    if ( now < due )
    {
        set_timer(&vl->timer, due);
        return false;
    }
    if ( timer_mode(vl) != LVT_TIMER_PERIODIC )
    {
        vl->timer_armed = false;
        return true;
    }
    vl->timer_start = due;
    if ( vl->timer_start + vl->timer_period < now )
        vl->timer_start = now; /* far behind: no burst of catch-up interrupts */
    set_timer(&vl->timer, vl->timer_start + vl->timer_period);
    return true;
}

/* The timer fired (interrupts off, no lock): raise the LVT's vector if
 * the count or deadline is really due and the entry is not masked. */
static void timer_fn(void *data)
{
    struct vcpu *v = data;
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);
    uint32_t lvt = vl->lvt[0];
    bool fire = timer_due(v);

    spin_unlock_irqrestore(&vl->lock, f);
    if ( fire && !(lvt & (1U << 16)) )
        vlapic_set_irq(v, lvt & 0xff);
}

void vlapic_timer_init(struct vcpu *v)
{
    init_timer(&v->arch.vlapic.timer, timer_fn, v);
}

void vlapic_timer_kill(struct vcpu *v)
{
    kill_timer(&v->arch.vlapic.timer);
}

void vlapic_timer_stop(struct vcpu *v)
{
    stop_timer(&v->arch.vlapic.timer);
}

/* A write of the initial count (lock held): start counting down from it;
 * 0 stops the timer. Ignored in TSC-deadline mode. */
void vlapic_timer_set_count(struct vcpu *v, uint32_t count)
{
    struct vlapic *vl = &v->arch.vlapic;

    if ( timer_mode(vl) == LVT_TIMER_TSC_DEADLINE )
        return;
    vl->timer_icr = count;
    vl->timer_period = (s_time_t)count * divider(vl);
    if ( timer_mode(vl) == LVT_TIMER_PERIODIC && count && vl->timer_period < MIN_PERIOD )
        vl->timer_period = MIN_PERIOD;
    vl->timer_armed = count != 0;
    if ( !count )
    {
        stop_timer(&vl->timer);
        return;
    }
    vl->timer_start = NOW();
    set_timer(&vl->timer, vl->timer_start + vl->timer_period);
}

/* The current-count register (lock held). */
uint32_t vlapic_timer_current(struct vcpu *v)
{
    struct vlapic *vl = &v->arch.vlapic;
    s_time_t elapsed;

    if ( timer_mode(vl) == LVT_TIMER_TSC_DEADLINE || !vl->timer_period )
        return 0;
    elapsed = NOW() - vl->timer_start;
    if ( elapsed >= vl->timer_period )
    {
        if ( timer_mode(vl) != LVT_TIMER_PERIODIC )
            return 0;
        elapsed %= vl->timer_period;
    }
    return (uint32_t)MIN((uint64_t)(vl->timer_period - elapsed) / divider(vl), vl->timer_icr);
}

/* The LVT timer's mode changed (lock held): whatever was armed is void. */
void vlapic_timer_mode_changed(struct vcpu *v)
{
    struct vlapic *vl = &v->arch.vlapic;

    stop_timer(&vl->timer);
    vl->timer_armed = false;
    vl->timer_icr = 0;
    vl->timer_period = 0;
    vl->tsc_deadline = 0;
}

uint64_t vlapic_timer_deadline(struct vcpu *v)
{
    struct vlapic *vl = &v->arch.vlapic;

    return timer_mode(vl) == LVT_TIMER_TSC_DEADLINE ? ACCESS_ONCE(vl->tsc_deadline) : 0;
}

/* IA32_TSC_DEADLINE: arm for that TSC value (0 disarms); a write outside
 * TSC-deadline mode is ignored, as on hardware. */
void vlapic_timer_set_deadline(struct vcpu *v, uint64_t tsc)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);

    if ( timer_mode(vl) != LVT_TIMER_TSC_DEADLINE )
        goto out;
    vl->tsc_deadline = tsc;
    vl->timer_armed = tsc != 0;
    if ( !tsc )
    {
        stop_timer(&vl->timer);
        goto out;
    }
    set_timer(&vl->timer, tsc_to_system_time(v, tsc));
out:
    spin_unlock_irqrestore(&vl->lock, f);
}

/* Restore: the count runs on from ccr (the current count), one period of the initial count
 * after that if periodic; a deadline is armed as a write would arm it. */
void vlapic_timer_restore(struct vcpu *v, uint32_t ccr)
{
    struct vlapic *vl = &v->arch.vlapic;
    s_time_t left;

    stop_timer(&vl->timer);
    vl->timer_armed = false;
    if ( timer_mode(vl) == LVT_TIMER_TSC_DEADLINE )
    {
        vl->timer_icr = 0;
        vl->timer_period = 0;
        vl->timer_armed = vl->tsc_deadline != 0;
        if ( vl->timer_armed )
            set_timer(&vl->timer, tsc_to_system_time(v, vl->tsc_deadline));
        return;
    }
    vl->tsc_deadline = 0;
    vlapic_timer_set_count(v, vl->timer_icr); /* period and start, as a write */
    if ( !vl->timer_armed )
        return;
    left = (s_time_t)ccr * divider(vl);
    if ( !ccr && timer_mode(vl) != LVT_TIMER_PERIODIC )
    {
        stop_timer(&vl->timer); /* fired before the save: nothing runs */
        vl->timer_armed = false;
        return;
    }
    if ( !ccr || left > vl->timer_period )
        left = vl->timer_period;
    vl->timer_start = NOW() + left - vl->timer_period;
    set_timer(&vl->timer, vl->timer_start + vl->timer_period);
}
