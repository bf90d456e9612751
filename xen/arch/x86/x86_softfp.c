/*
 * x86_softfp.c - fused multiply-add and half-precision conversion in
 * integer C (asm/x86_softfp.h says what each does and why). Pure: it
 * touches no guest state, no memory and no FP register, so the
 * hypervisor's own FP-free build can use it; hvm/emulate_fma.c carries
 * the instructions out.
 *
 * Values are unpacked to sig * 2^exp (sig an integer), summed exactly
 * in 128 bits with a sticky bit, and rounded once.
 */
#include <asm/x86_softfp.h>

typedef unsigned __int128 u128;

struct fp_fmt
{
    unsigned int mant, exp_bits, bias;
};

static const struct fp_fmt fmt16 = { 10, 5, 15 };
static const struct fp_fmt fmt32 = { 23, 8, 127 };
static const struct fp_fmt fmt64 = { 52, 11, 1023 };

enum fp_class
{
    FP_ZERO,
    FP_FINITE,
    FP_INF,
    FP_QNAN,
    FP_SNAN,
};

struct fp_val
{
    uint64_t raw, sig; /* value: sig * 2^exp */
    int64_t exp;
    unsigned int cls;
    bool sign, denormal;
};

/* What rounding needs from MXCSR (or an imm8), and where flags go. */
struct fp_env
{
    unsigned int rc;  /* 0 nearest, 1 down, 2 up, 3 toward zero */
    bool ftz, um, om; /* um, om: underflow, overflow masked */
    uint32_t flags;
};

#define RC_DOWN 1
#define RC_UP   2
#define RC_ZERO 3

static uint64_t exp_all(const struct fp_fmt *f)
{
    return (1ULL << f->exp_bits) - 1;
}

static uint64_t sign_bit(const struct fp_fmt *f)
{
    return 1ULL << (f->mant + f->exp_bits);
}

static struct fp_val unpack(const struct fp_fmt *f, uint64_t x, bool daz)
{
    struct fp_val v = { .raw = x, .sign = x & sign_bit(f) };
    uint64_t e = (x >> f->mant) & exp_all(f), frac = x & ((1ULL << f->mant) - 1);

    if ( e == exp_all(f) )
        v.cls = !frac ? FP_INF : frac >> (f->mant - 1) ? FP_QNAN : FP_SNAN;
    else if ( !e && (!frac || daz) )
        v.cls = FP_ZERO;
    else
    {
        v.cls = FP_FINITE;
        v.denormal = !e;
        v.sig = e ? frac | (1ULL << f->mant) : frac;
        v.exp = (int64_t)(e ? e : 1) - f->bias - f->mant;
    }
    return v;
}

static uint64_t pack_inf(const struct fp_fmt *f, bool sign)
{
    return (sign ? sign_bit(f) : 0) | (exp_all(f) << f->mant);
}

static uint64_t pack_zero(const struct fp_fmt *f, bool sign)
{
    return sign ? sign_bit(f) : 0;
}

/* The default NaN: negative, quiet, no payload. */
static uint64_t default_nan(const struct fp_fmt *f)
{
    return pack_inf(f, true) | (1ULL << (f->mant - 1));
}

static uint64_t largest(const struct fp_fmt *f, bool sign)
{
    return pack_inf(f, sign) - 1;
}

static unsigned int msb128(u128 r)
{
    uint64_t hi = r >> 64;

    return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll((uint64_t)r);
}

/* r >> s rounded per env->rc for a value of this sign; *inexact if bits
 * were dropped. s may be anything from 1 up. */
static u128 shift_round(u128 r, unsigned int s, bool sign, unsigned int rc, bool *inexact)
{
    u128 q = s >= 128 ? 0 : r >> s, rem = s >= 128 ? r : r & (((u128)1 << s) - 1);
    u128 half = s > 128 ? 0 : (u128)1 << (s - 1);
    bool up;

    *inexact = rem != 0;
    if ( rc == RC_ZERO || !rem )
        return q;
    if ( rc == RC_UP || rc == RC_DOWN )
        up = sign == (rc == RC_DOWN);
    else
        up = s > 128 ? false : rem > half || (rem == half && (q & 1));
    return q + up;
}

/* As the CPU would round r with an unbounded exponent to mant + 1 bits:
 * is the result still below 2^emin (x86's tininess, after rounding)? */
static bool tiny_after_rounding(const struct fp_fmt *f, u128 r, int64_t e, int64_t lead,
                                const struct fp_env *env, bool sign)
{
    int64_t emin = 1 - (int64_t)f->bias;
    bool inexact;

    if ( lead >= emin )
        return false;
    if ( lead < emin - 1 )
        return true;
    return shift_round(r, lead - f->mant - e, sign, env->rc, &inexact) >> (f->mant + 1) == 0;
}

static uint64_t overflow(const struct fp_fmt *f, bool sign, struct fp_env *env)
{
    env->flags |= X86_MXCSR_OE | X86_MXCSR_PE;
    if ( env->rc == RC_ZERO || (env->rc == RC_DOWN && !sign) || (env->rc == RC_UP && sign) )
        return largest(f, sign);
    return pack_inf(f, sign);
}

/*
 * An unmasked overflow or underflow (flag OE or UE) delivers nothing
 * (#XM); PE goes with it only if the result rounded with an unbounded
 * exponent is inexact, as IEEE's trapped exceptions (and the CPU) have
 * it.
 */
static uint64_t unmasked_range(const struct fp_fmt *f, u128 r, int64_t e, int64_t lead,
                               uint32_t flag, struct fp_env *env)
{
    int64_t s = lead - f->mant - e;
    bool inexact = s >= 128 || (s > 0 && (r & (((u128)1 << s) - 1)));

    env->flags |= inexact ? flag | X86_MXCSR_PE : flag;
    return 0;
}

/* sign * r * 2^e (r non-zero) rounded once to format f. */
static uint64_t round_pack(const struct fp_fmt *f, bool sign, u128 r, int64_t e, struct fp_env *env)
{
    int64_t lead = e + msb128(r), emin = 1 - (int64_t)f->bias;
    int64_t lsb = lead - f->mant > emin - (int64_t)f->mant ? lead - f->mant : emin - f->mant;
    bool tiny = tiny_after_rounding(f, r, e, lead, env, sign), inexact = false;
    u128 q = lsb <= e ? r << (e - lsb) : shift_round(r, lsb - e, sign, env->rc, &inexact);
    uint64_t biased;

    if ( q >> (f->mant + 1) )
    {
        q >>= 1;
        lsb++;
    }
    biased = q >> f->mant ? lsb + f->mant + f->bias : 0;
    if ( biased >= exp_all(f) && !env->om )
        return unmasked_range(f, r, e, lead, X86_MXCSR_OE, env);
    if ( biased >= exp_all(f) )
        return overflow(f, sign, env);
    if ( tiny && env->um && env->ftz )
    {
        env->flags |= X86_MXCSR_UE | X86_MXCSR_PE;
        return pack_zero(f, sign);
    }
    if ( tiny && !env->um )
        return unmasked_range(f, r, e, lead, X86_MXCSR_UE, env);
    if ( tiny && inexact )
        env->flags |= X86_MXCSR_UE;
    if ( inexact )
        env->flags |= X86_MXCSR_PE;
    return pack_zero(f, sign) | (biased << f->mant) | ((uint64_t)q & ((1ULL << f->mant) - 1));
}

static struct fp_env env_of(uint32_t mxcsr)
{
    return (struct fp_env){ .rc = (mxcsr & X86_MXCSR_RC) >> 13,
                            .ftz = mxcsr & X86_MXCSR_FTZ,
                            .um = mxcsr & X86_MXCSR_UM,
                            .om = mxcsr & X86_MXCSR_OM };
}

static uint64_t quiet(const struct fp_fmt *f, uint64_t x)
{
    return x | (1ULL << (f->mant - 1));
}

bool x86_mxcsr_raise(uint32_t old, uint32_t flags, uint32_t *csr)
{
    uint32_t unmasked = flags & ~(old >> 7) & X86_MXCSR_FLAGS;
    uint32_t pre = X86_MXCSR_IE | X86_MXCSR_DE | X86_MXCSR_ZE;

    if ( unmasked & pre )
        flags &= pre;
    *csr = old | flags;
    return unmasked;
}

/* ---- fused multiply-add --------------------------------------------------- */

/* NaNs, infinities and inf * 0: true with *out set if one decides. */
static bool fma_special(const struct fp_fmt *f, const struct fp_val v[3], bool sp, bool sc,
                        struct fp_env *env, uint64_t *out)
{
    bool zero_inf =
        (v[0].cls == FP_INF && v[1].cls == FP_ZERO) || (v[0].cls == FP_ZERO && v[1].cls == FP_INF);

    for ( unsigned int n = 0; n < 3; n++ )
        if ( v[n].cls == FP_SNAN )
            env->flags |= X86_MXCSR_IE;
    for ( unsigned int n = 0; n < 3; n++ )
        if ( v[n].cls >= FP_QNAN )
            return *out = quiet(f, v[n].raw), true;
    if ( zero_inf ||
         ((v[0].cls == FP_INF || v[1].cls == FP_INF) && v[2].cls == FP_INF && sp != sc) )
    {
        env->flags |= X86_MXCSR_IE;
        return *out = default_nan(f), true;
    }
    if ( v[0].cls == FP_INF || v[1].cls == FP_INF )
        return *out = pack_inf(f, sp), true;
    if ( v[2].cls == FP_INF )
        return *out = pack_inf(f, sc), true;
    return false;
}

/* Put r's leading bit at bit 125, keeping r * 2^e. */
static void normalize(u128 *r, int64_t *e)
{
    unsigned int sh = 125 - msb128(*r);

    *r <<= sh;
    *e -= sh;
}

/* s * 2^e as seen at the scale 2^to (to >= e): shifted, the bits lost
 * kept as a sticky bit 0. */
static u128 align(u128 s, int64_t e, int64_t to)
{
    uint64_t d = to - e;
    u128 lost;

    if ( d >= 127 )
        return s != 0;
    lost = s & (((u128)1 << d) - 1);
    return (s >> d) | (lost != 0);
}

/* sp * p * 2^ep + sc * q * 2^eq, rounded once; an exact zero sum is
 * +0 (-0 when rounding down) unless both were zeros of one sign. */
static uint64_t fma_finite(const struct fp_fmt *f, bool sp, u128 p, int64_t ep, bool sc, u128 q,
                           int64_t eq, struct fp_env *env)
{
    u128 r;

    if ( !p && !q )
        return pack_zero(f, sp == sc ? sp : env->rc == RC_DOWN);
    if ( !p || !q )
        return !p ? round_pack(f, sc, q, eq, env) : round_pack(f, sp, p, ep, env);
    normalize(&p, &ep);
    normalize(&q, &eq);
    if ( eq > ep || (eq == ep && q > p) )
    {
        u128 tr = p;
        int64_t te = ep;
        bool ts = sp;

        p = q, ep = eq, sp = sc;
        q = tr, eq = te, sc = ts;
    }
    q = align(q, eq, ep);
    r = sp == sc ? p + q : p - q;
    if ( !r )
        return pack_zero(f, env->rc == RC_DOWN);
    return round_pack(f, sp, r, ep, env);
}

uint64_t x86_fma(unsigned int size, uint64_t a, uint64_t b, uint64_t c, unsigned int neg,
                 uint32_t mxcsr, uint32_t *flags)
{
    const struct fp_fmt *f = size == 4 ? &fmt32 : &fmt64;
    uint64_t m = size == 4 ? 0xffffffffULL : ~0ULL;
    bool daz = mxcsr & X86_MXCSR_DAZ;
    struct fp_val v[3] = { unpack(f, a & m, daz), unpack(f, b & m, daz), unpack(f, c & m, daz) };
    bool sp = v[0].sign ^ v[1].sign ^ (neg & X86_FMA_NEG_PRODUCT),
         sc = v[2].sign ^ !!(neg & X86_FMA_NEG_ADDEND);
    struct fp_env env = env_of(mxcsr);
    uint64_t out;
    bool special = fma_special(f, v, sp, sc, &env, &out);

    /* a denormal operand is DE, even beside an infinity; not beside a
     * NaN, nor when the operation is invalid */
    if ( (v[0].denormal || v[1].denormal || v[2].denormal) && !(env.flags & X86_MXCSR_IE) &&
         v[0].cls < FP_QNAN && v[1].cls < FP_QNAN && v[2].cls < FP_QNAN )
        env.flags |= X86_MXCSR_DE;
    if ( !special )
        out = fma_finite(f, sp, (u128)v[0].sig * v[1].sig, v[0].exp + v[1].exp, sc, v[2].sig,
                         v[2].exp, &env);
    *flags |= env.flags;
    return out;
}

/* ---- half precision ------------------------------------------------------- */

uint32_t x86_cvtph2ps(uint16_t h, uint32_t mxcsr, uint32_t *flags)
{
    struct fp_val v = unpack(&fmt16, h, false);
    struct fp_env env = env_of(mxcsr);
    uint32_t sign = v.sign ? 0x80000000u : 0;

    switch ( v.cls )
    {
    case FP_SNAN: *flags |= X86_MXCSR_IE; /* fall through */
    case FP_QNAN: return sign | 0x7fc00000u | (uint32_t)(h & 0x3ff) << 13;
    case FP_INF: return pack_inf(&fmt32, v.sign);
    case FP_ZERO: return sign;
    }
    return round_pack(&fmt32, v.sign, v.sig, v.exp, &env); /* exact */
}

uint16_t x86_cvtps2ph(uint32_t s, unsigned int imm, uint32_t mxcsr, uint32_t *flags)
{
    struct fp_val v = unpack(&fmt32, s, mxcsr & X86_MXCSR_DAZ);
    struct fp_env env = env_of(mxcsr);
    uint16_t sign = v.sign ? 0x8000 : 0, out;

    if ( !(imm & 4) )
        env.rc = imm & 3;
    env.ftz = false; /* the CPU gives a denormal half whatever FTZ says */
    switch ( v.cls )
    {
    case FP_SNAN: *flags |= X86_MXCSR_IE; /* fall through */
    case FP_QNAN: return sign | 0x7e00 | ((s >> 13) & 0x3ff);
    case FP_INF: return pack_inf(&fmt16, v.sign);
    case FP_ZERO: return sign;
    }
    if ( v.denormal )
        env.flags |= X86_MXCSR_DE;
    out = round_pack(&fmt16, v.sign, v.sig, v.exp, &env);
    *flags |= env.flags;
    return out;
}
