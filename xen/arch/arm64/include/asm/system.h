/*
 * system.h - what common code may use of the CPU it runs on (the same
 * names as every architecture's system.h): the interrupt mask, memory
 * barriers, cpu_relax and halt, the stack pointer, and udelay on the
 * generic timer. arm64: DAIF.I is the interrupt mask.
 */
#ifndef ASM_SYSTEM_H
#define ASM_SYSTEM_H

#include <xen/types.h>

#define DAIF_I (1UL << 7)

static inline void local_irq_enable(void)
{
    asm volatile("msr daifclr, #2" ::: "memory");
}
static inline void local_irq_disable(void)
{
    asm volatile("msr daifset, #2" ::: "memory");
}
static inline unsigned long local_save_flags(void)
{
    unsigned long f;
    asm volatile("mrs %0, daif" : "=r"(f)::"memory");
    return f;
}
static inline bool local_irq_is_enabled(void)
{
    return !(local_save_flags() & DAIF_I);
}
static inline void cpu_relax(void)
{
    asm volatile("yield" ::: "memory");
}
static inline void halt(void)
{
    asm volatile("wfi" ::: "memory");
}
/* Wait for an interrupt (the tick or a kick SGI), then take it. WFI
 * with IRQs still masked wakes on a pending one, so an interrupt that
 * arrived since the caller masked them is not slept through (x86's
 * "sti; hlt"); it is taken once they are unmasked. */
static inline void safe_halt(void)
{
    asm volatile("wfi; msr daifclr, #2; isb" ::: "memory");
}
static inline void wfe(void)
{
    asm volatile("wfe" ::: "memory");
}
static inline uintptr_t arch_stack_pointer(void)
{
    uintptr_t sp;
    asm volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

#define smp_mb()  asm volatile("dmb ish" ::: "memory")
#define smp_wmb() asm volatile("dmb ishst" ::: "memory")
#define smp_rmb() asm volatile("dmb ishld" ::: "memory")

void udelay(unsigned long us); /* on the generic timer (time.c) */

#endif /* ASM_SYSTEM_H */
