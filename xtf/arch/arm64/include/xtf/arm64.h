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

/* Exactly one store instruction, so a write the hypervisor drops (a
 * read-only page) is one skipped instruction. */
static inline void xtf_store64(uint64_t *p, uint64_t v)
{
    __asm__ volatile("str %1, %0" : "=Q"(*p) : "r"(v) : "memory");
}

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

/* PSCI CPU_ON of vCPU (MPIDR affinity) id at fn(arg) on a stack of the
 * runtime's; returns the PSCI result. fn may return: the vCPU then does
 * CPU_OFF. One secondary at a time. */
long xtf_psci_start(unsigned int id, void (*fn)(uint64_t), uint64_t arg);

#endif /* XTF_ARM64_H */
