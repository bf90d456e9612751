/*
 * apic.h - the guest's local APIC, in x2APIC (MSR) or xAPIC (MMIO at the
 * APIC base) mode: register access by xAPIC offset, EOI, the ICR.
 * Interrupt handlers are installed with xtf_set_vector_handler().
 */
#ifndef XTF_APIC_H
#define XTF_APIC_H

#include <xtf/types.h>

#define MSR_APIC_BASE     0x1b
#define MSR_TSC_DEADLINE  0x6e0
#define APIC_BASE_BSP     (1ULL << 8)
#define APIC_BASE_EXTD    (1ULL << 10)
#define APIC_BASE_ENABLE  (1ULL << 11)
#define APIC_DEFAULT_BASE 0xfee00000ULL

/* Register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + offset / 16). */
#define APIC_ID        0x20
#define APIC_LVR       0x30
#define APIC_TPR       0x80
#define APIC_PPR       0xa0
#define APIC_EOI       0xb0
#define APIC_LDR       0xd0
#define APIC_DFR       0xe0
#define APIC_SVR       0xf0
#define APIC_ISR       0x100
#define APIC_IRR       0x200
#define APIC_ESR       0x280
#define APIC_ICR       0x300
#define APIC_ICR2      0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_ERROR 0x370
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0
#define APIC_SELF_IPI  0x3f0

#define APIC_SVR_ENABLE      (1U << 8)
#define APIC_LVT_MASKED      (1U << 16)
#define APIC_TIMER_PERIODIC  (1U << 17)
#define APIC_TIMER_TSC_DLINE (2U << 17)
#define APIC_DM_FIXED        (0U << 8)
#define APIC_DM_NMI          (4U << 8)
#define APIC_DM_INIT         (5U << 8)
#define APIC_DM_STARTUP      (6U << 8)
#define APIC_DEST_LOGICAL    (1U << 11)
#define APIC_INT_ASSERT      (1U << 14)
#define APIC_DEST_SELF       (1U << 18)
#define APIC_DEST_ALLINC     (2U << 18)
#define APIC_DEST_ALLBUT     (3U << 18)

enum apic_mode
{
    APIC_MODE_DISABLED,
    APIC_MODE_XAPIC,
    APIC_MODE_X2APIC,
};

enum apic_mode apic_mode(void);
/* Switch this vCPU's APIC into mode (through the legal steps) and
 * software-enable it with spurious vector 0xff. 0, or -1 if refused. */
int apic_init(enum apic_mode mode);
uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t val);
void apic_eoi(void);
/* Send an IPI: dest is an APIC ID (8 bits in xAPIC mode). */
void apic_icr_write(uint32_t dest, uint32_t lo);

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#endif /* XTF_APIC_H */
