/*
 * emulate_string.c - string instructions with an operand that reached
 * no RAM (MOVS, STOS, LODS, CMPS, SCAS, with REP, REPE and REPNE), and
 * string port I/O (INS, OUTS): to an IOREQ server claiming the port, one
 * element per request, or to the empty port.
 *
 * Each iteration reads and writes through emulate.c, so either side may
 * be RAM, a device or a hole, on any page of the guest's paging; DF
 * picks the direction. A REP instruction does at most STRING_BATCH
 * iterations per exit, then leaves RIP on itself with rCX, rSI and rDI
 * updated, as an interrupted REP would: the guest runs it again, so a
 * huge count never holds the CPU.
 *
 * It reaches registers and memory only through emulate_priv.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/hvm.h>
#include <asm/hvm_emulate.h>
#include <asm/x86_alu.h>
#include <xen/ioreq.h>
#include "emulate_priv.h"

#define STRING_BATCH 256

enum str_kind
{
    STR_MOVS,
    STR_CMPS,
    STR_STOS,
    STR_LODS,
    STR_SCAS,
    STR_INS,
    STR_OUTS,
    STR_NONE,
};

static enum str_kind str_kind(const struct x86_insn *i)
{
    if ( i->map != X86_MAP_ONEBYTE )
        return STR_NONE;
    switch ( i->opcode )
    {
    case 0xa4 ... 0xa5: return STR_MOVS;
    case 0xa6 ... 0xa7: return STR_CMPS;
    case 0xaa ... 0xab: return STR_STOS;
    case 0xac ... 0xad: return STR_LODS;
    case 0xae ... 0xaf: return STR_SCAS;
    case 0x6c ... 0x6d: return STR_INS;
    case 0x6e ... 0x6f: return STR_OUTS;
    }
    return STR_NONE;
}

bool emul_is_string(const struct x86_insn *insn)
{
    enum str_kind k = str_kind(insn);
    return k != STR_NONE && k != STR_INS && k != STR_OUTS;
}

/* One string op in progress. */
struct str_op
{
    struct emul_ctx *c;
    enum str_kind kind;
    unsigned int size; /* element bytes */
    uint16_t port;     /* INS/OUTS */
};

static uint64_t addr_reg(const struct str_op *s, unsigned int n)
{
    return emul_gpr(s->c, n, s->c->insn.addr_size);
}

/* rSI/rDI move by one element, down if DF is set. */
static void step(struct str_op *s, unsigned int n)
{
    int64_t d = s->c->v->arch.regs.rflags & X86_FL_DF ? -(int64_t)s->size : s->size;
    emul_set_gpr(s->c, n, s->c->insn.addr_size, addr_reg(s, n) + d);
}

/* The source is DS:rSI (or an override), the destination ES:rDI. */
static uint64_t src_addr(const struct str_op *s)
{
    uint8_t seg = s->c->insn.seg;
    return emul_seg_base(s->c, seg == X86_SEG_NONE ? X86_SEG_DS : seg) + addr_reg(s, GPR_SI);
}

static uint64_t dst_addr(const struct str_op *s)
{
    return emul_seg_base(s->c, X86_SEG_ES) + addr_reg(s, GPR_DI);
}

static int load_src(struct str_op *s, uint64_t *val)
{
    return emul_read(s->c, src_addr(s), s->size, val);
}

static void compare(struct str_op *s, uint64_t a, uint64_t b)
{
    x86_alu(X86_ALU_CMP, s->size, a, b, &s->c->v->arch.regs.rflags);
}

static int iterate_mem(struct str_op *s)
{
    struct emul_ctx *c = s->c;
    uint64_t a = 0, b = 0, di = dst_addr(s);
    int rc = 0;

    switch ( s->kind )
    {
    case STR_MOVS: rc = load_src(s, &a) ?: emul_write(c, di, s->size, a); break;
    case STR_CMPS:
        rc = load_src(s, &a) ?: emul_read(c, di, s->size, &b);
        if ( !rc )
            compare(s, a, b);
        break;
    case STR_STOS: rc = emul_write(c, di, s->size, emul_gpr(c, GPR_AX, s->size)); break;
    case STR_LODS:
        rc = load_src(s, &a);
        if ( !rc )
            emul_set_gpr(c, GPR_AX, s->size, a);
        break;
    case STR_SCAS:
        rc = emul_read(c, di, s->size, &b);
        if ( !rc )
            compare(s, emul_gpr(c, GPR_AX, s->size), b);
        break;
    default: break;
    }
    return rc;
}

/* INS stores what the empty port gives; OUTS reads and drops, except
 * that the debug console port prints. */
static int port_access(struct str_op *s, bool write, uint64_t *val)
{
    uint32_t v32 = (uint32_t)*val;

    switch ( ioreq_pio(s->c->v, s->port, s->size, write, &v32) )
    {
    case IOREQ_PENDING: return EMUL_PENDING;
    case IOREQ_DONE: *val = v32; return 0;
    default:
        if ( !write )
            *val = emul_size_mask(s->size);
        else if ( s->port == 0xe9 )
            hvm_debugcon_write(s->c->v->domain, (char)*val);
        return 0;
    }
}

static int iterate_io(struct str_op *s)
{
    uint64_t val = 0;
    int rc;

    if ( s->kind == STR_INS )
        return port_access(s, false, &val) ?: emul_write(s->c, dst_addr(s), s->size, val);
    rc = load_src(s, &val);
    return rc ?: port_access(s, true, &val);
}

static void advance_regs(struct str_op *s)
{
    if ( s->kind != STR_STOS && s->kind != STR_SCAS && s->kind != STR_INS )
        step(s, GPR_SI);
    if ( s->kind != STR_LODS && s->kind != STR_OUTS )
        step(s, GPR_DI);
}

/* REPE/REPNE CMPS and SCAS also stop on ZF; the others repeat on rCX
 * alone, whichever of F2/F3 they carry. */
static bool zf_stops(const struct str_op *s)
{
    bool zf = s->c->v->arch.regs.rflags & X86_FL_ZF;

    if ( s->kind != STR_CMPS && s->kind != STR_SCAS )
        return false;
    return s->c->insn.rep == X86_REP_F3 ? !zf : zf;
}

static int run(struct str_op *s)
{
    struct emul_ctx *c = s->c;
    unsigned int asz = c->insn.addr_size;
    bool rep = c->insn.rep != X86_REP_NONE;
    uint64_t count = rep ? emul_gpr(c, GPR_CX, asz) : 1;

    for ( unsigned int n = 0; count; n++ )
    {
        int rc;
        if ( n == STRING_BATCH )
            return EMUL_AGAIN;
        rc = s->kind >= STR_INS ? iterate_io(s) : iterate_mem(s);
        if ( rc )
            return rc;
        advance_regs(s);
        count--;
        if ( rep )
            emul_set_gpr(c, GPR_CX, asz, count);
        emul_commit(c);
        if ( !rep || zf_stops(s) )
            break;
    }
    return EMUL_DONE;
}

int emul_string(struct emul_ctx *c)
{
    struct str_op s = { c, str_kind(&c->insn), c->insn.op_size, 0 };
    return run(&s);
}

void hvm_emulate_string_io(struct vcpu *v, const struct hvm_exit *e)
{
    struct emul_ctx c;
    struct str_op s = { &c, STR_NONE, e->io_size, e->io_port };
    char why[160];
    int rc = emul_init(&c, v);

    if ( !rc )
    {
        s.kind = str_kind(&c.insn);
        rc = s.kind == STR_INS || s.kind == STR_OUTS ? run(&s)
                                                     : emul_fail(&c, -EINVAL, "not INS or OUTS");
    }
    if ( emul_pending(&c, rc, e) )
        return;
    if ( rc == EMUL_DONE )
        v->arch.regs.rip = c.next_rip;
    if ( rc >= 0 || emul_inject_fault(&c) )
        return;
    snprintf(why, sizeof(why), "string port I/O at rip %#lx: %s", v->arch.regs.rip, c.why);
    domain_crash(v->domain, why);
}
