/*
 * emulate_ops.c - the non-string instructions the emulator carries out
 * on a memory operand with no RAM behind it: MOV in all its forms
 * (including MOVZX, MOVSX, MOVSXD and moffs), the ALU group, TEST, NOT,
 * NEG, INC, DEC, XCHG, CMPXCHG, XADD, the shifts and rotates of group 2
 * and the bit tests BT/BTS/BTR/BTC (CMOVcc, SETcc, MUL/DIV and the
 * others of emulate_arith.c are passed on to it);
 * CLFLUSH/CLFLUSHOPT/CLWB and prefetches complete; SSE and VEX moves are
 * emulate_sse.c's, SSE arithmetic emulate_simd.c's, FXSAVE and the XSAVE
 * family emulate_xsave.c's, segment and descriptor-table instructions
 * emulate_seg.c's. Everything else (x87,
 * VEX beyond the moves, ...) is refused
 * with its opcode, and the domain crashes, as Xen's does for what its
 * emulator cannot do.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/x86_alu.h>
#include "emulate_priv.h"

static int64_t sign_extend(uint64_t v, unsigned int size)
{
    switch ( size )
    {
    case 1: return (int8_t)v;
    case 2: return (int16_t)v;
    case 4: return (int32_t)v;
    default: return (int64_t)v;
    }
}

static uint64_t *flags(struct emul_ctx *c)
{
    return &c->v->arch.regs.rflags;
}

/* The register or immediate source of a store or an ALU op. */
static uint64_t source(const struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;

    if ( i->imm_size )
        return (uint64_t)i->imm & emul_size_mask(i->op_size);
    return emul_gpr(c, i->reg, i->op_size);
}

/* A0-A3: MOV between rAX and an absolute address (moffs). */
static bool is_moffs(const struct x86_insn *i)
{
    return i->map == X86_MAP_ONEBYTE && i->opcode >= 0xa0 && i->opcode <= 0xa3;
}

/* 88/89 from a register, C6/C7 an immediate, A2/A3 rAX to moffs. */
static int mov_store(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t val = is_moffs(i) ? emul_gpr(c, GPR_AX, i->mem_size) : source(c);

    return emul_write(c, emul_ea(c), i->mem_size, val);
}

/* MOV, MOVZX, MOVSX, MOVSXD loads; moffs loads go to rAX. */
static int mov_load(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    bool sx = (i->map == X86_MAP_0F && (i->opcode == 0xbe || i->opcode == 0xbf)) ||
              (i->map == X86_MAP_ONEBYTE && i->opcode == 0x63);
    unsigned int dst = is_moffs(i) ? GPR_AX : i->reg;
    uint64_t val;
    int rc = emul_read(c, emul_ea(c), i->mem_size, &val);

    if ( rc )
        return rc;
    if ( sx )
        val = sign_extend(val, i->mem_size);
    emul_set_gpr(c, dst, i->op_size, val);
    return 0;
}

/* Read-modify-write of the memory operand with op; the result is written
 * back only by ops that write. */
static int alu_mem(struct emul_ctx *c, enum x86_alu_op op, uint64_t src)
{
    const struct x86_insn *i = &c->insn;
    uint64_t ea = emul_ea(c), dst, res;
    int rc = emul_read(c, ea, i->op_size, &dst);

    if ( rc )
        return rc;
    res = x86_alu(op, i->op_size, dst, src, flags(c));
    return x86_alu_writes(op) ? emul_write(c, ea, i->op_size, res) : 0;
}

/* The classic block 00-3F: bit 1 set means the register is the
 * destination, memory the source. */
static int alu_block(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    enum x86_alu_op op = i->opcode >> 3;
    uint64_t mem, res;
    int rc;

    if ( !(i->opcode & 2) )
        return alu_mem(c, op, emul_gpr(c, i->reg, i->op_size));
    rc = emul_read(c, emul_ea(c), i->op_size, &mem);
    if ( rc )
        return rc;
    res = x86_alu(op, i->op_size, emul_gpr(c, i->reg, i->op_size), mem, flags(c));
    if ( x86_alu_writes(op) )
        emul_set_gpr(c, i->reg, i->op_size, res);
    return 0;
}

static int xchg(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t ea = emul_ea(c), mem;
    int rc = emul_read(c, ea, i->op_size, &mem);

    if ( !rc )
        rc = emul_write(c, ea, i->op_size, emul_gpr(c, i->reg, i->op_size));
    if ( !rc )
        emul_set_gpr(c, i->reg, i->op_size, mem);
    return rc;
}

/* CMPXCHG: compare rAX with memory; equal: store the source, else load
 * rAX. The CPU writes the destination either way. */
static int cmpxchg(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t ea = emul_ea(c), mem, acc = emul_gpr(c, GPR_AX, i->op_size);
    int rc = emul_read(c, ea, i->op_size, &mem);

    if ( rc )
        return rc;
    x86_alu(X86_ALU_CMP, i->op_size, acc, mem, flags(c));
    if ( *flags(c) & X86_FL_ZF )
        return emul_write(c, ea, i->op_size, emul_gpr(c, i->reg, i->op_size));
    rc = emul_write(c, ea, i->op_size, mem);
    if ( !rc )
        emul_set_gpr(c, GPR_AX, i->op_size, mem);
    return rc;
}

static int xadd(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t ea = emul_ea(c), mem, sum;
    int rc = emul_read(c, ea, i->op_size, &mem);

    if ( rc )
        return rc;
    sum = x86_alu(X86_ALU_ADD, i->op_size, mem, emul_gpr(c, i->reg, i->op_size), flags(c));
    rc = emul_write(c, ea, i->op_size, sum);
    if ( !rc )
        emul_set_gpr(c, i->reg, i->op_size, mem);
    return rc;
}

/* ---- bit tests -------------------------------------------------------- */

/* 0 BT, 1 BTS, 2 BTR, 3 BTC: from 0F A3/AB/B3/BB, or 0F BA /4-/7. */
static unsigned int bt_kind(const struct x86_insn *i)
{
    if ( i->opcode == 0xba )
        return ((i->modrm >> 3) & 7) - 4;
    return (i->opcode >> 3) & 3;
}

/*
 * A register bit offset is signed and reaches beyond the operand: the
 * access moves by whole operands (SDM vol. 2, BT). An immediate one is
 * taken modulo the operand size.
 */
static int bit_test(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int bits = i->op_size * 8, kind = bt_kind(i);
    int64_t off = i->imm_size ? (int64_t)(i->imm & (bits - 1))
                              : sign_extend(emul_gpr(c, i->reg, i->op_size), i->op_size);
    uint64_t ea = emul_ea(c) + (off >> __builtin_ctz(bits)) * (int64_t)i->op_size;
    uint64_t mem, bit = 1ULL << (off & (bits - 1));
    int rc;

    ea &= emul_size_mask(i->addr_size);
    rc = emul_read(c, ea, i->op_size, &mem);
    if ( rc )
        return rc;
    *flags(c) = (*flags(c) & ~X86_FL_CF) | (mem & bit ? X86_FL_CF : 0);
    if ( kind == 0 )
        return 0;
    mem = kind == 1 ? mem | bit : kind == 2 ? mem & ~bit : mem ^ bit;
    return emul_write(c, ea, i->op_size, mem);
}

/* ---- groups ----------------------------------------------------------- */

/* Group 2: shifts and rotates by imm8 (C0/C1), 1 (D0/D1) or CL (D2/D3). */
static int shift_group(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int count = i->opcode <= 0xc1   ? (uint8_t)i->imm
                         : i->opcode <= 0xd1 ? 1
                                             : (unsigned int)emul_gpr(c, GPR_CX, 1);
    uint64_t ea = emul_ea(c), mem, res;
    int rc = emul_read(c, ea, i->op_size, &mem);

    if ( rc )
        return rc;
    res = x86_shift((i->modrm >> 3) & 7, i->op_size, mem, count, flags(c));
    return emul_write(c, ea, i->op_size, res);
}

/* F6/F7: TEST imm, NOT, NEG; FE/FF: INC, DEC. */
static int unary_group(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int ext = (i->modrm >> 3) & 7;
    static const enum x86_alu_op f6[4] = { X86_ALU_TEST, X86_ALU_TEST, X86_ALU_NOT, X86_ALU_NEG };

    if ( i->opcode >= 0xfe )
        return ext < 2 ? alu_mem(c, ext ? X86_ALU_DEC : X86_ALU_INC, 0) : -EOPNOTSUPP;
    return ext < 4 ? alu_mem(c, f6[ext], source(c)) : emul_arith(c);
}

/* XLAT (D7): AL := the byte at seg:rBX + AL (DS unless overridden). */
static int xlat(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t off = emul_gpr(c, GPR_BX, 8) + emul_gpr(c, GPR_AX, 1), val;
    unsigned int seg = i->seg == X86_SEG_NONE ? X86_SEG_DS : i->seg;
    int rc = emul_read(c, emul_seg_base(c, seg) + (off & emul_size_mask(i->addr_size)), 1, &val);

    if ( !rc )
        emul_set_gpr(c, GPR_AX, 1, val);
    return rc;
}

static int onebyte(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint8_t op = i->opcode;

    if ( op < 0x40 && (op & 7) < 4 )
        return alu_block(c);
    switch ( op )
    {
    case 0x88:
    case 0x89:
    case 0xa2:
    case 0xa3: return mov_store(c);
    case 0xc6:
    case 0xc7: return i->insn_class == X86_INSN_MOV_STORE ? mov_store(c) : -EOPNOTSUPP;
    case 0x8a:
    case 0x8b:
    case 0xa0:
    case 0xa1: return mov_load(c);
    case 0x63: return i->insn_class == X86_INSN_MOV_LOAD ? mov_load(c) : -EOPNOTSUPP;
    case 0x80 ... 0x83: return alu_mem(c, (i->modrm >> 3) & 7, source(c));
    case 0x84:
    case 0x85: return alu_mem(c, X86_ALU_TEST, source(c));
    case 0x86:
    case 0x87: return xchg(c);
    case 0xc0:
    case 0xc1:
    case 0xd0 ... 0xd3: return shift_group(c);
    case 0xf6:
    case 0xf7:
    case 0xfe:
    case 0xff: return unary_group(c);
    case 0xd7: return xlat(c);
    case 0xd8 ... 0xdf: return emul_x87(c);
    }
    return emul_arith(c);
}

/*
 * Cache-line flushes (CLFLUSH, CLFLUSHOPT, CLWB: 0F AE /7, 66 0F AE /7
 * and /6) and prefetches (0F 18, 0F 0D) read nothing: with no cache
 * line behind a hole they complete once the address translates.
 */
static int cache_hint(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int ext = (i->modrm >> 3) & 7;

    if ( i->opcode == 0xae && !(ext == 7 || (ext == 6 && i->opsize_prefix && !i->rep)) )
        return emul_xsave(c); /* FXSAVE, LDMXCSR, XSAVE ... */
    return emul_probe(c, emul_ea(c));
}

static int twobyte(struct emul_ctx *c)
{
    int rc;

    switch ( c->insn.opcode )
    {
    case 0x0d:
    case 0x18:
    case 0xae: return cache_hint(c);
    case 0xb6:
    case 0xb7:
    case 0xbe:
    case 0xbf: return mov_load(c);
    case 0xa3:
    case 0xab:
    case 0xb3:
    case 0xbb:
    case 0xba: return bit_test(c);
    case 0xb0:
    case 0xb1: return cmpxchg(c);
    case 0xc0:
    case 0xc1: return xadd(c);
    case 0xc7: rc = emul_arith(c); return rc == -EOPNOTSUPP ? emul_xsave(c) : rc;
    }
    rc = emul_arith(c);
    if ( rc == -EOPNOTSUPP )
        rc = emul_sse(c);
    return rc == -EOPNOTSUPP ? emul_simd(c) : rc;
}

/* The forms past the tables above: BMI/ADX (emulate_bmi.c), the SSE4
 * imm8 forms and VEX blends (emulate_sse4x.c), FMA3/F16C
 * (emulate_fma.c). */
static int more_forms(struct emul_ctx *c)
{
    int rc = emul_bmi(c);

    if ( rc == -EOPNOTSUPP )
        rc = emul_sse4x(c);
    return rc == -EOPNOTSUPP ? emul_fma(c) : rc;
}

int emul_execute(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    int rc = -EOPNOTSUPP;

    if ( i->vex )
        rc = emul_vex_move(c);
    if ( i->vex && rc == -EOPNOTSUPP )
        rc = emul_simd_vex(c);
    if ( i->vex && rc == -EOPNOTSUPP )
        rc = more_forms(c);
    if ( i->vex && rc == -EOPNOTSUPP )
        rc = emul_avx(c);
    if ( i->vex )
        return rc ? emul_fail(c, rc, "no emulation for this VEX instruction") : 0;
    if ( i->has_mem && i->map == X86_MAP_ONEBYTE )
        rc = onebyte(c);
    else if ( i->has_mem && i->map == X86_MAP_0F )
        rc = twobyte(c);
    else if ( i->has_mem )
        rc = emul_arith(c);
    if ( rc == -EOPNOTSUPP && i->has_mem && i->map != X86_MAP_ONEBYTE && i->map != X86_MAP_0F )
        rc = emul_simd(c); /* SSSE3, SSE4 in the 0F 38 and 0F 3A maps */
    if ( rc == -EOPNOTSUPP && i->has_mem )
        rc = more_forms(c);
    if ( rc == -EOPNOTSUPP )
        rc = emul_mmx_more(c);
    if ( rc == -EOPNOTSUPP )
        rc = emul_seg(c);
    if ( rc == -EOPNOTSUPP )
        snprintf(c->why, sizeof(c->why), "no emulation for opcode %s%02x /%u",
                 i->map == X86_MAP_0F        ? "0f "
                 : i->map == X86_MAP_ONEBYTE ? ""
                                             : "0f 38/3a ",
                 i->opcode, (i->modrm >> 3) & 7);
    return rc;
}
