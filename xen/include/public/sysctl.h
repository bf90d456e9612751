/* SPDX-License-Identifier: MIT */
/*
 * sysctl.h - the sysctl hypercall: the control domain's view of the host.
 *
 * Toolstack-only and NOT guest-stable, like domctl.h: every call carries
 * XEN_SYSCTL_INTERFACE_VERSION and a mismatch is refused (-EACCES) rather
 * than misread. Wren's version is 0x00000015 and the layouts below are the
 * ones Xen used at that version, so Xen-era tools line up. Callers that
 * are not the control domain get -EPERM before anything else is looked at;
 * an unknown command is -ENOSYS.
 *
 * Implemented: XEN_SYSCTL_physinfo, and Wren's own
 * XEN_SYSCTL_wren_vcpu_load (wren.h). What Wren fills in for physinfo:
 *   threads_per_core, cores_per_socket  1, and the number of online CPUs
 *   nr_cpus         CPUs online now
 *   max_cpu_id      the highest CPU id the hypervisor could bring up
 *   nr_nodes 1, max_node_id 0 (no NUMA), cpu_khz 0 (not measured)
 *   capabilities    XEN_SYSCTL_PHYSCAP_hvm | _hap
 *   total_pages     machine frames the page allocator manages
 *   free_pages      of those, free now (a snapshot: it moves as domains
 *                   allocate; a test reads it when nothing else runs)
 *   scrub_pages, outstanding_pages  0 (frames are zeroed on allocation,
 *                   and there are no claims)
 *   max_mfn, hw_cap 0 (not exported yet)
 */
#ifndef WREN_PUBLIC_SYSCTL_H
#define WREN_PUBLIC_SYSCTL_H

#include "xen.h"
#include "wren.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole       1
#define XEN_SYSCTL_tbuf_op           2
#define XEN_SYSCTL_physinfo          3
#define XEN_SYSCTL_sched_id          4
#define XEN_SYSCTL_perfc_op          5
#define XEN_SYSCTL_getdomaininfolist 6

/* physinfo.capabilities */
#define XEN_SYSCTL_PHYSCAP_hvm                (1U << 0)
#define XEN_SYSCTL_PHYSCAP_pv                 (1U << 1)
#define XEN_SYSCTL_PHYSCAP_directio           (1U << 2)
#define XEN_SYSCTL_PHYSCAP_hap                (1U << 3)
#define XEN_SYSCTL_PHYSCAP_shadow             (1U << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1U << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace            (1U << 6)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1          (1U << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2          (1U << 8)

struct xen_sysctl_physinfo
{
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;    /* online now */
    uint32_t max_cpu_id; /* highest possible CPU id */
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities; /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;
    uint32_t pad;         /* zero */
    uint64_t total_pages; /* 4 KiB machine frames */
    uint64_t free_pages;
    uint64_t scrub_pages;
    uint64_t outstanding_pages;
    uint64_t max_mfn;
    uint32_t hw_cap[8];
};
XEN_ABI_OFFSET(struct xen_sysctl_physinfo, total_pages, 40);
XEN_ABI_OFFSET(struct xen_sysctl_physinfo, hw_cap, 80);
XEN_ABI_SIZE(struct xen_sysctl_physinfo, 112);

/* readconsole: the hypervisor's console ring (xl dmesg). */
struct xen_sysctl_readconsole
{
    uint8_t clear;       /* IN: empty the ring after reading */
    uint8_t incremental; /* IN: start at index rather than the oldest */
    uint8_t pad0, pad1;
    uint32_t index;                   /* IN: where to start; OUT: where the read ended */
    XEN_GUEST_HANDLE_64(char) buffer; /* IN */
    uint32_t count;                   /* IN: buffer size; OUT: bytes written */
    uint32_t pad2;
};
XEN_ABI_OFFSET(struct xen_sysctl_readconsole, buffer, 8);
XEN_ABI_OFFSET(struct xen_sysctl_readconsole, count, 16);
XEN_ABI_SIZE(struct xen_sysctl_readconsole, 24);

/* getdomaininfolist: up to max_domains domains with id >= first_domain,
 * in id order, each as XEN_DOMCTL_getdomaininfo describes it. */
struct xen_sysctl_getdomaininfolist
{
    domid_t first_domain; /* IN */
    uint16_t pad;
    uint32_t max_domains;                                        /* IN */
    XEN_GUEST_HANDLE_64(struct xen_domctl_getdomaininfo) buffer; /* IN */
    uint32_t num_domains;                                        /* OUT */
    uint32_t pad2;
};
XEN_ABI_OFFSET(struct xen_sysctl_getdomaininfolist, max_domains, 4);
XEN_ABI_OFFSET(struct xen_sysctl_getdomaininfolist, buffer, 8);
XEN_ABI_OFFSET(struct xen_sysctl_getdomaininfolist, num_domains, 16);
XEN_ABI_SIZE(struct xen_sysctl_getdomaininfolist, 24);

struct xen_sysctl
{
    uint32_t cmd;               /* XEN_SYSCTL_* */
    uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
    union
    {
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_wren_vcpu_load wren_vcpu_load; /* wren.h */
        struct xen_sysctl_wren_frame wren_frame;         /* wren.h */
        struct xen_sysctl_wren_link wren_link;           /* wren.h */
        uint8_t pad[128];                                /* fixes the size; new members must fit */
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
XEN_ABI_OFFSET(struct xen_sysctl, u, 8);
XEN_ABI_SIZE(struct xen_sysctl, 136);

#endif /* WREN_PUBLIC_SYSCTL_H */
