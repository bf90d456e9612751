/*
 * cpu_state.h - the hooks the scheduler calls around a vCPU's run slice
 * to switch the register state VM entry and exit leave alone (cpu_state.c).
 */
#ifndef ASM_CPU_STATE_H
#define ASM_CPU_STATE_H

struct vcpu;

void arch_vcpu_state_init(struct vcpu *v); /* arch_vcpu_create: power-on values */
/* arch_vcpu_switch_in/out (xen/arch.h) are in cpu_state.c too. */

#endif /* ASM_CPU_STATE_H */
