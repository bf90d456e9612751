/*
 * emulate_sse4x.c - the SSE4 forms with an imm8 that emulate_simd.c's
 * tables leave out, with a memory operand that has no RAM behind it:
 * DPPS/DPPD (66 0F 3A 40/41), MPSADBW (42), PCMPESTRM/PCMPESTRI/
 * PCMPISTRM/PCMPISTRI (60-63), legacy and VEX; the VEX blends VBLENDVPS,
 * VBLENDVPD, VPBLENDVB (VEX 66 0F 3A 4A-4C, the mask register in imm8
 * bits 7:4); and PINSRW into an MMX register (0F C4, no prefix).
 *
 * DPPS/DPPD run on the CPU like emulate_simd.c's table (on XMM0, under
 * the guest's MXCSR with every exception masked, XMM0 and MXCSR put
 * back): one stub per imm8 high nibble, with every lane written; the
 * lanes the low nibble does not pick are cleared here. The string
 * compares and MPSADBW are x86_pcmpstr.c's, the blends and PINSRW plain
 * data movement. The hypervisor has no FP state of its
 * own: the registers touched are the running vCPU's, through fpu.h;
 * guest memory only through emulate_priv.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include <asm/x86_alu.h>
#include <asm/x86_pcmpstr.h>
#include <asm/x86_softfp.h>
#include "emulate_priv.h"

#define X86_EXC_MF     16
#define X86_EXC_XM     19
#define CR4_OSXMMEXCPT (1ULL << 10)
#define MXCSR_FLAGS    0x3fu
#define MXCSR_MASKS    0x1f80u
#define FSW_ES         0x80u

static unsigned int mandatory_prefix(const struct x86_insn *i)
{
    if ( i->rep )
        return i->rep;
    return i->opsize_prefix ? 0x66 : 0;
}

/* size bytes (8 at a time) of the memory operand from offset off. */
static int read_mem(struct emul_ctx *c, unsigned int off, unsigned int size, uint8_t *buf)
{
    uint64_t ea = emul_ea(c) + off, v;
    int rc;

    for ( unsigned int n = 0; n < size; n += 8 )
    {
        rc = emul_read(c, ea + n, MIN(8u, size - n), &v);
        if ( rc )
            return rc;
        memcpy(buf + n, &v, MIN(8u, size - n));
    }
    return 0;
}

/* The guest's YMMn as 32 bytes. */
static void read_ymm(struct emul_ctx *c, unsigned int n, uint8_t y[32])
{
    fpu_read_xmm(c->v, n, y);
    fpu_read_ymm_hi(c->v, n, y + 16);
}

/* A VEX result: the low lane, and the high one or zeros (VEX.128). */
static void write_vex(struct emul_ctx *c, unsigned int n, const uint8_t y[32], bool wide)
{
    static const uint8_t zero[16];

    fpu_write_xmm(c->v, n, y);
    fpu_write_ymm_hi(c->v, n, wide ? y + 16 : zero);
}

/* ---- DPPS, DPPD ---------------------------------------------------------- */

struct dp_io
{
    uint8_t src[16] __attribute__((aligned(16)));
    uint8_t dst[16];
    uint8_t save[16];
    uint32_t run_csr, out_csr, old_csr;
};

#define DP_STUB(name, insn, imm)                                                            \
    static void name(struct dp_io *io)                                                      \
    {                                                                                       \
        asm volatile("movdqu %%xmm0, %[save]\n\t"                                           \
                     "ldmxcsr %[run]\n\t"                                                   \
                     "movdqu %[dst], %%xmm0\n\t" insn " $" imm ", %[src], %%xmm0\n\t"       \
                     "stmxcsr %[out]\n\t"                                                   \
                     "movdqu %%xmm0, %[dst]\n\t"                                            \
                     "ldmxcsr %[old]\n\t"                                                   \
                     "movdqu %[save], %%xmm0"                                               \
                     : [save] "+m"(io->save), [dst] "+m"(io->dst), [out] "=m"(io->out_csr)  \
                     : [src] "m"(io->src), [run] "m"(io->run_csr), [old] "m"(io->old_csr)); \
    }

/* Each product mask (imm8 bits 7:4; DPPD bits 5:4), the sum into every
 * lane: the CPU adds in a different order for each lane (with two NaN
 * products, lanes differ), so lanes are not copied from one another. */
#define DP_NIBBLES(X) \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(a) X(b) X(c) X(d) X(e) X(f)
#define X_DPPS(h) DP_STUB(dpps_##h, "dpps", "0x" #h "f")
#define X_DPPD(h) DP_STUB(dppd_##h, "dppd", "0x" #h "3")
DP_NIBBLES(X_DPPS)
X_DPPD(0)
X_DPPD(1)
X_DPPD(2)
X_DPPD(3)

#define X_DPPS_ENTRY(h) dpps_##h,
static void (*const dpps_stubs[16])(struct dp_io *) = { DP_NIBBLES(X_DPPS_ENTRY) };
static void (*const dppd_stubs[4])(struct dp_io *) = { dppd_0, dppd_1, dppd_2, dppd_3 };

uint32_t emul_mxcsr(void)
{
    uint32_t csr;

    asm volatile("stmxcsr %0" : "=m"(csr));
    return csr;
}

static void write_mxcsr(uint32_t csr)
{
    asm volatile("ldmxcsr %0" ::"m"(csr));
}

int emul_mxcsr_flags(struct emul_ctx *c, uint32_t old, uint32_t flags)
{
    uint32_t csr;
    bool fault = x86_mxcsr_raise(old, flags, &csr);

    write_mxcsr(csr);
    if ( !fault )
        return 0;
    return emul_raise(c, c->st.cr4 & CR4_OSXMMEXCPT ? X86_EXC_XM : X86_EXC_UD, -1);
}

/* One 128-bit lane: d := the dot product of d and s under imm8. */
static uint32_t dp_lane(bool pd, unsigned int imm, uint8_t d[16], const uint8_t s[16], uint32_t old)
{
    struct dp_io io = { .run_csr = (old & ~MXCSR_FLAGS) | MXCSR_MASKS, .old_csr = old };
    unsigned int size = pd ? 8 : 4;

    memcpy(io.src, s, 16);
    memcpy(io.dst, d, 16);
    (pd ? dppd_stubs[(imm >> 4) & 3] : dpps_stubs[imm >> 4])(&io);
    for ( unsigned int n = 0; n < 16 / size; n++ )
        memcpy(d + n * size, imm & (1u << n) ? io.dst + n * size : (const uint8_t[8]){ 0 }, size);
    return io.out_csr & MXCSR_FLAGS;
}

static int emul_dp(struct emul_ctx *c, bool pd)
{
    const struct x86_insn *i = &c->insn;
    bool wide = i->vex && i->vex_l;
    uint8_t s[32], d[32];
    uint32_t old = emul_mxcsr(), flags;
    int rc = read_mem(c, 0, wide ? 32 : 16, s);

    if ( rc )
        return rc;
    read_ymm(c, i->vex ? i->vex_vvvv : i->reg, d);
    flags = dp_lane(pd, i->imm & 0xff, d, s, old);
    if ( wide )
        flags |= dp_lane(pd, i->imm & 0xff, d + 16, s + 16, old);
    rc = emul_mxcsr_flags(c, old, flags);
    if ( rc )
        return rc;
    if ( i->vex )
        write_vex(c, i->reg, d, wide);
    else
        fpu_write_xmm(c->v, i->reg, d);
    return 0;
}

/* ---- MPSADBW, PCMPxSTRx -------------------------------------------------- */

/* VEX.256 (AVX2): the high lane with imm8 bits 5:3. */
static int emul_mpsadbw(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    bool wide = i->vex && i->vex_l;
    uint8_t s[32], d[32];
    int rc = read_mem(c, 0, wide ? 32 : 16, s);

    if ( rc )
        return rc;
    read_ymm(c, i->vex ? i->vex_vvvv : i->reg, d);
    x86_mpsadbw(d, s, i->imm & 7);
    if ( wide )
        x86_mpsadbw(d + 16, s + 16, (i->imm >> 3) & 7);
    if ( i->vex )
        write_vex(c, i->reg, d, wide);
    else
        fpu_write_xmm(c->v, i->reg, d);
    return 0;
}

/*
 * 60 PCMPESTRM, 61 PCMPESTRI, 62 PCMPISTRM, 63 PCMPISTRI: the explicit
 * lengths are rAX and rDX (64-bit with REX.W/VEX.W); the index goes to
 * ECX, the mask to XMM0 (VEX: bits 255:128 of YMM0 cleared).
 */
static int emul_pcmpstr(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    bool expl = i->opcode < 0x62, w = i->rex & 8;
    int64_t la = (int32_t)emul_gpr(c, GPR_AX, 4), lb = (int32_t)emul_gpr(c, GPR_DX, 4);
    uint8_t a[16], b[16], y[32] = { 0 };
    struct x86_pcmpstr out;
    int rc = read_mem(c, 0, 16, b);

    if ( rc )
        return rc;
    if ( w )
        la = emul_gpr(c, GPR_AX, 8), lb = emul_gpr(c, GPR_DX, 8);
    fpu_read_xmm(c->v, i->reg, a);
    x86_pcmpstr(a, b, i->imm & 0xff, expl, la, lb, &out);
    c->v->arch.regs.rflags = (c->v->arch.regs.rflags & ~X86_FL_ARITH) | out.flags;
    if ( i->opcode & 1 )
        emul_set_gpr(c, GPR_CX, 4, out.index);
    else if ( i->vex )
        write_vex(c, 0, (memcpy(y, out.mask, 16), y), false);
    else
        fpu_write_xmm(c->v, 0, out.mask);
    return 0;
}

/* ---- VBLENDVPS/PD, VPBLENDVB; PINSRW mm ----------------------------------- */

/* Each element (4A: dword, 4B: qword, 4C: byte) from the memory operand
 * where the top bit of the same element of the imm8[7:4] register is
 * set, else from vvvv. */
static int emul_vblendv(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int size = i->opcode == 0x4a ? 4 : i->opcode == 0x4b ? 8 : 1;
    unsigned int bytes = i->vex_l ? 32 : 16, is4 = (i->imm >> 4) & (i->rex ? 15 : 7);
    uint8_t s[32], d[32], m[32];
    int rc = read_mem(c, 0, bytes, s);

    if ( rc )
        return rc;
    read_ymm(c, i->vex_vvvv, d);
    read_ymm(c, is4, m);
    for ( unsigned int n = 0; n < bytes; n += size )
        if ( m[n + size - 1] & 0x80 )
            memcpy(d + n, s + n, size);
    write_vex(c, i->reg, d, i->vex_l);
    return 0;
}

static uint16_t read_fsw(void)
{
    uint16_t fsw;

    asm volatile("fnstsw %0" : "=m"(fsw));
    return fsw;
}

/* PINSRW mm, m16, imm8: an MMX instruction (a pending x87 exception is
 * #MF; the write makes the x87-to-MMX transition). */
static int emul_pinsrw_mm(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint8_t mm[8];
    uint64_t v;
    int rc;

    if ( read_fsw() & FSW_ES )
        return emul_raise(c, X86_EXC_MF, -1);
    rc = emul_read(c, emul_ea(c), 2, &v);
    if ( rc )
        return rc;
    fpu_read_mm(c->v, i->reg & 7, mm);
    memcpy(mm + (i->imm & 3) * 2, &v, 2);
    fpu_write_mm(c->v, i->reg & 7, mm);
    return 0;
}

int emul_sse4x(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    unsigned int pfx = mandatory_prefix(i), op = i->opcode;

    if ( !i->has_mem )
        return -EOPNOTSUPP;
    if ( i->map == X86_MAP_0F && op == 0xc4 && !pfx && !i->vex )
        return emul_pinsrw_mm(c);
    if ( i->map != X86_MAP_0F3A || pfx != 0x66 )
        return -EOPNOTSUPP;
    if ( op == 0x40 || (op == 0x41 && !i->vex_l) )
        return emul_dp(c, op == 0x41);
    if ( op == 0x42 )
        return emul_mpsadbw(c);
    if ( op >= 0x60 && op <= 0x63 && !i->vex_l )
        return emul_pcmpstr(c);
    if ( op >= 0x4a && op <= 0x4c && i->vex )
        return emul_vblendv(c);
    return -EOPNOTSUPP;
}
