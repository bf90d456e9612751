/*
 * emulate_bmi.c - the BMI1, BMI2 and ADX instructions with a memory
 * operand that has no RAM behind it: ANDN, BEXTR, BLSI, BLSMSK, BLSR,
 * BZHI, PDEP, PEXT, SARX, SHLX, SHRX, MULX (VEX 0F 38 F2-F7), RORX (VEX
 * F2 0F 3A F0), ADCX and ADOX (66/F3 0F 38 F6). The hole reads
 * all-ones; the arithmetic and flags are x86_bmi.c's, in C, since the
 * hypervisor runs with XCR0 = x87|SSE and could not execute a VEX
 * instruction itself.
 *
 * The CPU only gets here with a form it has (one it lacks is #UD before
 * the access), and the guest's CPUID shows BMI1/BMI2/ADX only where the
 * host has them (cpu_policy.c passes leaf 7 through). It reaches guest
 * memory and registers only through emulate_priv.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/x86_bmi.h>
#include "emulate_priv.h"

/* Which form: opcode, the VEX pp / mandatory prefix, and what it does. */
struct bmi_form
{
    uint8_t map, opcode, pfx, ext; /* ext: ModRM.reg for F3's group, else 0xff */
    uint8_t op;                    /* enum x86_bmi_op */
    bool vex;
};

/* clang-format off */
static const struct bmi_form forms[] = {
    { X86_MAP_0F38, 0xf2, 0,    0xff, X86_ANDN,   true },
    { X86_MAP_0F38, 0xf3, 0,    1,    X86_BLSR,   true },
    { X86_MAP_0F38, 0xf3, 0,    2,    X86_BLSMSK, true },
    { X86_MAP_0F38, 0xf3, 0,    3,    X86_BLSI,   true },
    { X86_MAP_0F38, 0xf5, 0,    0xff, X86_BZHI,   true },
    { X86_MAP_0F38, 0xf5, 0xf3, 0xff, X86_PEXT,   true },
    { X86_MAP_0F38, 0xf5, 0xf2, 0xff, X86_PDEP,   true },
    { X86_MAP_0F38, 0xf7, 0,    0xff, X86_BEXTR,  true },
    { X86_MAP_0F38, 0xf7, 0x66, 0xff, X86_SHLX,   true },
    { X86_MAP_0F38, 0xf7, 0xf3, 0xff, X86_SARX,   true },
    { X86_MAP_0F38, 0xf7, 0xf2, 0xff, X86_SHRX,   true },
    { X86_MAP_0F3A, 0xf0, 0xf2, 0xff, X86_RORX,   true },
    { X86_MAP_0F38, 0xf6, 0x66, 0xff, X86_ADCX,   false },
    { X86_MAP_0F38, 0xf6, 0xf3, 0xff, X86_ADOX,   false },
};
/* clang-format on */

static unsigned int mandatory_prefix(const struct x86_insn *i)
{
    if ( i->rep )
        return i->rep;
    return i->opsize_prefix ? 0x66 : 0;
}

static const struct bmi_form *find_form(const struct x86_insn *i)
{
    unsigned int pfx = mandatory_prefix(i), ext = (i->modrm >> 3) & 7;

    for ( unsigned int n = 0; n < ARRAY_SIZE(forms); n++ )
    {
        const struct bmi_form *f = &forms[n];

        if ( f->map == i->map && f->opcode == i->opcode && f->pfx == pfx && f->vex == i->vex &&
             (f->ext == 0xff || f->ext == ext) )
            return f;
    }
    return NULL;
}

/* MULX: ModRM.reg := the high half, vvvv := the low half of rDX * m
 * (the high half wins when both name one register). */
static int mulx(struct emul_ctx *c, unsigned int size, uint64_t m)
{
    const struct x86_insn *i = &c->insn;
    uint64_t hi, lo = x86_mulx(size, emul_gpr(c, GPR_DX, size), m, &hi);

    emul_set_gpr(c, i->vex_vvvv, size, lo);
    emul_set_gpr(c, i->reg, size, hi);
    return 0;
}

/* The two sources of op in x86_bmi's order (a, b), m the memory one. */
static void sources(const struct emul_ctx *c, enum x86_bmi_op op, unsigned int size, uint64_t m,
                    uint64_t *a, uint64_t *b)
{
    const struct x86_insn *i = &c->insn;
    uint64_t v = emul_gpr(c, i->vex_vvvv, size);

    switch ( op )
    {
    case X86_ANDN:
    case X86_PDEP:
    case X86_PEXT: *a = v, *b = m; return;
    case X86_RORX: *a = m, *b = i->imm & 0xff; return;
    case X86_ADCX:
    case X86_ADOX: *a = emul_gpr(c, i->reg, size), *b = m; return;
    default: *a = m, *b = v; return; /* BEXTR, BZHI, the shifts; BLS* ignore b */
    }
}

int emul_bmi(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    const struct bmi_form *f = i->has_mem ? find_form(i) : NULL;
    bool is_mulx = i->has_mem && i->vex && i->map == X86_MAP_0F38 && i->opcode == 0xf6 &&
                   mandatory_prefix(i) == 0xf2;
    unsigned int size = i->rex & 8 ? 8 : 4; /* VEX.W or REX.W; 66 is no size here */
    uint64_t m, a, b, r;
    int rc;

    if ( !f && !is_mulx )
        return -EOPNOTSUPP;
    rc = emul_read(c, emul_ea(c), size, &m);
    if ( rc )
        return rc;
    if ( is_mulx )
        return mulx(c, size, m);
    sources(c, f->op, size, m, &a, &b);
    r = x86_bmi(f->op, size, a, b, &c->v->arch.regs.rflags);
    /* BLSI/BLSMSK/BLSR write vvvv; the others ModRM.reg */
    emul_set_gpr(c, f->opcode == 0xf3 ? i->vex_vvvv : i->reg, size, r);
    return 0;
}
