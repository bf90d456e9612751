/*
 * vmce.h - what the vMCE tests share: the mailbox commands of
 * tests/vmce-target (above p2m-target's numbers, xtf/mailbox.h), the MSR
 * and bit numbers of machine checks, and the controller's helpers
 * (common/vmce.c): XEN_MC injection and XEN_SYSCTL_wren_frame.
 */
#ifndef XTF_VMCE_H
#define XTF_VMCE_H

#include <xtf/types.h>
#include <xtf/mailbox.h>
#include <public/wren.h>

#define VMCE_MB_STATUS \
    100 /* out[0] #MCs taken, out[1..4] MCG_STATUS, MC1_STATUS/ADDR/MISC
                              as the last handler read them, out[5] CR4 */
#define VMCE_MB_TOUCH \
    101 /* read the u64 at frame gfn[0] by the probe instruction:
                              out[0] = the value, or VMCE_POISON if a #MC hit it */
#define VMCE_MB_SLEEP \
    102 /* sleep arg[0] ns (SCHEDOP_poll), then ack: no vCPU of the
                              target runs meanwhile */
#define VMCE_POISON 0xdeadbeefbadc0deULL

#define VMCE_DATA_GFN 0x300UL /* the frame the tests break: 3 MiB */

#define MSR_MCG_CAP    0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MC1_STATUS 0x405
#define MSR_MC1_ADDR   0x406
#define MSR_MC1_MISC   0x407

#define MCG_STATUS_RIPV (1ULL << 0)
#define MCG_STATUS_EIPV (1ULL << 1)
#define MCG_STATUS_MCIP (1ULL << 2)

#define MCI_STATUS_VAL   (1ULL << 63)
#define MCI_STATUS_UC    (1ULL << 61)
#define MCI_STATUS_EN    (1ULL << 60)
#define MCI_STATUS_MISCV (1ULL << 59)
#define MCI_STATUS_ADDRV (1ULL << 58)
#define MCI_STATUS_PCC   (1ULL << 57)
#define MCI_STATUS_S     (1ULL << 56)
#define MCI_STATUS_AR    (1ULL << 55)
#define MCI_STATUS_MSCOD (0xffffULL << 16)

/* An uncorrected, action-required memory read error (MCACOD 0x9f). */
#define VMCE_TEST_STATUS                                                                    \
    (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_MISCV | MCI_STATUS_ADDRV | \
     MCI_STATUS_S | MCI_STATUS_AR | 0x9fULL)
#define VMCE_TEST_MISC ((2ULL << 6) | 12) /* physical address, valid from bit 12 */

/* XEN_MC_msrinject of MCG_STATUS and bank 1 (MCi_ADDR a guest-physical
 * address of domid if gpaddr) on cpu, then XEN_MC_mceinject there. The
 * first failing call's return code, or 0. */
long xtf_mce_inject(unsigned int cpu, bool gpaddr, domid_t domid, uint64_t mcg_status,
                    uint64_t status, uint64_t addr, uint64_t misc);

/* Sleep ns nanoseconds in SCHEDOP_poll on a port nobody signals. */
void xtf_vmce_sleep(uint64_t ns);

/* XEN_SYSCTL_wren_frame: op WREN_FRAME_QUERY of mfn, or OF_GFN of
 * domid's gfn; the result in *f. */
long xtf_frame_query(uint64_t mfn, struct xen_sysctl_wren_frame *f);
long xtf_frame_of_gfn(domid_t domid, uint64_t gfn, struct xen_sysctl_wren_frame *f);

#endif /* XTF_VMCE_H */
