/*
 * lock-order.h - THE lock order: every lock class of the hypervisor, from
 * the outermost (taken first) to the innermost, with what each protects.
 * This list is the only place the order is written; comments elsewhere
 * point here. docs/designs/locking.md gives the rules and the reasons.
 *
 * A CPU may take a lock only if its class comes strictly after the class
 * of every lock that CPU already holds. Two exceptions, both checked:
 *  - a class marked NEST_ADDR may be held twice or more at once if each
 *    new lock's address is above that of every held lock of the class
 *    (two domains' locks: take the lower address first);
 *  - spin_trylock never waits, so it is not checked, but the lock it
 *    takes counts as held for every later acquisition.
 * A class marked IRQ is taken from interrupt context, or may be: it must
 * always be taken with interrupts off (spin_lock_irqsave).
 *
 * In debug builds (CONFIG_DEBUG, "debug=y" in Config.mk, the default; the
 * host unit tests too) lock-order.c checks every acquisition and panics
 * naming both locks and where each was taken. Release order is free.
 *
 * May not touch: anything but the list; to add a lock, add its class here
 * (at the place its nesting demands) and a line in locking.md.
 */
#ifndef XEN_LOCK_ORDER_H
#define XEN_LOCK_ORDER_H

#include <xen/types.h>

#define LOCK_NEST_NONE 0
#define LOCK_NEST_ADDR 1 /* same class nested, lower address first */
#define LOCK_IRQ_NO    0
#define LOCK_IRQ       1 /* always taken with interrupts off */

/* X(name, nesting, irq, what it protects), outermost first. The table is
 * aligned by hand, so the formatter leaves it alone. */
/* clang-format off */
#define LOCK_CLASSES(X)                                                       \
    X(domctl, LOCK_NEST_NONE, LOCK_IRQ_NO,                                    \
      "domctl_lock: serialises every domctl (domctl.c)")                      \
    X(domlist, LOCK_NEST_NONE, LOCK_IRQ_NO,                                   \
      "domlist_lock: the zombie domains (zombie.c); sched_lock guards the list") \
    X(domain, LOCK_NEST_NONE, LOCK_IRQ_NO,                                    \
      "d->lock: vCPU initialise/down, reservation changes of one domain")     \
    X(ioreq, LOCK_NEST_NONE, LOCK_IRQ_NO,                                     \
      "d->ioreq.lock: a domain's IOREQ servers, their ranges, slots and waits") \
    X(grant, LOCK_NEST_ADDR, LOCK_IRQ_NO,                                     \
      "d->grant_table->lock: a domain's grant table, its active and map entries") \
    X(pml, LOCK_NEST_NONE, LOCK_IRQ_NO,                                       \
      "pml_lock: hardware write-log and A/D switching, per-vCPU log buffers")  \
    X(guest_console, LOCK_NEST_NONE, LOCK_IRQ_NO,                             \
      "d->console.lock: a domain's console line, PV console ring, 0xE9 budget") \
    X(vm_event, LOCK_NEST_NONE, LOCK_IRQ_NO,                                  \
      "d->vm_event.lock: a domain's monitor ring, its indexes, waiting vCPUs") \
    X(altp2m, LOCK_NEST_NONE, LOCK_IRQ_NO,                                    \
      "d->altp2m.lock: a domain's views (create/destroy), active view per vCPU, EPTP list") \
    X(sharing, LOCK_NEST_NONE, LOCK_IRQ_NO,                                   \
      "sharing_lock: the sharing handle table and fork bookkeeping (one lock, host-wide)") \
    X(p2m, LOCK_NEST_NONE, LOCK_IRQ_NO,                                       \
      "p2m->lock: a domain's second-stage tables, counters, pending changes") \
    X(p2m_view, LOCK_NEST_NONE, LOCK_IRQ_NO,                                  \
      "view->lock: one altp2m view's tables; always under its host p2m lock") \
    X(sharing_rmap, LOCK_NEST_NONE, LOCK_IRQ_NO,                              \
      "rmap_lock: every shared frame's reverse map (taken under p2m / p2m_view)") \
    X(logdirty, LOCK_NEST_NONE, LOCK_IRQ_NO,                                  \
      "d->logdirty.lock: the dirty bitmap and rings, counters, the enabled flag") \
    X(logdirty_foreign, LOCK_NEST_NONE, LOCK_IRQ_NO,                          \
      "d->logdirty.foreign_lock: frames other domains mapped writable (alone)") \
    X(evtchn, LOCK_NEST_ADDR, LOCK_IRQ_NO,                                    \
      "d->evtchn.lock: a domain's port table (two domains: lower address first)") \
    X(virq, LOCK_NEST_NONE, LOCK_IRQ,                                         \
      "d->evtchn.virq_lock: which port each VIRQ is bound to (event_channel.c)") \
    X(evtchn_queue, LOCK_NEST_NONE, LOCK_IRQ,                                 \
      "FIFO event queue of one vCPU and priority (event_fifo.c)")             \
    X(vlapic, LOCK_NEST_NONE, LOCK_IRQ,                                       \
      "a vCPU's emulated local APIC registers (hvm/vlapic.c)")                \
    X(sched, LOCK_NEST_NONE, LOCK_IRQ,                                        \
      "sched_lock: run states, pause counts, the domain list, the RR cursor") \
    X(timer, LOCK_NEST_NONE, LOCK_IRQ,                                        \
      "timer_lock: the pending software timers (timer.c); handlers run unlocked") \
    X(vpid, LOCK_NEST_NONE, LOCK_IRQ,                                         \
      "vpid_lock: the arch's TLB-tag (VPID) allocation bitmap")            \
    X(p2m_pool, LOCK_NEST_NONE, LOCK_IRQ_NO,                                  \
      "pool->lock: a domain's p2m pool: free list and counts (p2m/pool.c)")   \
    X(xmalloc, LOCK_NEST_NONE, LOCK_IRQ_NO,                                   \
      "xmalloc_lock: the small-object heap's class lists")                    \
    X(page_alloc, LOCK_NEST_NONE, LOCK_IRQ_NO,                                \
      "page_alloc_lock: the buddy allocator's free lists and bitmaps")        \
    X(console, LOCK_NEST_NONE, LOCK_IRQ,                                      \
      "console_lock: the serial port; printk may be called holding anything")

/* clang-format on */

#define LOCK_CLASS_ENUM(name, nest, irq, what) LOCK_##name,
enum lock_class
{
    LOCK_unclassed, /* zeroed memory: never initialised, a bug */
    LOCK_CLASSES(LOCK_CLASS_ENUM) NR_LOCK_CLASSES
};
#undef LOCK_CLASS_ENUM

const char *lock_class_name(unsigned int class);

#endif /* XEN_LOCK_ORDER_H */
