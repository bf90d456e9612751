/*
 * emulate_stack.c - PUSH and POP when either the stack or the memory
 * operand has no RAM behind it: PUSH r/m (FF /6), POP r/m (8F /0), PUSH
 * and POP of a register (50-5F) and PUSH imm (68, 6A). A hole stack reads
 * all-ones and drops what is pushed; rSP moves as on the CPU.
 *
 * The stack is SS-based, 8 bytes wide in 64-bit mode and taken as 32-bit
 * (SS.B set) otherwise: a 16-bit stack segment is not modelled. PUSHF,
 * POPF, CALL, RET, ENTER, LEAVE and far forms are not emulated here.
 *
 * It reaches guest memory and registers only through emulate_priv.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include "emulate_priv.h"

bool emul_is_stack(const struct x86_insn *i)
{
    unsigned int ext = (i->modrm >> 3) & 7;

    if ( i->map != X86_MAP_ONEBYTE )
        return false;
    switch ( i->opcode )
    {
    case 0x50 ... 0x5f:
    case 0x68:
    case 0x6a: return true;
    case 0x8f: return ext == 0;
    case 0xff: return ext == 6;
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

int emul_stack(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;

    if ( i->opcode == 0x8f || (i->opcode >= 0x58 && i->opcode <= 0x5f) )
        return pop(c);
    return push(c);
}
