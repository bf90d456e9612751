/*
 * mce.h - x86 machine-check architecture: the MSRs and bits (Intel SDM
 * vol. 3 ch. 16, AMD APM vol. 2 ch. 9), the host #MC handler and the
 * software injection behind XEN_MC_msrinject / XEN_MC_mceinject
 * (arch/x86/mce.c). docs/designs/vmce.md.
 */
#ifndef ASM_MCE_H
#define ASM_MCE_H

#include <xen/types.h>

#define MSR_MCG_CAP    0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MCG_CTL    0x17b
#define MSR_MC0_CTL    0x400 /* bank i: CTL, STATUS, ADDR, MISC at 0x400 + 4i */
#define MSR_MC0_CTL2   0x280 /* Intel, CMCI: one per bank */
#define MCE_MAX_BANKS  32

#define MCG_CAP_COUNT 0xffULL
#define MCG_CTL_P     (1ULL << 8)
#define MCG_CMCI_P    (1ULL << 10)
#define MCG_TES_P     (1ULL << 11)
#define MCG_SER_P     (1ULL << 24)

#define MCG_STATUS_RIPV (1ULL << 0)
#define MCG_STATUS_EIPV (1ULL << 1)
#define MCG_STATUS_MCIP (1ULL << 2)

#define MCI_STATUS_VAL   (1ULL << 63)
#define MCI_STATUS_OVER  (1ULL << 62)
#define MCI_STATUS_UC    (1ULL << 61)
#define MCI_STATUS_EN    (1ULL << 60)
#define MCI_STATUS_MISCV (1ULL << 59)
#define MCI_STATUS_ADDRV (1ULL << 58)
#define MCI_STATUS_PCC   (1ULL << 57)
#define MCI_STATUS_S     (1ULL << 56)
#define MCI_STATUS_AR    (1ULL << 55)
#define MCI_STATUS_MSCOD (0xffffULL << 16) /* model-specific: not shown to guests */
/* MCACOD of a memory-controller read error, channel not given. */
#define MCI_MCACOD_MEM_READ 0x009f
/* MCi_MISC: the address is physical (mode 2), valid down to bit 12. */
#define MCI_MISC_PHYS_4K ((2ULL << 6) | 12)

#define X86_CR4_MCE (1ULL << 6)

struct cpu_user_regs;

/* Every CPU at boot: enable MCA as the CPU offers it (CR4.MCE, MCG_CTL,
 * every bank's MCi_CTL, stale MCi_STATUS cleared). */
void mce_cpu_init(void);

/* Vector 18 in the hypervisor: read, report and clear the banks; return
 * if the hypervisor can go on, panic with the banks if not. */
void do_machine_check(struct cpu_user_regs *regs);

/* This CPU took a kick: raise the #MC an injection asked of it. */
void mce_kicked(void);

/* One injected MSR value (XEN_MC_msrinject, after translation). */
struct mce_msr_value
{
    uint32_t msr;
    uint64_t value;
};

/* Replace cpu's injected values: its #MC handler reads them instead of
 * the hardware's until it has run once. 0, -EINVAL (bad cpu, an MSR
 * outside MCG_STATUS and the banks' STATUS/ADDR/MISC). */
int mce_interpose(unsigned int cpu, const struct mce_msr_value *v, unsigned int n);

/* Raise #MC on cpu (this one: at once; another: by a kick, waited for).
 * 0, -EINVAL (no such CPU), -ETIMEDOUT. */
int mce_raise(unsigned int cpu);

#endif /* ASM_MCE_H */
