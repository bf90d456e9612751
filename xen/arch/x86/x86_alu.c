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
