/*
 * x86_bmi.c - BMI1, BMI2 and ADX arithmetic (asm/x86_bmi.h says what
 * each operation is). Pure functions: it touches no guest state and no
 * memory; the emulator (hvm/emulate_bmi.c) reads the operands and
 * writes the result.
 */
#include <asm/x86_alu.h>
#include <asm/x86_bmi.h>

static uint64_t mask_of(unsigned int size)
{
    return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static uint64_t sign_bit(unsigned int size)
{
    return 1ULL << (size * 8 - 1);
}

/* ZF and SF of r; CF as given; OF, and the undefined AF and PF, clear. */
static void logic_flags(uint64_t r, unsigned int size, bool cf, bool sf, uint64_t *rflags)
{
    uint64_t f = *rflags & ~X86_FL_ARITH;

    if ( !r )
        f |= X86_FL_ZF;
    if ( sf && (r & sign_bit(size)) )
        f |= X86_FL_SF;
    if ( cf )
        f |= X86_FL_CF;
    *rflags = f;
}

static uint64_t bextr(uint64_t a, uint64_t ctl, unsigned int bits)
{
    unsigned int start = ctl & 0xff, len = (ctl >> 8) & 0xff;

    if ( start >= bits )
        return 0;
    a >>= start;
    return len >= 64 ? a : a & ((1ULL << len) - 1);
}

static uint64_t pdep(uint64_t a, uint64_t mask)
{
    uint64_t r = 0, bit = 1;

    for ( ; mask; mask &= mask - 1, bit <<= 1 )
        if ( a & bit )
            r |= mask & -mask;
    return r;
}

static uint64_t pext(uint64_t a, uint64_t mask)
{
    uint64_t r = 0, bit = 1;

    for ( ; mask; mask &= mask - 1, bit <<= 1 )
        if ( a & mask & -mask )
            r |= bit;
    return r;
}

static uint64_t ror(uint64_t a, unsigned int n, unsigned int bits)
{
    return n ? ((a >> n) | (a << (bits - n))) : a;
}

static uint64_t sar(uint64_t a, unsigned int n, unsigned int size)
{
    uint64_t r = a >> n;

    if ( n && (a & sign_bit(size)) )
        r |= mask_of(size) & ~(mask_of(size) >> n);
    return r;
}

/* ADCX/ADOX: a + b + the carry in flag, the carry out into the same. */
static uint64_t add_carry(uint64_t a, uint64_t b, unsigned int size, uint64_t flag,
                          uint64_t *rflags)
{
    uint64_t in = *rflags & flag ? 1 : 0, r = (a + b + in) & mask_of(size);
    bool out = size == 8 ? r < a || (in && r == a) : ((a + b + in) >> 32) != 0;

    *rflags = out ? *rflags | flag : *rflags & ~flag;
    return r;
}

/* The forms that set flags from their result. */
static uint64_t flag_forms(enum x86_bmi_op op, unsigned int size, uint64_t a, uint64_t b,
                           uint64_t *rflags)
{
    unsigned int bits = size * 8, idx = b & 0xff;
    uint64_t r;

    switch ( op )
    {
    case X86_ANDN:
        r = ~a & b;
        logic_flags(r, size, false, true, rflags);
        return r;
    case X86_BEXTR:
        r = bextr(a, b, bits);
        logic_flags(r, size, false, false, rflags);
        return r;
    case X86_BLSI:
        r = a & -a;
        logic_flags(r, size, a != 0, true, rflags);
        return r;
    case X86_BLSR:
        r = a & (a - 1);
        logic_flags(r & mask_of(size), size, !a, true, rflags);
        break;
    case X86_BLSMSK:
        r = (a ^ (a - 1)) & mask_of(size);
        logic_flags(r, size, !a, true, rflags); /* r is never 0: ZF clear */
        return r;
    default: /* X86_BZHI */
        r = idx < bits ? a & ((1ULL << idx) - 1) : a;
        logic_flags(r, size, idx >= bits, true, rflags);
        return r;
    }
    return r;
}

uint64_t x86_bmi(enum x86_bmi_op op, unsigned int size, uint64_t a, uint64_t b, uint64_t *rflags)
{
    unsigned int bits = size * 8, n = b & (bits - 1);

    a &= mask_of(size);
    b &= mask_of(size);
    switch ( op )
    {
    case X86_PDEP: return pdep(a, b);
    case X86_PEXT: return pext(a, b);
    case X86_RORX: return ror(a, n, bits) & mask_of(size);
    case X86_SARX: return sar(a, n, size);
    case X86_SHLX: return (a << n) & mask_of(size);
    case X86_SHRX: return a >> n;
    case X86_ADCX: return add_carry(a, b, size, X86_FL_CF, rflags);
    case X86_ADOX: return add_carry(a, b, size, X86_FL_OF, rflags);
    default: return flag_forms(op, size, a, b, rflags) & mask_of(size);
    }
}

uint64_t x86_mulx(unsigned int size, uint64_t a, uint64_t b, uint64_t *hi)
{
    unsigned __int128 p;

    a &= mask_of(size);
    b &= mask_of(size);
    p = (unsigned __int128)a * b;
    if ( size == 4 )
    {
        *hi = (uint64_t)p >> 32;
        return (uint32_t)p;
    }
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
}
