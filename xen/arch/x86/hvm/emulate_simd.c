/*
 * emulate_simd.c - legacy-encoded SSE to SSE4.2 instructions whose
 * memory source has no RAM behind it: ADD/SUB/MUL/DIV/MIN/MAX/SQRT
 * PS/PD/SS/SD, AND/ANDN/OR/XOR PS/PD, UCOMIS/COMIS, CMPPS/PD/SS/SD with
 * their predicate, RCP/RSQRT, the conversions to XMM (CVT*: packed,
 * scalar, from a 32/64-bit integer), UNPCK*, the 66-prefixed integer
 * forms (logic, add/sub with saturation, compares, PUNPCK*, PACK*,
 * shifts by a memory count, PMUL*, PMADDWD, PSADBW, PAVG, PMIN/PMAX),
 * SSE3 (HADD/HSUB, ADDSUB, LDDQU), SSSE3 and SSE4.1/4.2 in the 0F 38 map
 * (PSHUFB, PHADD/PHSUB, PSIGN, PABS, PMULHRSW, PMADDUBSW, PMOVSX/ZX,
 * PTEST, PMIN/PMAX, PMULLD, PMULDQ, PCMPEQQ/GTQ, PACKUSDW, PHMINPOSUW,
 * MOVNTDQA), ROUNDPS/PD/SS/SD, the element shuffles PSHUFD/HW/LW,
 * SHUFPS/PD, PALIGNR and the blends BLENDPS/PD, PBLENDW; and the VEX
 * forms of all of these (see "VEX forms" below); the MMX-register
 * (no prefix) integer forms, SSSE3's included; CVT(T)SS2SI/SD2SI;
 * PINSRx, PEXTRx, INSERTPS, EXTRACTPS with a memory operand; PBLENDVB,
 * BLENDVPS, BLENDVPD (legacy only: the VEX forms are other opcodes).
 *
 * The operation is the CPU's own: the memory operand (all-ones from a
 * hole) is read into a buffer, and the same instruction runs here on
 * XMM0 holding the guest's destination, under the guest's MXCSR with
 * every exception masked; XMM0 and MXCSR are put back after. The flags
 * it raises go into the guest's MXCSR; one the guest left unmasked is
 * #XM (CR4.OSXMMEXCPT) or #UD with the destination untouched, as on
 * the CPU. COMIS/UCOMIS set ZF, PF, CF and clear OF, SF, AF; PTEST sets
 * ZF and CF and clears the others. An imm8 that only picks elements (the
 * shuffles, 256 values each) is done in C: no flags, no exceptions; the
 * CMP predicates and ROUND modes have one stub each.
 *
 * The hypervisor has no FP state of its own (fpu.c): the registers here
 * are the running vCPU's, and only XMM0 and MXCSR (MM0 for the MMX
 * forms, inside an FXSAVE/FXRSTOR pair) are touched, each put back. Guest memory is reached only through emulate_priv.h, the guest's
 * XMM and MMX registers only through fpu.h. Not done: PSHUFW, PALIGNR
 * on MMX registers, conversions to or from an MMX register, the other
 * imm8 forms (DPPS/DPPD, MPSADBW, PCMPESTR/PCMPISTR), VEX
 * VBLENDV* and VPBLENDVB (0F 3A 4A-4C).
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
#define SIMD_OPS(X)                                \
    X(addps, "addps", 0x58, 0, 16, 0)              \
    X(addpd, "addpd", 0x58, 0x66, 16, 0)           \
    X(addss, "addss", 0x58, 0xf3, 4, 0)            \
    X(addsd, "addsd", 0x58, 0xf2, 8, 0)            \
    X(mulps, "mulps", 0x59, 0, 16, 0)              \
    X(mulpd, "mulpd", 0x59, 0x66, 16, 0)           \
    X(mulss, "mulss", 0x59, 0xf3, 4, 0)            \
    X(mulsd, "mulsd", 0x59, 0xf2, 8, 0)            \
    X(subps, "subps", 0x5c, 0, 16, 0)              \
    X(subpd, "subpd", 0x5c, 0x66, 16, 0)           \
    X(subss, "subss", 0x5c, 0xf3, 4, 0)            \
    X(subsd, "subsd", 0x5c, 0xf2, 8, 0)            \
    X(minps, "minps", 0x5d, 0, 16, 0)              \
    X(minpd, "minpd", 0x5d, 0x66, 16, 0)           \
    X(minss, "minss", 0x5d, 0xf3, 4, 0)            \
    X(minsd, "minsd", 0x5d, 0xf2, 8, 0)            \
    X(divps, "divps", 0x5e, 0, 16, 0)              \
    X(divpd, "divpd", 0x5e, 0x66, 16, 0)           \
    X(divss, "divss", 0x5e, 0xf3, 4, 0)            \
    X(divsd, "divsd", 0x5e, 0xf2, 8, 0)            \
    X(maxps, "maxps", 0x5f, 0, 16, 0)              \
    X(maxpd, "maxpd", 0x5f, 0x66, 16, 0)           \
    X(maxss, "maxss", 0x5f, 0xf3, 4, 0)            \
    X(maxsd, "maxsd", 0x5f, 0xf2, 8, 0)            \
    X(sqrtps, "sqrtps", 0x51, 0, 16, 0)            \
    X(sqrtpd, "sqrtpd", 0x51, 0x66, 16, 0)         \
    X(sqrtss, "sqrtss", 0x51, 0xf3, 4, 0)          \
    X(sqrtsd, "sqrtsd", 0x51, 0xf2, 8, 0)          \
    X(andps, "andps", 0x54, 0, 16, 0)              \
    X(andpd, "andpd", 0x54, 0x66, 16, 0)           \
    X(andnps, "andnps", 0x55, 0, 16, 0)            \
    X(andnpd, "andnpd", 0x55, 0x66, 16, 0)         \
    X(orps, "orps", 0x56, 0, 16, 0)                \
    X(orpd, "orpd", 0x56, 0x66, 16, 0)             \
    X(xorps, "xorps", 0x57, 0, 16, 0)              \
    X(xorpd, "xorpd", 0x57, 0x66, 16, 0)           \
    X(ucomiss, "ucomiss", 0x2e, 0, 4, 1)           \
    X(ucomisd, "ucomisd", 0x2e, 0x66, 8, 1)        \
    X(comiss, "comiss", 0x2f, 0, 4, 1)             \
    X(comisd, "comisd", 0x2f, 0x66, 8, 1)          \
    X(pand, "pand", 0xdb, 0x66, 16, 0)             \
    X(pandn, "pandn", 0xdf, 0x66, 16, 0)           \
    X(por, "por", 0xeb, 0x66, 16, 0)               \
    X(pxor, "pxor", 0xef, 0x66, 16, 0)             \
    X(paddb, "paddb", 0xfc, 0x66, 16, 0)           \
    X(paddw, "paddw", 0xfd, 0x66, 16, 0)           \
    X(paddd, "paddd", 0xfe, 0x66, 16, 0)           \
    X(paddq, "paddq", 0xd4, 0x66, 16, 0)           \
    X(psubb, "psubb", 0xf8, 0x66, 16, 0)           \
    X(psubw, "psubw", 0xf9, 0x66, 16, 0)           \
    X(psubd, "psubd", 0xfa, 0x66, 16, 0)           \
    X(psubq, "psubq", 0xfb, 0x66, 16, 0)           \
    X(pcmpeqb, "pcmpeqb", 0x74, 0x66, 16, 0)       \
    X(pcmpeqw, "pcmpeqw", 0x75, 0x66, 16, 0)       \
    X(pcmpeqd, "pcmpeqd", 0x76, 0x66, 16, 0)       \
    X(pcmpgtb, "pcmpgtb", 0x64, 0x66, 16, 0)       \
    X(pcmpgtw, "pcmpgtw", 0x65, 0x66, 16, 0)       \
    X(pcmpgtd, "pcmpgtd", 0x66, 0x66, 16, 0)       \
    X(cvtps2pd, "cvtps2pd", 0x5a, 0, 8, 0)         \
    X(cvtpd2ps, "cvtpd2ps", 0x5a, 0x66, 16, 0)     \
    X(cvtss2sd, "cvtss2sd", 0x5a, 0xf3, 4, 0)      \
    X(cvtsd2ss, "cvtsd2ss", 0x5a, 0xf2, 8, 0)      \
    X(cvtdq2ps, "cvtdq2ps", 0x5b, 0, 16, 0)        \
    X(cvtps2dq, "cvtps2dq", 0x5b, 0x66, 16, 0)     \
    X(cvttps2dq, "cvttps2dq", 0x5b, 0xf3, 16, 0)   \
    X(cvtdq2pd, "cvtdq2pd", 0xe6, 0xf3, 8, 0)      \
    X(cvtpd2dq, "cvtpd2dq", 0xe6, 0xf2, 16, 0)     \
    X(cvttpd2dq, "cvttpd2dq", 0xe6, 0x66, 16, 0)   \
    X(rsqrtps, "rsqrtps", 0x52, 0, 16, 0)          \
    X(rsqrtss, "rsqrtss", 0x52, 0xf3, 4, 0)        \
    X(rcpps, "rcpps", 0x53, 0, 16, 0)              \
    X(rcpss, "rcpss", 0x53, 0xf3, 4, 0)            \
    X(unpcklps, "unpcklps", 0x14, 0, 16, 0)        \
    X(unpcklpd, "unpcklpd", 0x14, 0x66, 16, 0)     \
    X(unpckhps, "unpckhps", 0x15, 0, 16, 0)        \
    X(unpckhpd, "unpckhpd", 0x15, 0x66, 16, 0)     \
    X(punpcklbw, "punpcklbw", 0x60, 0x66, 16, 0)   \
    X(punpcklwd, "punpcklwd", 0x61, 0x66, 16, 0)   \
    X(punpckldq, "punpckldq", 0x62, 0x66, 16, 0)   \
    X(packsswb, "packsswb", 0x63, 0x66, 16, 0)     \
    X(packuswb, "packuswb", 0x67, 0x66, 16, 0)     \
    X(punpckhbw, "punpckhbw", 0x68, 0x66, 16, 0)   \
    X(punpckhwd, "punpckhwd", 0x69, 0x66, 16, 0)   \
    X(punpckhdq, "punpckhdq", 0x6a, 0x66, 16, 0)   \
    X(packssdw, "packssdw", 0x6b, 0x66, 16, 0)     \
    X(punpcklqdq, "punpcklqdq", 0x6c, 0x66, 16, 0) \
    X(punpckhqdq, "punpckhqdq", 0x6d, 0x66, 16, 0) \
    X(psrlw, "psrlw", 0xd1, 0x66, 16, 0)           \
    X(psrld, "psrld", 0xd2, 0x66, 16, 0)           \
    X(psrlq, "psrlq", 0xd3, 0x66, 16, 0)           \
    X(psraw, "psraw", 0xe1, 0x66, 16, 0)           \
    X(psrad, "psrad", 0xe2, 0x66, 16, 0)           \
    X(psllw, "psllw", 0xf1, 0x66, 16, 0)           \
    X(pslld, "pslld", 0xf2, 0x66, 16, 0)           \
    X(psllq, "psllq", 0xf3, 0x66, 16, 0)           \
    X(pmullw, "pmullw", 0xd5, 0x66, 16, 0)         \
    X(psubusb, "psubusb", 0xd8, 0x66, 16, 0)       \
    X(psubusw, "psubusw", 0xd9, 0x66, 16, 0)       \
    X(pminub, "pminub", 0xda, 0x66, 16, 0)         \
    X(paddusb, "paddusb", 0xdc, 0x66, 16, 0)       \
    X(paddusw, "paddusw", 0xdd, 0x66, 16, 0)       \
    X(pmaxub, "pmaxub", 0xde, 0x66, 16, 0)         \
    X(pavgb, "pavgb", 0xe0, 0x66, 16, 0)           \
    X(pavgw, "pavgw", 0xe3, 0x66, 16, 0)           \
    X(pmulhuw, "pmulhuw", 0xe4, 0x66, 16, 0)       \
    X(pmulhw, "pmulhw", 0xe5, 0x66, 16, 0)         \
    X(psubsb, "psubsb", 0xe8, 0x66, 16, 0)         \
    X(psubsw, "psubsw", 0xe9, 0x66, 16, 0)         \
    X(pminsw, "pminsw", 0xea, 0x66, 16, 0)         \
    X(paddsb, "paddsb", 0xec, 0x66, 16, 0)         \
    X(paddsw, "paddsw", 0xed, 0x66, 16, 0)         \
    X(pmaxsw, "pmaxsw", 0xee, 0x66, 16, 0)         \
    X(pmuludq, "pmuludq", 0xf4, 0x66, 16, 0)       \
    X(pmaddwd, "pmaddwd", 0xf5, 0x66, 16, 0)       \
    X(psadbw, "psadbw", 0xf6, 0x66, 16, 0)         \
    X(addsubps, "addsubps", 0xd0, 0xf2, 16, 0)     \
    X(addsubpd, "addsubpd", 0xd0, 0x66, 16, 0)     \
    X(haddps, "haddps", 0x7c, 0xf2, 16, 0)         \
    X(haddpd, "haddpd", 0x7c, 0x66, 16, 0)         \
    X(hsubps, "hsubps", 0x7d, 0xf2, 16, 0)         \
    X(hsubpd, "hsubpd", 0x7d, 0x66, 16, 0)         \
    X(lddqu, "lddqu", 0xf0, 0xf2, 16, 0)

/* The 0F 38 map, all 66-prefixed (SSSE3, SSE4.1, SSE4.2): name,
 * instruction, opcode, memory bytes, sets RFLAGS (PTEST: ZF, CF). */
#define SIMD_OPS_38(X)                       \
    X(pshufb, "pshufb", 0x00, 16, 0)         \
    X(phaddw, "phaddw", 0x01, 16, 0)         \
    X(phaddd, "phaddd", 0x02, 16, 0)         \
    X(phaddsw, "phaddsw", 0x03, 16, 0)       \
    X(pmaddubsw, "pmaddubsw", 0x04, 16, 0)   \
    X(phsubw, "phsubw", 0x05, 16, 0)         \
    X(phsubd, "phsubd", 0x06, 16, 0)         \
    X(phsubsw, "phsubsw", 0x07, 16, 0)       \
    X(psignb, "psignb", 0x08, 16, 0)         \
    X(psignw, "psignw", 0x09, 16, 0)         \
    X(psignd, "psignd", 0x0a, 16, 0)         \
    X(pmulhrsw, "pmulhrsw", 0x0b, 16, 0)     \
    X(pabsb, "pabsb", 0x1c, 16, 0)           \
    X(pabsw, "pabsw", 0x1d, 16, 0)           \
    X(pabsd, "pabsd", 0x1e, 16, 0)           \
    X(pmovsxbw, "pmovsxbw", 0x20, 8, 0)      \
    X(pmovsxbd, "pmovsxbd", 0x21, 4, 0)      \
    X(pmovsxbq, "pmovsxbq", 0x22, 2, 0)      \
    X(pmovsxwd, "pmovsxwd", 0x23, 8, 0)      \
    X(pmovsxwq, "pmovsxwq", 0x24, 4, 0)      \
    X(pmovsxdq, "pmovsxdq", 0x25, 8, 0)      \
    X(pmuldq, "pmuldq", 0x28, 16, 0)         \
    X(pcmpeqq, "pcmpeqq", 0x29, 16, 0)       \
    X(movntdqa, "movntdqa", 0x2a, 16, 0)     \
    X(packusdw, "packusdw", 0x2b, 16, 0)     \
    X(pmovzxbw, "pmovzxbw", 0x30, 8, 0)      \
    X(pmovzxbd, "pmovzxbd", 0x31, 4, 0)      \
    X(pmovzxbq, "pmovzxbq", 0x32, 2, 0)      \
    X(pmovzxwd, "pmovzxwd", 0x33, 8, 0)      \
    X(pmovzxwq, "pmovzxwq", 0x34, 4, 0)      \
    X(pmovzxdq, "pmovzxdq", 0x35, 8, 0)      \
    X(pcmpgtq, "pcmpgtq", 0x37, 16, 0)       \
    X(pminsb, "pminsb", 0x38, 16, 0)         \
    X(pminsd, "pminsd", 0x39, 16, 0)         \
    X(pminuw, "pminuw", 0x3a, 16, 0)         \
    X(pminud, "pminud", 0x3b, 16, 0)         \
    X(pmaxsb, "pmaxsb", 0x3c, 16, 0)         \
    X(pmaxsd, "pmaxsd", 0x3d, 16, 0)         \
    X(pmaxuw, "pmaxuw", 0x3e, 16, 0)         \
    X(pmaxud, "pmaxud", 0x3f, 16, 0)         \
    X(pmulld, "pmulld", 0x40, 16, 0)         \
    X(phminposuw, "phminposuw", 0x41, 16, 0) \
    X(ptest, "ptest", 0x17, 16, 1)

/* CMPPS/CMPPD/CMPSS/CMPSD: one stub per predicate (imm8 bits 2:0; the
 * legacy encoding ignores the others). */
#define SIMD_CMP(X)                   \
    X(cmpps, "cmpps", 0xc2, 0, 16)    \
    X(cmppd, "cmppd", 0xc2, 0x66, 16) \
    X(cmpss, "cmpss", 0xc2, 0xf3, 4)  \
    X(cmpsd, "cmpsd", 0xc2, 0xf2, 8)

#define CMP_PREDS(X, name, insn, op, pfx, size) \
    X(name, insn, op, pfx, size, 0)             \
    X(name, insn, op, pfx, size, 1)             \
    X(name, insn, op, pfx, size, 2)             \
    X(name, insn, op, pfx, size, 3)             \
    X(name, insn, op, pfx, size, 4)             \
    X(name, insn, op, pfx, size, 5)             \
    X(name, insn, op, pfx, size, 6)             \
    X(name, insn, op, pfx, size, 7)

/* ROUNDPS/PD/SS/SD (66 0F 3A 08-0B): one stub per imm8 bits 3:0
 * (rounding mode, MXCSR.RC, precision exception suppressed). */
#define SIMD_ROUND(X)                     \
    X(roundps, "roundps", 0x08, 0x66, 16) \
    X(roundpd, "roundpd", 0x09, 0x66, 16) \
    X(roundss, "roundss", 0x0a, 0x66, 4)  \
    X(roundsd, "roundsd", 0x0b, 0x66, 8)

#define ROUND_IMMS(X, name, insn, op, pfx, size) \
    CMP_PREDS(X, name, insn, op, pfx, size)      \
    X(name, insn, op, pfx, size, 8)              \
    X(name, insn, op, pfx, size, 9)              \
    X(name, insn, op, pfx, size, 10)             \
    X(name, insn, op, pfx, size, 11)             \
    X(name, insn, op, pfx, size, 12)             \
    X(name, insn, op, pfx, size, 13)             \
    X(name, insn, op, pfx, size, 14)             \
    X(name, insn, op, pfx, size, 15)

/* CVTSI2SS/CVTSI2SD from a 32-bit (l) or, with REX.W, 64-bit (q) integer. */
#define SIMD_CVTSI(X)                           \
    X(cvtsi2ssl, "cvtsi2ssl", 0x2a, 0xf3, 4, 0) \
    X(cvtsi2ssq, "cvtsi2ssq", 0x2a, 0xf3, 8, 1) \
    X(cvtsi2sdl, "cvtsi2sdl", 0x2a, 0xf2, 4, 0) \
    X(cvtsi2sdq, "cvtsi2sdq", 0x2a, 0xf2, 8, 1)

#define X_STUB(name, insn, op, pfx, size, cmp) SIMD_STUB(run_##name, insn)
SIMD_OPS(X_STUB)
SIMD_CVTSI(X_STUB)
#define X_STUB38(name, insn, op, size, cmp) SIMD_STUB(run_##name, insn)
SIMD_OPS_38(X_STUB38)
#define X_STUBP(name, insn, op, pfx, size, pred) SIMD_STUB(run_##name##_##pred, insn " $" #pred ",")
#define X_STUBC(name, insn, op, pfx, size)       CMP_PREDS(X_STUBP, name, insn, op, pfx, size)
SIMD_CMP(X_STUBC)
#define X_STUBR(name, insn, op, pfx, size) ROUND_IMMS(X_STUBP, name, insn, op, pfx, size)
SIMD_ROUND(X_STUBR)

/* imm: the value of imm8 & imask it is for, or -1; rexw: REX.W it
 * needs, or -1 for either. */
struct simd_op
{
    uint8_t map, opcode, pfx, size, imask;
    int8_t imm, rexw;
    bool cmp;
    void (*run)(struct simd_io *io);
};

#define X_ENTRY(name, insn, op, pfx, size, cmp) \
    { X86_MAP_0F, op, pfx, size, 0, -1, -1, cmp, run_##name },
#define X_ENTRY38(name, insn, op, size, cmp) \
    { X86_MAP_0F38, op, 0x66, size, 0, -1, -1, cmp, run_##name },
#define X_ENTRYW(name, insn, op, pfx, size, w) \
    { X86_MAP_0F, op, pfx, size, 0, -1, w, false, run_##name },
#define X_ENTRYP(name, insn, op, pfx, size, pred) \
    { X86_MAP_0F, op, pfx, size, 7, pred, -1, false, run_##name##_##pred },
#define X_ENTRYC(name, insn, op, pfx, size) CMP_PREDS(X_ENTRYP, name, insn, op, pfx, size)
#define X_ENTRYI(name, insn, op, pfx, size, imm) \
    { X86_MAP_0F3A, op, pfx, size, 15, imm, -1, false, run_##name##_##imm },
#define X_ENTRYR(name, insn, op, pfx, size) ROUND_IMMS(X_ENTRYI, name, insn, op, pfx, size)
static const struct simd_op simd_ops[] = { SIMD_OPS(X_ENTRY) SIMD_OPS_38(X_ENTRY38) SIMD_CVTSI(
    X_ENTRYW) SIMD_CMP(X_ENTRYC) SIMD_ROUND(X_ENTRYR) };

/* The mandatory prefix in effect: the last F2/F3, else 66, else 0. */
static unsigned int prefix(const struct x86_insn *i)
{
    if ( i->rep )
        return i->rep;
    return i->opsize_prefix ? 0x66 : 0;
}

static bool matches(const struct simd_op *op, const struct x86_insn *i, unsigned int pfx)
{
    bool w = i->rex & 8;

    return op->map == i->map && op->opcode == i->opcode && op->pfx == pfx &&
           (op->imm < 0 || op->imm == (i->imm & op->imask)) && (op->rexw < 0 || op->rexw == w);
}

static const struct simd_op *find_op(const struct x86_insn *i)
{
    unsigned int pfx = prefix(i);

    for ( unsigned int n = 0; n < ARRAY_SIZE(simd_ops); n++ )
        if ( matches(&simd_ops[n], i, pfx) )
            return &simd_ops[n];
    return NULL;
}

/* size (up to 16) bytes at the operand plus off. */
static int read_src_off(struct emul_ctx *c, unsigned int off, unsigned int size, uint8_t src[16])
{
    uint64_t ea = emul_ea(c) + off, lo = 0, hi = 0;
    int rc = emul_read(c, ea, MIN(size, 8u), &lo);

    if ( !rc && size > 8 )
        rc = emul_read(c, ea + 8, 8, &hi);
    memcpy(src, &lo, 8);
    memcpy(src + 8, &hi, 8);
    return rc;
}

static int read_src(struct emul_ctx *c, unsigned int size, uint8_t src[16])
{
    return read_src_off(c, 0, size, src);
}

static int read_src_at(struct emul_ctx *c, unsigned int off, uint8_t src[16])
{
    return read_src_off(c, off, 16, src);
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

/*
 * The shuffles whose imm8 picks elements (256 values each, too many for
 * one stub per immediate) are plain data movement with no flags and no
 * exceptions, so they are done here: PSHUFD/PSHUFHW/PSHUFLW (0F 70),
 * SHUFPS/SHUFPD (0F C6) and PALIGNR (66 0F 3A 0F).
 */
static void pick_dwords(uint32_t d[4], const uint32_t a[4], const uint32_t b[4], unsigned int imm)
{
    for ( unsigned int n = 0; n < 4; n++ )
        d[n] = (n < 2 ? a : b)[(imm >> (2 * n)) & 3];
}

static void pick_words(uint16_t d[4], const uint16_t s[4], unsigned int imm)
{
    for ( unsigned int n = 0; n < 4; n++ )
        d[n] = s[(imm >> (2 * n)) & 3];
}

static void palignr(uint8_t d[16], const uint8_t src[16], unsigned int imm)
{
    uint8_t both[32];

    memcpy(both, src, 16);
    memcpy(both + 16, d, 16);
    for ( unsigned int n = 0; n < 16; n++ )
        d[n] = n + imm < 32 ? both[n + imm] : 0;
}

/* BLENDPS/BLENDPD/PBLENDW: element n of size bytes from s where imm8
 * bit n is set. */
static void blend(uint8_t d[16], const uint8_t s[16], unsigned int size, unsigned int imm)
{
    for ( unsigned int n = 0; n < 16 / size; n++ )
        if ( imm & (1u << n) )
            memcpy(d + n * size, s + n * size, size);
}

static bool is_shuffle(const struct x86_insn *i)
{
    unsigned int pfx = prefix(i);

    if ( i->map == X86_MAP_0F3A )
        return i->opcode >= 0x0c && i->opcode <= 0x0f && pfx == 0x66;
    if ( i->map != X86_MAP_0F )
        return false;
    if ( i->opcode == 0xc6 )
        return !pfx || pfx == 0x66;
    return i->opcode == 0x70 && pfx; /* not PSHUFW (MMX) */
}

static void shuffle(const struct x86_insn *i, uint8_t d[16], const uint8_t s[16])
{
    unsigned int pfx = prefix(i), imm = i->imm & 0xff, hi = pfx == 0xf3 ? 4 : 0;
    uint32_t a[4], b[4], out[4];
    uint64_t qa[2], qb[2];

    memcpy(a, d, 16);
    memcpy(b, s, 16);
    memcpy(qa, d, 16);
    memcpy(qb, s, 16);
    if ( i->map == X86_MAP_0F3A && i->opcode == 0x0f )
        return palignr(d, s, imm);
    if ( i->map == X86_MAP_0F3A ) /* BLENDPS 0C, BLENDPD 0D, PBLENDW 0E */
        return blend(d, s, i->opcode == 0x0c ? 4 : i->opcode == 0x0d ? 8 : 2, imm);
    if ( i->opcode == 0xc6 && pfx == 0x66 ) /* SHUFPD */
    {
        qa[0] = qa[imm & 1];
        qa[1] = qb[(imm >> 1) & 1];
        memcpy(d, qa, 16);
        return;
    }
    if ( i->opcode == 0xc6 ) /* SHUFPS */
        pick_dwords(out, a, b, imm);
    else if ( pfx == 0x66 ) /* PSHUFD */
        pick_dwords(out, b, b, imm);
    else /* PSHUFHW (F3), PSHUFLW (F2) */
    {
        memcpy(out, s, 16);
        pick_words((uint16_t *)out + hi, (const uint16_t *)s + hi, imm);
    }
    memcpy(d, out, 16);
}

static int emul_shuffle(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    uint8_t src[16], dst[16];
    int rc;

    if ( !i->has_mem || !is_shuffle(i) )
        return -EOPNOTSUPP;
    rc = read_src(c, 16, src);
    if ( rc )
        return rc;
    fpu_read_xmm(c->v, i->reg, dst);
    shuffle(i, dst, src);
    fpu_write_xmm(c->v, i->reg, dst);
    return 0;
}

/* ---- MMX-register forms ------------------------------------------------- */

/*
 * The no-prefix integer forms on MMX registers (and SSSE3's, 0F 38). The
 * same instruction runs here on MM0 holding the guest's destination,
 * between an FXSAVE and FXRSTOR of the live state, so no other x87
 * register changes; the result is written with fpu_write_mm, which also
 * makes the x87-to-MMX transition (TOP 0, every tag valid) the guest's
 * own MMX instruction makes. These raise no SIMD exceptions; an x87
 * exception already pending is #MF, as on the CPU.
 */
struct mmx_io
{
    uint8_t env[512] __attribute__((aligned(16)));
    uint8_t src[8], dst[8];
};

#define MMX_STUB(name, insn)                                            \
    static void name(struct mmx_io *io)                                 \
    {                                                                   \
        asm volatile("fxsave64 %[env]\n\t"                              \
                     "movq %[dst], %%mm0\n\t" insn " %[src], %%mm0\n\t" \
                     "movq %%mm0, %[dst]\n\t"                           \
                     "fxrstor64 %[env]"                                 \
                     : [env] "+m"(io->env), [dst] "+m"(io->dst)         \
                     : [src] "m"(io->src));                             \
    }

/* name, instruction, map, opcode, memory bytes (PUNPCKL*: 4) */
#define MMX_OPS(X)                                   \
    X(punpcklbw, "punpcklbw", X86_MAP_0F, 0x60, 4)   \
    X(punpcklwd, "punpcklwd", X86_MAP_0F, 0x61, 4)   \
    X(punpckldq, "punpckldq", X86_MAP_0F, 0x62, 4)   \
    X(packsswb, "packsswb", X86_MAP_0F, 0x63, 8)     \
    X(pcmpgtb, "pcmpgtb", X86_MAP_0F, 0x64, 8)       \
    X(pcmpgtw, "pcmpgtw", X86_MAP_0F, 0x65, 8)       \
    X(pcmpgtd, "pcmpgtd", X86_MAP_0F, 0x66, 8)       \
    X(packuswb, "packuswb", X86_MAP_0F, 0x67, 8)     \
    X(punpckhbw, "punpckhbw", X86_MAP_0F, 0x68, 8)   \
    X(punpckhwd, "punpckhwd", X86_MAP_0F, 0x69, 8)   \
    X(punpckhdq, "punpckhdq", X86_MAP_0F, 0x6a, 8)   \
    X(packssdw, "packssdw", X86_MAP_0F, 0x6b, 8)     \
    X(pcmpeqb, "pcmpeqb", X86_MAP_0F, 0x74, 8)       \
    X(pcmpeqw, "pcmpeqw", X86_MAP_0F, 0x75, 8)       \
    X(pcmpeqd, "pcmpeqd", X86_MAP_0F, 0x76, 8)       \
    X(psrlw, "psrlw", X86_MAP_0F, 0xd1, 8)           \
    X(psrld, "psrld", X86_MAP_0F, 0xd2, 8)           \
    X(psrlq, "psrlq", X86_MAP_0F, 0xd3, 8)           \
    X(paddq, "paddq", X86_MAP_0F, 0xd4, 8)           \
    X(pmullw, "pmullw", X86_MAP_0F, 0xd5, 8)         \
    X(psubusb, "psubusb", X86_MAP_0F, 0xd8, 8)       \
    X(psubusw, "psubusw", X86_MAP_0F, 0xd9, 8)       \
    X(pminub, "pminub", X86_MAP_0F, 0xda, 8)         \
    X(pand, "pand", X86_MAP_0F, 0xdb, 8)             \
    X(paddusb, "paddusb", X86_MAP_0F, 0xdc, 8)       \
    X(paddusw, "paddusw", X86_MAP_0F, 0xdd, 8)       \
    X(pmaxub, "pmaxub", X86_MAP_0F, 0xde, 8)         \
    X(pandn, "pandn", X86_MAP_0F, 0xdf, 8)           \
    X(pavgb, "pavgb", X86_MAP_0F, 0xe0, 8)           \
    X(psraw, "psraw", X86_MAP_0F, 0xe1, 8)           \
    X(psrad, "psrad", X86_MAP_0F, 0xe2, 8)           \
    X(pavgw, "pavgw", X86_MAP_0F, 0xe3, 8)           \
    X(pmulhuw, "pmulhuw", X86_MAP_0F, 0xe4, 8)       \
    X(pmulhw, "pmulhw", X86_MAP_0F, 0xe5, 8)         \
    X(psubsb, "psubsb", X86_MAP_0F, 0xe8, 8)         \
    X(psubsw, "psubsw", X86_MAP_0F, 0xe9, 8)         \
    X(pminsw, "pminsw", X86_MAP_0F, 0xea, 8)         \
    X(por, "por", X86_MAP_0F, 0xeb, 8)               \
    X(paddsb, "paddsb", X86_MAP_0F, 0xec, 8)         \
    X(paddsw, "paddsw", X86_MAP_0F, 0xed, 8)         \
    X(pmaxsw, "pmaxsw", X86_MAP_0F, 0xee, 8)         \
    X(pxor, "pxor", X86_MAP_0F, 0xef, 8)             \
    X(psllw, "psllw", X86_MAP_0F, 0xf1, 8)           \
    X(pslld, "pslld", X86_MAP_0F, 0xf2, 8)           \
    X(psllq, "psllq", X86_MAP_0F, 0xf3, 8)           \
    X(pmuludq, "pmuludq", X86_MAP_0F, 0xf4, 8)       \
    X(pmaddwd, "pmaddwd", X86_MAP_0F, 0xf5, 8)       \
    X(psadbw, "psadbw", X86_MAP_0F, 0xf6, 8)         \
    X(psubb, "psubb", X86_MAP_0F, 0xf8, 8)           \
    X(psubw, "psubw", X86_MAP_0F, 0xf9, 8)           \
    X(psubd, "psubd", X86_MAP_0F, 0xfa, 8)           \
    X(psubq, "psubq", X86_MAP_0F, 0xfb, 8)           \
    X(paddb, "paddb", X86_MAP_0F, 0xfc, 8)           \
    X(paddw, "paddw", X86_MAP_0F, 0xfd, 8)           \
    X(paddd, "paddd", X86_MAP_0F, 0xfe, 8)           \
    X(pshufb, "pshufb", X86_MAP_0F38, 0x00, 8)       \
    X(phaddw, "phaddw", X86_MAP_0F38, 0x01, 8)       \
    X(phaddd, "phaddd", X86_MAP_0F38, 0x02, 8)       \
    X(phaddsw, "phaddsw", X86_MAP_0F38, 0x03, 8)     \
    X(pmaddubsw, "pmaddubsw", X86_MAP_0F38, 0x04, 8) \
    X(phsubw, "phsubw", X86_MAP_0F38, 0x05, 8)       \
    X(phsubd, "phsubd", X86_MAP_0F38, 0x06, 8)       \
    X(phsubsw, "phsubsw", X86_MAP_0F38, 0x07, 8)     \
    X(psignb, "psignb", X86_MAP_0F38, 0x08, 8)       \
    X(psignw, "psignw", X86_MAP_0F38, 0x09, 8)       \
    X(psignd, "psignd", X86_MAP_0F38, 0x0a, 8)       \
    X(pmulhrsw, "pmulhrsw", X86_MAP_0F38, 0x0b, 8)   \
    X(pabsb, "pabsb", X86_MAP_0F38, 0x1c, 8)         \
    X(pabsw, "pabsw", X86_MAP_0F38, 0x1d, 8)         \
    X(pabsd, "pabsd", X86_MAP_0F38, 0x1e, 8)

#define X_MSTUB(name, insn, map, op, size) MMX_STUB(run_mmx_##name, insn)
MMX_OPS(X_MSTUB)

struct mmx_op
{
    uint8_t map, opcode, size;
    void (*run)(struct mmx_io *io);
};

#define X_MENTRY(name, insn, map, op, size) { map, op, size, run_mmx_##name },
static const struct mmx_op mmx_ops[] = { MMX_OPS(X_MENTRY) };

#define FSW_ES     0x80u
#define X86_EXC_MF 16

static uint16_t read_fsw(void)
{
    uint16_t fsw;

    asm volatile("fnstsw %0" : "=m"(fsw));
    return fsw;
}

static const struct mmx_op *find_mmx(const struct x86_insn *i)
{
    for ( unsigned int n = 0; n < ARRAY_SIZE(mmx_ops) && !prefix(i); n++ )
        if ( mmx_ops[n].map == i->map && mmx_ops[n].opcode == i->opcode )
            return &mmx_ops[n];
    return NULL;
}

static int emul_mmx(struct emul_ctx *c, const struct mmx_op *op)
{
    const struct x86_insn *i = &c->insn;
    struct mmx_io io = { 0 };
    uint8_t src[16];
    int rc;

    if ( read_fsw() & FSW_ES )
        return emul_raise(c, X86_EXC_MF, -1);
    rc = read_src_off(c, 0, op->size, src);
    if ( rc )
        return rc;
    memcpy(io.src, src, 8);
    fpu_read_mm(c->v, i->reg & 7, io.dst); /* MMn: REX.R is ignored */
    op->run(&io);
    fpu_write_mm(c->v, i->reg & 7, io.dst);
    return 0;
}

/*
 * CVT(T)SS2SI and CVT(T)SD2SI (F3/F2 0F 2D/2C) into a general register,
 * 32-bit or (REX.W / VEX.W) 64-bit: run on the CPU under the guest's
 * MXCSR, all exceptions masked, like the table's forms; an unmasked one
 * is #XM with the register untouched.
 */
struct cvt_io
{
    uint8_t src[8];
    uint32_t run_csr, out_csr, old_csr;
    uint64_t gpr;
};

#define CVT_STUB(name, text)                                                                \
    static void run_##name(struct cvt_io *io)                                               \
    {                                                                                       \
        asm volatile("ldmxcsr %[run]\n\t" text "\n\t"                                       \
                     "stmxcsr %[out]\n\t"                                                   \
                     "ldmxcsr %[old]"                                                       \
                     : [gpr] "=&r"(io->gpr), [out] "=m"(io->out_csr)                        \
                     : [src] "m"(io->src), [run] "m"(io->run_csr), [old] "m"(io->old_csr)); \
    }

CVT_STUB(cvt_ss_l, "cvtss2si %[src], %k[gpr]")
CVT_STUB(cvt_ss_q, "cvtss2si %[src], %q[gpr]")
CVT_STUB(cvtt_ss_l, "cvttss2si %[src], %k[gpr]")
CVT_STUB(cvtt_ss_q, "cvttss2si %[src], %q[gpr]")
CVT_STUB(cvt_sd_l, "cvtsd2si %[src], %k[gpr]")
CVT_STUB(cvt_sd_q, "cvtsd2si %[src], %q[gpr]")
CVT_STUB(cvtt_sd_l, "cvttsd2si %[src], %k[gpr]")
CVT_STUB(cvtt_sd_q, "cvttsd2si %[src], %q[gpr]")

/* [sd][truncating][64-bit] */
static void (*const cvt_stubs[2][2][2])(struct cvt_io *) = {
    { { run_cvt_ss_l, run_cvt_ss_q }, { run_cvtt_ss_l, run_cvtt_ss_q } },
    { { run_cvt_sd_l, run_cvt_sd_q }, { run_cvtt_sd_l, run_cvtt_sd_q } },
};

static bool is_cvt2si(const struct x86_insn *i)
{
    unsigned int pfx = prefix(i);

    return i->map == X86_MAP_0F && (i->opcode == 0x2c || i->opcode == 0x2d) &&
           (pfx == 0xf3 || pfx == 0xf2);
}

static int emul_cvt2si(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    bool sd = prefix(i) == 0xf2, w = i->rex & 8;
    struct cvt_io io = { 0 };
    uint8_t src[16];
    uint32_t flags;
    int rc = read_src(c, sd ? 8 : 4, src);

    if ( rc )
        return rc;
    memcpy(io.src, src, 8);
    io.old_csr = read_mxcsr();
    io.run_csr = (io.old_csr & ~MXCSR_FLAGS) | MXCSR_MASKS;
    cvt_stubs[sd][i->opcode == 0x2c][w](&io);
    flags = io.out_csr & MXCSR_FLAGS;
    if ( flags & ~(io.old_csr >> 7) & MXCSR_FLAGS )
        return simd_exception(c, io.old_csr, flags);
    write_mxcsr(io.old_csr | flags);
    emul_set_gpr(c, i->reg, w ? 8 : 4, io.gpr);
    return 0;
}

/*
 * The element inserts and extracts with a memory operand: PINSRW (66 0F
 * C4), PINSRB/INSERTPS/PINSRD/PINSRQ (66 0F 3A 20-22) load one element
 * into the lane imm8 picks (INSERTPS then clears the dwords imm8 bits
 * 3:0 name); PEXTRB/PEXTRW/PEXTRD/PEXTRQ/EXTRACTPS (66 0F 3A 14-17)
 * store one. Plain data movement, done here in C.
 */
struct lane_form
{
    unsigned int size, off;
    bool store;
};

static bool lane_form(const struct x86_insn *i, struct lane_form *f)
{
    unsigned int imm = i->imm & 0xff, w = i->rex & 8 ? 8 : 4;
    unsigned int wide = w == 8 ? (imm & 1) * 8 : (imm & 3) * 4;

    if ( prefix(i) != 0x66 )
        return false;
    if ( i->map == X86_MAP_0F && i->opcode == 0xc4 )
        *f = (struct lane_form){ 2, (imm & 7) * 2, false };
    else if ( i->map != X86_MAP_0F3A )
        return false;
    else if ( i->opcode == 0x20 || i->opcode == 0x14 )
        *f = (struct lane_form){ 1, imm & 15, i->opcode == 0x14 };
    else if ( i->opcode == 0x15 )
        *f = (struct lane_form){ 2, (imm & 7) * 2, true };
    else if ( i->opcode == 0x21 )
        *f = (struct lane_form){ 4, ((imm >> 4) & 3) * 4, false };
    else if ( i->opcode == 0x22 || i->opcode == 0x16 )
        *f = (struct lane_form){ w, wide, i->opcode == 0x16 };
    else if ( i->opcode == 0x17 )
        *f = (struct lane_form){ 4, (imm & 3) * 4, true };
    else
        return false;
    return true;
}

/* VEX: the inserts take the other elements from vvvv and clear bits
 * 255:128 (VEX.128 only; VEX.256 is #UD before any access). */
static int emul_lane(struct emul_ctx *c, const struct lane_form *f)
{
    const struct x86_insn *i = &c->insn;
    uint8_t xmm[16], zero[16] = { 0 };
    uint64_t val = 0;
    int rc;

    if ( f->store )
    {
        fpu_read_xmm(c->v, i->reg, xmm);
        memcpy(&val, xmm + f->off, f->size);
        return emul_write(c, emul_ea(c), f->size, val);
    }
    rc = emul_read(c, emul_ea(c), f->size, &val);
    if ( rc )
        return rc;
    fpu_read_xmm(c->v, i->vex ? i->vex_vvvv : i->reg, xmm);
    memcpy(xmm + f->off, &val, f->size);
    for ( unsigned int n = 0; i->opcode == 0x21 && n < 4; n++ )
        if ( i->imm & (1u << n) )
            memset(xmm + 4 * n, 0, 4);
    fpu_write_xmm(c->v, i->reg, xmm);
    if ( i->vex )
        fpu_write_ymm_hi(c->v, i->reg, zero);
    return 0;
}

/*
 * PBLENDVB, BLENDVPS, BLENDVPD (66 0F 38 10, 14, 15): each byte, dword or
 * qword from the source where the top bit of the same element of XMM0
 * (the guest's, the implicit mask) is set. Plain data movement, in C.
 */
static unsigned int blendv_size(const struct x86_insn *i)
{
    if ( i->map != X86_MAP_0F38 || prefix(i) != 0x66 )
        return 0;
    return i->opcode == 0x10 ? 1 : i->opcode == 0x14 ? 4 : i->opcode == 0x15 ? 8 : 0;
}

static int emul_blendv(struct emul_ctx *c, unsigned int size)
{
    const struct x86_insn *i = &c->insn;
    uint8_t src[16], dst[16], mask[16];
    int rc = read_src(c, 16, src);

    if ( rc )
        return rc;
    fpu_read_xmm(c->v, 0, mask);
    fpu_read_xmm(c->v, i->reg, dst);
    for ( unsigned int n = 0; n < 16; n += size )
        if ( mask[n + size - 1] & 0x80 )
            memcpy(dst + n, src + n, size);
    fpu_write_xmm(c->v, i->reg, dst);
    return 0;
}

int emul_simd(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    const struct simd_op *op = i->has_mem ? find_op(i) : NULL;
    struct simd_io io = { 0 };
    uint32_t flags;
    struct lane_form lane;
    int rc;

    if ( !op && i->has_mem && is_cvt2si(i) )
        return emul_cvt2si(c);
    if ( !op && i->has_mem && lane_form(i, &lane) )
        return emul_lane(c, &lane);
    if ( !op && i->has_mem && blendv_size(i) )
        return emul_blendv(c, blendv_size(i));
    if ( !op && i->has_mem && find_mmx(i) )
        return emul_mmx(c, find_mmx(i));
    if ( !op )
        return emul_shuffle(c);
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

/* ---- VEX forms ----------------------------------------------------------- */

/*
 * A VEX form is run as its legacy form on XMM0 holding the first source
 * (the vvvv register; 1111 for the one-source forms, whose result does
 * not depend on it, and the scalar forms' upper bits come from it, as
 * VEX says). VEX.256 runs it once per 128-bit lane, so only the forms
 * that work lane by lane are taken at 256 bits; the result then goes to
 * ModRM.reg with bits 255:128 cleared by a VEX.128 form.
 */

/* Scalar forms ignore VEX.L (LIG): ...SS/...SD arithmetic, CVTSI2SS/SD,
 * CVTSS2SD/CVTSD2SS, CMPSS/CMPSD, (U)COMISS/SD. */
static bool vex_scalar(const struct x86_insn *i)
{
    unsigned int pfx = prefix(i), op = i->opcode;

    if ( i->map != X86_MAP_0F )
        return false;
    if ( op == 0x2e || op == 0x2f )
        return true;
    if ( pfx != 0xf3 && pfx != 0xf2 )
        return false;
    return op == 0x2a || op == 0xc2 ||
           (op >= 0x51 && op <= 0x5f && op != 0x5b && op != 0x54 && op != 0x55 && op != 0x56 &&
            op != 0x57);
}

/* Forms whose VEX.256 is not two independent 128-bit lanes: widening and
 * narrowing conversions, shifts by a 128-bit count, PMOVSX/ZX, PTEST,
 * PHMINPOSUW. */
static bool vex_cross_lane(const struct x86_insn *i)
{
    unsigned int op = i->opcode;

    if ( i->map == X86_MAP_0F38 )
        return (op >= 0x20 && op <= 0x25) || (op >= 0x30 && op <= 0x35) || op == 0x17 || op == 0x41;
    if ( i->map != X86_MAP_0F )
        return false;
    return op == 0x5a || op == 0xe6 || (op >= 0xd1 && op <= 0xd3) || op == 0xe1 || op == 0xe2 ||
           (op >= 0xf1 && op <= 0xf3);
}

static int vex_read(struct emul_ctx *c, unsigned int size, uint8_t src[32])
{
    int rc = read_src(c, MIN(size, 16u), src);

    return rc || size <= 16 ? rc : read_src_at(c, 16, src + 16);
}

/* Each lane's run; the flags of both; an unmasked one is #XM or #UD. */
static int vex_run(struct emul_ctx *c, const struct simd_op *op, struct simd_io io[2],
                   unsigned int lanes)
{
    uint32_t old = read_mxcsr(), flags = 0;

    for ( unsigned int n = 0; n < lanes; n++ )
    {
        io[n].old_csr = old;
        io[n].run_csr = (old & ~MXCSR_FLAGS) | MXCSR_MASKS;
        op->run(&io[n]);
        flags |= io[n].out_csr & MXCSR_FLAGS;
    }
    if ( flags & ~(old >> 7) & MXCSR_FLAGS )
        return simd_exception(c, old, flags);
    write_mxcsr(old | flags);
    return 0;
}

static int vex_table_op(struct emul_ctx *c, const struct simd_op *op, bool wide)
{
    const struct x86_insn *i = &c->insn;
    struct simd_io io[2] = { 0 };
    uint8_t src[32] = { 0 }, hi[16] = { 0 };
    int rc;

    if ( op->imask == 7 && (i->imm & 0xff) > 7 )
        return -EOPNOTSUPP; /* VEX predicates 8-31: no legacy stub */
    rc = vex_read(c, wide ? 32 : op->size, src);
    if ( rc )
        return rc;
    memcpy(io[0].src, src, 16);
    memcpy(io[1].src, src + 16, 16);
    /* (U)COMIS and PTEST compare ModRM.reg with memory: no vvvv */
    fpu_read_xmm(c->v, op->cmp ? i->reg : i->vex_vvvv, io[0].dst);
    fpu_read_ymm_hi(c->v, op->cmp ? i->reg : i->vex_vvvv, io[1].dst);
    rc = vex_run(c, op, io, wide ? 2 : 1);
    if ( rc || op->cmp )
    {
        if ( !rc )
            c->v->arch.regs.rflags = (c->v->arch.regs.rflags & ~FL_ARITH) | (io[0].rflags & FL_CMP);
        return rc;
    }
    if ( wide )
        memcpy(hi, io[1].dst, 16);
    fpu_write_xmm(c->v, i->reg, io[0].dst);
    fpu_write_ymm_hi(c->v, i->reg, hi);
    return 0;
}

/* VSHUFPD and VBLENDPD take two imm8 bits per lane, VBLENDPS four; the
 * other shuffles use the same imm8 in both lanes. */
static unsigned int high_lane_shift(const struct x86_insn *i)
{
    if ( i->map == X86_MAP_0F && i->opcode == 0xc6 )
        return prefix(i) == 0x66 ? 2 : 0; /* VSHUFPD; VSHUFPS: the same */
    if ( i->map == X86_MAP_0F3A && (i->opcode == 0x0c || i->opcode == 0x0d) )
        return i->opcode == 0x0c ? 4 : 2;
    return 0;
}

static int vex_shuffle(struct emul_ctx *c, bool wide)
{
    struct x86_insn lane = c->insn;
    uint8_t src[32] = { 0 }, lo[16], hi[16] = { 0 };
    int rc = vex_read(c, wide ? 32 : 16, src);

    if ( rc )
        return rc;
    fpu_read_xmm(c->v, lane.vex_vvvv, lo);
    shuffle(&lane, lo, src);
    if ( wide )
    {
        fpu_read_ymm_hi(c->v, lane.vex_vvvv, hi);
        lane.imm >>= high_lane_shift(&lane);
        shuffle(&lane, hi, src + 16);
    }
    fpu_write_xmm(c->v, lane.reg, lo);
    fpu_write_ymm_hi(c->v, lane.reg, hi);
    return 0;
}

int emul_simd_vex(struct emul_ctx *c)
{
    const struct x86_insn *i = &c->insn;
    const struct simd_op *op = i->has_mem ? find_op(i) : NULL;
    struct lane_form lane;
    bool wide = i->vex_l && !vex_scalar(i);

    if ( !i->vex || !i->has_mem || (wide && vex_cross_lane(i)) )
        return -EOPNOTSUPP;
    if ( lane_form(i, &lane) && !i->vex_l )
        return emul_lane(c, &lane);
    if ( is_cvt2si(i) )
        return emul_cvt2si(c); /* VCVT(T)SS2SI/SD2SI: no vvvv, VEX.L ignored */
    if ( op )
        return vex_table_op(c, op, wide);
    if ( is_shuffle(i) )
        return vex_shuffle(c, wide);
    return -EOPNOTSUPP;
}
