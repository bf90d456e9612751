/*
 * x86.h - thin wrappers for x86 instructions: port I/O, MSRs, CPUID,
 * control registers, interrupt flag. Nothing here has policy.
 */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <xen/types.h>

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
    asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

struct cpuid_regs
{
    uint32_t a, b, c, d;
};
static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
    struct cpuid_regs r;
    asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(sub));
    return r;
}
static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

#define DEFINE_CR(n)                                         \
    static inline uint64_t read_cr##n(void)                  \
    {                                                        \
        uint64_t v;                                          \
        asm volatile("mov %%cr" #n ", %0" : "=r"(v));        \
        return v;                                            \
    }                                                        \
    static inline void write_cr##n(uint64_t v)               \
    {                                                        \
        asm volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); \
    }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void local_irq_enable(void)
{
    asm volatile("sti" ::: "memory");
}
static inline void local_irq_disable(void)
{
    asm volatile("cli" ::: "memory");
}
static inline unsigned long local_save_flags(void)
{
    unsigned long f;
    asm volatile("pushfq; popq %0" : "=r"(f)::"memory");
    return f;
}
static inline bool local_irq_is_enabled(void)
{
    return local_save_flags() & (1UL << 9);
}
static inline void cpu_relax(void)
{
    asm volatile("pause" ::: "memory");
}
static inline void halt(void)
{
    asm volatile("hlt" ::: "memory");
}
static inline void safe_halt(void)
{
    asm volatile("sti; hlt" ::: "memory");
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
#define smp_mb()  asm volatile("mfence" ::: "memory")
#define smp_wmb() barrier()
#define smp_rmb() barrier()

/* MSR numbers used by the hypervisor (Intel SDM vol. 4 / AMD APM vol. 2). */
#define MSR_IA32_APIC_BASE               0x0000001b
#define MSR_IA32_FEATURE_CONTROL         0x0000003a
#define MSR_IA32_PAT                     0x00000277
#define MSR_IA32_VMX_BASIC               0x00000480
#define MSR_IA32_VMX_PINBASED_CTLS       0x00000481
#define MSR_IA32_VMX_PROCBASED_CTLS      0x00000482
#define MSR_IA32_VMX_EXIT_CTLS           0x00000483
#define MSR_IA32_VMX_ENTRY_CTLS          0x00000484
#define MSR_IA32_VMX_MISC                0x00000485
#define MSR_IA32_VMX_CR0_FIXED0          0x00000486
#define MSR_IA32_VMX_CR0_FIXED1          0x00000487
#define MSR_IA32_VMX_CR4_FIXED0          0x00000488
#define MSR_IA32_VMX_CR4_FIXED1          0x00000489
#define MSR_IA32_VMX_PROCBASED_CTLS2     0x0000048b
#define MSR_IA32_VMX_EPT_VPID_CAP        0x0000048c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x0000048d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x0000048e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS      0x0000048f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS     0x00000490
#define MSR_IA32_VMX_VMFUNC              0x00000491
#define MSR_EFER                         0xc0000080
#define MSR_STAR                         0xc0000081
#define MSR_LSTAR                        0xc0000082
#define MSR_CSTAR                        0xc0000083
#define MSR_SFMASK                       0xc0000084
#define MSR_FS_BASE                      0xc0000100
#define MSR_GS_BASE                      0xc0000101
#define MSR_KERNEL_GS_BASE               0xc0000102
#define MSR_TSC_AUX                      0xc0000103
#define MSR_VM_CR                        0xc0010114
#define MSR_VM_HSAVE_PA                  0xc0010117

#define EFER_SCE  (1ULL << 0)
#define EFER_LME  (1ULL << 8)
#define EFER_LMA  (1ULL << 10)
#define EFER_NXE  (1ULL << 11)
#define EFER_SVME (1ULL << 12)

#define X86_CR0_PE         (1ULL << 0)
#define X86_CR0_MP         (1ULL << 1)
#define X86_CR0_EM         (1ULL << 2)
#define X86_CR0_TS         (1ULL << 3)
#define X86_CR0_ET         (1ULL << 4)
#define X86_CR0_NE         (1ULL << 5)
#define X86_CR0_WP         (1ULL << 16)
#define X86_CR0_NW         (1ULL << 29)
#define X86_CR0_CD         (1ULL << 30)
#define X86_CR0_PG         (1ULL << 31)
#define X86_CR4_PAE        (1ULL << 5)
#define X86_CR4_PGE        (1ULL << 7)
#define X86_CR4_OSFXSR     (1ULL << 9)
#define X86_CR4_OSXMMEXCPT (1ULL << 10)
#define X86_CR4_VMXE       (1ULL << 13)
#define X86_CR4_PCIDE      (1ULL << 17)

#define X86_EFLAGS_IF (1ULL << 9)

#endif /* ASM_X86_H */
