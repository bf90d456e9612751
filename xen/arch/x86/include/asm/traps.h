/*
 * traps.h - the hypervisor's own IDT, interrupt vectors and the frame its
 * trap handlers see.
 */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <xen/types.h>

struct cpu_user_regs
{
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

#define VECTOR_TIMER    0xf0
#define VECTOR_KICK     0xf1
#define VECTOR_SPURIOUS 0xff

/*
 * One instruction the hypervisor runs on a guest's behalf that may fault
 * by the guest's doing (FXRSTOR or XRSTOR of an image the guest wrote):
 * the caller puts the instruction's address in rip and where to go on in
 * resume, with interrupts of any kind unable to run such code meanwhile.
 * An exception at rip resumes there instead of panicking, with vector and
 * error_code recorded and rip cleared. One slot per CPU.
 */
struct trap_guard
{
    uint64_t rip, resume;
    uint64_t vector, error_code;
};
#define TRAP_GUARD_NONE (~0ULL) /* vector: nothing was raised */
struct trap_guard *trap_guard_this_cpu(void);

void trap_init(void); /* build the IDT (boot CPU) */
void trap_load(void); /* load it (every CPU) */
void do_trap(struct cpu_user_regs *regs);
void show_registers(const struct cpu_user_regs *regs);

/* Leave the emulator: the exit status says why (see docs/platforms.md). */
__noreturn void machine_power_off(void);
__noreturn void machine_exit_failure(unsigned int code);
#define EXIT_CODE_DOM0_CRASH 1
#define EXIT_CODE_PANIC      2

#endif /* ASM_TRAPS_H */
