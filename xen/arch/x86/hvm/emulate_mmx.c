/*
 * emulate_mmx.c - the MMX-register forms emulate_simd.c leaves, with a
 * memory operand that has no RAM behind it: PSHUFW mm, m64, imm8 (0F 70)
 * and PALIGNR mm, m64, imm8 (0F 3A 0F), done in C (element moves, no
 * flags or exceptions); the conversions CVTPI2PS/CVTPI2PD xmm, m64
 * (0F 2A, 66 0F 2A), CVTPS2PI/CVTTPS2PI mm, m64 (0F 2D/2C) and
 * CVTPD2PI/CVTTPD2PI mm, m128 (66 0F 2D/2C), run on the CPU; and the
 * byte-masked stores to DS:rDI, MASKMOVQ and (V)MASKMOVDQU.
 *
 * A conversion runs here as the guest's own instruction on a buffer
 * holding the operand (all-ones from a hole), with XMM0 or MM0 holding
 * the destination, under the guest's MXCSR with every exception masked;
 * XMM0, MXCSR and the x87/MMX state (FXSAVE/FXRSTOR) are put back. A
 * flag the guest left unmasked is #XM (#UD without CR4.OSXMMEXCPT),
 * the destination untouched. A result in an MMX register is written
 * with fpu_write_mm, which makes the x87-to-MMX transition (TOP 0, every
 * tag valid) the CPU's own MMX-register instruction makes, and a
 * pending x87 exception is #MF first; CVTPI2PS/PD from memory touch no
 * MMX register and make no transition, as on the CPU.
 *
 * Guest memory is reached only through emulate_priv.h, the guest's XMM,
 * MMX and MXCSR state only through fpu.h and the CPU.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include "emulate_priv.h"

#define X86_EXC_MF     16
#define X86_EXC_XM     19
#define CR4_OSXMMEXCPT (1ULL << 10)
#define MXCSR_FLAGS    0x3fu
#define MXCSR_MASKS    0x1f80u
#define FSW_ES         0x80u

struct cvt_mm_io
{
    uint8_t env[512] __attribute__((aligned(16)));
    uint8_t src[16] __attribute__((aligned(16))); /* CVTPD2PI m128 needs 16 */
    uint8_t xmm[16], save[16], mm[8];
    uint32_t run_csr, out_csr, old_csr;
};

/* To XMM: XMM0 holds the destination (its upper half is kept). */
#define TO_XMM_STUB(name, insn)                                                             \
    static void name(struct cvt_mm_io *io)                                                  \
    {                                                                                       \
        asm volatile("movdqu %%xmm0, %[save]\n\t"                                           \
                     "ldmxcsr %[run]\n\t"                                                   \
                     "movdqu %[xmm], %%xmm0\n\t" insn " %[src], %%xmm0\n\t"                 \
                     "stmxcsr %[out]\n\t"                                                   \
                     "movdqu %%xmm0, %[xmm]\n\t"                                            \
                     "ldmxcsr %[old]\n\t"                                                   \
                     "movdqu %[save], %%xmm0"                                               \
                     : [save] "+m"(io->save), [xmm] "+m"(io->xmm), [out] "=m"(io->out_csr)  \
                     : [src] "m"(io->src), [run] "m"(io->run_csr), [old] "m"(io->old_csr)); \
    }

/* To MM0, between an FXSAVE and FXRSTOR of the live x87/MMX state. */
#define TO_MM_STUB(name, insn)                                                              \
    static void name(struct cvt_mm_io *io)                                                  \
    {                                                                                       \
        asm volatile("fxsave64 %[env]\n\t"                                                  \
                     "ldmxcsr %[run]\n\t" insn " %[src], %%mm0\n\t"                         \
                     "stmxcsr %[out]\n\t"                                                   \
                     "movq %%mm0, %[mm]\n\t"                                                \
                     "ldmxcsr %[old]\n\t"                                                   \
                     "fxrstor64 %[env]"                                                     \
                     : [env] "+m"(io->env), [mm] "=m"(io->mm), [out] "=m"(io->out_csr)      \
                     : [src] "m"(io->src), [run] "m"(io->run_csr), [old] "m"(io->old_csr)); \
    }

TO_XMM_STUB(run_cvtpi2ps, "cvtpi2ps")
TO_XMM_STUB(run_cvtpi2pd, "cvtpi2pd")
TO_MM_STUB(run_cvtps2pi, "cvtps2pi")
TO_MM_STUB(run_cvttps2pi, "cvttps2pi")
TO_MM_STUB(run_cvtpd2pi, "cvtpd2pi")
TO_MM_STUB(run_cvttpd2pi, "cvttpd2pi")

struct cvt_mm_op
{
    uint8_t opcode, pfx, size;
    bool to_mm;
    void (*run)(struct cvt_mm_io *io);
};

static const struct cvt_mm_op cvt_mm_ops[] = {
    { 0x2a, 0, 8, false, run_cvtpi2ps },    { 0x2a, 0x66, 8, false, run_cvtpi2pd },
    { 0x2d, 0, 8, true, run_cvtps2pi },     { 0x2c, 0, 8, true, run_cvttps2pi },
    { 0x2d, 0x66, 16, true, run_cvtpd2pi }, { 0x2c, 0x66, 16, true, run_cvttpd2pi },
};

/* The mandatory prefix in effect: the last F2/F3, else 66, else 0. */
static unsigned int prefix(const struct x86_insn *i)
{
    if ( i->rep )
        return i->rep;
    return i->opsize_prefix ? 0x66 : 0;
}

static const struct cvt_mm_op *find_cvt(const struct x86_insn *i)
{
    for ( unsigned int n = 0; i->map == X86_MAP_0F && n < ARRAY_SIZE(cvt_mm_ops); n++ )
        if ( cvt_mm_ops[n].opcode == i->opcode && cvt_mm_ops[n].pfx == prefix(i) )
            return &cvt_mm_ops[n];
    return NULL;
}

static uint16_t read_fsw(void)
{
    uint16_t fsw;

    asm volatile("fnstsw %0" : "=m"(fsw));
    return fsw;
}

static uint32_t read_mxcsr(void)
{
    uint32_t csr;

    asm volatile("stmxcsr %0" : "=m"(csr));
    return csr;
}

static void write_mxcsr(uint32_t csr)
{
    asm volatile("ldmxcsr %0" ::"m"(csr));
}

/* The operand, size bytes (8 or 16). */
static int read_operand(struct emul_ctx *c, unsigned int size, uint8_t *buf)
{
    return emul_mem_buf(c, size, false, buf);
}

static int cvt_mm(struct emul_ctx *c, const struct cvt_mm_op *op)
{
    unsigned int reg = c->insn.reg;
    struct cvt_mm_io io = { 0 };
    uint32_t flags;
    int rc;

    if ( op->to_mm && (read_fsw() & FSW_ES) )
        return emul_raise(c, X86_EXC_MF, -1);
    rc = read_operand(c, op->size, io.src);
    if ( rc )
        return rc;
    if ( !op->to_mm )
        fpu_read_xmm(c->v, reg, io.xmm);
    io.old_csr = read_mxcsr();
    io.run_csr = (io.old_csr & ~MXCSR_FLAGS) | MXCSR_MASKS;
    op->run(&io);
    flags = io.out_csr & MXCSR_FLAGS;
    if ( flags & ~(io.old_csr >> 7) & MXCSR_FLAGS )
    {
        write_mxcsr(io.old_csr | flags);
        return emul_raise(c, c->st.cr4 & CR4_OSXMMEXCPT ? X86_EXC_XM : X86_EXC_UD, -1);
    }
    write_mxcsr(io.old_csr | flags);
    if ( op->to_mm )
        fpu_write_mm(c->v, reg & 7, io.mm); /* MMn: REX.R is ignored */
    else
        fpu_write_xmm(c->v, reg, io.xmm);
    return 0;
}

/* PSHUFW: word n of the result is source word imm8[2n+1:2n]. */
static void pshufw(uint8_t d[8], const uint8_t s[8], unsigned int imm)
{
    for ( unsigned int n = 0; n < 4; n++ )
        memcpy(d + 2 * n, s + 2 * ((imm >> (2 * n)) & 3), 2);
}

/* PALIGNR mm: destination:source shifted right by imm8 bytes, low 8 kept. */
static void palignr_mm(uint8_t d[8], const uint8_t s[8], unsigned int imm)
{
    uint8_t cat[16];

    memcpy(cat, s, 8);
    memcpy(cat + 8, d, 8);
    for ( unsigned int n = 0; n < 8; n++ )
        d[n] = imm + n < 16 ? cat[imm + n] : 0;
}

static bool is_shuffle_mm(const struct x86_insn *i)
{
    if ( prefix(i) )
        return false;
    return (i->map == X86_MAP_0F && i->opcode == 0x70) ||
           (i->map == X86_MAP_0F3A && i->opcode == 0x0f);
}

static int shuffle_mm(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint8_t src[8], dst[8];
    int rc;

    if ( read_fsw() & FSW_ES )
        return emul_raise(c, X86_EXC_MF, -1);
    rc = read_operand(c, 8, src);
    if ( rc )
        return rc;
    fpu_read_mm(c->v, i->reg & 7, dst);
    if ( i->map == X86_MAP_0F )
        pshufw(dst, src, i->imm & 0xff);
    else
        palignr_mm(dst, src, i->imm & 0xff);
    fpu_write_mm(c->v, i->reg & 7, dst);
    return 0;
}

/*
 * MASKMOVQ mm1, mm2 (0F F7), (V)MASKMOVDQU xmm1, xmm2 (66 0F F7): byte n
 * of the first register goes to seg:rDI + n (DS unless overridden) where
 * the top bit of byte n of the second is set; the others touch nothing.
 */
static int maskmov_di(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    bool mm = !i->opsize_prefix;
    unsigned int seg = i->seg == X86_SEG_NONE ? X86_SEG_DS : i->seg;
    uint64_t di = emul_gpr(c, GPR_DI, i->addr_size), base = emul_seg_base(c, seg);
    uint8_t src[16], mask[16];
    int rc = 0;

    if ( mm && (read_fsw() & FSW_ES) )
        return emul_raise(c, X86_EXC_MF, -1);
    if ( mm )
    {
        fpu_read_mm(c->v, i->reg & 7, src);
        fpu_read_mm(c->v, i->rm & 7, mask);
    }
    else
    {
        fpu_read_xmm(c->v, i->reg, src);
        fpu_read_xmm(c->v, i->rm, mask);
    }
    for ( unsigned int n = 0; !rc && n < (mm ? 8u : 16u); n++ )
        if ( mask[n] & 0x80 )
            rc = emul_write(c, base + ((di + n) & emul_size_mask(i->addr_size)), 1, src[n]);
    return rc;
}

int emul_mmx_more(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    const struct cvt_mm_op *op;

    if ( i->map == X86_MAP_0F && i->opcode == 0xf7 && !i->has_mem && !i->rep )
        return maskmov_di(c);
    if ( !i->has_mem || i->vex )
        return -EOPNOTSUPP;
    if ( is_shuffle_mm(i) )
        return shuffle_mm(c);
    op = find_cvt(i);
    return op ? cvt_mm(c, op) : -EOPNOTSUPP;
}
