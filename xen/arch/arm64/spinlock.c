/*
 * spinlock.c - the raw arm64 lock under xen/spinlock.h (an atomic swap
 * with acquire, a store with release: LDAXR/STXR and STLR with the
 * ARMv8.0 instructions this build allows), and the interrupt-state hooks
 * the lock-order checker uses. Taking a lock twice on one CPU panics
 * instead of hanging. Classes and order: xen/lock-order.h only.
 */
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/smp.h>
#include <asm/system.h>

bool arch_spin_trylock(spinlock_t *l)
{
    if ( __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) )
        return false;
    l->holder_cpu = (int16_t)smp_processor_id();
    return true;
}

void arch_spin_lock(spinlock_t *l)
{
    for ( ;; )
    {
        if ( arch_spin_trylock(l) )
            return;
        if ( ACCESS_ONCE(l->locked) && l->holder_cpu == (int16_t)smp_processor_id() )
            panic("spinlock %p taken twice on CPU %u", (void *)l, smp_processor_id());
        while ( ACCESS_ONCE(l->locked) )
            cpu_relax();
    }
}

void arch_spin_unlock(spinlock_t *l)
{
    l->holder_cpu = -1;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

unsigned long arch_lock_irq_save(void)
{
    unsigned long daif = local_save_flags();
    local_irq_disable();
    return daif;
}

void arch_lock_irq_restore(unsigned long daif)
{
    if ( !(daif & DAIF_I) )
        local_irq_enable();
}

bool arch_lock_irqs_enabled(void)
{
    return local_irq_is_enabled();
}

unsigned int arch_lock_cpu(void)
{
    return smp_processor_id();
}
