/*
 * fpu.c - a vCPU's x87/SSE registers. The hypervisor is built without
 * floating point or SSE, so the registers belong to whichever vCPU ran
 * last; they are saved when a vCPU leaves its CPU and restored when one
 * arrives, in FXSAVE format (CPUID hides XSAVE, so that is all the state
 * a guest can have).
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/fpu.h>

#define FXSAVE_FCW   0          /* x87 control word */
#define FXSAVE_MXCSR 24

/* Power-on values: x87 control word 0x37f, MXCSR 0x1f80, all else 0. */
void fpu_init_vcpu(struct vcpu *v)
{
    uint16_t fcw = 0x37f;
    uint32_t mxcsr = 0x1f80;
    memset(v->arch.fpu, 0, sizeof(v->arch.fpu));
    memcpy(v->arch.fpu + FXSAVE_FCW, &fcw, sizeof(fcw));
    memcpy(v->arch.fpu + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}

/* Every CPU: let FXSAVE/FXRSTOR cover the SSE registers, never trap. */
void fpu_cpu_init(void)
{
    write_cr0((read_cr0() | X86_CR0_MP) & ~(X86_CR0_EM | X86_CR0_TS));
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}

void fpu_restore(struct vcpu *v)
{
    asm volatile("fxrstor64 %0" :: "m"(*(const uint8_t (*)[512])v->arch.fpu));
}

void fpu_save(struct vcpu *v)
{
    asm volatile("fxsave64 %0" : "=m"(*(uint8_t (*)[512])v->arch.fpu));
}
