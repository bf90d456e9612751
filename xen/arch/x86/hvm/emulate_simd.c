/*
 * emulate_simd.c - legacy-encoded SSE/SSE2 arithmetic, logic and
 * comparisons whose memory source has no RAM behind it: ADD/SUB/MUL/
 * DIV/MIN/MAX/SQRT PS/PD/SS/SD, AND/ANDN/OR/XOR PS/PD, UCOMISS/UCOMISD/
 * COMISS/COMISD, and (66-prefixed) PAND/PANDN/POR/PXOR, PADD/PSUB
 * B/W/D/Q, PCMPEQ/PCMPGT B/W/D.
 *
 * The operation is the CPU's own: the memory operand (all-ones from a
 * hole) is read into a buffer, and the same instruction runs here on
 * XMM0 holding the guest's destination, under the guest's MXCSR with
 * every exception masked; XMM0 and MXCSR are put back after. The flags
 * it raises go into the guest's MXCSR; one the guest left unmasked is
 * #XM (CR4.OSXMMEXCPT) or #UD with the destination untouched, as on
 * the CPU. COMIS/UCOMIS set ZF, PF, CF and clear OF, SF, AF.
 *
 * The hypervisor has no FP state of its own (fpu.c): the registers here
 * are the running vCPU's, and only XMM0 and MXCSR are touched, each put
 * back. Guest memory is reached only through emulate_priv.h, the guest's
 * XMM registers only through fpu.h. Not done: CMPPS/CMPSS (imm8),
 * conversions, shuffles, MMX (no-prefix) integer forms, SSE3 and later.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/fpu.h>
#include "emulate_priv.h"

#define X86_EXC_UD     6
#define X86_EXC_XM     19
#define CR4_OSXMMEXCPT (1ULL << 10)
#define MXCSR_FLAGS    0x3fu
#define MXCSR_MASKS    0x1f80u
#define MXCSR_PRE      0x07u /* IE, DE, ZE: raised before any result */
#define FL_ARITH       0x8d5ULL
#define FL_CMP         0x045ULL /* ZF, PF, CF */

struct simd_io
{
    uint8_t src[16] __attribute__((aligned(16))); /* packed forms need 16 */
    uint8_t dst[16];
    uint8_t save[16];
    uint32_t old_csr, run_csr, out_csr;
    uint64_t rflags;
};

#define SIMD_STUB(name, insn)                                                               \
    static void name(struct simd_io *io)                                                    \
    {                                                                                       \
        asm volatile("movdqu %%xmm0, %[save]\n\t"                                           \
                     "ldmxcsr %[run]\n\t"                                                   \
                     "movdqu %[dst], %%xmm0\n\t" insn " %[src], %%xmm0\n\t"                 \
                     "stmxcsr %[out]\n\t"                                                   \
                     "movdqu %%xmm0, %[dst]\n\t"                                            \
                     "pushfq\n\t"                                                           \
                     "popq %[fl]\n\t"                                                       \
                     "ldmxcsr %[old]\n\t"                                                   \
                     "movdqu %[save], %%xmm0"                                               \
                     : [save] "+m"(io->save), [dst] "+m"(io->dst), [out] "=m"(io->out_csr), \
                       [fl] "=r"(io->rflags)                                                \
                     : [src] "m"(io->src), [run] "m"(io->run_csr), [old] "m"(io->old_csr)   \
                     : "cc");                                                               \
    }

/* name, instruction, opcode, mandatory prefix, memory bytes, sets RFLAGS */
#define SIMD_OPS(X)                          \
    X(addps, "addps", 0x58, 0, 16, 0)        \
    X(addpd, "addpd", 0x58, 0x66, 16, 0)     \
    X(addss, "addss", 0x58, 0xf3, 4, 0)      \
    X(addsd, "addsd", 0x58, 0xf2, 8, 0)      \
    X(mulps, "mulps", 0x59, 0, 16, 0)        \
    X(mulpd, "mulpd", 0x59, 0x66, 16, 0)     \
    X(mulss, "mulss", 0x59, 0xf3, 4, 0)      \
    X(mulsd, "mulsd", 0x59, 0xf2, 8, 0)      \
    X(subps, "subps", 0x5c, 0, 16, 0)        \
    X(subpd, "subpd", 0x5c, 0x66, 16, 0)     \
    X(subss, "subss", 0x5c, 0xf3, 4, 0)      \
    X(subsd, "subsd", 0x5c, 0xf2, 8, 0)      \
    X(minps, "minps", 0x5d, 0, 16, 0)        \
    X(minpd, "minpd", 0x5d, 0x66, 16, 0)     \
    X(minss, "minss", 0x5d, 0xf3, 4, 0)      \
    X(minsd, "minsd", 0x5d, 0xf2, 8, 0)      \
    X(divps, "divps", 0x5e, 0, 16, 0)        \
    X(divpd, "divpd", 0x5e, 0x66, 16, 0)     \
    X(divss, "divss", 0x5e, 0xf3, 4, 0)      \
    X(divsd, "divsd", 0x5e, 0xf2, 8, 0)      \
    X(maxps, "maxps", 0x5f, 0, 16, 0)        \
    X(maxpd, "maxpd", 0x5f, 0x66, 16, 0)     \
    X(maxss, "maxss", 0x5f, 0xf3, 4, 0)      \
    X(maxsd, "maxsd", 0x5f, 0xf2, 8, 0)      \
    X(sqrtps, "sqrtps", 0x51, 0, 16, 0)      \
    X(sqrtpd, "sqrtpd", 0x51, 0x66, 16, 0)   \
    X(sqrtss, "sqrtss", 0x51, 0xf3, 4, 0)    \
    X(sqrtsd, "sqrtsd", 0x51, 0xf2, 8, 0)    \
    X(andps, "andps", 0x54, 0, 16, 0)        \
    X(andpd, "andpd", 0x54, 0x66, 16, 0)     \
    X(andnps, "andnps", 0x55, 0, 16, 0)      \
    X(andnpd, "andnpd", 0x55, 0x66, 16, 0)   \
    X(orps, "orps", 0x56, 0, 16, 0)          \
    X(orpd, "orpd", 0x56, 0x66, 16, 0)       \
    X(xorps, "xorps", 0x57, 0, 16, 0)        \
    X(xorpd, "xorpd", 0x57, 0x66, 16, 0)     \
    X(ucomiss, "ucomiss", 0x2e, 0, 4, 1)     \
    X(ucomisd, "ucomisd", 0x2e, 0x66, 8, 1)  \
    X(comiss, "comiss", 0x2f, 0, 4, 1)       \
    X(comisd, "comisd", 0x2f, 0x66, 8, 1)    \
    X(pand, "pand", 0xdb, 0x66, 16, 0)       \
    X(pandn, "pandn", 0xdf, 0x66, 16, 0)     \
    X(por, "por", 0xeb, 0x66, 16, 0)         \
    X(pxor, "pxor", 0xef, 0x66, 16, 0)       \
    X(paddb, "paddb", 0xfc, 0x66, 16, 0)     \
    X(paddw, "paddw", 0xfd, 0x66, 16, 0)     \
    X(paddd, "paddd", 0xfe, 0x66, 16, 0)     \
    X(paddq, "paddq", 0xd4, 0x66, 16, 0)     \
    X(psubb, "psubb", 0xf8, 0x66, 16, 0)     \
    X(psubw, "psubw", 0xf9, 0x66, 16, 0)     \
    X(psubd, "psubd", 0xfa, 0x66, 16, 0)     \
    X(psubq, "psubq", 0xfb, 0x66, 16, 0)     \
    X(pcmpeqb, "pcmpeqb", 0x74, 0x66, 16, 0) \
    X(pcmpeqw, "pcmpeqw", 0x75, 0x66, 16, 0) \
    X(pcmpeqd, "pcmpeqd", 0x76, 0x66, 16, 0) \
    X(pcmpgtb, "pcmpgtb", 0x64, 0x66, 16, 0) \
    X(pcmpgtw, "pcmpgtw", 0x65, 0x66, 16, 0) \
    X(pcmpgtd, "pcmpgtd", 0x66, 0x66, 16, 0)

#define X_STUB(name, insn, op, pfx, size, cmp) SIMD_STUB(run_##name, insn)
SIMD_OPS(X_STUB)

struct simd_op
{
    uint8_t opcode, pfx, size;
    bool cmp;
    void (*run)(struct simd_io *io);
};

#define X_ENTRY(name, insn, op, pfx, size, cmp) { op, pfx, size, cmp, run_##name },
static const struct simd_op simd_ops[] = { SIMD_OPS(X_ENTRY) };

/* The mandatory prefix in effect: the last F2/F3, else 66, else 0. */
static unsigned int prefix(const struct x86_insn *i)
{
    if ( i->rep )
        return i->rep;
    return i->opsize_prefix ? 0x66 : 0;
}

static const struct simd_op *find_op(const struct x86_insn *i)
{
    unsigned int pfx = prefix(i);

    for ( unsigned int n = 0; n < ARRAY_SIZE(simd_ops); n++ )
        if ( simd_ops[n].opcode == i->opcode && simd_ops[n].pfx == pfx )
            return &simd_ops[n];
    return NULL;
}

static int read_src(struct emul_ctx *c, unsigned int size, uint8_t src[16])
{
    uint64_t ea = emul_ea(c), lo = 0, hi = 0;
    int rc = emul_read(c, ea, MIN(size, 8u), &lo);

    if ( !rc && size > 8 )
        rc = emul_read(c, ea + 8, 8, &hi);
    memcpy(src, &lo, 8);
    memcpy(src + 8, &hi, 8);
    return rc;
}

static uint32_t read_mxcsr(void)
{
    uint32_t csr;

    asm volatile("stmxcsr %0" : "=m"(csr));
    return csr;
}

static void write_mxcsr(uint32_t csr)
{
    asm volatile("ldmxcsr %0" ::"m"(csr));
}

/*
 * An exception the guest left unmasked: its flag is set, nothing else
 * changes, and the CPU raises #XM (or #UD without CR4.OSXMMEXCPT). Of
 * the flags the masked run gave, a pre-computation one stops the
 * post-computation ones being reported.
 */
static int simd_exception(struct emul_ctx *c, uint32_t old, uint32_t flags)
{
    if ( flags & MXCSR_PRE )
        flags &= MXCSR_PRE;
    write_mxcsr(old | flags);
    return emul_raise(c, c->st.cr4 & CR4_OSXMMEXCPT ? X86_EXC_XM : X86_EXC_UD, -1);
}

int emul_simd(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    const struct simd_op *op = i->map == X86_MAP_0F && i->has_mem ? find_op(i) : NULL;
    struct simd_io io = { 0 };
    uint32_t flags;
    int rc;

    if ( !op )
        return -EOPNOTSUPP;
    rc = read_src(c, op->size, io.src);
    if ( rc )
        return rc;
    fpu_read_xmm(c->v, i->reg, io.dst);
    io.old_csr = read_mxcsr();
    io.run_csr = (io.old_csr & ~MXCSR_FLAGS) | MXCSR_MASKS;
    op->run(&io);
    flags = io.out_csr & MXCSR_FLAGS;
    if ( flags & ~(io.old_csr >> 7) & MXCSR_FLAGS )
        return simd_exception(c, io.old_csr, flags);
    write_mxcsr(io.old_csr | flags);
    if ( op->cmp )
        c->v->arch.regs.rflags = (c->v->arch.regs.rflags & ~FL_ARITH) | (io.rflags & FL_CMP);
    else
        fpu_write_xmm(c->v, i->reg, io.dst);
    return 0;
}
