/*
 * emulate_fma.c - FMA3 and F16C with a memory operand that has no RAM
 * behind it: VFMADD/VFMSUB/VFNMADD/VFNMSUB 132/213/231 PS/PD (128 and
 * 256 bits) and SS/SD, VFMADDSUB/VFMSUBADD 132/213/231 PS/PD (VEX 66
 * 0F 38 96-9F, A6-AF, B6-BF; W picks double), VCVTPH2PS from memory
 * (VEX 66 0F 38 13) and VCVTPS2PH to memory (VEX 66 0F 3A 1D).
 *
 * The hypervisor runs with XCR0 = x87|SSE, so these VEX instructions
 * cannot run here, and no legacy instruction fuses a multiply-add: each
 * element is x86_softfp.c's, in integer C, under the guest's MXCSR; the
 * flags of every element are merged, and one the guest left unmasked is
 * #XM (or #UD) with nothing written, as the CPU does. It reaches guest
 * memory only through emulate_priv.h and the guest's registers only
 * through fpu.h; it touches no FP register itself.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include <asm/x86_softfp.h>
#include "emulate_priv.h"

static int read_mem(struct emul_ctx *c, unsigned int size, uint8_t *buf)
{
    uint64_t v;
    int rc;

    for ( unsigned int n = 0; n < size; n += 8 )
    {
        rc = emul_read(c, emul_ea(c) + n, MIN(8u, size - n), &v);
        if ( rc )
            return rc;
        memcpy(buf + n, &v, MIN(8u, size - n));
    }
    return 0;
}

static int write_mem(struct emul_ctx *c, unsigned int size, const uint8_t *buf)
{
    uint64_t v;
    int rc;

    for ( unsigned int n = 0; n < size; n += 8 )
    {
        memcpy(&v, buf + n, 8);
        rc = emul_write(c, emul_ea(c) + n, 8, v);
        if ( rc )
            return rc;
    }
    return 0;
}

static void read_ymm(struct emul_ctx *c, unsigned int n, uint8_t y[32])
{
    fpu_read_xmm(c->v, n, y);
    fpu_read_ymm_hi(c->v, n, y + 16);
}

/* VEX: the low lane, and the high one (256) or zeros (128, scalar). */
static void write_ymm(struct emul_ctx *c, unsigned int n, const uint8_t y[32], bool wide)
{
    static const uint8_t zero[16];

    fpu_write_xmm(c->v, n, y);
    fpu_write_ymm_hi(c->v, n, wide ? y + 16 : zero);
}

static uint64_t element(const uint8_t *y, unsigned int n, unsigned int size)
{
    uint64_t v = 0;

    memcpy(&v, y + n * size, size);
    return v;
}

/* ---- FMA3 ----------------------------------------------------------------- */

/* The X86_FMA_NEG_* of element n of the form in the opcode's low nibble:
 * 6 FMADDSUB (even elements subtract), 7 FMSUBADD (odd ones do), 8/9
 * FMADD, A/B FMSUB, C/D FNMADD, E/F FNMSUB. */
static unsigned int fma_neg(unsigned int low, unsigned int n)
{
    unsigned int kind = (low - 8) >> 1;

    if ( low == 6 || low == 7 )
        return (n & 1) == (low == 7) ? X86_FMA_NEG_ADDEND : 0;
    return (kind & 1 ? X86_FMA_NEG_ADDEND : 0) | (kind & 2 ? X86_FMA_NEG_PRODUCT : 0);
}

static bool is_fma(const struct x86_insn *i)
{
    unsigned int row = i->opcode >> 4, low = i->opcode & 15;

    return i->vex && i->map == X86_MAP_0F38 && i->opsize_prefix && row >= 9 && row <= 0xb &&
           low >= 6;
}

/*
 * The three operands in multiply order (a * b + c), as the CPU picks
 * them (and its NaNs): 132: reg * mem + vvvv; 213: vvvv * reg + mem;
 * 231: vvvv * mem + reg.
 */
static void fma_operands(const struct x86_insn *i, const uint8_t *reg, const uint8_t *vvvv,
                         const uint8_t *mem, const uint8_t *ops[3])
{
    switch ( i->opcode >> 4 )
    {
    case 9: ops[0] = reg, ops[1] = mem, ops[2] = vvvv; break;
    case 0xa: ops[0] = vvvv, ops[1] = reg, ops[2] = mem; break;
    default: ops[0] = vvvv, ops[1] = mem, ops[2] = reg; break;
    }
}

static int emul_fma3(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int size = i->rex & 8 ? 8 : 4, low = i->opcode & 15;
    bool scalar = low >= 8 && (low & 1), wide = i->vex_l && !scalar;
    unsigned int count = scalar ? 1 : (wide ? 32 : 16) / size;
    uint8_t mem[32] = { 0 }, reg[32], vvvv[32], out[32];
    const uint8_t *ops[3];
    uint32_t old = emul_mxcsr(), flags = 0;
    int rc = read_mem(c, scalar ? size : count * size, mem);

    if ( rc )
        return rc;
    read_ymm(c, i->reg, reg);
    read_ymm(c, i->vex_vvvv, vvvv);
    memcpy(out, reg, 32); /* a scalar form keeps the rest of the destination */
    fma_operands(i, reg, vvvv, mem, ops);
    for ( unsigned int n = 0; n < count; n++ )
    {
        uint64_t r = x86_fma(size, element(ops[0], n, size), element(ops[1], n, size),
                             element(ops[2], n, size), fma_neg(low, n), old, &flags);

        memcpy(out + n * size, &r, size);
    }
    rc = emul_mxcsr_flags(c, old, flags);
    if ( !rc )
        write_ymm(c, i->reg, out, wide);
    return rc;
}

/* ---- F16C ----------------------------------------------------------------- */

/* VCVTPH2PS ymm/xmm, m128/m64: four or eight halves. */
static int emul_cvtph2ps(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int count = i->vex_l ? 8 : 4;
    uint8_t mem[16], out[32] = { 0 };
    uint32_t old = emul_mxcsr(), flags = 0;
    int rc = read_mem(c, count * 2, mem);

    if ( rc )
        return rc;
    for ( unsigned int n = 0; n < count; n++ )
    {
        uint32_t s = x86_cvtph2ps(element(mem, n, 2), old, &flags);

        memcpy(out + 4 * n, &s, 4);
    }
    rc = emul_mxcsr_flags(c, old, flags);
    if ( !rc )
        write_ymm(c, i->reg, out, i->vex_l);
    return rc;
}

/* VCVTPS2PH m128/m64, ymm/xmm, imm8: nothing stored if it faults. */
static int emul_cvtps2ph(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int count = i->vex_l ? 8 : 4;
    uint8_t src[32], out[16];
    uint32_t old = emul_mxcsr(), flags = 0;
    int rc;

    read_ymm(c, i->reg, src);
    for ( unsigned int n = 0; n < count; n++ )
    {
        uint16_t h = x86_cvtps2ph(element(src, n, 4), i->imm & 0xff, old, &flags);

        memcpy(out + 2 * n, &h, 2);
    }
    rc = emul_mxcsr_flags(c, old, flags);
    return rc ? rc : write_mem(c, count * 2, out);
}

int emul_fma(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;

    if ( !i->vex || !i->has_mem || !i->opsize_prefix )
        return -EOPNOTSUPP;
    if ( is_fma(i) )
        return emul_fma3(c);
    if ( i->map == X86_MAP_0F38 && i->opcode == 0x13 )
        return emul_cvtph2ps(c);
    if ( i->map == X86_MAP_0F3A && i->opcode == 0x1d )
        return emul_cvtps2ph(c);
    return -EOPNOTSUPP;
}
