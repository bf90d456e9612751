/*
 * timer.c - the hypervisor's clock (NOW()) and its software timers.
 *
 * NOW() is the TSC since boot, scaled to nanoseconds by the same
 * shift-and-multiply a pvclock guest uses (time_scale.h). Emulated and
 * real machines alike keep one TSC for every CPU, so NOW() is the same
 * everywhere.
 *
 * One list of pending timers, sorted by expiry, under timer_lock; any
 * CPU whose local timer interrupt finds a timer due runs it. Each CPU's
 * local APIC timer is one-shot, set to the earlier of its next scheduler
 * tick (the scheduler's 10 ms slice, unchanged) and the earliest pending
 * timer; set_timer moves the calling CPU's deadline forward when the new
 * timer is sooner. A timer therefore fires within the interrupt latency
 * of its expiry, not at the next tick.
 *
 * The interrupt itself takes no lock (it may arrive while this CPU holds
 * a lock of a class after `timer`, e.g. page_alloc, with interrupts on):
 * it counts the tick and marks the CPU; the scheduler loop then calls
 * timer_softirq, holding nothing, before it next enters a guest or idles.
 *
 * May not touch: vCPU or domain state (handlers do that, unlocked), the
 * TSC and the APIC other than through the time hooks of xen/arch.h.
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <xen/time_scale.h>
#include <asm/system.h>
#include "timer-list.h"

enum
{
    TIMER_INACTIVE = 1, /* 0: init_timer was never called */
    TIMER_ARMED,
    TIMER_KILLED,
};

/* Closest a one-shot deadline is set ahead, so a due timer is never
 * programmed as "already past" (a zero count stops the APIC timer). */
#define MIN_PROGRAM_NS MICROSECS(2)

static spinlock_t timer_lock = SPIN_LOCK_UNLOCKED(LOCK_timer);
static struct timer *pending;

/* Per CPU: under timer_lock, or touched by the CPU itself with
 * interrupts off. */
static struct timer *running[NR_CPUS]; /* the handler this CPU is in */
static s_time_t next_tick[NR_CPUS];    /* 0: no tick started here */
static s_time_t deadline[NR_CPUS];     /* what the APIC timer is set to */
static bool softirq_pending[NR_CPUS];  /* the interrupt came: run timers */

static s_time_t tick_period;
static struct time_scale cycle_scale;
static uint64_t boot_cycles;

s_time_t NOW(void)
{
    return (s_time_t)time_scale_apply(cycle_scale, arch_cycles() - boot_cycles);
}

void timer_init(void)
{
    uint64_t hz = arch_cycles_hz();

    cycle_scale = time_scale_for_hz(hz);
    boot_cycles = arch_cycles();
    printk("Time: TSC %lu Hz, scale %u >> 32 shift %d\n", hz, cycle_scale.mul, cycle_scale.shift);
}

void time_get_scale(struct time_scale *s, uint64_t *origin)
{
    *s = cycle_scale;
    *origin = boot_cycles;
}

/* Caller holds timer_lock, interrupts off, on cpu. */
static void program_cpu(unsigned int cpu)
{
    s_time_t when = next_tick[cpu], delta;

    if ( pending && pending->expires < when )
        when = pending->expires;
    deadline[cpu] = when;
    delta = when - NOW();
    arch_timer_program(delta < MIN_PROGRAM_NS ? MIN_PROGRAM_NS : delta);
}

void init_timer(struct timer *t, void (*fn)(void *data), void *data)
{
    t->expires = 0;
    t->period = 0;
    t->fn = fn;
    t->data = data;
    t->next = NULL;
    t->status = TIMER_INACTIVE;
}

static void arm(struct timer *t, s_time_t expires, s_time_t period)
{
    unsigned int cpu = smp_processor_id();
    unsigned long f = spin_lock_irqsave(&timer_lock);

    if ( t->status == TIMER_KILLED )
        goto out;
    if ( t->status == TIMER_ARMED )
        timer_list_remove(&pending, t);
    t->expires = expires;
    t->period = period;
    t->status = TIMER_ARMED;
    timer_list_insert(&pending, t);
    if ( next_tick[cpu] && expires < deadline[cpu] )
        program_cpu(cpu);
out:
    spin_unlock_irqrestore(&timer_lock, f);
}

void set_timer(struct timer *t, s_time_t expires)
{
    arm(t, expires, 0);
}

void set_timer_periodic(struct timer *t, s_time_t first, s_time_t period)
{
    arm(t, first, period > 0 ? period : 0);
}

void stop_timer(struct timer *t)
{
    unsigned long f = spin_lock_irqsave(&timer_lock);

    if ( t->status == TIMER_ARMED )
    {
        timer_list_remove(&pending, t);
        t->status = TIMER_INACTIVE;
    }
    spin_unlock_irqrestore(&timer_lock, f);
}

static bool running_elsewhere(const struct timer *t, unsigned int self)
{
    for ( unsigned int c = 0; c < NR_CPUS; c++ )
        if ( c != self && running[c] == t )
            return true;
    return false;
}

void kill_timer(struct timer *t)
{
    unsigned int cpu = smp_processor_id();
    unsigned long f = spin_lock_irqsave(&timer_lock);

    if ( t->status == TIMER_ARMED )
        timer_list_remove(&pending, t);
    t->status = TIMER_KILLED;
    while ( running_elsewhere(t, cpu) )
    {
        spin_unlock_irqrestore(&timer_lock, f);
        cpu_relax();
        f = spin_lock_irqsave(&timer_lock);
    }
    spin_unlock_irqrestore(&timer_lock, f);
}

bool timer_is_armed(const struct timer *t)
{
    return ACCESS_ONCE(t->status) == TIMER_ARMED;
}

bool timer_read(const struct timer *t, s_time_t *expires, s_time_t *period)
{
    unsigned long f = spin_lock_irqsave(&timer_lock);
    bool armed = t->status == TIMER_ARMED;

    *expires = armed ? t->expires : 0;
    *period = armed ? t->period : 0;
    spin_unlock_irqrestore(&timer_lock, f);
    return armed;
}

/* A periodic timer goes back on the list before its handler runs. */
static void rearm_or_retire(struct timer *t)
{
    s_time_t now = NOW();

    if ( !t->period )
    {
        t->status = TIMER_INACTIVE;
        return;
    }
    t->expires += t->period;
    if ( t->expires <= now )
        t->expires = now + t->period;
    timer_list_insert(&pending, t);
}

/* Caller holds timer_lock with interrupts off, on cpu: run every due
 * timer, the lock dropped (interrupts kept off) around each handler. */
static void run_due(unsigned int cpu)
{
    struct timer *t;

    while ( (t = timer_list_pop_due(&pending, NOW())) )
    {
        void (*fn)(void *) = t->fn;
        void *data = t->data;

        rearm_or_retire(t);
        running[cpu] = t;
        spin_unlock(&timer_lock);
        fn(data);
        spin_lock(&timer_lock);
        running[cpu] = NULL;
    }
}

/* The scheduler's tick, if due on cpu; the next one a period later (or a
 * period from now, if this CPU fell more than a period behind). */
static void tick_if_due(unsigned int cpu, s_time_t now)
{
    if ( now < next_tick[cpu] )
        return;
    scheduler_tick();
    next_tick[cpu] += tick_period;
    if ( next_tick[cpu] <= now )
        next_tick[cpu] = now + tick_period;
}

void timer_cpu_start(s_time_t period)
{
    unsigned int cpu = smp_processor_id();
    unsigned long f = spin_lock_irqsave(&timer_lock);

    tick_period = period;
    next_tick[cpu] = NOW() + period;
    program_cpu(cpu);
    spin_unlock_irqrestore(&timer_lock, f);
}

void timer_interrupt(void)
{
    unsigned int cpu = smp_processor_id();
    s_time_t now = NOW();

    if ( !next_tick[cpu] )
    {
        /* A periodic APIC timer someone else started (svm_stress). */
        scheduler_tick();
        return;
    }
    tick_if_due(cpu, now);
    /* Keep the tick going even if the softirq is late; it will set the
     * deadline properly once it has looked at the list. */
    deadline[cpu] = next_tick[cpu];
    arch_timer_program(MAX(next_tick[cpu] - now, MIN_PROGRAM_NS));
    softirq_pending[cpu] = true;
}

void timer_softirq(void)
{
    unsigned int cpu = smp_processor_id();
    unsigned long f;

    if ( !ACCESS_ONCE(softirq_pending[cpu]) )
        return;
    f = spin_lock_irqsave(&timer_lock);
    softirq_pending[cpu] = false;
    run_due(cpu);
    program_cpu(cpu);
    spin_unlock_irqrestore(&timer_lock, f);
}
