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

/* Condition cc (the low nibble of Jcc, SETcc, CMOVcc) under rflags. */
bool x86_cond(unsigned int cc, uint64_t rflags);

/* Group 3 /4-/7 (F6, F7) in ModRM.reg order. */
enum x86_muldiv_op
{
    X86_MUL,
    X86_IMUL,
    X86_DIV,
    X86_IDIV,
};

/*
 * The one-operand multiply and divide at operand size 'size' with src:
 * *lo and *hi are rAX and rDX (for size 1: AL and AH), in and out.
 * MUL/IMUL: the double-width product; CF and OF set when the high half
 * is significant, SF, ZF and PF (undefined) from the low half, AF
 * (undefined) cleared. DIV/IDIV: quotient in *lo, remainder in *hi, no
 * flag changed (all undefined); returns -1 and changes nothing where the
 * CPU raises #DE (a zero divisor, a quotient that does not fit), else 0.
 */
int x86_muldiv(enum x86_muldiv_op op, unsigned int size, uint64_t *lo, uint64_t *hi, uint64_t src,
               uint64_t *rflags);

/* Bit scans and counts of a source operand. */
enum x86_bitcount_op
{
    X86_BSF,
    X86_BSR,
    X86_TZCNT,
    X86_LZCNT,
    X86_POPCNT,
};

/*
 * The result of op on src at size (dst is the old destination, which a
 * BSF or BSR of zero leaves as it is). BSF/BSR set ZF only; TZCNT/LZCNT
 * CF (src zero) and ZF (result zero); POPCNT clears all six but ZF (src
 * zero). Flags the SDM leaves undefined are kept.
 */
uint64_t x86_bitcount(enum x86_bitcount_op op, unsigned int size, uint64_t dst, uint64_t src,
                      uint64_t *rflags);

/*
 * CRC32 (F2 0F 38 F0/F1): crc updated with the low size bytes (1, 2, 4
 * or 8) of data, least significant first, as the instruction does. No
 * flag changes.
 */
uint32_t x86_crc32c(uint32_t crc, uint64_t data, unsigned int size);

#endif /* ASM_X86_ALU_H */
