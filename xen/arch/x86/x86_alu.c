/*
 * x86_alu.c - integer arithmetic and the RFLAGS it leaves, as the SDM
 * vol. 1 appendix A (EFLAGS cross-reference) and each instruction's
 * "Flags Affected" section define them. The contract is in
 * asm/x86_alu.h.
 *
 * It may touch only its arguments: no guest state, no globals.
 */
#include <asm/x86_alu.h>

static uint64_t size_mask(unsigned int size)
{
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static uint64_t sign_bit(unsigned int size)
{
    return 1ULL << (size * 8 - 1);
}

/* SF, ZF and PF of a result (PF: even parity of its low byte). */
static uint64_t szp(uint64_t res, unsigned int size)
{
    uint64_t f = 0;

    if ( !(res & size_mask(size)) )
        f |= X86_FL_ZF;
    if ( res & sign_bit(size) )
        f |= X86_FL_SF;
    if ( !(__builtin_popcount((unsigned int)(res & 0xff)) & 1) )
        f |= X86_FL_PF;
    return f;
}

/* a + b + cin, all within size; *f gets CF, OF, AF, SF, ZF, PF. */
static uint64_t add(uint64_t a, uint64_t b, unsigned int cin, unsigned int size, uint64_t *f)
{
    uint64_t res = (a + b + cin) & size_mask(size);

    *f = szp(res, size) | ((a ^ b ^ res) & X86_FL_AF);
    if ( res < a || (cin && res == a) )
        *f |= X86_FL_CF;
    if ( (a ^ res) & (b ^ res) & sign_bit(size) )
        *f |= X86_FL_OF;
    return res;
}

/* a - b - cin, all within size; CF is the borrow. */
static uint64_t sub(uint64_t a, uint64_t b, unsigned int cin, unsigned int size, uint64_t *f)
{
    uint64_t res = (a - b - cin) & size_mask(size);

    *f = szp(res, size) | ((a ^ b ^ res) & X86_FL_AF);
    if ( a < b || (cin && a == b) )
        *f |= X86_FL_CF;
    if ( (a ^ b) & (a ^ res) & sign_bit(size) )
        *f |= X86_FL_OF;
    return res;
}

static uint64_t logic(enum x86_alu_op op, uint64_t a, uint64_t b, unsigned int size, uint64_t *f)
{
    uint64_t res = op == X86_ALU_OR ? a | b : op == X86_ALU_XOR ? a ^ b : a & b;

    *f = szp(res, size); /* CF, OF cleared; AF undefined: cleared */
    return res;
}

uint64_t x86_alu(enum x86_alu_op op, unsigned int size, uint64_t dst, uint64_t src,
                 uint64_t *rflags)
{
    uint64_t m = size_mask(size), a = dst & m, b = src & m, f = 0, res;
    unsigned int cf = *rflags & X86_FL_CF;
    uint64_t keep = X86_FL_ARITH;

    switch ( op )
    {
    case X86_ALU_ADD: res = add(a, b, 0, size, &f); break;
    case X86_ALU_ADC: res = add(a, b, cf, size, &f); break;
    case X86_ALU_SUB:
    case X86_ALU_CMP: res = sub(a, b, 0, size, &f); break;
    case X86_ALU_SBB: res = sub(a, b, cf, size, &f); break;
    case X86_ALU_INC:
        res = add(a, 1, 0, size, &f);
        keep &= ~X86_FL_CF;
        break;
    case X86_ALU_DEC:
        res = sub(a, 1, 0, size, &f);
        keep &= ~X86_FL_CF;
        break;
    case X86_ALU_NEG: res = sub(0, a, 0, size, &f); break;
    case X86_ALU_NOT: return ~a & m;
    case X86_ALU_TEST: res = logic(X86_ALU_AND, a, b, size, &f); break;
    default: res = logic(op, a, b, size, &f); break;
    }
    *rflags = (*rflags & ~keep) | (f & keep);
    return res;
}

bool x86_alu_writes(enum x86_alu_op op)
{
    return op != X86_ALU_CMP && op != X86_ALU_TEST;
}

/* ---- shifts and rotates ------------------------------------------------ */

static uint64_t set_flag(uint64_t f, uint64_t flag, bool on)
{
    return on ? f | flag : f & ~flag;
}

/* RCL/RCR: the operand and CF rotate as one value of size*8+1 bits. */
static uint64_t rotate_carry(bool left, unsigned int size, uint64_t dst, unsigned int n, bool *cf)
{
    uint64_t m = size_mask(size), top = sign_bit(size);

    for ( ; n; n-- )
    {
        bool out = left ? dst & top : dst & 1;
        dst = left ? ((dst << 1) | *cf) & m : (dst >> 1) | (*cf ? top : 0);
        *cf = out;
    }
    return dst;
}

static uint64_t rotate(enum x86_shift_op op, unsigned int size, uint64_t a, unsigned int cnt,
                       uint64_t f, uint64_t *out)
{
    unsigned int bits = size * 8, r;
    uint64_t m = size_mask(size), res;
    bool cf = f & X86_FL_CF, of;

    if ( op == X86_SHIFT_RCL || op == X86_SHIFT_RCR )
    {
        of = (a & sign_bit(size)) ? !cf : cf; /* RCR's: before it moves */
        r = size >= 4 ? cnt : cnt % (bits + 1);
        res = rotate_carry(op == X86_SHIFT_RCL, size, a, r, &cf);
        if ( op == X86_SHIFT_RCL )
            of = !!(res & sign_bit(size)) != cf;
    }
    else
    {
        r = cnt % bits;
        res = r ? ((op == X86_SHIFT_ROL ? (a << r) | (a >> (bits - r))
                                        : (a >> r) | (a << (bits - r))) &
                   m)
                : a;
        cf = op == X86_SHIFT_ROL ? res & 1 : !!(res & sign_bit(size));
        of = op == X86_SHIFT_ROL ? !!(res & sign_bit(size)) != cf
                                 : !!(res & sign_bit(size)) != !!(res & (sign_bit(size) >> 1));
    }
    *out = res;
    return set_flag(set_flag(f, X86_FL_CF, cf), X86_FL_OF, of);
}

static uint64_t shift(enum x86_shift_op op, unsigned int size, uint64_t a, unsigned int cnt,
                      uint64_t f, uint64_t *out)
{
    unsigned int bits = size * 8;
    int64_t sa = (int64_t)(a << (64 - bits)) >> (64 - bits);
    uint64_t res;
    bool cf, of;

    if ( op == X86_SHIFT_SAR )
    {
        res = (uint64_t)(cnt < bits ? sa >> cnt : sa >> (bits - 1));
        cf = (sa >> (cnt <= bits ? cnt - 1 : bits - 1)) & 1;
        of = false;
    }
    else if ( op == X86_SHIFT_SHR )
    {
        res = cnt < bits ? a >> cnt : 0;
        cf = cnt <= bits && ((a >> (cnt - 1)) & 1);
        of = a & sign_bit(size);
    }
    else /* SHL, SAL */
    {
        res = cnt < bits ? a << cnt : 0;
        cf = cnt <= bits && ((a >> (bits - cnt)) & 1);
        of = !!(res & sign_bit(size)) != cf;
    }
    res &= size_mask(size);
    *out = res;
    f = (f & ~(X86_FL_SF | X86_FL_ZF | X86_FL_PF | X86_FL_AF)) | szp(res, size);
    return set_flag(set_flag(f, X86_FL_CF, cf), X86_FL_OF, of);
}

uint64_t x86_shift(enum x86_shift_op op, unsigned int size, uint64_t dst, unsigned int count,
                   uint64_t *rflags)
{
    unsigned int cnt = count & (size == 8 ? 0x3f : 0x1f);
    uint64_t a = dst & size_mask(size), res;

    if ( !cnt )
        return a;
    if ( op <= X86_SHIFT_RCR )
        *rflags = rotate(op, size, a, cnt, *rflags, &res);
    else
        *rflags = shift(op, size, a, cnt, *rflags, &res);
    return res;
}

/* ---- conditions ------------------------------------------------------- */

bool x86_cond(unsigned int cc, uint64_t rflags)
{
    bool cf = rflags & X86_FL_CF, zf = rflags & X86_FL_ZF, sf = rflags & X86_FL_SF;
    bool of = rflags & X86_FL_OF, pf = rflags & X86_FL_PF, r;

    switch ( (cc >> 1) & 7 )
    {
    case 0: r = of; break;
    case 1: r = cf; break;
    case 2: r = zf; break;
    case 3: r = cf || zf; break;
    case 4: r = sf; break;
    case 5: r = pf; break;
    case 6: r = sf != of; break;
    default: r = zf || sf != of; break;
    }
    return (cc & 1) ? !r : r; /* odd codes are the negations */
}

/* ---- multiply and divide ---------------------------------------------- */

typedef unsigned __int128 u128;

static int64_t sext(uint64_t v, unsigned int size)
{
    unsigned int sh = 64 - size * 8;

    return (int64_t)(v << sh) >> sh;
}

/* n / d by shift and subtract (no libgcc in the hypervisor); d != 0. */
static u128 udiv128(u128 n, uint64_t d, uint64_t *rem)
{
    u128 q = 0, r = 0;

    for ( int i = 127; i >= 0; i-- )
    {
        r = (r << 1) | ((n >> i) & 1);
        if ( r >= d )
        {
            r -= d;
            q |= (u128)1 << i;
        }
    }
    *rem = (uint64_t)r;
    return q;
}

static void mul(bool sign, unsigned int size, uint64_t *lo, uint64_t *hi, uint64_t src,
                uint64_t *rflags)
{
    uint64_t m = size_mask(size), l;
    __int128 p;
    bool big;

    if ( sign )
        p = (__int128)sext(*lo, size) * sext(src, size);
    else
        p = (__int128)((u128)(*lo & m) * (src & m));
    l = (uint64_t)p & m;
    /* significant: the low half alone does not give back the product */
    big = sign ? (__int128)sext(l, size) != p : (u128)p != l;
    *lo = l;
    *hi = (uint64_t)((u128)p >> (size * 8)) & m;
    *rflags = (*rflags & ~X86_FL_ARITH) | (szp(l, size) & ~X86_FL_AF);
    if ( big )
        *rflags |= X86_FL_CF | X86_FL_OF;
}

static int divide(bool sign, unsigned int size, uint64_t *lo, uint64_t *hi, uint64_t src)
{
    unsigned int bits = size * 8;
    uint64_t m = size_mask(size), d = src & m, r;
    u128 n = ((u128)(*hi & m) << bits) | (*lo & m), q;
    bool nneg = false, dneg = false;

    if ( sign )
    {
        nneg = (*hi >> (bits - 1)) & 1;
        dneg = (d >> (bits - 1)) & 1;
        if ( nneg ) /* two's complement of the 2*bits dividend */
            n = (~n + 1) & (bits == 64 ? ~(u128)0 : ((u128)1 << (2 * bits)) - 1);
        if ( dneg )
            d = (-d) & m;
    }
    if ( !d )
        return -1;
    q = udiv128(n, d, &r);
    if ( q > (sign ? ((u128)1 << (bits - 1)) - (nneg == dneg) : m) )
        return -1;
    *lo = (uint64_t)(nneg != dneg ? -(uint64_t)q : (uint64_t)q) & m;
    *hi = (nneg ? -r : r) & m;
    return 0;
}

int x86_muldiv(enum x86_muldiv_op op, unsigned int size, uint64_t *lo, uint64_t *hi, uint64_t src,
               uint64_t *rflags)
{
    if ( op <= X86_IMUL )
    {
        mul(op == X86_IMUL, size, lo, hi, src, rflags);
        return 0;
    }
    return divide(op == X86_IDIV, size, lo, hi, src);
}

/* ---- bit scans and counts --------------------------------------------- */

/* No libgcc in the hypervisor: count bits by clearing the lowest. */
static unsigned int popcount(uint64_t v)
{
    unsigned int n = 0;

    for ( ; v; v &= v - 1 )
        n++;
    return n;
}

uint64_t x86_bitcount(enum x86_bitcount_op op, unsigned int size, uint64_t dst, uint64_t src,
                      uint64_t *rflags)
{
    unsigned int bits = size * 8;
    uint64_t s = src & size_mask(size), res;

    switch ( op )
    {
    case X86_BSF:
    case X86_BSR:
        *rflags = set_flag(*rflags, X86_FL_ZF, !s);
        if ( !s )
            return dst;
        return op == X86_BSF ? (unsigned int)__builtin_ctzll(s)
                             : 63 - (unsigned int)__builtin_clzll(s);
    case X86_TZCNT:
    case X86_LZCNT:
        if ( !s )
            res = bits;
        else if ( op == X86_TZCNT )
            res = (unsigned int)__builtin_ctzll(s);
        else
            res = (unsigned int)__builtin_clzll(s) - (64 - bits);
        *rflags = set_flag(set_flag(*rflags, X86_FL_CF, !s), X86_FL_ZF, !res);
        return res;
    default: *rflags = set_flag(*rflags & ~X86_FL_ARITH, X86_FL_ZF, !s); return popcount(s);
    }
}

/* CRC-32C (Castagnoli, 0x1EDC6F41), bit-reflected as the instruction
 * computes it: no inversion before or after. */
#define CRC32C_REFLECTED 0x82f63b78u

uint32_t x86_crc32c(uint32_t crc, uint64_t data, unsigned int size)
{
    for ( unsigned int n = 0; n < size * 8; n++ )
    {
        crc ^= (data >> n) & 1;
        crc = (crc >> 1) ^ (crc & 1 ? CRC32C_REFLECTED : 0);
    }
    return crc;
}
