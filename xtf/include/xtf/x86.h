/*
 * x86.h - thin wrappers for the x86 instructions the runtime and tests use.
 */
#ifndef XTF_X86_H
#define XTF_X86_H

#include <xtf/types.h>

#define X86_CR0_PE   (1UL << 0)
#define X86_CR0_MP   (1UL << 1)
#define X86_CR0_ET   (1UL << 4)
#define X86_CR0_NE   (1UL << 5)
#define X86_CR0_WP   (1UL << 16)
#define X86_CR0_PG   (1UL << 31)
#define X86_CR4_PAE  (1UL << 5)
#define X86_EFER_LME (1UL << 8)
#define X86_EFER_LMA (1UL << 10)
#define MSR_EFER     0xc0000080U

/* Selectors of the runtime's GDT (arch/x86/head.S). */
#define XTF_CS64 0x08
#define XTF_DS   0x10
#define XTF_CS32 0x18

struct cpuid_res
{
    uint32_t a, b, c, d;
};

static inline struct cpuid_res cpuid_count(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_res r;

    __asm__ volatile("cpuid"
                     : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

static inline struct cpuid_res cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

static inline uint64_t rdmsr(uint32_t idx)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t idx, uint64_t val)
{
    __asm__ volatile("wrmsr" ::"c"(idx), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)) : "memory");
}

#define DEFINE_READ_CR(n)                                 \
    static inline uint64_t read_cr##n(void)               \
    {                                                     \
        uint64_t v;                                       \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); \
        return v;                                         \
    }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR

static inline void write_cr2(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr2" ::"r"(v));
}

static inline void outb(uint8_t v, uint16_t port)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint32_t v, uint16_t port)
{
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}
static inline void invlpg(const void *va)
{
    __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}

/* Exactly one store instruction, so a write the hypervisor drops (a
 * read-only page) is one skipped instruction. */
static inline void xtf_store64(uint64_t *p, uint64_t v)
{
    __asm__ volatile("movq %1, %0" : "=m"(*p) : "r"(v) : "memory");
}

/* Order normal stores for another agent reading shared memory. */
static inline void smp_wmb(void)
{
    __asm__ volatile("sfence" ::: "memory");
}
static inline void smp_rmb(void)
{
    __asm__ volatile("lfence" ::: "memory");
}
static inline void smp_mb(void)
{
    __asm__ volatile("mfence" ::: "memory");
}

static inline void __noreturn halt_forever(void)
{
    for ( ;; )
        __asm__ volatile("cli; hlt");
}

#endif /* XTF_X86_H */
