/*
 * arm64.h - AArch64 helpers for XTF tests: system registers, PSCI by
 * HVC #0 (Arm DEN 0022 function numbers and return codes), and starting
 * a second vCPU on a function of the test's. Declares and inlines only.
 */
#ifndef XTF_ARM64_H
#define XTF_ARM64_H

#include <xtf/types.h>

#define read_sysreg(name)                               \
    ({                                                  \
        uint64_t v__;                                   \
        __asm__ volatile("mrs %0, " #name : "=r"(v__)); \
        v__;                                            \
    })

/* Order normal stores/loads for another agent reading shared memory
 * (inner shareable: every vCPU and the hypervisor). */
static inline void smp_wmb(void)
{
    __asm__ volatile("dmb ishst" ::: "memory");
}
static inline void smp_rmb(void)
{
    __asm__ volatile("dmb ishld" ::: "memory");
}
static inline void smp_mb(void)
{
    __asm__ volatile("dmb ish" ::: "memory");
}

/* A spin-wait loop's hint (x86's pause). */
static inline void cpu_relax(void)
{
    __asm__ volatile("yield" ::: "memory");
}

/* Exactly one store instruction, so a write the hypervisor drops (a
 * read-only page) is one skipped instruction. */
static inline void xtf_store64(uint64_t *p, uint64_t v)
{
    __asm__ volatile("str %1, %0" : "=Q"(*p) : "r"(v) : "memory");
}
/* V0-V31 from / to v[64] (two words per register, in order); the FP
 * tests' one copy. The caller enables FP (CPACR_EL1.FPEN) first. */
static inline void xtf_fp_load_v(const uint64_t *v)
{
    __asm__ volatile("ldp q0, q1, [%0, #0];     ldp q2, q3, [%0, #32]\n\t"
                     "ldp q4, q5, [%0, #64];    ldp q6, q7, [%0, #96]\n\t"
                     "ldp q8, q9, [%0, #128];   ldp q10, q11, [%0, #160]\n\t"
                     "ldp q12, q13, [%0, #192]; ldp q14, q15, [%0, #224]\n\t"
                     "ldp q16, q17, [%0, #256]; ldp q18, q19, [%0, #288]\n\t"
                     "ldp q20, q21, [%0, #320]; ldp q22, q23, [%0, #352]\n\t"
                     "ldp q24, q25, [%0, #384]; ldp q26, q27, [%0, #416]\n\t"
                     "ldp q28, q29, [%0, #448]; ldp q30, q31, [%0, #480]" ::"r"(v)
                     : "memory");
}

static inline void xtf_fp_save_v(uint64_t *v)
{
    __asm__ volatile("stp q0, q1, [%0, #0];     stp q2, q3, [%0, #32]\n\t"
                     "stp q4, q5, [%0, #64];    stp q6, q7, [%0, #96]\n\t"
                     "stp q8, q9, [%0, #128];   stp q10, q11, [%0, #160]\n\t"
                     "stp q12, q13, [%0, #192]; stp q14, q15, [%0, #224]\n\t"
                     "stp q16, q17, [%0, #256]; stp q18, q19, [%0, #288]\n\t"
                     "stp q20, q21, [%0, #320]; stp q22, q23, [%0, #352]\n\t"
                     "stp q24, q25, [%0, #384]; stp q26, q27, [%0, #416]\n\t"
                     "stp q28, q29, [%0, #448]; stp q30, q31, [%0, #480]" ::"r"(v)
                     : "memory");
}

/* x0 at entry: the IPA of the device tree the hypervisor wrote. */
extern uint64_t xtf_boot_dt;

#define PSCI_VERSION          0x84000000U
#define PSCI_CPU_OFF          0x84000002U
#define PSCI_CPU_ON_64        0xc4000003U
#define PSCI_AFFINITY_INFO_64 0xc4000004U
#define PSCI_SYSTEM_OFF       0x84000008U
#define PSCI_FEATURES         0x8400000aU
#define PSCI_SUCCESS          0
#define PSCI_NOT_SUPPORTED    (-1)
#define PSCI_INVALID_PARAMS   (-2)
#define PSCI_ALREADY_ON       (-4)
#define PSCI_AFFINITY_ON      0
#define PSCI_AFFINITY_OFF     1

static inline long psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;

    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    return (long)x0;
}

/* A test that expects a synchronous exception at EL1 sets this: it is
 * called with the vector number (0-15) and the saved x0..x30 (which it
 * may change) and returns true to resume at ELR_EL1, which it should
 * move past the instruction (write_sysreg). NULL or false: FAILURE. */
extern bool (*xtf_exception_hook)(uint64_t kind, uint64_t *regs);

#define write_sysreg(v, name) __asm__ volatile("msr " #name ", %0" ::"r"((uint64_t)(v)) : "memory")

/* PSCI CPU_ON of vCPU (MPIDR affinity) id at fn(arg) on a stack of the
 * runtime's; returns the PSCI result. fn may return: the vCPU then does
 * CPU_OFF. Each vCPU has its own stack, so several may run at once. */
long xtf_psci_start(unsigned int id, void (*fn)(uint64_t), uint64_t arg);

#endif /* XTF_ARM64_H */
