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
