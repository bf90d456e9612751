/*
 * emulate_seg.c - segment and descriptor-table instructions whose memory
 * operand (or stack) has no RAM behind it: MOV Sreg, m16 and MOV m16,
 * Sreg; ARPL and BOUND (32-bit code); LDS/LES (32-bit
 * code), LSS/LFS/LGS; far JMP/CALL through m16:16/32/64; POP and PUSH of
 * segment registers; LLDT/LTR/VERR/VERW/LAR/LSL with a memory selector;
 * LGDT/LIDT; SGDT/SIDT/SLDT/STR/SMSW to memory.
 *
 * A selector read from a hole is 0xFFFF (0xFFxx when only its high byte
 * is in the hole): TI set, RPL 3, index 0x1FFF, beyond any descriptor
 * table a guest has, so every load of one faults as the SDM says, #GP
 * with the selector (0xFFFC), before anything changes. A selector that
 * comes from RAM (an operand straddling a hole and RAM) is loaded in
 * full by emulate_desc.c: null selectors, descriptors read from the GDT
 * or LDT and checked. Real mode and virtual-8086 mode are refused with a
 * reason: the decoder has no 16-bit addressing. LGDT/LIDT
 * load what they read (limit 0xFFFF, base all-ones); the stores write
 * the register's value, dropped where it meets the hole. LMSW loads CR0's
 * low four bits from the all-ones word (PE, MP, EM, TS set).
 *
 * Guest memory is reached only through emulate_priv.h, the segment and
 * table registers only through the vendor's get_seg/set_dtr/lmsw (and
 * emulate_desc.c's set_seg).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include "emulate_priv.h"

#define CR4_UMIP   (1ULL << 11)
#define RFLAGS_ZF  (1ULL << 6)
#define RFLAGS_VM  (1ULL << 17)
#define X86_EXC_BR 5
#define SEL_TI     4u
#define SEL_RPL    3u
#define SEG_ES     0
#define SEG_CS     1
#define SEG_SS     2
#define SEG_DS     3
#define SEG_FS     4
#define SEG_GS     5
#define SEG_NONE   0xff /* VERR/VERW/LAR/LSL: check, load nothing */

static int refuse(struct emul_ctx *c, const char *what)
{
    snprintf(c->why, sizeof(c->why), "no emulation for %s", what);
    return -EINVAL;
}

/* True if sel's descriptor lies outside its table (LDT: also no LDT). */
static bool beyond_table(struct emul_ctx *c, uint16_t sel)
{
    struct hvm_sreg t;

    hvm_vendor->get_seg(c->v, sel & SEL_TI ? HVM_SEG_LDTR : HVM_SEG_GDTR, &t);
    return !t.usable || (uint32_t)(sel | 7) > t.limit;
}

/* Segment loads need protected mode: the decoder has no 16-bit
 * addressing for real and virtual-8086 mode. */
static int need_prot(struct emul_ctx *c)
{
    if ( !(c->st.cr0 & CR0_PE) || (c->v->arch.regs.rflags & RFLAGS_VM) )
        return refuse(c, "a segment load in real or virtual-8086 mode");
    return 0;
}

/* A 16-bit selector operand at the ModRM address. */
static int read_selector(struct emul_ctx *c, uint16_t *sel)
{
    uint64_t val;
    int rc = emul_read(c, emul_ea(c), 2, &val);

    *sel = (uint16_t)val;
    return rc;
}

/* 8E: MOV Sreg, m16. CS and the undefined 6/7 are #UD; SS may not be null. */
static int mov_sreg(struct emul_ctx *c)
{
    unsigned int sreg = (c->insn.modrm >> 3) & 7;
    uint16_t sel;
    int rc;

    if ( sreg == SEG_CS || sreg > SEG_GS )
        return emul_raise(c, X86_EXC_UD, -1);
    rc = need_prot(c);
    if ( !rc )
        rc = read_selector(c, &sel);
    return rc ? rc : emul_load_data_seg(c, sreg, sel);
}

/* 8C: MOV m16, Sreg. */
static int store_sreg(struct emul_ctx *c)
{
    unsigned int sreg = (c->insn.modrm >> 3) & 7;
    struct hvm_sreg s;

    if ( sreg > SEG_GS )
        return emul_raise(c, X86_EXC_UD, -1);
    hvm_vendor->get_seg(c->v, sreg, &s);
    return emul_write(c, emul_ea(c), 2, s.sel);
}

/* LFS/LGS/LSS with REX.W: Intel's CPUs read m16:64, AMD's m16:32 (the
 * offset zero-extended), as QEMU's AMD model does; far JMP/CALL read
 * m16:64 on both, as QEMU and Bochs do. */
static unsigned int offset_size(const struct emul_ctx *c, unsigned int sreg)
{
    if ( c->insn.op_size == 8 && sreg != SEG_CS && hvm_vendor == &svm_vendor_ops )
        return 4;
    return c->insn.op_size;
}

/* An m16:16/32/64 far pointer: the offset, then the selector after it. */
static int far_pointer(struct emul_ctx *c, unsigned int size, uint64_t *off, uint16_t *sel)
{
    uint64_t ea = emul_ea(c), val;
    int rc = emul_read(c, ea, size, off);

    if ( !rc )
        rc = emul_read(c, ea + size, 2, &val);
    *sel = (uint16_t)val;
    return rc;
}

/* LES/LDS (C4/C5 outside 64-bit mode), LSS/LFS/LGS (0F B2/B4/B5), and far
 * JMP/CALL through memory (FF /5, /3), whose CS may not be null. */
static int far_load(struct emul_ctx *c, unsigned int sreg)
{
    uint64_t off;
    uint16_t sel;
    int rc = need_prot(c);

    if ( !rc )
        rc = far_pointer(c, offset_size(c, sreg), &off, &sel);
    if ( rc )
        return rc;
    if ( sreg == SEG_CS )
        return emul_far_branch(c, sel, off, ((c->insn.modrm >> 3) & 7) == 3);
    rc = emul_load_data_seg(c, sreg, sel);
    if ( !rc )
        emul_set_gpr(c, c->insn.reg, c->insn.op_size, off);
    return rc;
}

uint64_t emul_stack_va(const struct emul_ctx *c, uint64_t sp)
{
    if ( c->st.long_mode )
        return sp;
    return emul_seg_base(c, X86_SEG_SS) + (uint32_t)sp;
}

/* POP ES/SS/DS (07/17/1F, 32-bit code), POP FS/GS (0F A1/A9): the
 * selector is the low word of the operand-size pop; rSP moves only if
 * the load is done. */
static int pop_sreg(struct emul_ctx *c, unsigned int sreg)
{
    uint64_t val, sp = emul_gpr(c, GPR_SP, 8);
    unsigned int width = c->st.long_mode ? 8 : 4;
    int rc = need_prot(c);

    if ( !rc )
        rc = emul_read(c, emul_stack_va(c, sp), c->insn.op_size, &val);
    if ( !rc )
        rc = emul_load_data_seg(c, sreg, (uint16_t)val);
    if ( !rc )
        emul_set_gpr(c, GPR_SP, width, sp + c->insn.op_size);
    return rc;
}

/* PUSH ES/CS/SS/DS (06/0E/16/1E), PUSH FS/GS (0F A0/A8): the selector,
 * zero-extended to the operand size. */
static int push_sreg(struct emul_ctx *c, unsigned int sreg)
{
    unsigned int size = c->insn.op_size;
    uint64_t sp = emul_gpr(c, GPR_SP, 8) - size;
    struct hvm_sreg s;
    int rc;

    hvm_vendor->get_seg(c->v, sreg, &s);
    rc = emul_write(c, emul_stack_va(c, sp), size, s.sel);
    if ( !rc )
        emul_set_gpr(c, GPR_SP, c->st.long_mode ? 8 : 4, sp);
    return rc;
}

/* ARPL m16, r16 (63, outside 64-bit mode): raise the RPL, ZF if it did. */
static int arpl(struct emul_ctx *c)
{
    uint64_t dst, *fl = &c->v->arch.regs.rflags;
    uint16_t src = emul_gpr(c, c->insn.reg, 2);
    int rc = emul_read(c, emul_ea(c), 2, &dst);

    if ( rc )
        return rc;
    if ( (dst & SEL_RPL) >= (src & SEL_RPL) )
    {
        *fl &= ~RFLAGS_ZF;
        return 0;
    }
    rc = emul_write(c, emul_ea(c), 2, (dst & ~SEL_RPL) | (src & SEL_RPL));
    if ( !rc )
        *fl |= RFLAGS_ZF;
    return rc;
}

/* BOUND r, m (62, outside 64-bit mode): #BR unless lower <= r <= upper,
 * all signed at the operand size. */
static int bound(struct emul_ctx *c)
{
    unsigned int size = c->insn.op_size;
    int64_t idx = (int64_t)(size == 2 ? (int16_t)emul_gpr(c, c->insn.reg, 2)
                                      : (int32_t)emul_gpr(c, c->insn.reg, 4));
    uint64_t lo, hi;
    int rc = emul_read(c, emul_ea(c), size, &lo);

    if ( !rc )
        rc = emul_read(c, emul_ea(c) + size, size, &hi);
    if ( rc )
        return rc;
    if ( size == 2 ? idx < (int16_t)lo || idx > (int16_t)hi
                   : idx < (int32_t)lo || idx > (int32_t)hi )
        return emul_raise(c, X86_EXC_BR, -1);
    return 0;
}

/* The one-byte forms; SEG_NONE if op is none of them. */
static unsigned int onebyte_sreg(uint8_t op, bool *push)
{
    *push = !(op & 1);
    switch ( op )
    {
    case 0x06:
    case 0x07: return SEG_ES;
    case 0x0e: return SEG_CS;
    case 0x16:
    case 0x17: return SEG_SS;
    case 0x1e:
    case 0x1f: return SEG_DS;
    }
    return SEG_NONE;
}

static int onebyte(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int ext = (i->modrm >> 3) & 7;
    bool push;
    unsigned int sreg = onebyte_sreg(i->opcode, &push);

    if ( sreg != SEG_NONE )
        return push ? push_sreg(c, sreg) : pop_sreg(c, sreg);
    if ( !i->has_mem )
        return -EOPNOTSUPP;
    if ( i->opcode == 0x8e )
        return mov_sreg(c);
    if ( i->opcode == 0x8c )
        return store_sreg(c);
    if ( i->opcode == 0x63 && !c->st.long_mode )
        return arpl(c);
    if ( i->opcode == 0x62 && !c->st.long_mode )
        return bound(c);
    if ( (i->opcode == 0xc4 || i->opcode == 0xc5) && !i->vex )
        return far_load(c, i->opcode == 0xc4 ? SEG_ES : SEG_DS);
    if ( i->opcode == 0xff && (ext == 3 || ext == 5) )
        return far_load(c, SEG_CS);
    return -EOPNOTSUPP;
}

/* ---- 0F 00, 0F 01: descriptor tables ----------------------------------- */

/* SGDT/SIDT/SLDT/STR/SMSW: #GP(0) under CR4.UMIP outside ring 0. */
static bool umip_blocks(const struct emul_ctx *c)
{
    return (c->st.cr4 & CR4_UMIP) && c->st.cpl > 0;
}

static int store_sel(struct emul_ctx *c, unsigned int seg)
{
    struct hvm_sreg s;

    if ( umip_blocks(c) )
        return emul_raise(c, X86_EXC_GP, 0);
    hvm_vendor->get_seg(c->v, seg, &s);
    return emul_write(c, emul_ea(c), 2, s.sel);
}

/* VERR/VERW/LAR/LSL (which: emul_check_desc's): a null selector or one
 * outside its table clears ZF and changes nothing else. */
static int check_selector(struct emul_ctx *c, unsigned int which)
{
    uint16_t sel;
    int rc = read_selector(c, &sel);

    if ( rc )
        return rc;
    if ( (sel & ~SEL_RPL) && !beyond_table(c, sel) )
        return emul_check_desc(c, sel, which);
    c->v->arch.regs.rflags &= ~RFLAGS_ZF;
    return 0;
}

/* LLDT, LTR: ring 0 only; a selector for either must be in the GDT. */
static int load_system(struct emul_ctx *c, bool tr)
{
    uint16_t sel;
    int rc;

    if ( c->st.cpl )
        return emul_raise(c, X86_EXC_GP, 0);
    rc = need_prot(c);
    if ( !rc )
        rc = read_selector(c, &sel);
    if ( rc )
        return rc;
    if ( (sel & ~SEL_RPL) && (sel & SEL_TI) )
        return emul_raise(c, X86_EXC_GP, sel & ~SEL_RPL);
    return emul_load_system(c, sel, tr);
}

static int group6(struct emul_ctx *c)
{
    switch ( (c->insn.modrm >> 3) & 7 )
    {
    case 0: return store_sel(c, HVM_SEG_LDTR);
    case 1: return store_sel(c, HVM_SEG_TR);
    case 2: return load_system(c, false);
    case 3: return load_system(c, true);
    case 4: return check_selector(c, 4);
    case 5: return check_selector(c, 5);
    }
    return -EOPNOTSUPP;
}

/* The base's bytes in a GDTR/IDTR image: 8 in 64-bit mode, else 4. */
static unsigned int dtr_base_size(const struct emul_ctx *c)
{
    return c->st.long_mode ? 8 : 4;
}

static int store_dtr(struct emul_ctx *c, unsigned int seg)
{
    uint64_t ea = emul_ea(c);
    struct hvm_sreg s;
    int rc;

    if ( umip_blocks(c) )
        return emul_raise(c, X86_EXC_GP, 0);
    hvm_vendor->get_seg(c->v, seg, &s);
    rc = emul_write(c, ea, 2, s.limit);
    return rc ? rc : emul_write(c, ea + 2, dtr_base_size(c), s.base);
}

/* LGDT/LIDT: a 16-bit operand size keeps 24 bits of the base. */
static int load_dtr(struct emul_ctx *c, unsigned int seg)
{
    uint64_t ea = emul_ea(c), limit, base;
    int rc;

    if ( c->st.cpl )
        return emul_raise(c, X86_EXC_GP, 0);
    rc = emul_read(c, ea, 2, &limit);
    if ( !rc )
        rc = emul_read(c, ea + 2, dtr_base_size(c), &base);
    if ( rc )
        return rc;
    if ( !c->st.long_mode && c->insn.op_size == 2 )
        base &= 0xffffff;
    hvm_vendor->set_dtr(c->v, seg, base, (uint16_t)limit);
    return 0;
}

static int smsw(struct emul_ctx *c)
{
    if ( umip_blocks(c) )
        return emul_raise(c, X86_EXC_GP, 0);
    return emul_write(c, emul_ea(c), 2, c->st.cr0 & 0xffff);
}

/* LMSW m16 (CPL 0): CR0's low four bits from memory, PE never cleared;
 * from a hole that sets PE, MP, EM and TS, as all-ones RAM would. */
static int lmsw(struct emul_ctx *c)
{
    uint64_t src;
    int rc;

    if ( c->st.cpl )
        return emul_raise(c, X86_EXC_GP, 0);
    rc = emul_read(c, emul_ea(c), 2, &src);
    if ( rc )
        return rc;
    hvm_vendor->lmsw(c->v, (uint16_t)src);
    return 0;
}

static int group7(struct emul_ctx *c)
{
    switch ( (c->insn.modrm >> 3) & 7 )
    {
    case 0: return store_dtr(c, HVM_SEG_GDTR);
    case 1: return store_dtr(c, HVM_SEG_IDTR);
    case 2: return load_dtr(c, HVM_SEG_GDTR);
    case 3: return load_dtr(c, HVM_SEG_IDTR);
    case 4: return smsw(c);
    case 6: return lmsw(c);
    }
    return -EOPNOTSUPP;
}

static int twobyte(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;

    switch ( i->opcode )
    {
    case 0xa0: return push_sreg(c, SEG_FS);
    case 0xa8: return push_sreg(c, SEG_GS);
    case 0xa1: return pop_sreg(c, SEG_FS);
    case 0xa9: return pop_sreg(c, SEG_GS);
    }
    if ( !i->has_mem )
        return -EOPNOTSUPP;
    switch ( i->opcode )
    {
    case 0x00: return group6(c);
    case 0x01: return group7(c);
    case 0x02:
    case 0x03: return check_selector(c, i->opcode);
    case 0xb2: return far_load(c, SEG_SS);
    case 0xb4: return far_load(c, SEG_FS);
    case 0xb5: return far_load(c, SEG_GS);
    }
    return -EOPNOTSUPP;
}

int emul_seg(struct emul_ctx *c)
{
    if ( c->insn.map == X86_MAP_ONEBYTE )
        return onebyte(c);
    return c->insn.map == X86_MAP_0F ? twobyte(c) : -EOPNOTSUPP;
}
