/*
 * x86_alu.h - the arithmetic of the x86 integer instructions an emulator
 * carries out on a memory operand, and the RFLAGS bits they leave.
 *
 * Pure functions of their arguments: no guest state, no memory. Built
 * into the host unit tests (tools/tests/test-alu.c), which compare every
 * result and flag with the host CPU's own.
 *
 * Compiles on its own, freestanding or hosted.
 */
#ifndef ASM_X86_ALU_H
#define ASM_X86_ALU_H

#include <xen/types.h>

#define X86_FL_CF    0x001ULL
#define X86_FL_PF    0x004ULL
#define X86_FL_AF    0x010ULL
#define X86_FL_ZF    0x040ULL
#define X86_FL_SF    0x080ULL
#define X86_FL_DF    0x400ULL
#define X86_FL_OF    0x800ULL
#define X86_FL_ARITH (X86_FL_CF | X86_FL_PF | X86_FL_AF | X86_FL_ZF | X86_FL_SF | X86_FL_OF)

/* The first eight are the ModRM.reg / opcode-bits-5:3 order of the
 * classic ALU block and group 1. */
enum x86_alu_op
{
    X86_ALU_ADD,
    X86_ALU_OR,
    X86_ALU_ADC,
    X86_ALU_SBB,
    X86_ALU_AND,
    X86_ALU_SUB,
    X86_ALU_XOR,
    X86_ALU_CMP,
    X86_ALU_TEST,
    X86_ALU_INC,
    X86_ALU_DEC,
    X86_ALU_NEG, /* of dst; src unused */
    X86_ALU_NOT, /* of dst; src unused; no flags change */
};

/*
 * dst OP src at operand size 'size' (1, 2, 4, 8), inputs taken modulo
 * that size. Returns the result (zero-extended; for CMP and TEST the
 * value that is not written back) and updates the arithmetic bits of
 * *rflags as the instruction does (AF after a logic op, which the SDM
 * leaves undefined, is cleared).
 */
uint64_t x86_alu(enum x86_alu_op op, unsigned int size, uint64_t dst, uint64_t src,
                 uint64_t *rflags);

/* Group 2 (C0, C1, D0-D3), in ModRM.reg order; /6 is SHL again. */
enum x86_shift_op
{
    X86_SHIFT_ROL,
    X86_SHIFT_ROR,
    X86_SHIFT_RCL,
    X86_SHIFT_RCR,
    X86_SHIFT_SHL,
    X86_SHIFT_SHR,
    X86_SHIFT_SAL,
    X86_SHIFT_SAR,
};

/*
 * dst shifted or rotated by count (masked to 5 bits, 6 for size 8, as
 * the CPU does). A masked count of 0 changes nothing. Flags the SDM
 * leaves undefined get a fixed value: AF cleared, OF as for a count of
 * 1, CF as if the bits were shifted out one at a time.
 */
uint64_t x86_shift(enum x86_shift_op op, unsigned int size, uint64_t dst, unsigned int count,
                   uint64_t *rflags);

/* Does this op write its result back to dst? (Not CMP and TEST.) */
bool x86_alu_writes(enum x86_alu_op op);

#endif /* ASM_X86_ALU_H */
