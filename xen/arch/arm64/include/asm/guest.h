/*
 * guest.h - what the arm64 files that run EL1 guests share: the world
 * switch (guest_entry.S), a vCPU's reset state and MPIDR (guest.c), exit
 * handling (exits.c), guest PSCI (vpsci.c) and the boot-time domain
 * builder (domain_build.c). Common code never includes it.
 */
#ifndef ASM_GUEST_H
#define ASM_GUEST_H

#include <xen/types.h>
#include <asm/vcpu_arch.h>

struct vcpu;
struct domain;

#define PSR_EL1H_MASKED 0x3c5UL /* M = EL1h, D A I F set */
#define PSR_MODE_MASK   0xfUL   /* SPSR.M[3:0]: the mode taken from */
#define PSR_MODE_EL0T   0x0UL
#define PSR_MODE_EL1T   0x4UL
#define SCTLR_EL1_RESET 0x30d00800UL /* RES1 bits only: MMU, caches off */

/* Guest physical layout (Xen on Arm's GUEST_RAM0_BASE). */
#define GUEST_RAM_BASE 0x40000000UL

/* guest_entry.S: run until the guest takes an exception to EL2; returns
 * the vector's number (TRAP_LOWER_A64 + 0 sync, 1 IRQ, 2 FIQ, 3 SError). */
unsigned long guest_run(struct guest_regs *r);

/* guest.c */
void guest_cpu_init(void);
void guest_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0);
void guest_fp_trap(struct vcpu *v); /* EC 0x07: load v's FP/SIMD registers */
/* A synchronous external abort on v's data access, to its EL1 (on its
 * exit, with its EL1 registers live). */
void guest_inject_dabt(struct vcpu *v);

/* fpsimd.S: V0-V31, FPSR, FPCR to and from memory (CPTR_EL2.TFP clear). */
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_load(const struct fpsimd_state *s);
/* vCPU n's MPIDR affinity: Aff0 = n (up to 16 vCPUs in one cluster). */
static inline uint64_t vcpu_to_mpidr(unsigned int id)
{
    return id;
}

/* exits.c */
void guest_handle_exit(struct vcpu *v, unsigned long kind);

/* vpsci.c: a PSCI call in x0..x3 (by HVC #0 or SMC #0); x0 = result. */
bool vpsci_is_call(uint64_t fn);
void vpsci_call(struct vcpu *v);

/* domain_build.c: the domains of the boot modules; false if none. */
bool arm64_build_boot_domains(void);

#endif /* ASM_GUEST_H */
