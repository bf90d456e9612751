/*
 * emulate_x87.c - x87 instructions whose memory operand has no RAM
 * behind it: FLD m32/m64/m80, FILD m16/m32/m64, FST/FSTP m32/m64, FSTP
 * m80, FIST/FISTP/FISTTP m16/m32 (FISTP/FISTTP m64), FNSTSW m16, FNSTCW
 * m16, FLDCW m16, the arithmetic FADD/FMUL/FCOM/FCOMP/FSUB/FSUBR/FDIV/
 * FDIVR m32/m64 and FIADD...FIDIVR m16/m32, FBLD/FBSTP m80, and the
 * protected-mode environment images FLDENV/FNSTENV (28 bytes, 14 with
 * a 16-bit operand size) and FRSTOR/FNSAVE (108 bytes, 94).
 *
 * The operation is the CPU's own: the x87 registers are the running
 * vCPU's (the hypervisor has no FP state of its own, fpu.c), so the same
 * instruction runs here on a buffer holding the operand (all-ones from
 * a hole), and a store's buffer is then written to the operand. An
 * exception it leaves pending (unmasked in FCW) is raised as #MF at the
 * guest's next waiting x87 instruction, as on the CPU. One already
 * pending would have been raised before the access: it is raised here
 * (#MF) rather than run (not for the FN* forms, which do not wait).
 * FIP, FDP and FOP are then set to the guest's instruction, not the
 * hypervisor's, except after the environment forms, which load or keep
 * them (an image FNSTENV/FNSAVE writes holds the pointers the CPU has
 * at that moment: the guest's last x87 instruction, or the one this
 * file last ran for it).
 *
 * Guest memory is reached only through emulate_priv.h, the x87 state
 * only through the CPU and fpu.h. Not done: the real-mode and
 * virtual-8086 environment layouts.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include "emulate_priv.h"

#define X86_EXC_MF 16
#define FSW_ES     0x80u
#define RFLAGS_VM  (1ULL << 17) /* virtual-8086: the real-mode layout */

#define X87_STUB(name, insn)                              \
    static void name(uint8_t *buf)                        \
    {                                                     \
        asm volatile(insn " (%0)" ::"r"(buf) : "memory"); \
    }

/* What an operation does besides reading its operand. */
#define X87_STORE  1u /* writes the operand from the buffer */
#define X87_NOWAIT 2u /* an FN* form: no pending-exception check */
#define X87_NOPTR  4u /* a control instruction: FIP/FDP/FOP unchanged */

/* name, instruction, opcode, ModRM.reg, bytes, X87_* */
#define X87_OPS(X)                                                         \
    X(flds, "flds", 0xd9, 0, 4, 0)                                         \
    X(fldl, "fldl", 0xdd, 0, 8, 0)                                         \
    X(fldt, "fldt", 0xdb, 5, 10, 0)                                        \
    X(filds, "filds", 0xdf, 0, 2, 0)                                       \
    X(fildl, "fildl", 0xdb, 0, 4, 0)                                       \
    X(fildll, "fildll", 0xdf, 5, 8, 0)                                     \
    X(fsts, "fsts", 0xd9, 2, 4, X87_STORE)                                 \
    X(fstps, "fstps", 0xd9, 3, 4, X87_STORE)                               \
    X(fstl, "fstl", 0xdd, 2, 8, X87_STORE)                                 \
    X(fstpl, "fstpl", 0xdd, 3, 8, X87_STORE)                               \
    X(fstpt, "fstpt", 0xdb, 7, 10, X87_STORE)                              \
    X(fists, "fists", 0xdf, 2, 2, X87_STORE)                               \
    X(fistps, "fistps", 0xdf, 3, 2, X87_STORE)                             \
    X(fistl, "fistl", 0xdb, 2, 4, X87_STORE)                               \
    X(fistpl, "fistpl", 0xdb, 3, 4, X87_STORE)                             \
    X(fistpll, "fistpll", 0xdf, 7, 8, X87_STORE)                           \
    X(fisttps, "fisttps", 0xdf, 1, 2, X87_STORE)                           \
    X(fisttpl, "fisttpl", 0xdb, 1, 4, X87_STORE)                           \
    X(fisttpll, "fisttpll", 0xdd, 1, 8, X87_STORE)                         \
    X(fnstsw, "fnstsw", 0xdd, 7, 2, X87_STORE | X87_NOWAIT | X87_NOPTR)    \
    X(fnstcw, "fnstcw", 0xd9, 7, 2, X87_STORE | X87_NOWAIT | X87_NOPTR)    \
    X(fldcw, "fldcw", 0xd9, 5, 2, 0)                                       \
    X(fbld, "fbld", 0xdf, 4, 10, 0)                                        \
    X(fbstp, "fbstp", 0xdf, 6, 10, X87_STORE)                              \
    X(fldenv, "fldenv", 0xd9, 4, 28, X87_NOPTR)                            \
    X(fnstenv, "fnstenv", 0xd9, 6, 28, X87_STORE | X87_NOWAIT | X87_NOPTR) \
    X(frstor, "frstor", 0xdd, 4, 108, X87_NOPTR)                           \
    X(fnsave, "fnsave", 0xdd, 6, 108, X87_STORE | X87_NOWAIT | X87_NOPTR)  \
    X(fadds, "fadds", 0xd8, 0, 4, 0)                                       \
    X(fmuls, "fmuls", 0xd8, 1, 4, 0)                                       \
    X(fcoms, "fcoms", 0xd8, 2, 4, 0)                                       \
    X(fcomps, "fcomps", 0xd8, 3, 4, 0)                                     \
    X(fsubs, "fsubs", 0xd8, 4, 4, 0)                                       \
    X(fsubrs, "fsubrs", 0xd8, 5, 4, 0)                                     \
    X(fdivs, "fdivs", 0xd8, 6, 4, 0)                                       \
    X(fdivrs, "fdivrs", 0xd8, 7, 4, 0)                                     \
    X(faddl, "faddl", 0xdc, 0, 8, 0)                                       \
    X(fmull, "fmull", 0xdc, 1, 8, 0)                                       \
    X(fcoml, "fcoml", 0xdc, 2, 8, 0)                                       \
    X(fcompl, "fcompl", 0xdc, 3, 8, 0)                                     \
    X(fsubl, "fsubl", 0xdc, 4, 8, 0)                                       \
    X(fsubrl, "fsubrl", 0xdc, 5, 8, 0)                                     \
    X(fdivl, "fdivl", 0xdc, 6, 8, 0)                                       \
    X(fdivrl, "fdivrl", 0xdc, 7, 8, 0)                                     \
    X(fiaddl, "fiaddl", 0xda, 0, 4, 0)                                     \
    X(fimull, "fimull", 0xda, 1, 4, 0)                                     \
    X(ficoml, "ficoml", 0xda, 2, 4, 0)                                     \
    X(ficompl, "ficompl", 0xda, 3, 4, 0)                                   \
    X(fisubl, "fisubl", 0xda, 4, 4, 0)                                     \
    X(fisubrl, "fisubrl", 0xda, 5, 4, 0)                                   \
    X(fidivl, "fidivl", 0xda, 6, 4, 0)                                     \
    X(fidivrl, "fidivrl", 0xda, 7, 4, 0)                                   \
    X(fiadds, "fiadds", 0xde, 0, 2, 0)                                     \
    X(fimuls, "fimuls", 0xde, 1, 2, 0)                                     \
    X(ficoms, "ficoms", 0xde, 2, 2, 0)                                     \
    X(ficomps, "ficomps", 0xde, 3, 2, 0)                                   \
    X(fisubs, "fisubs", 0xde, 4, 2, 0)                                     \
    X(fisubrs, "fisubrs", 0xde, 5, 2, 0)                                   \
    X(fidivs, "fidivs", 0xde, 6, 2, 0)                                     \
    X(fidivrs, "fidivrs", 0xde, 7, 2, 0)

#define X_STUB(name, insn, op, ext, size, how) X87_STUB(run_##name, insn)
X87_OPS(X_STUB)

struct x87_op
{
    uint8_t opcode, ext, size, how;
    void (*run)(uint8_t *buf);
};

#define X_ENTRY(name, insn, op, ext, size, how) { op, ext, size, how, run_##name },
static const struct x87_op x87_ops[] = { X87_OPS(X_ENTRY) };

/* The environment forms with a 16-bit operand size: the 14- and 94-byte
 * protected-mode layouts (16-bit FIP and FDP offsets, FOP not stored). */
#define X87_ENV16_OPS(X)                                                            \
    X(fldenv16, "data16 fldenv", 0xd9, 4, 14, X87_NOPTR)                            \
    X(fnstenv16, "data16 fnstenv", 0xd9, 6, 14, X87_STORE | X87_NOWAIT | X87_NOPTR) \
    X(frstor16, "data16 frstor", 0xdd, 4, 94, X87_NOPTR)                            \
    X(fnsave16, "data16 fnsave", 0xdd, 6, 94, X87_STORE | X87_NOWAIT | X87_NOPTR)

X87_ENV16_OPS(X_STUB)
static const struct x87_op x87_env16_ops[] = { X87_ENV16_OPS(X_ENTRY) };

static const struct x87_op *lookup(const struct x87_op *ops, unsigned int nr,
                                   const struct x86_insn *i)
{
    unsigned int ext = (i->modrm >> 3) & 7;

    for ( unsigned int n = 0; n < nr; n++ )
        if ( ops[n].opcode == i->opcode && ops[n].ext == ext )
            return &ops[n];
    return NULL;
}

static const struct x87_op *find_op(const struct x86_insn *i)
{
    const struct x87_op *op = lookup(x87_ops, ARRAY_SIZE(x87_ops), i);

    if ( op && op->size >= 28 && i->op_size == 2 )
        return lookup(x87_env16_ops, ARRAY_SIZE(x87_env16_ops), i);
    return op;
}

static uint16_t read_fsw(void)
{
    uint16_t fsw;

    asm volatile("fnstsw %0" : "=m"(fsw));
    return fsw;
}

/*
 * The environment forms are done for the protected-mode layouts (28 and
 * 108 bytes; 14 and 94 with a 66 prefix) in protected or long mode. The
 * real-mode (also virtual-8086) layouts are refused: the decoder has no
 * 16-bit mode, so such a guest's instructions are not decoded anyway.
 */
static bool layout_known(const struct emul_ctx *c, const struct x87_op *op)
{
    if ( op->size < 14 )
        return true;
    return (c->st.cr0 & 1) && !(c->v->arch.regs.rflags & RFLAGS_VM);
}

int emul_x87(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    const struct x87_op *op = i->has_mem ? find_op(i) : NULL;
    uint8_t buf[112] = { 0 };
    int rc;

    if ( !op || !layout_known(c, op) )
        return -EOPNOTSUPP;
    if ( !(op->how & X87_NOWAIT) && (read_fsw() & FSW_ES) )
        return emul_raise(c, X86_EXC_MF, -1);
    if ( !(op->how & X87_STORE) )
    {
        rc = emul_mem_buf(c, op->size, false, buf);
        if ( rc )
            return rc;
        op->run(buf);
    }
    else
    {
        op->run(buf);
        rc = emul_mem_buf(c, op->size, true, buf);
        if ( rc )
            return rc;
    }
    if ( !(op->how & X87_NOPTR) )
        fpu_set_x87_pointers(c->v, c->v->arch.regs.rip, emul_ea(c),
                             ((i->opcode & 7) << 8) | i->modrm);
    return 0;
}
