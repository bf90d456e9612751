/*
 * emulate_arith.c - the integer instructions beyond the ALU group that
 * a guest may aim at a memory operand with no RAM behind it: CMOVcc and
 * SETcc, MUL/IMUL/DIV/IDIV (F6/F7 /4-/7, and IMUL 0F AF, 69, 6B), the
 * bit scans and counts BSF/BSR/TZCNT/LZCNT/POPCNT, MOVBE, CRC32 and
 * CMPXCHG8B/CMPXCHG16B. The arithmetic and flags are x86_alu.c's; a
 * divide the CPU would refuse raises #DE, a misaligned CMPXCHG16B #GP(0).
 *
 * It reaches guest memory and registers only through emulate_priv.h and
 * may not touch anything else of the guest's.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/x86_alu.h>
#include "emulate_priv.h"

#define X86_EXC_DE 0
#define X86_EXC_GP 13

static uint64_t *rflags(struct emul_ctx *c)
{
    return &c->v->arch.regs.rflags;
}

static int read_mem(struct emul_ctx *c, unsigned int size, uint64_t *val)
{
    return emul_read(c, emul_ea(c), size, val);
}

/* CMOVcc (0F 40-4F): memory is read whatever the condition, and a
 * 32-bit destination is zero-extended even when nothing moves. */
static int cmov(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t val;
    int rc = read_mem(c, i->op_size, &val);

    if ( rc )
        return rc;
    if ( !x86_cond(i->opcode & 0xf, *rflags(c)) )
        val = emul_gpr(c, i->reg, i->op_size);
    emul_set_gpr(c, i->reg, i->op_size, val);
    return 0;
}

/* SETcc (0F 90-9F): one byte, 1 or 0. */
static int setcc(struct emul_ctx *c)
{
    return emul_write(c, emul_ea(c), 1, x86_cond(c->insn.opcode & 0xf, *rflags(c)));
}

/* F6/F7 /4-/7: rDX:rAX (AH:AL for bytes) with the memory operand. */
static int muldiv(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int size = i->op_size;
    uint64_t src, lo, hi;
    int rc = read_mem(c, size, &src);

    if ( rc )
        return rc;
    lo = emul_gpr(c, GPR_AX, size);
    hi = size == 1 ? emul_gpr(c, GPR_AX, 2) >> 8 : emul_gpr(c, GPR_DX, size);
    if ( x86_muldiv(((i->modrm >> 3) & 7) - 4, size, &lo, &hi, src, rflags(c)) )
        return emul_raise(c, X86_EXC_DE, -1);
    if ( size == 1 )
        emul_set_gpr(c, GPR_AX, 2, (hi << 8) | lo);
    else
    {
        emul_set_gpr(c, GPR_AX, size, lo);
        emul_set_gpr(c, GPR_DX, size, hi);
    }
    return 0;
}

/* IMUL reg, r/m (0F AF) and IMUL reg, r/m, imm (69, 6B): truncated. */
static int imul_reg(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t mem, other, hi = 0;
    int rc = read_mem(c, i->op_size, &mem);

    if ( rc )
        return rc;
    other = i->imm_size ? (uint64_t)i->imm : emul_gpr(c, i->reg, i->op_size);
    x86_muldiv(X86_IMUL, i->op_size, &mem, &hi, other, rflags(c));
    emul_set_gpr(c, i->reg, i->op_size, mem);
    return 0;
}

/*
 * 0F BC/BD are BSF/BSR; with F3 they are TZCNT/LZCNT where the CPU has
 * BMI1/ABM (elsewhere the CPU ignores the F3, and so does this). F3 0F
 * B8 is POPCNT. The CPU running the guest decided which it ran before
 * the exit, so it is this CPU's CPUID that is asked, not the guest's.
 */
static int bitcount(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    bool f3 = i->rep == X86_REP_F3;
    enum x86_bitcount_op op;
    uint64_t src, res;
    int rc;

    if ( i->opcode == 0xb8 )
    {
        if ( !f3 )
            return -EOPNOTSUPP;
        op = X86_POPCNT;
    }
    else if ( i->opcode == 0xbc )
        op = f3 && (cpuid_count(7, 0).b & (1u << 3)) ? X86_TZCNT : X86_BSF;
    else
        op = f3 && (cpuid(0x80000001).c & (1u << 5)) ? X86_LZCNT : X86_BSR;
    rc = read_mem(c, i->op_size, &src);
    if ( rc )
        return rc;
    res = x86_bitcount(op, i->op_size, emul_gpr(c, i->reg, i->op_size), src, rflags(c));
    if ( op > X86_BSR || (src & emul_size_mask(i->op_size)) )
        emul_set_gpr(c, i->reg, i->op_size, res);
    return 0;
}

static uint64_t byte_swap(uint64_t v, unsigned int size)
{
    uint64_t r = 0;

    for ( unsigned int b = 0; b < size; b++ )
        r |= ((v >> (8 * b)) & 0xff) << (8 * (size - 1 - b));
    return r;
}

/*
 * CRC32 r32/r64, r/m (F2 0F 38 F0: a byte source; F1: 16, 32 or 64 bits
 * by 66 and REX.W). The destination is 64-bit with REX.W, its upper half
 * cleared; 32-bit otherwise, whatever 66 says. Flags unchanged.
 */
static int crc32(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int src_size = i->opcode == 0xf0 ? 1 : i->op_size;
    unsigned int dst_size = i->rex & 8 ? 8 : 4;
    uint64_t val;
    int rc = read_mem(c, src_size, &val);

    if ( !rc )
        emul_set_gpr(c, i->reg, dst_size,
                     x86_crc32c((uint32_t)emul_gpr(c, i->reg, 4), val, src_size));
    return rc;
}

/* MOVBE (0F 38 F0 load, F1 store); with F2 they are CRC32. */
static int movbe(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t val;
    int rc;

    if ( (i->opcode & 0xfe) != 0xf0 )
        return -EOPNOTSUPP;
    if ( i->rep == X86_REP_F2 )
        return crc32(c);
    if ( i->opcode == 0xf1 )
        return emul_write(c, emul_ea(c), i->op_size,
                          byte_swap(emul_gpr(c, i->reg, i->op_size), i->op_size));
    rc = read_mem(c, i->op_size, &val);
    if ( !rc )
        emul_set_gpr(c, i->reg, i->op_size, byte_swap(val, i->op_size));
    return rc;
}

/*
 * CMPXCHG8B/16B (0F C7 /1): rDX:rAX against the operand; equal: rCX:rBX
 * is stored and ZF set; else the operand is loaded into rDX:rAX and
 * written back unchanged, ZF clear. 16B needs a 16-byte aligned operand.
 */
static int cmpxchg_double(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int half = i->rex & 8 ? 8 : 4;
    uint64_t ea = emul_ea(c), lo, hi;
    bool equal;
    int rc;

    if ( ((i->modrm >> 3) & 7) != 1 )
        return -EOPNOTSUPP;
    if ( half == 8 && (ea & 15) )
        return emul_raise(c, X86_EXC_GP, 0);
    rc = emul_read(c, ea, half, &lo);
    if ( !rc )
        rc = emul_read(c, ea + half, half, &hi);
    if ( rc )
        return rc;
    equal = lo == emul_gpr(c, GPR_AX, half) && hi == emul_gpr(c, GPR_DX, half);
    if ( equal )
    {
        rc = emul_write(c, ea, half, emul_gpr(c, GPR_BX, half));
        if ( !rc )
            rc = emul_write(c, ea + half, half, emul_gpr(c, GPR_CX, half));
    }
    else
    {
        rc = emul_write(c, ea, half, lo);
        if ( !rc )
            rc = emul_write(c, ea + half, half, hi);
    }
    if ( rc )
        return rc;
    if ( !equal )
    {
        emul_set_gpr(c, GPR_AX, half, lo);
        emul_set_gpr(c, GPR_DX, half, hi);
    }
    *rflags(c) = equal ? *rflags(c) | X86_FL_ZF : *rflags(c) & ~X86_FL_ZF;
    return 0;
}

int emul_arith(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint8_t op = i->opcode;

    if ( !i->has_mem )
        return -EOPNOTSUPP;
    if ( i->map == X86_MAP_ONEBYTE )
    {
        if ( op == 0x69 || op == 0x6b )
            return imul_reg(c);
        if ( (op == 0xf6 || op == 0xf7) && ((i->modrm >> 3) & 7) >= 4 )
            return muldiv(c);
        return -EOPNOTSUPP;
    }
    if ( i->map == X86_MAP_0F38 )
        return movbe(c);
    if ( i->map != X86_MAP_0F )
        return -EOPNOTSUPP;
    switch ( op )
    {
    case 0x40 ... 0x4f: return cmov(c);
    case 0x90 ... 0x9f: return setcc(c);
    case 0xaf: return imul_reg(c);
    case 0xb8:
    case 0xbc:
    case 0xbd: return bitcount(c);
    case 0xc7: return cmpxchg_double(c);
    }
    return -EOPNOTSUPP;
}
