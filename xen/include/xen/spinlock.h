/*
 * spinlock.h - ticket-free test-and-set spinlocks with interrupt-state
 * helpers. In host unit tests the same API runs single-threaded.
 */
#ifndef XEN_SPINLOCK_H
#define XEN_SPINLOCK_H

#include <xen/types.h>

typedef struct {
    volatile uint32_t locked;
    int16_t holder_cpu;     /* for diagnostics; -1 when free */
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { 0, -1 }

static inline void spin_lock_init(spinlock_t *l) { l->locked = 0; l->holder_cpu = -1; }

#ifdef WREN_HOST_TEST
static inline void spin_lock(spinlock_t *l) { l->locked = 1; }
static inline void spin_unlock(spinlock_t *l) { l->locked = 0; }
static inline bool spin_is_locked(const spinlock_t *l) { return l->locked; }
static inline unsigned long spin_lock_irqsave(spinlock_t *l) { l->locked = 1; return 0; }
static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long f) { l->locked = 0; }
#else
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);
static inline bool spin_is_locked(const spinlock_t *l) { return l->locked; }
unsigned long spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
#endif

#endif /* XEN_SPINLOCK_H */
