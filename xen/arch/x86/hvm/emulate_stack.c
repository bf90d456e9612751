/*
 * emulate_stack.c - stack instructions when either the stack or the
 * memory operand has no RAM behind it: PUSH r/m (FF /6), POP r/m (8F /0),
 * PUSH and POP of a register (50-5F), PUSH imm (68, 6A), PUSHF/POPF
 * (9C/9D), near CALL (E8, FF /2), near JMP through memory (FF /4), RET
 * (C3, C2 imm16), ENTER (C8) and LEAVE (C9). A hole stack reads all-ones
 * and drops what is pushed; rSP moves as on the CPU. A branch target read
 * from a hole is all-ones: RIP goes there and the guest's own fetch
 * faults, as on the CPU; a non-canonical target is #GP(0) on the
 * instruction.
 *
 * The stack is SS-based, 8 bytes wide in 64-bit mode and taken as 32-bit
 * (SS.B set) otherwise: a 16-bit stack segment is not modelled. Far
 * forms (CALL/JMP far, RETF, IRET) are not emulated here.
 *
 * It reaches guest memory and registers only through emulate_priv.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include "emulate_priv.h"

#define X86_EXC_GP 13

bool emul_is_stack(const struct x86_insn *i)
{
    unsigned int ext = (i->modrm >> 3) & 7;

    if ( i->map != X86_MAP_ONEBYTE )
        return false;
    switch ( i->opcode )
    {
    case 0x50 ... 0x5f:
    case 0x68:
    case 0x6a:
    case 0x9c:
    case 0x9d:
    case 0xc2:
    case 0xc3:
    case 0xc8:
    case 0xc9:
    case 0xe8: return true;
    case 0x8f: return ext == 0;
    case 0xff: return ext == 2 || ext == 4 || ext == 6;
    }
    return false;
}

static unsigned int stack_width(const struct emul_ctx *c)
{
    return c->st.long_mode ? 8 : 4;
}

static uint64_t stack_va(const struct emul_ctx *c, uint64_t sp)
{
    return emul_seg_base(c, X86_SEG_SS) + (sp & emul_size_mask(stack_width(c)));
}

/* The register of 50-5F (REX.B extends it). */
static unsigned int opcode_reg(const struct x86_insn *i)
{
    return (i->opcode & 7) | (i->rex & 1 ? 8 : 0);
}

static int push(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int size = i->op_size;
    uint64_t val, sp = emul_gpr(c, GPR_SP, 8) - size;
    int rc = 0;

    if ( i->opcode == 0xff && i->has_mem )
        rc = emul_read(c, emul_ea(c), size, &val);
    else if ( i->opcode == 0xff )
        val = emul_gpr(c, i->rm, size);
    else if ( i->imm_size )
        val = (uint64_t)i->imm;
    else
        val = emul_gpr(c, opcode_reg(i), size);
    if ( !rc )
        rc = emul_write(c, stack_va(c, sp), size, val & emul_size_mask(size));
    if ( !rc )
        emul_set_gpr(c, GPR_SP, stack_width(c), sp);
    return rc;
}

/*
 * POP r/m computes its address with rSP already incremented (SDM vol. 2,
 * POP); a fault on the store leaves rSP as it was.
 */
static int pop(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int size = i->op_size, width = stack_width(c);
    uint64_t old = emul_gpr(c, GPR_SP, 8), val;
    int rc = emul_read(c, stack_va(c, old), size, &val);

    if ( rc )
        return rc;
    emul_set_gpr(c, GPR_SP, width, old + size);
    if ( i->opcode != 0x8f )
        emul_set_gpr(c, opcode_reg(i), size, val);
    else if ( !i->has_mem )
        emul_set_gpr(c, i->rm, size, val);
    else
    {
        rc = emul_write(c, emul_ea(c), size, val);
        if ( rc )
            emul_set_gpr(c, GPR_SP, 8, old);
    }
    return rc;
}

/* ---- PUSHF / POPF ------------------------------------------------------ */

#define FL_TF   0x100ULL
#define FL_IF   0x200ULL
#define FL_IOPL 0x3000ULL
#define FL_RF   0x10000ULL
#define FL_VM   0x20000ULL
/* CF PF AF ZF SF TF IF DF OF IOPL NT AC ID: what POPF may load. */
#define FL_POPF 0x247fd5ULL

static int pushf(struct emul_ctx *c)
{
    unsigned int size = c->insn.op_size;
    uint64_t sp = emul_gpr(c, GPR_SP, 8) - size;
    uint64_t val = c->v->arch.regs.rflags & ~(FL_RF | FL_VM);
    int rc = emul_write(c, stack_va(c, sp), size, val & emul_size_mask(size));

    if ( !rc )
        emul_set_gpr(c, GPR_SP, stack_width(c), sp);
    return rc;
}

/*
 * POPF (SDM vol. 2): IOPL changes only at CPL 0, IF only at CPL <= IOPL;
 * VIP, VIF, VM and the reserved bits stay; a 16-bit POPF loads bits 15:0.
 */
static int popf(struct emul_ctx *c)
{
    unsigned int size = c->insn.op_size;
    uint64_t sp = emul_gpr(c, GPR_SP, 8), val, *fl = &c->v->arch.regs.rflags;
    uint64_t mask = FL_POPF & emul_size_mask(size);
    int rc = emul_read(c, stack_va(c, sp), size, &val);

    if ( rc )
        return rc;
    if ( c->st.cpl )
        mask &= ~FL_IOPL;
    if ( c->st.cpl > ((*fl & FL_IOPL) >> 12) )
        mask &= ~FL_IF;
    *fl = (*fl & ~mask) | (val & mask);
    emul_set_gpr(c, GPR_SP, stack_width(c), sp + size);
    return 0;
}

/* ---- near branches ------------------------------------------------------ */

static bool canonical(uint64_t va)
{
    return (uint64_t)(((int64_t)va << 16) >> 16) == va;
}

/* RIP := target (op_size wide); #GP(0) on the instruction if the target
 * is not canonical. The CS limit is not checked. */
static int branch(struct emul_ctx *c, uint64_t target)
{
    target &= emul_size_mask(c->insn.op_size);
    if ( c->st.long_mode && !canonical(target) )
        return emul_raise(c, X86_EXC_GP, 0);
    c->next_rip = target;
    return 0;
}

/* The target of FF /2 and FF /4: a register, or memory (maybe a hole). */
static int indirect_target(struct emul_ctx *c, uint64_t *target)
{
    const struct x86_insn *i = &c->insn;

    if ( !i->has_mem )
    {
        *target = emul_gpr(c, i->rm, i->op_size);
        return 0;
    }
    return emul_read(c, emul_ea(c), i->op_size, target);
}

/* CALL rel (E8) and CALL r/m (FF /2); JMP r/m (FF /4). The return
 * address is pushed only once the target is known to be good. */
static int call_jmp(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int size = i->op_size;
    uint64_t ret = c->next_rip, target, sp = emul_gpr(c, GPR_SP, 8) - size;
    int rc = 0;

    if ( i->opcode == 0xe8 )
        target = ret + (uint64_t)i->imm;
    else
        rc = indirect_target(c, &target);
    if ( !rc )
        rc = branch(c, target);
    if ( rc || (i->opcode == 0xff && ((i->modrm >> 3) & 7) == 4) )
        return rc;
    rc = emul_write(c, stack_va(c, sp), size, ret & emul_size_mask(size));
    if ( rc )
        return rc;
    emul_set_gpr(c, GPR_SP, stack_width(c), sp);
    return 0;
}

/* RET, RET imm16: pop the target, then release imm16 more bytes. */
static int ret(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int size = i->op_size;
    uint64_t sp = emul_gpr(c, GPR_SP, 8), target;
    int rc = emul_read(c, stack_va(c, sp), size, &target);

    if ( !rc )
        rc = branch(c, target);
    if ( rc )
        return rc;
    sp += size + (i->opcode == 0xc2 ? (uint16_t)i->imm : 0);
    emul_set_gpr(c, GPR_SP, stack_width(c), sp);
    return 0;
}

/* ---- ENTER / LEAVE ------------------------------------------------------- */

/*
 * ENTER imm16, imm8 (SDM vol. 2): push rBP; copy level-1 frame pointers
 * from the old frame; push the new frame pointer if level > 0; rBP :=
 * the frame; rSP -= imm16. Registers change only once every access has
 * gone through, so a fault leaves them as they were.
 */
static int enter(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int size = i->op_size, level = (uint8_t)i->imm2 & 31, width = stack_width(c);
    uint64_t sp = emul_gpr(c, GPR_SP, 8) - size, bp = emul_gpr(c, 5, 8), frame = sp, val;
    int rc = emul_write(c, stack_va(c, sp), size, bp & emul_size_mask(size));

    for ( unsigned int n = 1; !rc && n < level; n++ )
    {
        bp -= size;
        rc = emul_read(c, stack_va(c, bp), size, &val);
        sp -= size;
        if ( !rc )
            rc = emul_write(c, stack_va(c, sp), size, val);
    }
    if ( !rc && level )
    {
        sp -= size;
        rc = emul_write(c, stack_va(c, sp), size, frame & emul_size_mask(size));
    }
    if ( rc )
        return rc;
    emul_set_gpr(c, 5, size, frame);
    emul_set_gpr(c, GPR_SP, width, sp - (uint16_t)i->imm);
    return 0;
}

/* LEAVE: rSP := rBP, then pop rBP. */
static int leave(struct emul_ctx *c)
{
    unsigned int size = c->insn.op_size, width = stack_width(c);
    uint64_t sp = emul_gpr(c, 5, width), val;
    int rc = emul_read(c, stack_va(c, sp), size, &val);

    if ( rc )
        return rc;
    emul_set_gpr(c, GPR_SP, width, sp + size);
    emul_set_gpr(c, 5, size, val);
    return 0;
}

int emul_stack(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int ext = (i->modrm >> 3) & 7;

    switch ( i->opcode )
    {
    case 0x9c: return pushf(c);
    case 0x9d: return popf(c);
    case 0xc2:
    case 0xc3: return ret(c);
    case 0xc8: return enter(c);
    case 0xc9: return leave(c);
    case 0xe8: return call_jmp(c);
    case 0xff:
        if ( ext == 2 || ext == 4 )
            return call_jmp(c);
        break;
    }
    if ( i->opcode == 0x8f || (i->opcode >= 0x58 && i->opcode <= 0x5f) )
        return pop(c);
    return push(c);
}
