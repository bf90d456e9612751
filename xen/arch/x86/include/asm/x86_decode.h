/*
 * x86_decode.h - a small, strict x86-64 instruction decoder.
 *
 * What it is for: finding the length of the guest instruction that faulted
 * (SVM under QEMU has no next-RIP, an EPT violation gives no instruction
 * length), and describing the simple memory accesses an MMIO emulator must
 * carry out (mov load/store, string stores and moves, ALU ops on memory).
 * It only looks at bytes: it never reads guest state, registers or memory,
 * and an instruction it decodes may still fault when the guest runs it.
 *
 * Compiles on its own, freestanding or hosted.
 */
#ifndef ASM_X86_DECODE_H
#define ASM_X86_DECODE_H

#include <xen/types.h>

/* The architectural limit: a longer instruction raises #GP. */
#define X86_MAX_INSN_LEN 15

enum x86_cpu_mode
{
    /* 32-bit protected mode, and 32-bit compatibility mode of long mode. */
    X86_MODE_PROT32,
    /* 64-bit mode (CS.L = 1). */
    X86_MODE_LONG64,
};
#define X86_MODE_COMPAT32 X86_MODE_PROT32

/* Which opcode map insn->opcode is in (the escape bytes before it). */
enum x86_opcode_map
{
    X86_MAP_ONEBYTE, /* op */
    X86_MAP_0F,      /* 0F op (3DNow!: 0F 0F with the suffix in imm) */
    X86_MAP_0F38,    /* 0F 38 op */
    X86_MAP_0F3A,    /* 0F 3A op */
};

/* What an emulator may do with the instruction; see x86_decode(). */
enum x86_insn_class
{
    X86_INSN_OTHER,
    X86_INSN_MOV_STORE, /* 88, 89, C6 /0, C7 /0 to memory; A2, A3 */
    X86_INSN_MOV_LOAD,  /* 8A, 8B from memory; A0, A1; 0F B6/B7/BE/BF;
                               63 (movsxd) in 64-bit mode */
    X86_INSN_STOS,      /* AA, AB */
    X86_INSN_MOVS,      /* A4, A5 */
    X86_INSN_ALU_MEM,   /* arithmetic/logic/test/xchg/bit ops on memory */
};

/* insn->mem_access, for every class but X86_INSN_OTHER. */
#define X86_MEM_READ  1u
#define X86_MEM_WRITE 2u

/* insn->rep: the last of F2/F3 seen. */
#define X86_REP_NONE 0
#define X86_REP_F3   0xf3 /* rep / repe / repz */
#define X86_REP_F2   0xf2 /* repne / repnz */

/* insn->seg: the last segment override seen (sreg encoding order). */
#define X86_SEG_ES   0
#define X86_SEG_CS   1
#define X86_SEG_SS   2
#define X86_SEG_DS   3
#define X86_SEG_FS   4
#define X86_SEG_GS   5
#define X86_SEG_NONE 0xff

/* insn->base / insn->index: GPR numbers 0-15 (rAX ... r15), or these. */
#define X86_REG_NONE 0xff
#define X86_REG_RIP  0x10 /* RIP-relative (EIP-relative with 67) */

struct x86_insn
{
    uint8_t length;     /* bytes, prefixes to last immediate byte */
    uint8_t map;        /* enum x86_opcode_map */
    uint8_t opcode;     /* the opcode byte within map */
    uint8_t insn_class; /* enum x86_insn_class */

    uint8_t op_size;    /* operand size attribute: 1, 2, 4 or 8 */
    uint8_t addr_size;  /* address size: 2, 4 or 8 */
    uint8_t rep;        /* X86_REP_* */
    uint8_t seg;        /* X86_SEG_* */
    bool lock;          /* F0 seen (only where the SDM allows it) */
    bool opsize_prefix; /* 66 seen */
    uint8_t rex;        /* the REX byte in effect, 0 if none: with any
                               REX, byte registers 4-7 are SPL..DIL, not
                               AH..BH */

    /*
     * ModRM. reg is extended by REX.R and rm by REX.B; rm names a register
     * only when mod == 3 (mov to/from CR/DR always reports mod 3, since
     * the CPU ignores the field there). For group opcodes reg holds the
     * opcode extension (plus REX.R, which the CPU ignores).
     */
    /*
     * A VEX instruction (C4/C5): map, opcode and the 66/F2/F3 it stands
     * for are filled in as for the legacy form, R/X/B/W as a REX byte;
     * the rest is here. vvvv is the un-inverted register number.
     */
    bool vex;
    uint8_t vex_l; /* 0: 128-bit, 1: 256-bit */
    uint8_t vex_vvvv;

    bool has_modrm;
    uint8_t modrm; /* the raw byte */
    uint8_t mod, reg, rm;

    /*
     * The memory operand, if has_mem: base + index * scale + disp, where
     * base and index are X86_REG_* or GPR numbers (16-bit addressing
     * reports BX/BP as base, SI/DI as index). A moffs operand (A0-A3) is
     * disp alone. String instructions set has_mem but leave these empty:
     * their operands are implicit (rSI, rDI).
     */
    bool has_mem;
    bool has_sib;
    uint8_t base, index, scale;
    uint8_t disp_size; /* 0, 1, 2, 4 or 8 */
    int64_t disp;      /* sign-extended from disp_size bytes */

    /*
     * Immediates, sign-extended from their encoded size; truncate to
     * imm_size for unsigned uses (ports, vectors, ret/enter counts).
     * imm2 holds the second immediate: the selector of a far pointer
     * (9A, EA), enter's nesting level (C8), the second byte of EXTRQ and
     * INSERTQ. Relative branches carry their displacement in imm.
     */
    uint8_t imm_size, imm2_size;
    int64_t imm, imm2;

    /*
     * For classified instructions: the bytes read or written at the
     * memory operand, and X86_MEM_READ/WRITE. For MOV_STORE the source is
     * the immediate if imm_size != 0, else register reg; for MOV_LOAD the
     * destination is register reg. moffs forms use reg 0 (rAX).
     */
    uint8_t mem_size;
    uint8_t mem_access;
};

/*
 * Decode the instruction at bytes[0 .. avail). Reads no byte at or past
 * bytes[avail], nor past the 15-byte limit.
 *
 * Returns 0 and fills *out, or:
 *   -ENODATA     avail ended before the instruction did;
 *   -EINVAL      not a valid instruction in this mode (an undefined
 *                opcode or group member, a register form of a memory-only
 *                instruction, LOCK where it would #UD), or longer than
 *                15 bytes;
 *   -EOPNOTSUPP  an EVEX or XOP instruction.
 * *out is unspecified on error.
 */
int x86_decode(const uint8_t *bytes, size_t avail, enum x86_cpu_mode mode, struct x86_insn *out);

#endif /* ASM_X86_DECODE_H */
