/*
 * spinlock.c - test-and-test-and-set spinlocks. Recursion on the same CPU
 * is a bug and panics rather than hanging, so a lock-order mistake shows
 * up as a message instead of a silent emulator timeout.
 */
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/smp.h>
#include <asm/x86.h>

bool spin_trylock(spinlock_t *l)
{
    if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        return false;
    l->holder_cpu = (int16_t)smp_processor_id();
    return true;
}

void spin_lock(spinlock_t *l)
{
    while (!spin_trylock(l)) {
        if (l->holder_cpu == (int16_t)smp_processor_id() && l->locked)
            panic("spinlock %p taken twice on CPU %u", (void *)l, smp_processor_id());
        while (ACCESS_ONCE(l->locked))
            cpu_relax();
    }
}

void spin_unlock(spinlock_t *l)
{
    l->holder_cpu = -1;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long flags = local_save_flags();
    local_irq_disable();
    spin_lock(l);
    return flags;
}

void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    spin_unlock(l);
    if (flags & X86_EFLAGS_IF)
        local_irq_enable();
}
