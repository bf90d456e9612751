/*
 * vlapic_timer.c - the emulated local APIC's timer. Until the software
 * timers (xen/timer.h) are in the tree the registers hold their values
 * but the timer never fires.
 *
 * May not touch: any register but the timer's.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/vlapic.h>
#include "vlapic_priv.h"

void vlapic_timer_init(struct vcpu *v)
{
}

void vlapic_timer_kill(struct vcpu *v)
{
}

void vlapic_timer_stop(struct vcpu *v)
{
}

void vlapic_timer_set_count(struct vcpu *v, uint32_t count)
{
    v->arch.vlapic.timer_icr = count;
}

uint32_t vlapic_timer_current(struct vcpu *v)
{
    return 0;
}

void vlapic_timer_mode_changed(struct vcpu *v)
{
}

uint64_t vlapic_timer_deadline(struct vcpu *v)
{
    return 0;
}

void vlapic_timer_set_deadline(struct vcpu *v, uint64_t tsc)
{
}
