/*
 * spinlock.h - test-and-set spinlocks with interrupt-state helpers. Every
 * lock has a class from xen/lock-order.h, given where it is initialised:
 *
 *     static spinlock_t foo_lock = SPIN_LOCK_UNLOCKED(LOCK_foo);
 *     spin_lock_init(&d->lock, LOCK_domain);
 *
 * In debug builds (CONFIG_DEBUG) every acquisition and release goes past
 * the lock-order checker (lock-order.c) with its call site. The raw lock
 * is arch_spin_* (arch/x86/spinlock.c); host unit tests get a single-
 * threaded one below, with the same checker.
 */
#ifndef XEN_SPINLOCK_H
#define XEN_SPINLOCK_H

#include <xen/types.h>
#include <xen/lock-order.h>

typedef struct
{
    volatile uint32_t locked;
    int16_t holder_cpu; /* for diagnostics; -1 when free */
    uint16_t class;     /* enum lock_class */
} spinlock_t;

#define SPIN_LOCK_UNLOCKED(cls) \
    {                           \
        0, -1, (cls)            \
    }

static inline void spin_lock_init(spinlock_t *l, enum lock_class cls)
{
    l->locked = 0;
    l->holder_cpu = -1;
    l->class = (uint16_t)cls;
}

#ifdef WREN_HOST_TEST
static inline void arch_spin_lock(spinlock_t *l)
{
    l->locked = 1;
}
static inline bool arch_spin_trylock(spinlock_t *l)
{
    if ( l->locked )
        return false;
    l->locked = 1;
    return true;
}
static inline void arch_spin_unlock(spinlock_t *l)
{
    l->locked = 0;
}
#else
void arch_spin_lock(spinlock_t *l);
bool arch_spin_trylock(spinlock_t *l);
void arch_spin_unlock(spinlock_t *l);
#endif

/* Interrupt state, for the irqsave variants and the checker's IRQ rule
 * (the arch, or the host shims, provide them). */
unsigned long arch_lock_irq_save(void);
void arch_lock_irq_restore(unsigned long flags);
bool arch_lock_irqs_enabled(void);
/* This CPU's number (0 in host tests): the checker's per-CPU stacks. */
unsigned int arch_lock_cpu(void);

#ifdef CONFIG_DEBUG
#define LOCK_STR_(x) #x
#define LOCK_STR(x)  LOCK_STR_(x)
#define LOCK_SITE    (__FILE__ ":" LOCK_STR(__LINE__))
/* Check l against the locks this CPU holds and the interrupt state (not
 * for a trylock), then record it as held; and forget it again. */
void lock_order_acquire(const spinlock_t *l, const char *site, bool trylock);
void lock_order_release(const spinlock_t *l);
/* Locks this CPU holds; forget them all and check again (host tests,
 * after a caught panic). */
unsigned int lock_order_depth(void);
void lock_order_reset(void);
/* Stop checking for good: panic() takes locks wherever it comes from. */
void lock_order_stop(void);
/* Say on the console that the checker is on. */
void lock_order_announce(void);
#else
#define LOCK_SITE NULL
static inline void lock_order_acquire(const spinlock_t *l, const char *site, bool trylock)
{
}
static inline void lock_order_release(const spinlock_t *l)
{
}
static inline void lock_order_stop(void)
{
}
static inline void lock_order_announce(void)
{
}
#endif

/* Checked before spinning: a wrong order panics instead of deadlocking. */
static inline void _spin_lock(spinlock_t *l, const char *site)
{
    lock_order_acquire(l, site, false);
    arch_spin_lock(l);
}

static inline bool _spin_trylock(spinlock_t *l, const char *site)
{
    if ( !arch_spin_trylock(l) )
        return false;
    lock_order_acquire(l, site, true);
    return true;
}

static inline void spin_unlock(spinlock_t *l)
{
    lock_order_release(l);
    arch_spin_unlock(l);
}

static inline unsigned long _spin_lock_irqsave(spinlock_t *l, const char *site)
{
    unsigned long flags = arch_lock_irq_save();

    lock_order_acquire(l, site, false);
    arch_spin_lock(l);
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    spin_unlock(l);
    arch_lock_irq_restore(flags);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return l->locked;
}

#define spin_lock(l)         _spin_lock(l, LOCK_SITE)
#define spin_trylock(l)      _spin_trylock(l, LOCK_SITE)
#define spin_lock_irqsave(l) _spin_lock_irqsave(l, LOCK_SITE)

#endif /* XEN_SPINLOCK_H */
