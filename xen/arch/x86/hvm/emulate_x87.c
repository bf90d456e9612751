/*
 * emulate_x87.c - x87 instructions whose memory operand has no RAM
 * behind it: FLD m32/m64/m80, FILD m16/m32/m64, FST/FSTP m32/m64, FSTP
 * m80, FIST/FISTP/FISTTP m16/m32 (FISTP/FISTTP m64), FNSTSW m16, FNSTCW
 * m16 and FLDCW m16.
 *
 * The operation is the CPU's own: the x87 registers are the running
 * vCPU's (the hypervisor has no FP state of its own, fpu.c), so the same
 * instruction runs here on a buffer holding the operand (all-ones from
 * a hole), and a store's buffer is then written to the operand. An
 * exception it leaves pending (unmasked in FCW) is raised as #MF at the
 * guest's next waiting x87 instruction, as on the CPU. One already
 * pending would have been raised before the access: it is raised here
 * (#MF) rather than run. FIP, FDP and FOP are then set to the guest's
 * instruction, not the hypervisor's.
 *
 * Guest memory is reached only through emulate_priv.h, the x87 state
 * only through the CPU and fpu.h. Not done: x87 arithmetic with a memory
 * operand (FADD m32 ...), FBLD/FBSTP, FLDENV/FNSTENV/FRSTOR/FNSAVE.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include "emulate_priv.h"

#define X86_EXC_MF 16
#define FSW_ES     0x80u

#define X87_STUB(name, insn)                              \
    static void name(uint8_t *buf)                        \
    {                                                     \
        asm volatile(insn " (%0)" ::"r"(buf) : "memory"); \
    }

/* name, instruction, opcode, ModRM.reg, bytes, stores */
#define X87_OPS(X)                            \
    X(flds, "flds", 0xd9, 0, 4, false)        \
    X(fldl, "fldl", 0xdd, 0, 8, false)        \
    X(fldt, "fldt", 0xdb, 5, 10, false)       \
    X(filds, "filds", 0xdf, 0, 2, false)      \
    X(fildl, "fildl", 0xdb, 0, 4, false)      \
    X(fildll, "fildll", 0xdf, 5, 8, false)    \
    X(fsts, "fsts", 0xd9, 2, 4, true)         \
    X(fstps, "fstps", 0xd9, 3, 4, true)       \
    X(fstl, "fstl", 0xdd, 2, 8, true)         \
    X(fstpl, "fstpl", 0xdd, 3, 8, true)       \
    X(fstpt, "fstpt", 0xdb, 7, 10, true)      \
    X(fists, "fists", 0xdf, 2, 2, true)       \
    X(fistps, "fistps", 0xdf, 3, 2, true)     \
    X(fistl, "fistl", 0xdb, 2, 4, true)       \
    X(fistpl, "fistpl", 0xdb, 3, 4, true)     \
    X(fistpll, "fistpll", 0xdf, 7, 8, true)   \
    X(fisttps, "fisttps", 0xdf, 1, 2, true)   \
    X(fisttpl, "fisttpl", 0xdb, 1, 4, true)   \
    X(fisttpll, "fisttpll", 0xdd, 1, 8, true) \
    X(fnstsw, "fnstsw", 0xdd, 7, 2, true)     \
    X(fnstcw, "fnstcw", 0xd9, 7, 2, true)     \
    X(fldcw, "fldcw", 0xd9, 5, 2, false)

#define X_STUB(name, insn, op, ext, size, store) X87_STUB(run_##name, insn)
X87_OPS(X_STUB)

struct x87_op
{
    uint8_t opcode, ext, size;
    bool store;
    void (*run)(uint8_t *buf);
};

#define X_ENTRY(name, insn, op, ext, size, store) { op, ext, size, store, run_##name },
static const struct x87_op x87_ops[] = { X87_OPS(X_ENTRY) };

static const struct x87_op *find_op(const struct x86_insn *i)
{
    unsigned int ext = (i->modrm >> 3) & 7;

    for ( unsigned int n = 0; n < ARRAY_SIZE(x87_ops); n++ )
        if ( x87_ops[n].opcode == i->opcode && x87_ops[n].ext == ext )
            return &x87_ops[n];
    return NULL;
}

/* size bytes (up to 10) at the operand, in pieces of at most 8. */
static int mem_io(struct emul_ctx *c, unsigned int size, bool store, uint8_t buf[16])
{
    uint64_t ea = emul_ea(c), val;
    int rc = 0;

    for ( unsigned int off = 0, n; !rc && off < size; off += n )
    {
        n = size - off >= 8 ? 8 : size - off >= 4 ? 4 : 2;
        val = 0;
        if ( store )
        {
            memcpy(&val, buf + off, n);
            rc = emul_write(c, ea + off, n, val);
        }
        else
        {
            rc = emul_read(c, ea + off, n, &val);
            memcpy(buf + off, &val, n);
        }
    }
    return rc;
}

static uint16_t read_fsw(void)
{
    uint16_t fsw;

    asm volatile("fnstsw %0" : "=m"(fsw));
    return fsw;
}

int emul_x87(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    const struct x87_op *op = i->has_mem ? find_op(i) : NULL;
    uint8_t buf[16] = { 0 };
    int rc;

    if ( !op )
        return -EOPNOTSUPP;
    if ( op->run != run_fnstsw && op->run != run_fnstcw && (read_fsw() & FSW_ES) )
        return emul_raise(c, X86_EXC_MF, -1);
    if ( !op->store )
    {
        rc = mem_io(c, op->size, false, buf);
        if ( rc )
            return rc;
        op->run(buf);
    }
    else
    {
        op->run(buf);
        rc = mem_io(c, op->size, true, buf);
        if ( rc )
            return rc;
    }
    if ( op->run != run_fnstsw && op->run != run_fnstcw )
        fpu_set_x87_pointers(c->v, c->v->arch.regs.rip, emul_ea(c),
                             ((i->opcode & 7) << 8) | i->modrm);
    return 0;
}
