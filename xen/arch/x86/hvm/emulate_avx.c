/*
 * emulate_avx.c - the VEX-only AVX and AVX2 instructions whose memory
 * operand has no RAM behind it: VBROADCASTSS/SD/F128/I128,
 * VPBROADCASTB/W/D/Q, VPERMILPS/PD (vector and imm8), VPERM2F128/I128,
 * VPERMD/PS/Q/PD, VINSERTF128/I128, VEXTRACTF128/I128, VPBLENDD,
 * VMASKMOVPS/PD and VPMASKMOVD/Q (loads and stores), VPSLLV/VPSRLV/VPSRAV,
 * the 256-bit VPMOVSX/ZX, VPTEST and VTESTPS/PD, the 256-bit shifts by
 * a 128-bit count, the gathers (VGATHERD/Q PS/PD, VPGATHERD/Q D/Q), the
 * VEX forms of MOVLPS/HPS/LPD/HPD, MOVDDUP and MOVSLDUP/SHDUP; VCMPPS/PD/
 * SS/SD with predicates 8-31 and the 256-bit width-changing conversions
 * (run on the CPU, below); VLDMXCSR/VSTMXCSR go to emulate_xsave.c.
 *
 * All but the compares and conversions only move or compare bits and
 * raise no SIMD exception, so they are done in C on the guest's YMM registers, read and written through
 * fpu.h (the hypervisor runs with XCR0 = x87|SSE and cannot execute a
 * VEX instruction itself). A VEX.128 form clears bits 255:128 of its
 * destination. Masked elements of VMASKMOV/VPMASKMOV and of a gather
 * touch no memory (a store whose every element is masked is a no-op, a
 * masked load element reads 0); a gather reads each element from its
 * own address in element order, clears each mask element as it is done
 * and the whole mask register at the end; a fault part way keeps the
 * elements done, as the CPU does.
 *
 * Guest memory is reached only through emulate_priv.h, the guest's
 * vector registers only through fpu.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include "emulate_priv.h"

#define FL_ARITH 0x8d5ULL
#define FL_ZF    0x40ULL
#define FL_CF    0x01ULL

struct avx
{
    struct emul_ctx *c;
    const struct x86_insn *i;
    bool wide;          /* VEX.L */
    bool w;             /* VEX.W */
    unsigned int bytes; /* 16 or 32 */
};

static void get_ymm(struct emul_ctx *c, unsigned int n, uint8_t y[32])
{
    fpu_read_xmm(c->v, n, y);
    fpu_read_ymm_hi(c->v, n, y + 16);
}

/* A VEX.128 destination has bits 255:128 cleared. */
static void put_ymm(struct emul_ctx *c, unsigned int n, const uint8_t y[32], bool wide)
{
    static const uint8_t zero[16];

    fpu_write_xmm(c->v, n, y);
    fpu_write_ymm_hi(c->v, n, wide ? y + 16 : zero);
}

static int load(struct avx *a, unsigned int size, uint8_t *buf)
{
    return emul_mem_buf(a->c, size, false, buf);
}

/* ---- broadcasts, inserts, extracts, permutes --------------------------- */

/* VBROADCASTSS/SD/F128/I128, VPBROADCASTB/W/D/Q: size bytes everywhere. */
static int broadcast(struct avx *a, unsigned int size)
{
    uint8_t src[16], y[32];
    int rc = load(a, size, src);

    if ( rc )
        return rc;
    for ( unsigned int n = 0; n < 32; n += size )
        memcpy(y + n, src, size);
    put_ymm(a->c, a->i->reg, y, a->wide);
    return 0;
}

/* VINSERTF128/I128: vvvv with the half imm8 bit 0 picks from memory. */
static int insert128(struct avx *a)
{
    uint8_t y[32];
    int rc;

    get_ymm(a->c, a->i->vex_vvvv, y);
    rc = load(a, 16, y + (a->i->imm & 1) * 16);
    if ( !rc )
        put_ymm(a->c, a->i->reg, y, true);
    return rc;
}

/* VEXTRACTF128/I128 m128, ymm, imm8: a store. */
static int extract128(struct avx *a)
{
    uint8_t y[32];

    get_ymm(a->c, a->i->reg, y);
    return emul_mem_buf(a->c, 16, true, y + (a->i->imm & 1) * 16);
}

/* VPERM2F128/I128: each half from one of four, or zero (imm8 bits 3, 7). */
static int perm2x128(struct avx *a)
{
    uint8_t src[64], y[32];
    unsigned int imm = a->i->imm;
    int rc;

    get_ymm(a->c, a->i->vex_vvvv, src);
    rc = load(a, 32, src + 32);
    if ( rc )
        return rc;
    for ( unsigned int h = 0; h < 2; h++ )
    {
        unsigned int sel = (imm >> (4 * h)) & 0xf;

        if ( sel & 8 )
            memset(y + 16 * h, 0, 16);
        else
            memcpy(y + 16 * h, src + 16 * (sel & 3), 16);
    }
    put_ymm(a->c, a->i->reg, y, true);
    return 0;
}

/* VPERMQ/VPERMPD ymm, m256, imm8: qword n from imm8 bits 2n+1:2n. */
static int permq(struct avx *a)
{
    uint64_t src[4], y[4];
    int rc = load(a, 32, (uint8_t *)src);

    if ( rc )
        return rc;
    for ( unsigned int n = 0; n < 4; n++ )
        y[n] = src[(a->i->imm >> (2 * n)) & 3];
    put_ymm(a->c, a->i->reg, (uint8_t *)y, true);
    return 0;
}

/* VPERMD/VPERMPS ymm1, ymm2 (indices), m256 (data). */
static int permd(struct avx *a)
{
    uint32_t idx[8], src[8], y[8];
    int rc = load(a, 32, (uint8_t *)src);

    if ( rc )
        return rc;
    get_ymm(a->c, a->i->vex_vvvv, (uint8_t *)idx);
    for ( unsigned int n = 0; n < 8; n++ )
        y[n] = src[idx[n] & 7];
    put_ymm(a->c, a->i->reg, (uint8_t *)y, true);
    return 0;
}

/*
 * VPERMILPS/PD within each 128-bit lane: with imm8 (0F 3A 04/05) the
 * data is memory and the selectors imm8 bits; the vector form (0F 38
 * 0C/0D) takes data from vvvv and the selectors from memory (PS: bits
 * 1:0 of each dword, PD: bit 1 of each qword).
 */
static unsigned int permil_sel(struct avx *a, const uint8_t *ctl, unsigned int n, bool pd)
{
    uint32_t v;

    if ( a->i->map == X86_MAP_0F3A )
        return pd ? (a->i->imm >> (n & 7)) & 1 : (a->i->imm >> (2 * (n & 3))) & 3;
    memcpy(&v, ctl + (pd ? 8 : 4) * n, 4);
    return pd ? (v >> 1) & 1 : v & 3;
}

static int permil(struct avx *a, bool pd)
{
    uint8_t mem[32] = { 0 }, data[32], y[32];
    unsigned int size = pd ? 8 : 4;
    int rc = load(a, a->bytes, mem);

    if ( rc )
        return rc;
    if ( a->i->map == X86_MAP_0F3A )
        memcpy(data, mem, 32);
    else
        get_ymm(a->c, a->i->vex_vvvv, data);
    for ( unsigned int n = 0; n < 32 / size; n++ )
    {
        unsigned int lane = (n * size) & ~15u;

        memcpy(y + n * size, data + lane + size * permil_sel(a, mem, n, pd), size);
    }
    put_ymm(a->c, a->i->reg, y, a->wide);
    return 0;
}

/* VPBLENDD: dword n from memory where imm8 bit n is set, else vvvv. */
static int pblendd(struct avx *a)
{
    uint8_t src[32] = { 0 }, y[32];
    int rc = load(a, a->bytes, src);

    if ( rc )
        return rc;
    get_ymm(a->c, a->i->vex_vvvv, y);
    for ( unsigned int n = 0; n < 8; n++ )
        if ( a->i->imm & (1u << n) )
            memcpy(y + 4 * n, src + 4 * n, 4);
    put_ymm(a->c, a->i->reg, y, a->wide);
    return 0;
}

/* ---- masked moves ------------------------------------------------------- */

/* VMASKMOVPS/PD, VPMASKMOVD/Q: element n moves where the top bit of
 * element n of the vvvv mask is set; the others touch no memory. */
static int maskmov(struct avx *a, unsigned int size, bool store)
{
    uint8_t mask[32], y[32] = { 0 };
    uint64_t ea = emul_ea(a->c), val;
    int rc = 0;

    get_ymm(a->c, a->i->vex_vvvv, mask);
    if ( store )
        get_ymm(a->c, a->i->reg, y);
    for ( unsigned int n = 0; !rc && n < a->bytes; n += size )
    {
        if ( !(mask[n + size - 1] & 0x80) )
            continue;
        val = 0;
        memcpy(&val, y + n, size);
        rc = store ? emul_write(a->c, ea + n, size, val) : emul_read(a->c, ea + n, size, &val);
        memcpy(y + n, &val, size);
    }
    if ( !rc && !store )
        put_ymm(a->c, a->i->reg, y, a->wide);
    return rc;
}

/* ---- widening moves, variable shifts, tests ----------------------------- */

static int64_t element(const uint8_t *p, unsigned int size, bool sx)
{
    uint64_t v = 0;

    memcpy(&v, p, size);
    if ( !sx || size == 8 )
        return (int64_t)v;
    return size == 1 ? (int8_t)v : size == 2 ? (int16_t)v : (int32_t)v;
}

/* VPMOVSX/ZX ymm (0F 38 20-25, 30-35): 16 bytes of result elements. */
static int pmovx256(struct avx *a)
{
    static const uint8_t from[6] = { 1, 1, 1, 2, 2, 4 }, to[6] = { 2, 4, 8, 4, 8, 8 };
    unsigned int k = a->i->opcode & 0xf, count = 32 / to[k];
    bool sx = a->i->opcode < 0x30;
    uint8_t src[16], y[32];
    int rc = load(a, count * from[k], src);

    if ( rc )
        return rc;
    for ( unsigned int n = 0; n < count; n++ )
    {
        int64_t v = element(src + n * from[k], from[k], sx);

        memcpy(y + n * to[k], &v, to[k]);
    }
    put_ymm(a->c, a->i->reg, y, true);
    return 0;
}

/* One element shifted: SLL/SRL give 0 past the width, SRA the sign. */
static uint64_t shift_one(uint64_t v, uint64_t count, unsigned int size, unsigned int kind)
{
    unsigned int bits = size * 8;
    int64_t sv = element((const uint8_t *)&v, size, true);

    if ( kind == 1 ) /* arithmetic right */
        return (uint64_t)(sv >> (count >= bits ? bits - 1 : count));
    if ( count >= bits )
        return 0;
    return kind == 0 ? v >> count : v << count;
}

/* kind 0 SRL, 1 SRA, 2 SLL; counts per element (variable) or one. */
static void shift_all(uint8_t y[32], const uint8_t *counts, bool variable, unsigned int size,
                      unsigned int kind)
{
    for ( unsigned int n = 0; n < 32; n += size )
    {
        uint64_t v = 0, count = 0;

        memcpy(&v, y + n, size);
        memcpy(&count, counts + (variable ? n : 0), variable ? size : 8);
        v = shift_one(v, count, size, kind);
        memcpy(y + n, &v, size);
    }
}

/* VPSRLVD/Q, VPSRAVD, VPSLLVD/Q (0F 38 45-47): counts from memory. */
static int shift_variable(struct avx *a)
{
    unsigned int kind = a->i->opcode - 0x45, size = a->w && kind != 1 ? 8 : 4;
    uint8_t counts[32] = { 0 }, y[32];
    int rc = load(a, a->bytes, counts);

    if ( rc )
        return rc;
    get_ymm(a->c, a->i->vex_vvvv, y);
    shift_all(y, counts, true, size, kind);
    put_ymm(a->c, a->i->reg, y, a->wide);
    return 0;
}

/* VPSRL/VPSRA/VPSLL W/D/Q ymm by the count in m128 (its low qword). */
static int shift_by_count(struct avx *a)
{
    static const uint8_t kinds[3] = { 0, 1, 2 }; /* D0+, E0+, F0+ rows */
    unsigned int op = a->i->opcode, size = 2u << ((op & 3) - 1);
    uint8_t count[16], y[32];
    int rc = load(a, 16, count);

    if ( rc )
        return rc;
    get_ymm(a->c, a->i->vex_vvvv, y);
    shift_all(y, count, false, size, kinds[(op >> 4) - 0xd]);
    put_ymm(a->c, a->i->reg, y, true);
    return 0;
}

/*
 * VPTEST (every bit) and VTESTPS/PD (the sign bits): ZF if mem AND reg
 * is zero, CF if mem AND NOT reg is zero; OF, SF, AF, PF cleared.
 */
static int vtest(struct avx *a, unsigned int size)
{
    uint8_t src[32] = { 0 }, dst[32];
    bool zf = true, cf = true;
    uint64_t *fl = &a->c->v->arch.regs.rflags;
    int rc = load(a, a->bytes, src);

    if ( rc )
        return rc;
    get_ymm(a->c, a->i->reg, dst);
    for ( unsigned int n = 0; n < a->bytes; n++ )
    {
        uint8_t bits = size == 1 || (n % size) == size - 1 ? (size == 1 ? 0xff : 0x80) : 0;

        zf &= !(src[n] & dst[n] & bits);
        cf &= !(src[n] & ~dst[n] & bits);
    }
    *fl = (*fl & ~FL_ARITH) | (zf ? FL_ZF : 0) | (cf ? FL_CF : 0);
    return 0;
}

/* ---- gathers ----------------------------------------------------------- */

/*
 * VSIB: the index is a vector register (SIB index 4 is xmm4, which the
 * decoder reports as none); element n's address is base + sign-extended
 * index n * scale + disp, in the instruction's segment.
 */
static unsigned int vsib_index(const struct x86_insn *i)
{
    return i->index == X86_REG_NONE ? 4 : i->index;
}

static uint64_t vsib_address(struct avx *a, const uint8_t *idx, unsigned int n, bool qidx)
{
    struct x86_insn saved = *a->i;
    struct x86_insn *i = &a->c->insn;
    int64_t off = qidx ? element(idx + 8 * n, 8, true) : element(idx + 4 * n, 4, true);
    uint64_t ea;

    i->index = X86_REG_NONE;
    ea = emul_ea(a->c) + off * saved.scale;
    *i = saved;
    return a->i->addr_size == 4 ? (uint32_t)ea : ea;
}

/* 0F 38 90-93: D/Q index (opcode bit 0), dword/qword data (VEX.W). */
static int gather(struct avx *a)
{
    bool qidx = a->i->opcode & 1;
    unsigned int esize = a->w ? 8 : 4, isize = qidx ? 8 : 4;
    unsigned int count = a->bytes / MAX(esize, isize);
    uint8_t idx[32], dst[32], mask[32];
    int rc = 0;

    if ( !a->i->has_sib )
        return emul_raise(a->c, X86_EXC_UD, -1);
    get_ymm(a->c, vsib_index(a->i), idx);
    get_ymm(a->c, a->i->reg, dst);
    get_ymm(a->c, a->i->vex_vvvv, mask);
    for ( unsigned int n = 0; !rc && n < count; n++ )
    {
        uint64_t val;

        if ( !(mask[n * esize + esize - 1] & 0x80) )
            continue;
        rc = emul_read(a->c, vsib_address(a, idx, n, qidx), esize, &val);
        if ( rc )
            break;
        memcpy(dst + n * esize, &val, esize);
        memset(mask + n * esize, 0, esize);
    }
    if ( !rc )
        memset(mask, 0, sizeof(mask));
    if ( qidx && esize == 4 )
        memset(dst + count * 4, 0, 16 - count * 4); /* an XMM destination's rest */
    put_ymm(a->c, a->i->reg, dst, a->wide && !(qidx && esize == 4));
    put_ymm(a->c, a->i->vex_vvvv, mask, a->wide && !(qidx && esize == 4));
    return rc;
}

/* ---- compares with predicates 8-31, cross-lane conversions --------------- */

/*
 * These can raise SIMD exceptions, so they run on the CPU: the same VEX
 * instruction, with the guest's XCR0 loaded (fpu_with_guest_xcr0), on
 * YMM0 (the vvvv source and the result) and YMM1 (the memory operand),
 * both put back, under the guest's MXCSR with every exception masked.
 */
#define MXCSR_FLAGS    0x3fu
#define MXCSR_MASKS    0x1f80u
#define MXCSR_PRE      0x07u
#define CR4_OSXMMEXCPT (1ULL << 10)

struct vex_io
{
    uint8_t a[32], b[32], r[32], s0[32], s1[32];
    uint32_t run_csr, out_csr, old_csr;
};

#define VEX_STUB(name, text)                                                                   \
    static void name(void *arg)                                                                \
    {                                                                                          \
        struct vex_io *io = arg;                                                               \
                                                                                               \
        asm volatile(                                                                          \
            "vmovdqu %%ymm0, %[s0]\n\t"                                                        \
            "vmovdqu %%ymm1, %[s1]\n\t"                                                        \
            "vmovdqu %[a], %%ymm0\n\t"                                                         \
            "vmovdqu %[b], %%ymm1\n\t"                                                         \
            "ldmxcsr %[run]\n\t" text "\n\t"                                                   \
            "stmxcsr %[out]\n\t"                                                               \
            "vmovdqu %%ymm0, %[r]\n\t"                                                         \
            "ldmxcsr %[old]\n\t"                                                               \
            "vmovdqu %[s0], %%ymm0\n\t"                                                        \
            "vmovdqu %[s1], %%ymm1"                                                            \
            : [s0] "=m"(io->s0), [s1] "=m"(io->s1), [r] "=m"(io->r), [out] "=m"(io->out_csr)   \
            : [a] "m"(io->a), [b] "m"(io->b), [run] "m"(io->run_csr), [old] "m"(io->old_csr)); \
    }

/* The predicates only VEX has: 8-31. */
/* clang-format off */
#define VCMP_PREDS(X, insn)                                                    \
    X(insn, 8) X(insn, 9) X(insn, 10) X(insn, 11) X(insn, 12) X(insn, 13)     \
    X(insn, 14) X(insn, 15) X(insn, 16) X(insn, 17) X(insn, 18) X(insn, 19)   \
    X(insn, 20) X(insn, 21) X(insn, 22) X(insn, 23) X(insn, 24) X(insn, 25)   \
    X(insn, 26) X(insn, 27) X(insn, 28) X(insn, 29) X(insn, 30) X(insn, 31)
/* clang-format on */

#define VCMP_Y(insn, p) VEX_STUB(run_##insn##_##p, #insn " $" #p ", %%ymm1, %%ymm0, %%ymm0")
#define VCMP_X(insn, p) VEX_STUB(run_##insn##_##p, #insn " $" #p ", %%xmm1, %%xmm0, %%xmm0")
VCMP_PREDS(VCMP_Y, vcmpps)
VCMP_PREDS(VCMP_Y, vcmppd)
VCMP_PREDS(VCMP_X, vcmpss)
VCMP_PREDS(VCMP_X, vcmpsd)

#define VCMP_ENTRY(insn, p) run_##insn##_##p,
/* [ps, pd, ss, sd][predicate - 8] */
static void (*const vcmp_stubs[4][24])(void *) = {
    { VCMP_PREDS(VCMP_ENTRY, vcmpps) },
    { VCMP_PREDS(VCMP_ENTRY, vcmppd) },
    { VCMP_PREDS(VCMP_ENTRY, vcmpss) },
    { VCMP_PREDS(VCMP_ENTRY, vcmpsd) },
};

VEX_STUB(run_vcvtps2pd, "vcvtps2pd %%xmm1, %%ymm0")
VEX_STUB(run_vcvtpd2ps, "vcvtpd2ps %%ymm1, %%xmm0")
VEX_STUB(run_vcvtdq2pd, "vcvtdq2pd %%xmm1, %%ymm0")
VEX_STUB(run_vcvtpd2dq, "vcvtpd2dq %%ymm1, %%xmm0")
VEX_STUB(run_vcvttpd2dq, "vcvttpd2dq %%ymm1, %%xmm0")

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

/* Run; an unmasked flag is #XM (#UD without OSXMMEXCPT), nothing written;
 * a pre-computation flag stops the post-computation ones. */
static int vex_fp(struct avx *a, void (*run)(void *), struct vex_io *io, bool wide_dst)
{
    uint32_t flags;

    io->old_csr = read_mxcsr();
    io->run_csr = (io->old_csr & ~MXCSR_FLAGS) | MXCSR_MASKS;
    fpu_with_guest_xcr0(a->c->v, run, io);
    flags = io->out_csr & MXCSR_FLAGS;
    if ( flags & ~(io->old_csr >> 7) & MXCSR_FLAGS )
    {
        if ( flags & MXCSR_PRE )
            flags &= MXCSR_PRE;
        write_mxcsr(io->old_csr | flags);
        return emul_raise(a->c, a->c->st.cr4 & CR4_OSXMMEXCPT ? 19 : X86_EXC_UD, -1);
    }
    write_mxcsr(io->old_csr | flags);
    put_ymm(a->c, a->i->reg, io->r, wide_dst);
    return 0;
}

/* VCMPPS/PD/SS/SD m, imm8 8-31 (0F C2): the legacy forms stop at 7. A
 * VEX.128 packed form compares zeros in the upper lane (no flags). */
static int vcmp(struct avx *a)
{
    unsigned int pfx = a->i->rep ? a->i->rep : a->i->opsize_prefix ? 0x66 : 0;
    unsigned int kind = pfx == 0 ? 0 : pfx == 0x66 ? 1 : pfx == 0xf3 ? 2 : 3;
    unsigned int size = kind == 2 ? 4 : kind == 3 ? 8 : a->bytes;
    struct vex_io io = { 0 };
    int rc = load(a, size, io.b);

    if ( rc )
        return rc;
    get_ymm(a->c, a->i->vex_vvvv, io.a);
    if ( kind < 2 && !a->wide )
        memset(io.a + 16, 0, 16);
    return vex_fp(a, vcmp_stubs[kind][(a->i->imm & 0x1f) - 8], &io, kind < 2 && a->wide);
}

/* The 256-bit conversions that change the element width (not lane by
 * lane): VCVTPS2PD/VCVTDQ2PD ymm, m128; VCVTPD2PS/VCVT(T)PD2DQ xmm, m256. */
static void (*cvt256(const struct x86_insn *i))(void *)
{
    unsigned int pfx = i->rep ? i->rep : i->opsize_prefix ? 0x66 : 0;

    if ( i->opcode == 0x5a )
        return pfx == 0 ? run_vcvtps2pd : pfx == 0x66 ? run_vcvtpd2ps : NULL;
    if ( i->opcode != 0xe6 )
        return NULL;
    return pfx == 0xf3 ? run_vcvtdq2pd : pfx == 0xf2 ? run_vcvtpd2dq : run_vcvttpd2dq;
}

static int vcvt256(struct avx *a, void (*run)(void *))
{
    bool narrow = run != run_vcvtps2pd && run != run_vcvtdq2pd;
    struct vex_io io = { 0 };
    int rc = load(a, narrow ? 32 : 16, io.b);

    return rc ? rc : vex_fp(a, run, &io, true);
}

/* ---- VEX forms of the SSE half and duplicating moves -------------------- */

/*
 * VMOVLPS/LPD and VMOVHPS/HPD (0F 12/16 loads: the other qword from
 * vvvv; 0F 13/17 stores), VMOVDDUP (F2 0F 12: each even qword twice),
 * VMOVSLDUP/VMOVSHDUP (F3 0F 12/16: each even/odd dword twice).
 */
static int half_store(struct avx *a)
{
    uint8_t y[32];

    get_ymm(a->c, a->i->reg, y);
    return emul_mem_buf(a->c, 8, true, y + (a->i->opcode == 0x17 ? 8 : 0));
}

static int half_load(struct avx *a)
{
    bool high = a->i->opcode == 0x16;
    uint8_t y[32];
    int rc;

    get_ymm(a->c, a->i->vex_vvvv, y);
    rc = load(a, 8, y + (high ? 8 : 0));
    if ( !rc )
        put_ymm(a->c, a->i->reg, y, false);
    return rc;
}

/* Element n of the result is source element (n & ~1) + odd, size bytes. */
static int dup_move(struct avx *a, unsigned int size, unsigned int odd)
{
    uint8_t src[32] = { 0 }, y[32];
    int rc = load(a, size == 8 && !a->wide ? 8 : a->bytes, src);

    if ( rc )
        return rc;
    for ( unsigned int n = 0; n < a->bytes / size; n++ )
        memcpy(y + n * size, src + ((n & ~1u) + odd) * size, size);
    put_ymm(a->c, a->i->reg, y, a->wide);
    return 0;
}

static int sse_half_moves(struct avx *a)
{
    unsigned int op = a->i->opcode;
    unsigned int pfx = a->i->rep ? a->i->rep : a->i->opsize_prefix ? 0x66 : 0;

    if ( pfx == 0xf2 && op == 0x12 )
        return dup_move(a, 8, 0);
    if ( pfx == 0xf3 && (op == 0x12 || op == 0x16) )
        return dup_move(a, 4, op == 0x16);
    if ( pfx == 0xf2 || pfx == 0xf3 || a->wide )
        return -EOPNOTSUPP; /* VEX.256 forms are #UD before any access */
    return op & 1 ? half_store(a) : half_load(a);
}

/* 66 0F D1-D3, E1-E2, F1-F3 at 256 bits: one count for both lanes. */
static bool is_shift_by_count(const struct x86_insn *i)
{
    uint8_t op = i->opcode;

    return i->map == X86_MAP_0F &&
           ((op >= 0xd1 && op <= 0xd3) || op == 0xe1 || op == 0xe2 || (op >= 0xf1 && op <= 0xf3));
}

/* The 0F-map forms above; -EOPNOTSUPP for any other. */
static int map0f(struct avx *a)
{
    const struct x86_insn *i = a->i;

    if ( i->opcode == 0xae )
        return emul_xsave(a->c); /* VLDMXCSR, VSTMXCSR */
    if ( i->opcode == 0xc2 && (i->imm & 0x1f) >= 8 )
        return vcmp(a);
    if ( i->opcode == 0x12 || i->opcode == 0x13 || i->opcode == 0x16 || i->opcode == 0x17 )
        return sse_half_moves(a);
    if ( a->wide && cvt256(i) )
        return vcvt256(a, cvt256(i));
    if ( a->wide && i->opsize_prefix && !i->rep && is_shift_by_count(i) )
        return shift_by_count(a);
    return -EOPNOTSUPP;
}

/* ---- dispatch ----------------------------------------------------------- */

static int map38(struct avx *a)
{
    uint8_t op = a->i->opcode;

    switch ( op )
    {
    case 0x18: return broadcast(a, 4);
    case 0x19: return a->wide ? broadcast(a, 8) : emul_raise(a->c, X86_EXC_UD, -1);
    case 0x1a:
    case 0x5a: return a->wide ? broadcast(a, 16) : emul_raise(a->c, X86_EXC_UD, -1);
    case 0x58: return broadcast(a, 4);
    case 0x59: return broadcast(a, 8);
    case 0x78: return broadcast(a, 1);
    case 0x79: return broadcast(a, 2);
    case 0x0c: return permil(a, false);
    case 0x0d: return permil(a, true);
    case 0x0e: return vtest(a, 4);
    case 0x0f: return vtest(a, 8);
    case 0x17: return vtest(a, 1);
    case 0x16:
    case 0x36: return a->wide ? permd(a) : emul_raise(a->c, X86_EXC_UD, -1);
    case 0x2c ... 0x2f: return maskmov(a, op & 1 ? 8 : 4, op & 2);
    case 0x8c:
    case 0x8e: return maskmov(a, a->w ? 8 : 4, op & 2);
    case 0x45 ... 0x47: return shift_variable(a);
    case 0x90 ... 0x93: return gather(a);
    case 0x20 ... 0x25:
    case 0x30 ... 0x35: return a->wide ? pmovx256(a) : -EOPNOTSUPP;
    }
    return -EOPNOTSUPP;
}

static int map3a(struct avx *a)
{
    switch ( a->i->opcode )
    {
    case 0x00:
    case 0x01: return a->wide && a->w ? permq(a) : emul_raise(a->c, X86_EXC_UD, -1);
    case 0x02: return pblendd(a);
    case 0x04: return permil(a, false);
    case 0x05: return permil(a, true);
    case 0x06:
    case 0x46: return a->wide ? perm2x128(a) : emul_raise(a->c, X86_EXC_UD, -1);
    case 0x18:
    case 0x38: return a->wide ? insert128(a) : emul_raise(a->c, X86_EXC_UD, -1);
    case 0x19:
    case 0x39: return a->wide ? extract128(a) : emul_raise(a->c, X86_EXC_UD, -1);
    }
    return -EOPNOTSUPP;
}

int emul_avx(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    struct avx a = { c, i, i->vex_l, i->rex & 8, i->vex_l ? 32 : 16 };

    if ( i->vex && i->map == X86_MAP_0F && i->opcode == 0xf7 )
        return emul_mmx_more(c); /* VMASKMOVDQU: DS:rDI */
    if ( !i->vex || !i->has_mem )
        return -EOPNOTSUPP;
    if ( i->map == X86_MAP_0F )
        return map0f(&a);
    if ( !i->opsize_prefix || i->rep )
        return -EOPNOTSUPP; /* every 0F 38/3A form here is 66-prefixed (VEX.pp 01) */
    return i->map == X86_MAP_0F38 ? map38(&a) : map3a(&a);
}
