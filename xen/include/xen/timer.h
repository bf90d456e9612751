/*
 * timer.h - software timers and the hypervisor's clock.
 *
 * NOW() is system time in nanoseconds since boot, monotonic and the same
 * on every CPU (read from the TSC). A struct timer calls its function
 * once, at or soon after the system time it was set to; the guest-facing
 * timers (VCPUOP singleshot and periodic, the emulated LAPIC timer,
 * SCHEDOP_poll timeouts) are built on it.
 *
 * Contract (implemented in xen/common/timer.c):
 *  - init_timer once before any other call; set_timer (re)arms, replacing
 *    any earlier expiry; stop_timer disarms (a no-op if not armed);
 *    kill_timer disarms for good and waits until a running handler of
 *    this timer has returned, so the memory may be freed afterwards.
 *  - The handler runs with interrupts off, on some CPU, with no lock held
 *    (timer_lock is dropped around it): from timer_softirq, which the
 *    scheduler loop calls before each guest entry and before idling. It
 *    may call set_timer on its own timer, vcpu_wake, send_guest_vcpu_virq
 *    and vlapic_set_irq.
 *  - All calls may be made with interrupts off and with any lock held that
 *    comes before `timer` in xen/include/xen/lock-order.h; but kill_timer
 *    waits for a running handler, so its caller may hold no lock that
 *    handler takes.
 *  - A timer set in the past fires at the next timer interrupt (within a
 *    few microseconds), never synchronously inside set_timer.
 */
#ifndef XEN_TIMER_H
#define XEN_TIMER_H

#include <xen/types.h>

typedef int64_t s_time_t;

#define MILLISECS(ms) ((s_time_t)(ms)*1000000LL)
#define MICROSECS(us) ((s_time_t)(us)*1000LL)
#define SECONDS(s)    ((s_time_t)(s)*1000000000LL)

struct timer
{
    s_time_t expires; /* valid while armed */
    void (*fn)(void *data);
    void *data;
    s_time_t period;    /* timer.c's: 0, or re-armed this much later */
    struct timer *next; /* timer.c's pending list */
    uint8_t status;     /* timer.c's: inactive, armed, running, killed */
};

s_time_t NOW(void);

void init_timer(struct timer *t, void (*fn)(void *data), void *data);
void set_timer(struct timer *t, s_time_t expires);
/* Arm t at first, then every period (> 0) after it: re-armed before each
 * call of the handler, so stop_timer stops it for good (a handler already
 * running finishes). A handler that ran late does not bring the missed
 * periods: the next expiry is then a period from now. */
void set_timer_periodic(struct timer *t, s_time_t first, s_time_t period);
void stop_timer(struct timer *t);
void kill_timer(struct timer *t);
bool timer_is_armed(const struct timer *t);
/* Save/restore: is t armed, and if so its next expiry and period (0: one
 * shot), read together under the timers' lock. */
bool timer_read(const struct timer *t, s_time_t *expires, s_time_t *period);

/* Boot, once, after the TSC is calibrated. */
void timer_init(void);
/* Each CPU, once, from the scheduler: start its tick (scheduler_tick every
 * period) and let its local timer serve the software timers. */
void timer_cpu_start(s_time_t period);
/* The arch's timer interrupt: the scheduler tick if due, and mark this
 * CPU for timer_softirq. Takes no lock. */
void timer_interrupt(void);
/* Run this CPU's due timers if its interrupt asked for it; the scheduler
 * loop calls it holding no lock. */
void timer_softirq(void);

/* The scale and origin of NOW(): NOW() = scale(cycles - origin), cycles
 * being arch_cycles() (the TSC). For the guest's pvclock (time.c). */
struct time_scale;
void time_get_scale(struct time_scale *s, uint64_t *origin);

#endif /* XEN_TIMER_H */
