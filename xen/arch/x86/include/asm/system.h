/*
 * system.h - what common code may use of the CPU it runs on: the
 * interrupt flag, memory barriers, cpu_relax and halt, the stack pointer,
 * and udelay. Every architecture has one under this name; on x86 it is
 * the instruction wrappers (x86.h) and the APIC's delay (apic.h). Common
 * code includes this, never x86.h.
 */
#ifndef ASM_SYSTEM_H
#define ASM_SYSTEM_H

#include <asm/x86.h>
#include <asm/apic.h>

static inline uintptr_t arch_stack_pointer(void)
{
    uintptr_t sp;
    asm volatile("mov %%rsp, %0" : "=r"(sp));
    return sp;
}

#endif /* ASM_SYSTEM_H */
