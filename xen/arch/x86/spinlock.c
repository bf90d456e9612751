/*
 * spinlock.c - the raw x86 test-and-test-and-set lock under spinlock.h,
 * and the interrupt-state hooks spinlock.h and the lock-order checker
 * use. Recursion on the same CPU is a bug and panics rather than hanging,
 * so a mistake shows up as a message instead of a silent emulator
 * timeout (in debug builds the checker catches it first, naming the
 * call sites). Lock classes and their order: xen/lock-order.h.
 */
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/smp.h>
#include <asm/x86.h>

bool arch_spin_trylock(spinlock_t *l)
{
    if ( __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) )
        return false;
    l->holder_cpu = (int16_t)smp_processor_id();
    return true;
}

void arch_spin_lock(spinlock_t *l)
{
    while ( !arch_spin_trylock(l) )
    {
        if ( l->holder_cpu == (int16_t)smp_processor_id() && l->locked )
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
    unsigned long flags = local_save_flags();
    local_irq_disable();
    return flags;
}

void arch_lock_irq_restore(unsigned long flags)
{
    if ( flags & X86_EFLAGS_IF )
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
