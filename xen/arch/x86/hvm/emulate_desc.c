/*
 * emulate_desc.c - protected-mode segment loads that read a descriptor,
 * for the hole emulator (emulate_seg.c decodes the instruction and reads
 * its selector, maybe from a hole): MOV/POP Sreg and LDS..LGS into a data
 * segment or SS, far JMP/CALL to a code segment, LLDT, LTR, and the
 * LAR/LSL/VERR/VERW checks. The descriptor is read from the GDT or LDT
 * through the guest's paging (all-ones where the table is in a hole), is
 * checked as the SDM's pseudo-code for each instruction says, gets its
 * accessed (or TSS busy) bit written back as the CPU does (dropped in a
 * hole), and is loaded through the vendor's set_seg.
 *
 * Gates and TSSs as far-branch targets are #GP(selector), as in Xen's own
 * emulator. Guest memory is reached only through emulate_priv.h, the
 * segment registers only through get_seg/set_seg.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include "emulate_priv.h"

#define X86_EXC_NP 11
#define X86_EXC_SS 12
#define X86_EXC_GP 13
#define RFLAGS_ZF  (1ULL << 6)
#define SEL_TI     4u
#define SEL_RPL    3u

/* Packed attribute bits (public/hvm/hvm_vcpu.h's layout). */
#define AR_TYPE     0x00fu
#define AR_ACCESSED 0x001u
#define AR_WRITABLE 0x002u /* data; readable for code */
#define AR_CONFORM  0x004u /* code */
#define AR_CODE     0x008u
#define AR_S        0x010u
#define AR_P        0x080u
#define AR_L        0x200u
#define AR_DB       0x400u
#define AR_G        0x800u
#define AR_DPL(ar)  (((ar) >> 5) & 3)

#define SYS_LDT       0x2
#define SYS_TSS16     0x1
#define SYS_TSS_AVAIL 0x9
#define SYS_TSS_BUSY  0x2 /* the bit that marks a TSS busy */

/* One descriptor as read from its table. */
struct desc
{
    uint64_t va; /* where it is, for the accessed/busy bit */
    uint64_t base;
    uint32_t limit; /* scaled by G */
    uint32_t hi;    /* the upper dword as read, for LAR */
    uint16_t ar;
};

static unsigned int sel_rpl(uint16_t sel)
{
    return sel & SEL_RPL;
}

static int gp_sel(struct emul_ctx *c, uint16_t sel)
{
    return emul_raise(c, X86_EXC_GP, sel & ~SEL_RPL);
}

static void decode_desc(uint64_t raw, struct desc *d)
{
    uint32_t limit = (raw & 0xffff) | ((raw >> 32) & 0xf0000);

    d->hi = raw >> 32;
    d->ar = ((raw >> 40) & 0xff) | (((raw >> 52) & 0xf) << 8);
    d->base = ((raw >> 16) & 0xffffff) | ((raw >> 32) & 0xff000000);
    d->limit = (d->ar & AR_G) ? (limit << 12) | 0xfff : limit;
}

/*
 * sel's descriptor (sel not null): #GP(sel) if it lies outside its table
 * or names the LDT while LDTR is unusable; -EFAULT for the guest's #PF.
 */
static int read_desc(struct emul_ctx *c, uint16_t sel, struct desc *d)
{
    struct hvm_sreg t;
    uint64_t raw;
    int rc;

    hvm_vendor->get_seg(c->v, sel & SEL_TI ? HVM_SEG_LDTR : HVM_SEG_GDTR, &t);
    if ( !t.usable || (uint32_t)(sel | 7) > t.limit )
        return gp_sel(c, sel);
    d->va = t.base + (sel & ~7u);
    if ( !c->st.long_mode )
        d->va = (uint32_t)d->va;
    rc = emul_read(c, d->va, 8, &raw);
    if ( !rc )
        decode_desc(raw, d);
    return rc;
}

/* The 16-byte system descriptors of long mode: all 16 bytes inside the
 * GDT, base 63:32 from the upper half, whose type field must be 0
 * (#GP(sel) otherwise). */
static int read_desc_upper(struct emul_ctx *c, uint16_t sel, struct desc *d)
{
    struct hvm_sreg gdt;
    uint64_t hi;
    int rc;

    if ( !(c->st.efer & EFER_LMA) )
        return 0;
    hvm_vendor->get_seg(c->v, HVM_SEG_GDTR, &gdt);
    if ( (uint32_t)((sel & ~7u) + 15) > gdt.limit )
        return gp_sel(c, sel);
    rc = emul_read(c, d->va + 8, 8, &hi);
    if ( rc )
        return rc;
    if ( (hi >> 40) & 0x1f )
        return gp_sel(c, sel);
    d->base |= hi << 32;
    return 0;
}

/* Set bits in the descriptor's access byte as the CPU does on a load
 * (a write to a hole is dropped; the guest's #PF is raised). */
static int mark_desc(struct emul_ctx *c, struct desc *d, uint16_t bits)
{
    if ( (d->ar & bits) == bits )
        return 0;
    d->ar |= bits;
    return emul_write(c, d->va + 5, 1, d->ar & 0xff);
}

static void load(struct emul_ctx *c, unsigned int seg, uint16_t sel, const struct desc *d)
{
    struct hvm_seg s = { .sel = sel, .ar = d->ar, .limit = d->limit, .base = d->base };

    hvm_vendor->set_seg(c->v, seg, &s);
}

/*
 * A null selector into ES-GS (or SS where 64-bit mode allows it): the
 * register becomes unusable with base and limit 0, as Intel's CPUs (and
 * QEMU and Bochs) do; AMD's before NullSelectorClearsBase keep the base.
 * SS keeps DPL = CPL.
 */
static void load_null(struct emul_ctx *c, unsigned int seg, uint16_t sel)
{
    struct desc d = { .ar = seg == HVM_SEG_SS ? c->st.cpl << 5 : 0 };

    load(c, seg, sel, &d);
}

/* SS (SDM MOV/POP/LSS): a writable data segment with RPL = DPL = CPL;
 * #SS(sel) if not present. */
static int check_ss(struct emul_ctx *c, uint16_t sel, const struct desc *d)
{
    unsigned int cpl = c->st.cpl;

    if ( sel_rpl(sel) != cpl || !(d->ar & AR_S) || (d->ar & AR_CODE) || !(d->ar & AR_WRITABLE) ||
         AR_DPL(d->ar) != cpl )
        return gp_sel(c, sel);
    if ( !(d->ar & AR_P) )
        return emul_raise(c, X86_EXC_SS, sel & ~SEL_RPL);
    return 0;
}

/* DS/ES/FS/GS: data or readable code; unless conforming code, DPL at
 * least RPL and CPL; #NP(sel) if not present. */
static int check_data(struct emul_ctx *c, uint16_t sel, const struct desc *d)
{
    bool code = d->ar & AR_CODE;
    unsigned int dpl = AR_DPL(d->ar);

    if ( !(d->ar & AR_S) || (code && !(d->ar & AR_WRITABLE)) )
        return gp_sel(c, sel);
    if ( !(code && (d->ar & AR_CONFORM)) && (sel_rpl(sel) > dpl || c->st.cpl > dpl) )
        return gp_sel(c, sel);
    if ( !(d->ar & AR_P) )
        return emul_raise(c, X86_EXC_NP, sel & ~SEL_RPL);
    return 0;
}

/* A null SS is allowed in 64-bit mode at CPL < 3 with RPL = CPL. */
static bool null_ss_ok(const struct emul_ctx *c, uint16_t sel)
{
    return c->st.long_mode && c->st.cpl < 3 && sel_rpl(sel) == c->st.cpl;
}

int emul_load_data_seg(struct emul_ctx *c, unsigned int seg, uint16_t sel)
{
    struct desc d;
    int rc;

    if ( !(sel & ~SEL_RPL) )
    {
        if ( seg == HVM_SEG_SS && !null_ss_ok(c, sel) )
            return emul_raise(c, X86_EXC_GP, 0);
        load_null(c, seg, sel);
        return 0;
    }
    rc = read_desc(c, sel, &d);
    if ( !rc )
        rc = seg == HVM_SEG_SS ? check_ss(c, sel, &d) : check_data(c, sel, &d);
    if ( !rc && (d.ar & AR_S) )
        rc = mark_desc(c, &d, AR_ACCESSED);
    if ( !rc )
        load(c, seg, sel, &d);
    return rc;
}

/* ---- far JMP/CALL ------------------------------------------------------- */

/* A same-privilege code segment (SDM JMP/CALL, "far ... in protected
 * mode"): conforming with DPL <= CPL, or non-conforming with RPL <= CPL
 * and DPL = CPL; never L and D together under EFER.LMA; #NP(sel). */
static int check_code(struct emul_ctx *c, uint16_t sel, const struct desc *d)
{
    unsigned int cpl = c->st.cpl, dpl = AR_DPL(d->ar);

    if ( !(d->ar & AR_S) || !(d->ar & AR_CODE) )
        return gp_sel(c, sel);
    if ( (d->ar & AR_CONFORM) ? dpl > cpl : sel_rpl(sel) > cpl || dpl != cpl )
        return gp_sel(c, sel);
    if ( (c->st.efer & EFER_LMA) && (d->ar & AR_L) && (d->ar & AR_DB) )
        return gp_sel(c, sel);
    if ( !(d->ar & AR_P) )
        return emul_raise(c, X86_EXC_NP, sel & ~SEL_RPL);
    return 0;
}

static bool canonical(uint64_t va)
{
    return (uint64_t)(((int64_t)va << 16) >> 16) == va;
}

/* The new RIP must be canonical for a 64-bit segment, else within the
 * limit: #GP(0). */
static int check_target(struct emul_ctx *c, const struct desc *d, uint64_t off)
{
    bool is64 = (c->st.efer & EFER_LMA) && (d->ar & AR_L);

    if ( is64 ? !canonical(off) : off > d->limit )
        return emul_raise(c, X86_EXC_GP, 0);
    return 0;
}

/* CALL far: CS, then the return offset, each op_size wide; rSP moves
 * only once both are written. */
static int push_return(struct emul_ctx *c)
{
    unsigned int size = c->insn.op_size;
    struct hvm_sreg cs;
    uint64_t sp = emul_gpr(c, GPR_SP, 8);
    int rc;

    hvm_vendor->get_seg(c->v, HVM_SEG_CS, &cs);
    if ( !c->st.long_mode )
        sp = (uint32_t)sp;
    rc = emul_write(c, emul_stack_va(c, sp - size), size, cs.sel);
    if ( !rc )
        rc = emul_write(c, emul_stack_va(c, sp - 2 * size), size, c->next_rip);
    if ( !rc )
        emul_set_gpr(c, GPR_SP, c->st.long_mode ? 8 : 4, sp - 2 * size);
    return rc;
}

int emul_far_branch(struct emul_ctx *c, uint16_t sel, uint64_t off, bool call)
{
    struct desc d;
    int rc;

    if ( !(sel & ~SEL_RPL) )
        return emul_raise(c, X86_EXC_GP, 0);
    rc = read_desc(c, sel, &d);
    if ( !rc )
        rc = check_code(c, sel, &d);
    if ( !rc )
        rc = check_target(c, &d, off);
    if ( !rc && call )
        rc = push_return(c);
    if ( !rc )
        rc = mark_desc(c, &d, AR_ACCESSED);
    if ( rc )
        return rc;
    load(c, HVM_SEG_CS, (sel & ~SEL_RPL) | c->st.cpl, &d);
    c->next_rip = off;
    return 0;
}

/* ---- LLDT, LTR ------------------------------------------------------------ */

/* An LDT descriptor, or an available TSS (32/64-bit; 16-bit outside
 * long mode); #NP(sel) if not present. */
static int check_system(struct emul_ctx *c, uint16_t sel, const struct desc *d, bool tr)
{
    unsigned int type = d->ar & AR_TYPE;
    bool ok = tr ? type == SYS_TSS_AVAIL || (type == SYS_TSS16 && !(c->st.efer & EFER_LMA))
                 : type == SYS_LDT;

    if ( (d->ar & AR_S) || !ok )
        return gp_sel(c, sel);
    if ( !(d->ar & AR_P) )
        return emul_raise(c, X86_EXC_NP, sel & ~SEL_RPL);
    return 0;
}

/* sel is in the GDT (emulate_seg.c checked TI); a null one is LLDT's
 * way to leave no LDT. LTR marks the TSS busy in its descriptor. */
int emul_load_system(struct emul_ctx *c, uint16_t sel, bool tr)
{
    struct desc d;
    int rc;

    if ( !(sel & ~SEL_RPL) )
    {
        if ( tr )
            return emul_raise(c, X86_EXC_GP, 0);
        load_null(c, HVM_SEG_LDTR, sel);
        return 0;
    }
    rc = read_desc(c, sel, &d);
    if ( !rc )
        rc = check_system(c, sel, &d, tr);
    if ( !rc )
        rc = read_desc_upper(c, sel, &d);
    if ( !rc && tr )
        rc = mark_desc(c, &d, SYS_TSS_BUSY);
    if ( !rc )
        load(c, tr ? HVM_SEG_TR : HVM_SEG_LDTR, sel, &d);
    return rc;
}

/* ---- LAR, LSL, VERR, VERW ------------------------------------------------- */

/* The system types LAR (lsl false) or LSL accept, legacy and long mode. */
static bool system_ok(const struct emul_ctx *c, unsigned int type, bool lsl)
{
    static const uint16_t legacy_lar = 0x1a3e, legacy_lsl = 0x0a0e, long_both = 0x0a04;
    uint16_t mask = (c->st.efer & EFER_LMA) ? long_both | (lsl ? 0 : 1u << 12)
                    : lsl                   ? legacy_lsl
                                            : legacy_lar;

    return mask & (1u << type);
}

/* Visible at CPL and RPL: DPL at least both, unless conforming code. */
static bool visible(const struct emul_ctx *c, uint16_t sel, const struct desc *d)
{
    unsigned int dpl = AR_DPL(d->ar);

    if ( (d->ar & AR_S) && (d->ar & AR_CODE) && (d->ar & AR_CONFORM) )
        return true;
    return dpl >= c->st.cpl && dpl >= sel_rpl(sel);
}

static bool verify(const struct emul_ctx *c, const struct desc *d, unsigned int ext)
{
    if ( !(d->ar & AR_S) )
        return false;
    if ( ext == 4 ) /* VERR: data, or readable code */
        return !(d->ar & AR_CODE) || (d->ar & AR_WRITABLE);
    return !(d->ar & AR_CODE) && (d->ar & AR_WRITABLE);
}

/*
 * The register LAR/LSL write: the descriptor's upper dword masked to
 * bits 23:8, or the scaled limit. The SDM leaves LAR's bits 19:16 (the
 * limit's top) undefined: Intel's CPUs and Bochs return them, QEMU's AMD
 * model clears them; each vendor here does as its emulator does.
 */
static void set_result(struct emul_ctx *c, const struct desc *d, bool lsl)
{
    unsigned int size = c->insn.op_size == 2 ? 2 : 4;
    uint32_t mask = hvm_vendor == &svm_vendor_ops ? 0x00f0ff00 : 0x00ffff00;
    uint32_t val = lsl ? d->limit : d->hi & mask;

    emul_set_gpr(c, c->insn.reg, size, size == 2 ? (uint16_t)val : val);
}

/* which: 0x02 LAR, 0x03 LSL, or 4/5 for VERR/VERW (0F 00 /4, /5), of a
 * selector inside its table. ZF set only if the check passes; the
 * register is written only then. */
int emul_check_desc(struct emul_ctx *c, uint16_t sel, unsigned int which)
{
    struct desc d;
    bool ok;
    int rc = read_desc(c, sel, &d);

    if ( rc )
        return rc;
    ok = visible(c, sel, &d);
    if ( which == 4 || which == 5 )
        ok = ok && verify(c, &d, which);
    else
        ok = ok && ((d.ar & AR_S) || system_ok(c, d.ar & AR_TYPE, which == 3));
    c->v->arch.regs.rflags &= ~RFLAGS_ZF;
    if ( !ok )
        return 0;
    c->v->arch.regs.rflags |= RFLAGS_ZF;
    if ( which < 4 )
        set_result(c, &d, which == 3);
    return 0;
}
