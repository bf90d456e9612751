/*
 * traps.h - exceptions: the saved register frame and the fixup table.
 *
 * Every exception vector 0-31 has a handler. If the faulting RIP is listed
 * in the exception table (.extable), the handler resumes at the entry's
 * fixup address and puts an exinfo (what happened) in RAX; otherwise it
 * prints a register dump and ends the test with FAILURE. This lets a test
 * provoke a fault on purpose and check exactly which fault it got:
 *
 *     uint64_t ex = 0;
 *     asm volatile ("1: ud2; 2:" _ASM_EXTABLE(1b, 2b) : "+a" (ex));
 *     if ( ex != EXINFO(X86_EXC_UD, 0) ) ...
 */
#ifndef XTF_TRAPS_H
#define XTF_TRAPS_H

#include <xtf/types.h>

#define X86_EXC_DE  0
#define X86_EXC_DB  1
#define X86_EXC_NMI 2
#define X86_EXC_BP  3
#define X86_EXC_OF  4
#define X86_EXC_BR  5
#define X86_EXC_UD  6
#define X86_EXC_NM  7
#define X86_EXC_DF  8
#define X86_EXC_TS  10
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_MF  16
#define X86_EXC_AC  17
#define X86_EXC_MC  18
#define X86_EXC_XM  19
#define X86_EXC_VE  20
#define X86_EXC_CP  21

/* #PF error code bits. */
#define X86_PFEC_PRESENT (1U << 0)
#define X86_PFEC_WRITE   (1U << 1)
#define X86_PFEC_USER    (1U << 2)
#define X86_PFEC_INSN    (1U << 4)

/*
 * exinfo: bits 7:0 vector, bit 8 "an exception happened" (so vector 0
 * is distinguishable from "nothing"), bits 63:32 error code (0 if the
 * vector has none).
 */
#define EXINFO_VALID    (1ULL << 8)
#define EXINFO(vec, ec) ((uint64_t)(ec) << 32 | EXINFO_VALID | (vec))
#define EXINFO_VEC(ex)  ((unsigned int)((ex)&0xff))
#define EXINFO_EC(ex)   ((uint32_t)((ex) >> 32))

/* Frame built by arch/x86/entry.S; the layout is shared with the asm. */
struct cpu_regs
{
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

struct extable_entry
{
    uint64_t fault; /* address of the instruction allowed to fault */
    uint64_t fixup; /* where to resume */
};

#define _ASM_EXTABLE(fault, fixup)     \
    ".pushsection .extable, \"a\"\n\t" \
    ".balign 8\n\t"                    \
    ".quad " #fault ", " #fixup "\n\t" \
    ".popsection\n\t"

/* Install the IDT on this vCPU (the boot vCPU does it from xtf_main). */
/*
 * A test's own handler for one vector (an interrupt >= 32, or an
 * exception such as NMI it expects); NULL restores the default. It runs
 * with interrupts off, on any vCPU, and may change the frame.
 */
typedef void (*xtf_vector_handler)(struct cpu_regs *regs);
void xtf_set_vector_handler(unsigned int vector, xtf_vector_handler fn);

void traps_init(void);
void traps_load(void);

/* Print the frame; used for unexpected exceptions. */
void dump_regs(const struct cpu_regs *regs);

const char *exception_name(unsigned int vector);

/* CR2 as saved by the last #PF taken through the fixup table. */
extern uint64_t xtf_last_pf_cr2;

#endif /* XTF_TRAPS_H */
