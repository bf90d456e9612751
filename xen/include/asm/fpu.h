/*
 * fpu.h - switching guests' x87/SSE state (fpu.c).
 */
#ifndef ASM_FPU_H
#define ASM_FPU_H

struct vcpu;

void fpu_cpu_init(void);            /* every CPU, at bring-up */
void fpu_init_vcpu(struct vcpu *v); /* power-on state */
void fpu_restore(struct vcpu *v);   /* before v runs on this CPU */
void fpu_save(struct vcpu *v);      /* after v's run slice */

#endif /* ASM_FPU_H */
