/*
 * schedule.c - which vCPU runs on which physical CPU, and SCHEDOP_*.
 *
 * Round-robin over every vCPU of every domain, with a global cursor: a CPU
 * looking for work takes the next eligible vCPU after the one picked last.
 * There is no run queue to keep in step with pause, block and shutdown:
 * eligibility is computed from those states each time, under sched_lock,
 * which also guards domain_list changes. The tick (SCHED_HZ) asks every
 * CPU to pick again; a vCPU that blocks or halts leaves its CPU at once.
 * The loop also runs the CPU's due software timers (timer_softirq, with no
 * lock held) before each guest entry and before idling, and refreshes a
 * vCPU's pvclock before its slice. SCHEDOP_poll blocks like SCHEDOP_block
 * but is ended by its own ports (sched_poll_notify) or its timeout.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vmce.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/console.h>
#include <xen/timer.h>
#include <xen/time.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <xen/arch.h>
#include <public/sched.h>

#define SCHED_HZ 100

spinlock_t sched_lock = SPIN_LOCK_UNLOCKED(LOCK_sched);
static unsigned int cursor_domain, cursor_vcpu; /* the last vCPU picked */

bool vcpu_runnable(const struct vcpu *v)
{
    const struct domain *d = v->domain;
    return v->is_up && v->initialised && v->state != VCPU_BLOCKED && v->state != VCPU_OFFLINE &&
           !ACCESS_ONCE(v->ioreq.waiting) && !ACCESS_ONCE(v->dirty_ring_stopped) &&
           !vm_event_vcpu_waits(&v->vm_event) && !d->pause_count && !d->is_shutting_down &&
           !d->is_dying;
}

/* Is (d, vi) after the cursor in round-robin order (domain id, then
 * vCPU id)? */
static bool after_cursor(const struct domain *d, unsigned int vi)
{
    return d->domain_id > cursor_domain || (d->domain_id == cursor_domain && vi > cursor_vcpu);
}

static bool eligible(const struct vcpu *v)
{
    return v && v->processor < 0 && vcpu_runnable(v);
}

/* The first eligible vCPU of the list (ordered by domain id) whose place
 * is after the cursor if 'after', at or before it otherwise. */
static struct vcpu *scan(bool after)
{
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        for ( unsigned int vi = 0; vi < d->max_vcpus; vi++ )
            if ( after_cursor(d, vi) == after && eligible(d->vcpu[vi]) )
                return d->vcpu[vi];
    return NULL;
}

/* Round robin over every vCPU of every domain, however many there are:
 * the next eligible one after the last picked, wrapping around. */
static struct vcpu *pick_next(unsigned int cpu)
{
    struct vcpu *v = scan(true);
    if ( !v )
        v = scan(false);
    if ( !v )
        return NULL;
    cursor_domain = v->domain->domain_id;
    cursor_vcpu = v->vcpu_id;
    v->processor = (int)cpu;
    v->state = VCPU_RUNNING;
    runstate_sync(v);
    return v;
}

static void put_back(struct vcpu *v)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    v->processor = -1;
    if ( v->state == VCPU_RUNNING )
        v->state = VCPU_RUNNABLE;
    runstate_sync(v);
    spin_unlock_irqrestore(&sched_lock, f);
}

/* ---- SCHEDOP_poll ------------------------------------------------------- */

/* Xen's limit on the ports of one poll. */
#define POLL_MAX_PORTS 128

/* End v's poll, once, whoever gets here first. True if this call did. */
static bool poll_end(struct vcpu *v)
{
    if ( !__atomic_exchange_n(&v->polling, false, __ATOMIC_SEQ_CST) )
        return false;
    __atomic_sub_fetch(&v->domain->nr_pollers, 1, __ATOMIC_SEQ_CST);
    stop_timer(&v->timers.poll);
    return true;
}

/* Anything may wake a polling vCPU (an upcall does, as in Xen); once it
 * runs again its poll is over. */
static void poll_end_if_awake(struct vcpu *v)
{
    if ( ACCESS_ONCE(v->polling) && ACCESS_ONCE(v->state) != VCPU_BLOCKED )
        poll_end(v);
}

void sched_poll_notify(struct domain *d, unsigned int port)
{
    if ( !__atomic_load_n(&d->nr_pollers, __ATOMIC_SEQ_CST) )
        return;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];
        if ( !v || !ACCESS_ONCE(v->polling) )
            continue;
        if ( ACCESS_ONCE(v->poll_port) >= 0 && (unsigned int)v->poll_port != port )
            continue;
        if ( poll_end(v) )
            vcpu_wake(v);
    }
}

void sched_poll_timeout(struct vcpu *v)
{
    if ( poll_end(v) )
        vcpu_wake(v);
}

/* Xen's local_events_need_delivery: an upcall pending and not masked. */
static bool upcall_deliverable(struct vcpu *v)
{
    const struct vcpu_info *vi = vcpu_info_of(v);
    return vi && ACCESS_ONCE(vi->evtchn_upcall_pending) && !ACCESS_ONCE(vi->evtchn_upcall_mask);
}

/* With v already marked polling and blocked: 0 to sleep, 1 if a port is
 * pending or an upcall deliverable (return at once), -EINVAL for a port
 * the domain does not have. */
static int poll_check(struct vcpu *v, const uint32_t *ports, unsigned int n)
{
    if ( upcall_deliverable(v) )
        return 1;
    for ( unsigned int i = 0; i < n; i++ )
    {
        int rc = evtchn_port_poll(v->domain, ports[i]);
        if ( rc )
            return rc;
    }
    return 0;
}

static void poll_begin(struct vcpu *v, const uint32_t *ports, unsigned int n)
{
    unsigned long f;
    ACCESS_ONCE(v->poll_port) = n == 1 ? (int32_t)ports[0] : -1;
    __atomic_add_fetch(&v->domain->nr_pollers, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
    f = spin_lock_irqsave(&sched_lock);
    v->state = VCPU_BLOCKED;
    spin_unlock_irqrestore(&sched_lock, f);
}

/*
 * Xen's rules: more than 128 ports is -EINVAL, an unreadable array
 * -EFAULT (both before anything changes); then the vCPU is marked polling
 * and blocked before the ports are looked at, so an event in between
 * wakes it. A pending port (or a deliverable upcall) returns 0 at once; a
 * port the domain lacks -EINVAL; otherwise the vCPU sleeps until a polled
 * port fires, the absolute timeout (0: none) passes, or anything else
 * wakes it, and the call returns 0.
 */
static long sched_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    uint32_t ports[POLL_MAX_PORTS];
    int rc;
    if ( copy_from_guest(&p, arg, sizeof(p)) )
        return -EFAULT;
    if ( p.nr_ports > POLL_MAX_PORTS )
        return -EINVAL;
    if ( p.nr_ports && copy_from_guest(ports, p.ports, p.nr_ports * sizeof(ports[0])) )
        return -EFAULT;
    poll_begin(v, ports, p.nr_ports);
    rc = poll_check(v, ports, p.nr_ports);
    if ( rc )
    {
        if ( poll_end(v) )
            vcpu_wake(v);
        return rc < 0 ? rc : 0;
    }
    if ( p.timeout )
        set_timer(&v->timers.poll, domain_to_host_time(v->domain, (s_time_t)p.timeout));
    return 0;
}

/* Run v until the tick, a kick, or until it may no longer run. */
static void run_slice(struct vcpu *v)
{
    struct cpu_info *ci = get_cpu_info();
    ci->curr_vcpu = v;
    ci->need_resched = false;
    vcpu_time_update(v);
    arch_vcpu_switch_in(v);
    runstate_guest_update(v);
    do
    {
        timer_softirq();
        vmce_softirq();
        poll_end_if_awake(v);
        arch_vcpu_run_once(v);
    } while ( !ci->need_resched && vcpu_runnable(v) );
    arch_vcpu_switch_out(v);
    ci->curr_vcpu = NULL;
    put_back(v);
}

__noreturn void scheduler_loop(void)
{
    unsigned int cpu = smp_processor_id();
    timer_cpu_start(MILLISECS(1000 / SCHED_HZ));
    for ( ;; )
    {
        struct vcpu *v;
        unsigned long f;
        local_irq_disable();
        timer_softirq();
        f = spin_lock_irqsave(&sched_lock);
        v = pick_next(cpu);
        spin_unlock_irqrestore(&sched_lock, f);
        if ( !v )
        {
            safe_halt(); /* sti; hlt: a tick or a kick wakes us */
            continue;
        }
        local_irq_enable();
        run_slice(v);
    }
}

void scheduler_init(void)
{
    printk("Scheduler: round-robin, %u Hz tick\n", SCHED_HZ);
}

void scheduler_tick(void)
{
    get_cpu_info()->need_resched = true;
}

/* Make any idle CPU look for work. */
static void kick_others(void)
{
    for ( unsigned int c = 0; c < nr_online_cpus; c++ )
        if ( c != smp_processor_id() )
            smp_kick_cpu(c);
}

void vcpu_wake(struct vcpu *v)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    if ( v->state == VCPU_BLOCKED )
        v->state = v->processor >= 0 ? VCPU_RUNNING : VCPU_RUNNABLE;
    runstate_sync(v);
    spin_unlock_irqrestore(&sched_lock, f);
    kick_others();
}

void vcpu_block(struct vcpu *v)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    v->state = VCPU_BLOCKED;
    runstate_sync(v);
    spin_unlock_irqrestore(&sched_lock, f);
    /* An event or interrupt that arrived before we marked ourselves
     * blocked must not be lost. */
    if ( evtchn_vcpu_has_pending(v) || arch_vcpu_intr_pending(v) )
        vcpu_wake(v);
}

void vcpu_online(struct vcpu *v)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    v->is_up = true;
    if ( v->state == VCPU_OFFLINE )
        v->state = VCPU_RUNNABLE;
    spin_unlock_irqrestore(&sched_lock, f);
    vcpu_wake(v);
}

void vcpu_yield(void)
{
    get_cpu_info()->need_resched = true;
}

void vcpu_offline(struct vcpu *v)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);
    v->state = VCPU_OFFLINE;
    v->is_up = false;
    runstate_sync(v);
    spin_unlock_irqrestore(&sched_lock, f);
}

/* Wait until v is not running anywhere (it must already be ineligible).
 * v->processor is read once per look: it may become -1 at any moment. */
void vcpu_sleep_sync(struct vcpu *v)
{
    for ( ;; )
    {
        int cpu = ACCESS_ONCE(v->processor);
        if ( cpu < 0 || cpu == (int)smp_processor_id() )
            return; /* off every CPU, or it is us: we stop after this exit */
        smp_kick_cpu((unsigned int)cpu);
        udelay(10);
    }
}

/* Something changed that may make vCPUs runnable: let idle CPUs look. */
void sched_kick_all(void)
{
    kick_others();
    get_cpu_info()->need_resched = true;
}

static long sched_shutdown(uint64_t arg)
{
    struct sched_shutdown s;
    if ( copy_from_guest(&s, arg, sizeof(s)) )
        return -EFAULT;
    if ( s.reason > SHUTDOWN_soft_reset )
        return -EINVAL;
    domain_shutdown(current->domain, s.reason);
    return 0;
}

long do_sched_op(uint64_t cmd, uint64_t arg)
{
    struct vcpu *v = current;
    switch ( cmd )
    {
    case SCHEDOP_yield: vcpu_yield(); return 0;
    case SCHEDOP_block: vcpu_block(v); return 0;
    case SCHEDOP_shutdown: return sched_shutdown(arg);
    case SCHEDOP_poll: return sched_poll(v, arg);
    default: return -ENOSYS;
    }
}

/* vm_assist: of Xen's assists, HVM and PVH guests have only the runstate
 * update flag; any other type is -EINVAL, as on Xen. */
long do_vm_assist(uint64_t cmd, uint64_t type)
{
    struct domain *d = current->domain;
    if ( type != VMASST_TYPE_runstate_update_flag )
        return -EINVAL;
    switch ( cmd )
    {
    case VMASST_CMD_enable: d->runstate_update_flag = true; return 0;
    case VMASST_CMD_disable: d->runstate_update_flag = false; return 0;
    default: return -ENOSYS;
    }
}
