/*
 * emulate_sse.c - the legacy-encoded SSE/SSE2 moves between an XMM
 * register and a memory operand with no RAM behind it: MOVUPS/MOVUPD,
 * MOVAPS/MOVAPD, MOVDQA/MOVDQU, MOVSS/MOVSD, MOVD/MOVQ (66 0F 6E/7E,
 * F3 0F 7E, 66 0F D6), MOVNTPS/MOVNTPD/MOVNTDQ, MOVNTI from a general
 * register, the half moves MOVLPS/MOVLPD/MOVHPS/MOVHPD (0F 12, 13, 16,
 * 17; the other half kept), MOVDDUP (F2 0F 12) and MOVSLDUP/MOVSHDUP
 * (F3 0F 12/16). A 16-byte operand is
 * two 8-byte accesses. MMX moves: MOVD/MOVQ (0F 6E/7E/6F/7F) and MOVNTQ,
 * with the x87-to-MMX transition. VEX moves (VMOVDQU/DQA/UPS/UPD/APS/
 * APD, VMOVNT*, VMOVSS/SD, VMOVD/VMOVQ; 128 and 256 bit) with the upper
 * YMM half cleared by 128-bit loads; anything else is refused; the
 * alignment #GP of MOVAPS/MOVDQA/MOVNT* on a misaligned address is not
 * raised.
 *
 * It reaches memory only through emulate_priv.h and the XMM and MMX
 * registers only through fpu.h.
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
    uint8_t reg_off; /* where in the register: 8 for the high half */
    bool dup;        /* MOVDDUP: the 8 bytes loaded go to both halves */
    bool mmx;        /* an MMX register, not an XMM one */
    uint8_t sdup;    /* MOVSLDUP 1, MOVSHDUP 2: one dword of each pair */
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

/* MMX moves (no prefix): MOVD/MOVQ 0F 6E/7E (REX.W: 8 bytes), MOVQ 0F
 * 6F/7F, MOVNTQ 0F E7. A load fills the whole 64-bit register. */
static bool mmx_move(const struct x86_insn *i, struct sse_move *m)
{
    uint8_t dq = i->rex & 8 ? 8 : 4;

    switch ( i->opcode )
    {
    case 0x6e:
    case 0x7e: *m = (struct sse_move){ dq, i->opcode == 0x7e, true }; break;
    case 0x6f:
    case 0x7f:
    case 0xe7: *m = (struct sse_move){ 8, i->opcode != 0x6f, true }; break;
    default: return false;
    }
    m->mmx = true;
    return true;
}

/* MOVSLDUP (which 1) and MOVSHDUP (2): a 16-byte load. */
static bool slhdup(struct sse_move *m, unsigned int which)
{
    *m = (struct sse_move){ 16, false, false, false };
    m->sdup = which;
    return true;
}

/* Dwords 0 and 2 (MOVSLDUP) or 1 and 3 (MOVSHDUP) of the 16 loaded
 * bytes, each copied to its pair. */
static void dup_dwords(uint8_t mem[16], unsigned int which)
{
    for ( unsigned int pair = 0; pair < 2; pair++ )
    {
        uint8_t *lo = mem + pair * 8;

        if ( which == 1 )
            memcpy(lo + 4, lo, 4);
        else
            memcpy(lo, lo + 4, 4);
    }
}

/* The form of opcode op (0F map) under prefix pfx, or false. */
static bool classify(const struct x86_insn *i, struct sse_move *m)
{
    unsigned int pfx = prefix(i), op = i->opcode;
    bool p66 = pfx == 0x66, plain = !pfx || p66;
    uint8_t dq = i->rex & 8 ? 8 : 4; /* MOVD/MOVQ: 66 is mandatory, REX.W picks */

    if ( !pfx && mmx_move(i, m) )
        return true;
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
    case 0x12: /* MOVLPS/MOVLPD load; F2: MOVDDUP; F3: MOVSLDUP */
    case 0x13: /* MOVLPS/MOVLPD store */
        if ( op == 0x12 && pfx == 0xf3 )
            return slhdup(m, 1);
        *m = (struct sse_move){ 8, op == 0x13, false, false, 0, pfx == 0xf2 };
        return plain || (op == 0x12 && pfx == 0xf2);
    case 0x16: /* MOVHPS/MOVHPD load; F3: MOVSHDUP */
    case 0x17: /* ... store */
        if ( op == 0x16 && pfx == 0xf3 )
            return slhdup(m, 2);
        *m = (struct sse_move){ 8, op == 0x17, false, false, 8 };
        return plain;
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

/* MMn is ModRM.reg without REX.R, which the CPU ignores here. */
static int mmx_io(struct emul_ctx *c, const struct sse_move *m)
{
    uint8_t mm[16] = { 0 };
    unsigned int n = c->insn.reg & 7;
    int rc;

    if ( m->store )
    {
        fpu_read_mm(c->v, n, mm);
        return mem_io(c, m, mm);
    }
    rc = mem_io(c, m, mm);
    if ( !rc )
        fpu_write_mm(c->v, n, mm); /* the bytes past size are zero */
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
    if ( m.mmx )
        return mmx_io(c, &m);
    fpu_read_xmm(c->v, i->reg, xmm);
    if ( m.store )
    {
        memcpy(mem, xmm + m.reg_off, 16 - m.reg_off);
        return mem_io(c, &m, mem);
    }
    rc = mem_io(c, &m, mem);
    if ( rc )
        return rc;
    if ( m.sdup )
        dup_dwords(mem, m.sdup);
    if ( m.zero_rest )
        memset(xmm, 0, 16);
    memcpy(xmm + m.reg_off, mem, m.size);
    if ( m.dup )
        memcpy(xmm + 8, mem, 8);
    fpu_write_xmm(c->v, i->reg, xmm);
    return 0;
}

/* ---- VEX moves ----------------------------------------------------------- */

/*
 * VMOVUPS/UPD, VMOVAPS/APD, VMOVDQA/DQU (16 or 32 bytes by VEX.L),
 * VMOVNTPS/PD/DQ stores, VMOVSS/VMOVSD, VMOVD/VMOVQ. A VEX load clears
 * the register above what it loads, YMM bits 255:128 included.
 */
static bool vex_classify(const struct x86_insn *i, struct sse_move *m)
{
    unsigned int pfx = prefix(i), op = i->opcode, l = i->vex_l;
    uint8_t full = l ? 32 : 16, dq = i->rex & 8 ? 8 : 4;
    bool plain = !pfx || pfx == 0x66;

    switch ( op )
    {
    case 0x10:
    case 0x11:
        *m = (struct sse_move){ pfx == 0xf3 ? 4 : pfx == 0xf2 ? 8 : full, op == 0x11 };
        return plain || !l;
    case 0x28:
    case 0x29: *m = (struct sse_move){ full, op == 0x29 }; return plain;
    case 0x2b: *m = (struct sse_move){ full, true }; return plain;
    case 0x6f:
    case 0x7f: *m = (struct sse_move){ full, op == 0x7f }; return pfx == 0x66 || pfx == 0xf3;
    case 0xe7: *m = (struct sse_move){ full, true }; return pfx == 0x66;
    case 0x6e: *m = (struct sse_move){ dq, false }; return pfx == 0x66 && !l;
    case 0x7e:
        *m = (struct sse_move){ pfx == 0xf3 ? 8 : dq, pfx != 0xf3 };
        return (pfx == 0x66 || pfx == 0xf3) && !l;
    case 0xd6: *m = (struct sse_move){ 8, true }; return pfx == 0x66 && !l;
    }
    return false;
}

int emul_vex_move(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    struct sse_move m;
    uint8_t buf[32] = { 0 };
    int rc;

    if ( !i->has_mem || i->map != X86_MAP_0F || !vex_classify(i, &m) )
        return -EOPNOTSUPP;
    if ( m.store )
    {
        fpu_read_xmm(c->v, i->reg, buf);
        fpu_read_ymm_hi(c->v, i->reg, buf + 16);
        return emul_mem_buf(c, m.size, true, buf);
    }
    rc = emul_mem_buf(c, m.size, false, buf);
    if ( rc )
        return rc;
    fpu_write_xmm(c->v, i->reg, buf);
    fpu_write_ymm_hi(c->v, i->reg, buf + 16);
    return 0;
}
