/*
 * emulate_sse.c - the legacy-encoded SSE/SSE2 moves between an XMM
 * register and a memory operand with no RAM behind it: MOVUPS/MOVUPD,
 * MOVAPS/MOVAPD, MOVDQA/MOVDQU, MOVSS/MOVSD, MOVD/MOVQ (66 0F 6E/7E,
 * F3 0F 7E, 66 0F D6), MOVNTPS/MOVNTPD/MOVNTDQ, and MOVNTI from a
 * general register. A 16-byte operand is two 8-byte accesses. VEX forms
 * (VMOVDQU ...) are not decoded, and MMX moves, partial moves
 * (MOVLPS/MOVHPS ...) and anything else are refused as elsewhere; the
 * alignment #GP of MOVAPS/MOVDQA/MOVNT* on a misaligned address is not
 * raised.
 *
 * It reaches memory only through emulate_priv.h and the XMM registers
 * only through fpu.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include "emulate_priv.h"

/* One move: bytes at the memory operand, which way, and whether a load
 * clears the rest of the register (MOVSS/MOVSD/MOVD/MOVQ from memory). */
struct sse_move
{
    uint8_t size;
    bool store, zero_rest, gpr;
};

/* The mandatory prefix in effect: F3, F2 or 66 (0 for none). */
static unsigned int prefix(const struct x86_insn *i)
{
    if ( i->rep )
        return i->rep;
    return i->opsize_prefix ? 0x66 : 0;
}

static bool move_10_11(unsigned int pfx, bool store, struct sse_move *m)
{
    unsigned int size = pfx == 0xf3 ? 4 : pfx == 0xf2 ? 8 : 16;
    *m = (struct sse_move){ size, store, size < 16, false };
    return true;
}

/* The form of opcode op (0F map) under prefix pfx, or false. */
static bool classify(const struct x86_insn *i, struct sse_move *m)
{
    unsigned int pfx = prefix(i), op = i->opcode;
    bool p66 = pfx == 0x66, plain = !pfx || p66;
    uint8_t dq = i->rex & 8 ? 8 : 4; /* MOVD/MOVQ: 66 is mandatory, REX.W picks */

    switch ( op )
    {
    case 0x10:
    case 0x11: return move_10_11(pfx, op == 0x11, m);
    case 0x28:
    case 0x29: *m = (struct sse_move){ 16, op == 0x29, false, false }; return plain;
    case 0x2b: *m = (struct sse_move){ 16, true, false, false }; return plain;
    case 0x6f:
    case 0x7f: *m = (struct sse_move){ 16, op == 0x7f, false, false }; return p66 || pfx == 0xf3;
    case 0xe7: *m = (struct sse_move){ 16, true, false, false }; return p66;
    case 0x6e: *m = (struct sse_move){ dq, false, true, false }; return p66;
    case 0x7e:
        if ( pfx == 0xf3 )
            *m = (struct sse_move){ 8, false, true, false };
        else
            *m = (struct sse_move){ dq, true, false, false };
        return p66 || pfx == 0xf3;
    case 0xd6: *m = (struct sse_move){ 8, true, false, false }; return p66;
    case 0xc3: *m = (struct sse_move){ i->op_size, true, false, true }; return !pfx;
    }
    return false;
}

static int mem_io(struct emul_ctx *c, const struct sse_move *m, uint8_t buf[16])
{
    uint64_t ea = emul_ea(c), lo = 0, hi = 0;
    unsigned int first = MIN(m->size, 8u);
    int rc;

    if ( m->store )
    {
        memcpy(&lo, buf, 8);
        memcpy(&hi, buf + 8, 8);
        rc = emul_write(c, ea, first, lo);
        return rc || m->size <= 8 ? rc : emul_write(c, ea + 8, 8, hi);
    }
    rc = emul_read(c, ea, first, &lo);
    if ( !rc && m->size > 8 )
        rc = emul_read(c, ea + 8, 8, &hi);
    memcpy(buf, &lo, 8);
    memcpy(buf + 8, &hi, 8);
    return rc;
}

int emul_sse(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    struct sse_move m;
    uint8_t xmm[16] = { 0 }, mem[16] = { 0 };
    uint64_t g;
    int rc;

    if ( i->map != X86_MAP_0F || !i->has_mem || !classify(i, &m) )
        return -EOPNOTSUPP;
    if ( m.gpr )
    {
        g = emul_gpr(c, i->reg, m.size);
        memcpy(mem, &g, 8);
        return mem_io(c, &m, mem);
    }
    fpu_read_xmm(c->v, i->reg, xmm);
    if ( m.store )
        return mem_io(c, &m, xmm);
    rc = mem_io(c, &m, mem);
    if ( rc )
        return rc;
    if ( m.zero_rest )
        memset(xmm, 0, 16);
    memcpy(xmm, mem, m.size);
    fpu_write_xmm(c->v, i->reg, xmm);
    return 0;
}
