/*
 * emulate_xsave.c - the state-image instructions whose memory operand
 * has no RAM behind it (all of it, or the part past a page boundary):
 * FXSAVE/FXRSTOR, XSAVE/XSAVEOPT/XRSTOR (each also with REX.W), and
 * LDMXCSR/STMXCSR (0F AE /0-/6); XSAVEC, XSAVES and XRSTORS (0F C7
 * /3-/5), which CPUID does not offer to guests, are #UD as on Xen.
 *
 * The image is not built here: the instruction itself runs on the CPU
 * (fpu_guest_insn: the guest's registers and XCR0) on a buffer that
 * first holds the operand as the guest sees it (all-ones from a hole),
 * and a save's buffer is then written back, so the RAM part holds what
 * the CPU writes and the bytes it leaves alone stay as they were. A
 * restore of an image the CPU refuses (an all-ones FXRSTOR image has
 * MXCSR reserved bits set, an all-ones XSAVE header is invalid) raises
 * the CPU's own exception, #GP(0), for the guest.
 *
 * Guest memory is reached only through emulate_priv.h, the FP state
 * only through fpu.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/fpu.h>
#include "emulate_priv.h"

#define CR4_OSXSAVE (1ULL << 18)
#define FXSAVE_SIZE 512

/* One 0F AE form: the instruction for each operand size, its bytes
 * (0: the XSAVE image of the requested components), its alignment. */
struct xform
{
    enum fpu_guest_insn insn, insn64;
    unsigned int size, align;
    bool store, xsave;
};

static const struct xform xforms[7] = {
    [0] = { FPU_FXSAVE, FPU_FXSAVE64, FXSAVE_SIZE, 16, true, false },
    [1] = { FPU_FXRSTOR, FPU_FXRSTOR64, FXSAVE_SIZE, 16, false, false },
    [2] = { FPU_LDMXCSR, FPU_LDMXCSR, 4, 1, false, false },
    [3] = { FPU_STMXCSR, FPU_STMXCSR, 4, 1, true, false },
    [4] = { FPU_XSAVE, FPU_XSAVE64, 0, 64, true, true },
    [5] = { FPU_XRSTOR, FPU_XRSTOR64, 0, 64, false, true },
    [6] = { FPU_XSAVEOPT, FPU_XSAVEOPT64, 0, 64, true, true },
};

static uint8_t image[NR_CPUS][XSAVE_AREA_SIZE] __attribute__((aligned(64)));

/* EDX:EAX, the components an XSAVE-family instruction is asked for. */
static uint64_t requested(const struct emul_ctx *c)
{
    return (emul_gpr(c, GPR_DX, 4) << 32) | emul_gpr(c, GPR_AX, 4);
}

/* Those the guest enabled too: what the CPU will read or write. */
static unsigned int operand_size(const struct emul_ctx *c, const struct xform *f)
{
    if ( !f->xsave )
        return f->size;
    return fpu_xsave_size(requested(c) & c->v->arch.xcr0);
}

static bool has_error_code(unsigned int vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

static int run(struct emul_ctx *c, const struct xform *f, uint8_t *buf)
{
    bool w = c->insn.rex & 8;
    unsigned int vector;
    uint32_t code;
    int rc = fpu_guest_insn(c->v, w ? f->insn64 : f->insn, buf, requested(c), &vector, &code);

    if ( rc == -EFAULT )
        return emul_raise(c, vector, has_error_code(vector) ? (int32_t)code : -1);
    return rc ? emul_fail(c, rc, "no XSAVE in this CPU") : 0;
}

/*
 * The CPU checks CR4.OSXSAVE and the alignment before any access, so a
 * guest rarely gets here with either wrong; if one does, it gets what
 * the CPU would have raised.
 */
static int state_image(struct emul_ctx *c, const struct xform *f)
{
    uint8_t *buf = image[smp_processor_id()];
    unsigned int size = operand_size(c, f);
    int rc;

    if ( f->xsave && !(c->st.cr4 & CR4_OSXSAVE) )
        return emul_raise(c, X86_EXC_UD, -1);
    if ( emul_ea(c) & (f->align - 1) )
        return emul_raise(c, X86_EXC_GP, 0);
    if ( size > XSAVE_AREA_SIZE )
        return emul_fail(c, -EOPNOTSUPP, "XSAVE image larger than the emulator's buffer");
    rc = emul_mem_buf(c, size, false, buf);
    if ( !rc )
        rc = run(c, f, buf);
    if ( !rc && f->store )
        rc = emul_mem_buf(c, size, true, buf);
    return rc;
}

/* 0F C7 /3 XRSTORS, /4 XSAVEC, /5 XSAVES: what CPUID.0xD.1 hides. */
static int compact_form(struct emul_ctx *c)
{
    struct cpuid_regs r = hvm_guest_cpuid(c->v, 0xd, 1, c->st.cr4, c->v->arch.xcr0);
    unsigned int ext = (c->insn.modrm >> 3) & 7;
    bool offered = ext == 4 ? r.a & (1u << 1) : r.a & (1u << 3);

    if ( !offered )
        return emul_raise(c, X86_EXC_UD, -1);
    return emul_fail(c, -EOPNOTSUPP, "no emulation for XSAVEC/XSAVES/XRSTORS");
}

int emul_xsave(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int ext = (i->modrm >> 3) & 7;

    if ( !i->has_mem || i->map != X86_MAP_0F || i->opsize_prefix || i->rep )
        return -EOPNOTSUPP;
    if ( i->vex && !(i->opcode == 0xae && (ext == 2 || ext == 3)) )
        return -EOPNOTSUPP; /* only VLDMXCSR and VSTMXCSR have a VEX form */
    if ( i->opcode == 0xae && ext < ARRAY_SIZE(xforms) )
        return state_image(c, &xforms[ext]);
    if ( i->opcode == 0xc7 && ext >= 3 && ext <= 5 )
        return compact_form(c);
    return -EOPNOTSUPP;
}
