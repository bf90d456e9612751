/*
 * traps.h - the hypervisor's own exception vectors (VBAR_EL2) and the
 * frame its handler sees; leaving the machine (the names common code
 * calls, as on every architecture).
 */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <xen/types.h>

/* Saved by the vectors (entry.S): keep the offsets in step. */
struct cpu_user_regs
{
    uint64_t x[31]; /* x0..x30 (x30 is the link register) */
    uint64_t sp;    /* the stack pointer before the exception */
    uint64_t elr, spsr, esr, far;
    uint64_t kind; /* which of the 16 vectors: TRAP_* */
    uint64_t pad;
};
#define CPU_USER_REGS_SIZE 304

/* The vector table's four groups of four (sync, IRQ, FIQ, SError). */
#define TRAP_CUR_SP0   0
#define TRAP_CUR_SPX   4
#define TRAP_LOWER_A64 8
#define TRAP_LOWER_A32 12

void trap_init(void); /* load VBAR_EL2 (every CPU) */
__noreturn void do_trap(struct cpu_user_regs *regs);
void show_registers(const struct cpu_user_regs *regs);

/* Leave the emulator: PSCI SYSTEM_OFF. The serial log says why. */
__noreturn void machine_power_off(void);
__noreturn void machine_exit_failure(unsigned int code);
#define EXIT_CODE_DOM0_CRASH 1
#define EXIT_CODE_PANIC      2

#endif /* ASM_TRAPS_H */
