/*
 * xstate.h - XCR0, XSAVE images, CR4 and debug registers for tests of
 * per-vCPU CPU state (cpu-isolation, cpu-scribbler, cpu-faults). The
 * *_safe forms return an exinfo (see traps.h): 0 if nothing was raised.
 */
#ifndef XTF_XSTATE_H
#define XTF_XSTATE_H

#include <xtf/types.h>
#include <xtf/traps.h>
#include <xtf/x86.h>

#define X86_CR4_OSFXSR     (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_OSXSAVE    (1UL << 18)

#define XSTATE_X87    (1ULL << 0)
#define XSTATE_SSE    (1ULL << 1)
#define XSTATE_YMM    (1ULL << 2)
#define XSTATE_AVX512 (7ULL << 5) /* opmask, ZMM_Hi256, Hi16_ZMM */

#define XSAVE_XMM_OFFSET 160 /* XMM0-15 in the legacy region */
#define XSAVE_XMM_SIZE   256
#define XSAVE_HDR_OFFSET 512 /* XSTATE_BV */
#define XSAVE_MAX        4096

#define CPUID1_ECX_XSAVE   (1U << 26)
#define CPUID1_ECX_OSXSAVE (1U << 27)
#define CPUID81_EDX_RDTSCP (1U << 27)

static inline void write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

static inline uint64_t write_cr4_safe(uint64_t v)
{
    uint64_t ex = 0;

    __asm__ volatile("1: mov %1, %%cr4; 2:" _ASM_EXTABLE(1b, 2b) : "+a"(ex) : "r"(v) : "memory");
    return ex;
}

static inline uint64_t xgetbv(uint32_t idx)
{
    uint32_t lo, hi;

    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(idx));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t xsetbv_safe(uint32_t idx, uint64_t val)
{
    uint64_t ex = (uint32_t)val;

    /* RAX carries the low half in and the exinfo out (0 if no fault). */
    __asm__ volatile("1: xsetbv; xor %%eax, %%eax; 2:" _ASM_EXTABLE(1b, 2b)
                     : "+a"(ex)
                     : "c"(idx), "d"((uint32_t)(val >> 32))
                     : "memory");
    return ex;
}

static inline void xsave(void *area, uint64_t mask)
{
    __asm__ volatile("xsave64 (%0)" ::"r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
                     : "memory");
}

static inline void xrstor(const void *area, uint64_t mask)
{
    __asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
                     : "memory");
}

/* The XCR0 bits CPUID offers (leaf 0xD), 0 if XSAVE is not offered. */
static inline uint64_t xcr0_offered(void)
{
    struct cpuid_res r;

    if ( !(cpuid(1).c & CPUID1_ECX_XSAVE) )
        return 0;
    r = cpuid_count(0xd, 0);
    return ((uint64_t)r.d << 32) | r.a;
}

/* SSE and XSAVE on: CR0.EM clear, CR0.MP set, CR4.OSFXSR/OSXMMEXCPT/OSXSAVE. */
static inline void enable_xsave(void)
{
    uint64_t cr0 = read_cr0();

    __asm__ volatile("mov %0, %%cr0" ::"r"((cr0 | 2UL) & ~4UL));
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE);
}

#define DEFINE_DR(n)                                      \
    static inline uint64_t read_dr##n(void)               \
    {                                                     \
        uint64_t v;                                       \
        __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v)); \
        return v;                                         \
    }                                                     \
    static inline void write_dr##n(uint64_t v)            \
    {                                                     \
        __asm__ volatile("mov %0, %%dr" #n ::"r"(v));     \
    }
DEFINE_DR(0)
DEFINE_DR(1)
DEFINE_DR(2)
DEFINE_DR(3)
DEFINE_DR(6)
DEFINE_DR(7)
#undef DEFINE_DR

static inline uint32_t rdtscp_aux(void)
{
    uint32_t lo, hi, aux;

    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
    return aux;
}

#endif /* XTF_XSTATE_H */
