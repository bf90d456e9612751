/*
 * cpu_state.h - the hooks the scheduler calls around a vCPU's run slice
 * to switch the register state VM entry and exit leave alone (cpu_state.c).
 */
#ifndef ASM_CPU_STATE_H
#define ASM_CPU_STATE_H

struct vcpu;

void arch_vcpu_state_init(struct vcpu *v);  /* vcpu_create: power-on values */
void arch_vcpu_switch_in(struct vcpu *v);   /* before v's slice on this CPU */
void arch_vcpu_switch_out(struct vcpu *v);  /* after it */

#endif /* ASM_CPU_STATE_H */
