/* SPDX-License-Identifier: MIT */
/*
 * public/arch-x86/xen-mca.h - __HYPERVISOR_mca, Xen's x86 machine-check
 * interface (struct xen_mc). Wren implements the test-facility commands
 * only: XEN_MC_msrinject, XEN_MC_mceinject and XEN_MC_inject_v2 (MCE
 * type), for the control domain. Numbers, the interface version and the
 * layouts are Xen's (the ABI); docs/designs/vmce.md says what Wren does
 * with them.
 */
#ifndef WREN_PUBLIC_ARCH_X86_XEN_MCA_H
#define WREN_PUBLIC_ARCH_X86_XEN_MCA_H

#include "../xen.h"

#define __HYPERVISOR_mca __HYPERVISOR_arch_0

#define XEN_MCA_INTERFACE_VERSION 0x01ecc003

/* Commands (struct xen_mc.cmd). 1-3 (fetch, notifydomain, physcpuinfo)
 * are Xen's too; Wren refuses them with -ENOSYS. */
#define XEN_MC_fetch        1
#define XEN_MC_notifydomain 2
#define XEN_MC_physcpuinfo  3
#define XEN_MC_msrinject    4
#define XEN_MC_mceinject    5
#define XEN_MC_inject_v2    6

struct xen_mcinfo_msr
{
    uint64_t reg;   /* MSR index */
    uint64_t value; /* its value */
};
typedef struct xen_mcinfo_msr xen_mcinfo_msr_t;

#define MC_MSRINJ_MAXMSRS 8

/* Make the machine-check MSRs of CPU mcinj_cpunr read mcinj_msr[] when
 * its #MC handler next runs. */
struct xen_mc_msrinject
{
    uint32_t mcinj_cpunr; /* IN: target CPU */
    uint32_t mcinj_flags; /* IN: MC_MSRINJ_F_* */
    uint32_t mcinj_count; /* IN: entries of mcinj_msr used, 1..MC_MSRINJ_MAXMSRS */
    domid_t mcinj_domid;  /* IN: with MC_MSRINJ_F_GPADDR, whose address */
    uint16_t _pad0;
    xen_mcinfo_msr_t mcinj_msr[MC_MSRINJ_MAXMSRS];
};
typedef struct xen_mc_msrinject xen_mc_msrinject_t;

/* Bits 16-31 are reserved. */
#define MC_MSRINJ_F_INTERPOSE 0x1 /* keep the values in software only */
#define MC_MSRINJ_F_GPADDR    0x2 /* MCi_ADDR values are mcinj_domid's guest-physical */

/* Raise a machine check on CPU mceinj_cpunr. */
struct xen_mc_mceinject
{
    unsigned int mceinj_cpunr;
};
typedef struct xen_mc_mceinject xen_mc_mceinject_t;

#define XEN_MC_INJECT_TYPE_MASK     0x7
#define XEN_MC_INJECT_TYPE_MCE      0x0
#define XEN_MC_INJECT_TYPE_CMCI     0x1
#define XEN_MC_INJECT_TYPE_LMCE     0x2
#define XEN_MC_INJECT_CPU_BROADCAST 0x8

struct xen_mc_inject_v2
{
    uint32_t flags;
    uint32_t _pad;          /* implicit in Xen's layout */
    uint64_t cpumap_bitmap; /* xenctl_bitmap: guest address of the bits */
    uint32_t cpumap_nr_bits;
    uint32_t _pad2;
};

struct xen_mc
{
    uint32_t cmd;
    uint32_t interface_version; /* XEN_MCA_INTERFACE_VERSION */
    union
    {
        struct xen_mc_msrinject mc_msrinject;
        struct xen_mc_mceinject mc_mceinject;
        struct xen_mc_inject_v2 mc_inject_v2;
        uint8_t pad[144]; /* the largest member, xen_mc_msrinject */
    } u;
};
typedef struct xen_mc xen_mc_t;

XEN_ABI_SIZE(struct xen_mc_msrinject, 144);
XEN_ABI_SIZE(struct xen_mc_inject_v2, 24);
XEN_ABI_SIZE(struct xen_mc, 152);

#endif /* WREN_PUBLIC_ARCH_X86_XEN_MCA_H */
