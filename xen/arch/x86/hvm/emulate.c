/*
 * emulate.c - the operands of an emulated instruction: its registers,
 * the address of its memory operand, and every memory access it makes,
 * which goes through the guest's own paging to RAM or, where there is
 * none, to the MMIO registry (a device, else the hole: all-ones, writes
 * dropped). Entry point for accesses that reached no RAM.
 *
 * Segment bases are applied (in 64-bit mode only FS and GS have one);
 * limits and access rights of segments are not checked. An operand the
 * guest's own tables refuse becomes its #PF. A LOCKed read-modify-write
 * of RAM is not atomic here. An instruction's own exception (#DE, an
 * alignment #GP) is raised like the #PF, RIP on the instruction.
 *
 * An access no device of ours claims may go to an IOREQ server
 * (xen/ioreq.h); one that must wait for its answer ends the attempt with
 * nothing committed (EMUL_PENDING), and the instruction is emulated
 * again from the start once the answer is in, its answered accesses
 * replayed in order (docs/designs/ioreq.md, "Emulated instructions").
 *
 * It may not change p2m entries; RAM is reached only through the
 * guest_access.h calls, devices only through hvm_mmio.h and xen/ioreq.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <asm/hvm.h>
#include <asm/hvm_mmio.h>
#include <asm/hvm_emulate.h>
#include <asm/fpu.h>
#include <xen/ioreq.h>
#include "emulate_priv.h"

#define X86_EXC_PF 14

uint64_t emul_size_mask(unsigned int size)
{
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

int emul_fail(struct emul_ctx *c, int rc, const char *what)
{
    snprintf(c->why, sizeof(c->why), "%s", what);
    return rc;
}

int emul_raise(struct emul_ctx *c, unsigned int vector, int32_t code)
{
    c->exc_vector = vector;
    c->exc_code = code;
    snprintf(c->why, sizeof(c->why), "the instruction raises exception %u", vector);
    return -EFAULT;
}

int emul_init(struct emul_ctx *c, struct vcpu *v)
{
    uint8_t bytes[X86_MAX_INSN_LEN];
    size_t n;
    int rc;

    c->v = v;
    c->saved = v->arch.regs;
    c->why[0] = '\0';
    c->pf = false;
    c->exc_vector = -1;
    hvm_vendor->get_guest_state(v, &c->st);
    /* Real mode, virtual-8086 mode and 16-bit code segments would need a
     * 16-bit decoder (default sizes, C4/C5 as LES/LDS, IP wrap): refused
     * with the reason rather than emulated with 32-bit defaults. */
    if ( !c->st.long_mode && !c->st.cs_32 )
        return emul_fail(c, -EOPNOTSUPP, "16-bit code (real, virtual-8086 or a 16-bit segment)");
    n = hvm_fetch_insn(v, bytes);
    if ( !n )
        return emul_fail(c, -EFAULT, "cannot fetch the instruction");
    rc = x86_decode(bytes, n, c->st.long_mode ? X86_MODE_LONG64 : X86_MODE_PROT32, &c->insn);
    if ( rc )
    {
        snprintf(c->why, sizeof(c->why), "cannot decode the instruction (%d): %02x %02x %02x %02x",
                 rc, bytes[0], n > 1 ? bytes[1] : 0, n > 2 ? bytes[2] : 0, n > 3 ? bytes[3] : 0);
        return rc;
    }
    c->next_rip = v->arch.regs.rip + c->insn.length;
    return 0;
}

static uint64_t *gpr_slot(struct vcpu *v, unsigned int n)
{
    struct guest_regs *r = &v->arch.regs;
    uint64_t *p[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
        &r->r8,  &r->r9,  &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };
    return p[n & 15];
}

/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
static bool high_byte(const struct emul_ctx *c, unsigned int n, unsigned int size)
{
    return size == 1 && !c->insn.rex && n >= 4 && n < 8;
}

uint64_t emul_gpr(const struct emul_ctx *c, unsigned int n, unsigned int size)
{
    if ( high_byte(c, n, size) )
        return (*gpr_slot(c->v, n - 4) >> 8) & 0xff;
    return *gpr_slot(c->v, n) & emul_size_mask(size);
}

void emul_set_gpr(struct emul_ctx *c, unsigned int n, unsigned int size, uint64_t val)
{
    uint64_t *r;

    if ( high_byte(c, n, size) )
    {
        r = gpr_slot(c->v, n - 4);
        *r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
        return;
    }
    r = gpr_slot(c->v, n);
    if ( size >= 4 )
        *r = val & emul_size_mask(size); /* a 32-bit write clears bits 63:32 */
    else
        *r = (*r & ~emul_size_mask(size)) | (val & emul_size_mask(size));
}

uint64_t emul_seg_base(const struct emul_ctx *c, unsigned int seg)
{
    if ( c->st.long_mode && seg != X86_SEG_FS && seg != X86_SEG_GS )
        return 0;
    return hvm_vendor->seg_base(c->v, seg);
}

/* The override, else SS for rSP/rBP-based addressing, else DS. */
static unsigned int mem_seg(const struct x86_insn *i)
{
    if ( i->seg != X86_SEG_NONE )
        return i->seg;
    return i->base == 4 || i->base == 5 ? X86_SEG_SS : X86_SEG_DS;
}

uint64_t emul_ea(const struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint64_t ea = i->disp;

    if ( i->base == X86_REG_RIP )
        ea += c->next_rip;
    else if ( i->base != X86_REG_NONE )
        ea += *gpr_slot(c->v, i->base);
    if ( i->index != X86_REG_NONE )
        ea += *gpr_slot(c->v, i->index) * i->scale;
    return emul_seg_base(c, mem_seg(i)) + (ea & emul_size_mask(i->addr_size));
}

/* ---- memory ----------------------------------------------------------- */

static bool gpa_is_ram(struct vcpu *v, uint64_t gpa)
{
    p2m_type_t t;

    if ( (gpa >> PAGE_SHIFT) >= P2M_GFN_LIMIT )
        return false;
    p2m_lookup(&v->domain->p2m, _gfn(gpa >> PAGE_SHIFT), &t, NULL, NULL);
    return p2m_is_ram(t);
}

/* The largest access of 1, 2, 4 or 8 bytes that fits in len. */
static unsigned int piece(unsigned int len)
{
    return len >= 8 ? 8 : len >= 4 ? 4 : len >= 2 ? 2 : 1;
}

/* One piece of an access with no RAM behind it: a device of ours, else
 * an IOREQ server's, else the hole. EMUL_PENDING while a server's answer
 * is awaited: the emulation attempt ends there. */
static int mmio_piece(struct vcpu *v, uint64_t gpa, unsigned int n, bool write, uint64_t *val)
{
    if ( !hvm_mmio_claimed(v, gpa) )
        switch ( ioreq_mmio(v, gpa, n, write, val) )
        {
        case IOREQ_PENDING: return EMUL_PENDING;
        case IOREQ_DONE: return 0;
        default: break;
        }
    if ( write )
        hvm_mmio_write(v, gpa, n, *val);
    else
        hvm_mmio_read(v, gpa, n, val);
    return 0;
}

/* len bytes at gpa, within one page. RAM that cannot be read (a type
 * the hypervisor may not touch) reads as all-ones, like a hole. */
static int phys_read(struct vcpu *v, uint64_t gpa, unsigned int len, uint8_t *buf)
{
    int rc = 0;
    if ( gpa_is_ram(v, gpa) )
    {
        if ( copy_from_gpa(v->domain, buf, gpa, len) )
            memset(buf, 0xff, len);
        return 0;
    }
    for ( unsigned int done = 0, n; !rc && done < len; done += n )
    {
        uint64_t val = 0;
        n = piece(len - done);
        rc = mmio_piece(v, gpa + done, n, false, &val);
        memcpy(buf + done, &val, n);
    }
    return rc;
}

/* Writes to a p2m_ioreq_server page go to the type's owner (none: to
 * RAM, as any other write of it). */
static bool memtype_forwarded(struct vcpu *v, uint64_t gpa, unsigned int len, const uint8_t *buf,
                              int *rc)
{
    p2m_type_t t;
    uint64_t val = 0;
    p2m_lookup(&v->domain->p2m, _gfn(gpa >> PAGE_SHIFT), &t, NULL, NULL);
    if ( t != p2m_ioreq_server || len > 8 )
        return false;
    memcpy(&val, buf, len);
    switch ( ioreq_mmio(v, gpa, len, true, &val) )
    {
    case IOREQ_PENDING: *rc = EMUL_PENDING; return true;
    case IOREQ_DONE: *rc = 0; return true;
    default: return false;
    }
}

/* A write to read-only RAM is dropped, as the CPU's own would be. */
static int phys_write(struct vcpu *v, uint64_t gpa, unsigned int len, const uint8_t *buf)
{
    int rc = 0;
    if ( gpa_is_ram(v, gpa) )
    {
        if ( memtype_forwarded(v, gpa, len, buf, &rc) )
            return rc;
        if ( copy_to_gpa(v->domain, gpa, buf, len) )
            v->domain->ro_writes_dropped++;
        return 0;
    }
    for ( unsigned int done = 0, n; !rc && done < len; done += n )
    {
        uint64_t val = 0;
        n = piece(len - done);
        memcpy(&val, buf + done, n);
        rc = mmio_piece(v, gpa + done, n, true, &val);
    }
    return rc;
}

/* Translate each page the access touches before touching any. */
static int translate(struct emul_ctx *c, uint64_t va, unsigned int size, bool write,
                     uint64_t gpa[2], unsigned int *first)
{
    *first = MIN(size, (unsigned int)(PAGE_SIZE - (va & (PAGE_SIZE - 1))));
    if ( !c->st.long_mode )
        va = (uint32_t)va;
    if ( guest_va_to_gpa(c->v, va, write, &gpa[0]) ||
         (*first < size && guest_va_to_gpa(c->v, va + *first, write, &gpa[1])) )
    {
        snprintf(c->why, sizeof(c->why), "the guest's paging refuses the emulated %s of %#lx",
                 write ? "write" : "read", va);
        c->pf = true;
        c->pf_write = write;
        c->pf_va = guest_va_to_gpa(c->v, va, write, &gpa[0]) ? va : va + *first;
        return -EFAULT;
    }
    return 0;
}

int emul_probe(struct emul_ctx *c, uint64_t va)
{
    uint64_t gpa[2];
    unsigned int first;

    return translate(c, va, 1, false, gpa, &first);
}

int emul_read(struct emul_ctx *c, uint64_t va, unsigned int size, uint64_t *val)
{
    uint8_t buf[8];
    uint64_t gpa[2];
    unsigned int first;
    int rc = translate(c, va, size, false, gpa, &first);

    if ( rc )
        return rc;
    rc = phys_read(c->v, gpa[0], first, buf);
    if ( !rc && first < size )
        rc = phys_read(c->v, gpa[1], size - first, buf + first);
    if ( rc )
        return rc;
    *val = 0;
    memcpy(val, buf, size);
    return 0;
}

int emul_write(struct emul_ctx *c, uint64_t va, unsigned int size, uint64_t val)
{
    uint8_t buf[8];
    uint64_t gpa[2];
    unsigned int first;
    int rc = translate(c, va, size, true, gpa, &first);

    if ( rc )
        return rc;
    memcpy(buf, &val, size);
    rc = phys_write(c->v, gpa[0], first, buf);
    if ( !rc && first < size )
        rc = phys_write(c->v, gpa[1], size - first, buf + first);
    return rc;
}

/* ---- entry ------------------------------------------------------------- */

static void emul_crash(struct emul_ctx *c, const struct hvm_exit *e)
{
    char why[200];

    snprintf(why, sizeof(why), "emulating the %s of gpa %#lx at rip %#lx: %s",
             e->npf_write ? "write" : "read", e->gpa, c->v->arch.regs.rip, c->why);
    domain_crash(c->v->domain, why);
}

/* The guest's own tables refused an operand: the fault it would have
 * taken, with RIP on the instruction (a REP keeps the iterations done). */
bool emul_inject_fault(struct emul_ctx *c)
{
    uint32_t pfec;

    if ( c->exc_vector >= 0 )
    {
        hvm_vendor->inject_exception(c->v, c->exc_vector, c->exc_code);
        return true;
    }
    if ( !c->pf )
        return false;
    if ( guest_va_fault_code(c->v, c->pf_va, c->pf_write, &pfec) )
    {
        hvm_vendor->inject_exception(c->v, X86_EXC_GP, 0);
        return true;
    }
    hvm_vendor->set_guest_cr2(c->v, c->pf_va);
    hvm_vendor->inject_exception(c->v, X86_EXC_PF, pfec);
    return true;
}

/* The iterations of a REP done so far stay: a wait after them restarts
 * from here. */
void emul_commit(struct emul_ctx *c)
{
    c->saved = c->v->arch.regs;
    ioreq_instruction_done(c->v);
}

/* An access waits for an IOREQ server: nothing of this attempt stays
 * (registers, flags, RIP), the vCPU waits, and the exit is handled again
 * once the answer is in. */
bool emul_pending(struct emul_ctx *c, int rc, const struct hvm_exit *e)
{
    if ( rc != EMUL_PENDING )
    {
        ioreq_instruction_done(c->v);
        return false;
    }
    c->v->arch.regs = c->saved;
    hvm_ioreq_wait(c->v, e);
    return true;
}

void hvm_emulate_mmio(struct vcpu *v, const struct hvm_exit *e)
{
    struct emul_ctx c;
    int rc = emul_init(&c, v);

    if ( !rc )
        rc = emul_is_string(&c.insn)  ? emul_string(&c)
             : emul_is_stack(&c.insn) ? emul_stack(&c)
                                      : emul_execute(&c);
    if ( emul_pending(&c, rc, e) )
        return;
    if ( rc < 0 && emul_inject_fault(&c) )
        return;
    if ( rc < 0 )
        emul_crash(&c, e);
    else if ( rc == EMUL_DONE )
        v->arch.regs.rip = c.next_rip;
}

/* A multi-byte operand to or from buf, in pieces of 8 bytes, then 4, 2
 * and 1 for what is left (an 80-bit x87 value is 8 + 2). */
int emul_mem_buf(struct emul_ctx *c, unsigned int size, bool store, uint8_t *buf)
{
    uint64_t ea = emul_ea(c), val;
    int rc = 0;

    for ( unsigned int off = 0, n; !rc && off < size; off += n )
    {
        unsigned int rem = size - off;

        n = rem >= 8 ? 8 : rem >= 4 ? 4 : rem >= 2 ? 2 : 1;
        val = 0;
        if ( store )
        {
            memcpy(&val, buf + off, n);
            rc = emul_write(c, ea + off, n, val);
        }
        else
        {
            rc = emul_read(c, ea + off, n, &val);
            memcpy(buf + off, &val, n);
        }
    }
    return rc;
}
