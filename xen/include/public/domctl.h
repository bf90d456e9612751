/* SPDX-License-Identifier: MIT */
/*
 * domctl.h - the domctl hypercall: the control domain's view of domains.
 *
 * This interface is for the toolstack only and is NOT guest-stable: it
 * may change between Wren releases, and every call carries
 * XEN_DOMCTL_INTERFACE_VERSION so a mismatch is refused (-EACCES) rather
 * than misread. Wren's version is 0x00000015, and the structures below
 * have the layouts Xen used at that version, so Xen-era tools line up.
 * Callers that are not the control domain get -EPERM, whichever domain
 * they name, including themselves.
 *
 * One deliberate difference from Xen 0x15: XEN_DOMCTL_getdomaininfo
 * describes exactly the domain named and fails with -ESRCH when there is
 * none (Xen returned the next existing domain until interface 0x16).
 * Callers should still check that info.domain is the one they asked for.
 */
#ifndef WREN_PUBLIC_DOMCTL_H
#define WREN_PUBLIC_DOMCTL_H

#include "xen.h"
#include "wren.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#define XEN_DOMCTL_createdomain            1
#define XEN_DOMCTL_destroydomain           2
#define XEN_DOMCTL_pausedomain             3
#define XEN_DOMCTL_unpausedomain           4
#define XEN_DOMCTL_getdomaininfo           5
#define XEN_DOMCTL_setvcpuaffinity         9
#define XEN_DOMCTL_shadow_op               10
#define XEN_DOMCTL_max_mem                 11
#define XEN_DOMCTL_setvcpucontext          12
#define XEN_DOMCTL_getvcpucontext          13
#define XEN_DOMCTL_getvcpuinfo             14
#define XEN_DOMCTL_max_vcpus               15
#define XEN_DOMCTL_scheduler_op            16
#define XEN_DOMCTL_setdomainhandle         17
#define XEN_DOMCTL_setdebugging            18
#define XEN_DOMCTL_hypercall_init          22
#define XEN_DOMCTL_settimeoffset           24
#define XEN_DOMCTL_resumedomain            27
#define XEN_DOMCTL_gethvmcontext           33
#define XEN_DOMCTL_sethvmcontext           34
#define XEN_DOMCTL_settscinfo              60
#define XEN_DOMCTL_gettscinfo              59
#define XEN_DOMCTL_getpageframeinfo3       61
#define XEN_DOMCTL_mem_sharing_op          57
#define XEN_DOMCTL_set_broken_page_p2m     67
#define XEN_DOMCTL_vm_event_op             56 /* vm_event.h: a listener's ring */
#define XEN_DOMCTL_set_access_required     64
#define XEN_DOMCTL_get_paging_mempool_size 85
#define XEN_DOMCTL_set_paging_mempool_size 86

/* --- createdomain ------------------------------------------------------- */

/* x86: which devices the hypervisor emulates (PVH: LAPIC only). */
#define XEN_X86_EMU_LAPIC    (1U << 0)
#define XEN_X86_EMU_HPET     (1U << 1)
#define XEN_X86_EMU_PM       (1U << 2)
#define XEN_X86_EMU_RTC      (1U << 3)
#define XEN_X86_EMU_IOAPIC   (1U << 4)
#define XEN_X86_EMU_PIC      (1U << 5)
#define XEN_X86_EMU_VGA      (1U << 6)
#define XEN_X86_EMU_IOMMU    (1U << 7)
#define XEN_X86_EMU_PIT      (1U << 8)
#define XEN_X86_EMU_USE_PIRQ (1U << 9)
#define XEN_X86_EMU_VPCI     (1U << 10)

#define XEN_X86_MSR_RELAXED (1U << 0)

struct xen_arch_domainconfig
{
    uint32_t emulation_flags; /* XEN_X86_EMU_* */
    uint32_t misc_flags;      /* XEN_X86_MSR_RELAXED */
};
XEN_ABI_SIZE(struct xen_arch_domainconfig, 8);

#define XEN_DOMCTL_CDF_hvm          (1U << 0)
#define XEN_DOMCTL_CDF_hap          (1U << 1) /* use EPT/NPT */
#define XEN_DOMCTL_CDF_s3_integrity (1U << 2)
#define XEN_DOMCTL_CDF_oos_off      (1U << 3)
#define XEN_DOMCTL_CDF_xs_domain    (1U << 4)
#define XEN_DOMCTL_CDF_iommu        (1U << 5)
#define XEN_DOMCTL_CDF_nested_virt  (1U << 6)
#define XEN_DOMCTL_CDF_vpmu         (1U << 7)

/* xen_domctl.domain is IN (wanted id, or 0 for any) and OUT (given id). */
struct xen_domctl_createdomain
{
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t flags; /* XEN_DOMCTL_CDF_* */
    uint32_t iommu_opts;
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;
    int32_t max_grant_frames;
    int32_t max_maptrack_frames;
    uint32_t grant_opts;
    uint32_t vmtrace_size;
    uint32_t cpupool_id;
    struct xen_arch_domainconfig arch;
};
XEN_ABI_SIZE(struct xen_domctl_createdomain, 64);

/* --- getdomaininfo ------------------------------------------------------- */

#define XEN_DOMINF_dying         (1U << 0) /* being destroyed */
#define XEN_DOMINF_hvm_guest     (1U << 1)
#define XEN_DOMINF_shutdown      (1U << 2) /* reason in bits 23:16 */
#define XEN_DOMINF_paused        (1U << 3) /* paused by the toolstack */
#define XEN_DOMINF_blocked       (1U << 4) /* every vCPU is blocked */
#define XEN_DOMINF_running       (1U << 5) /* some vCPU is on a CPU now */
#define XEN_DOMINF_debugged      (1U << 6)
#define XEN_DOMINF_xs_domain     (1U << 7)
#define XEN_DOMINF_hap           (1U << 8)
#define XEN_DOMINF_shutdownshift 16
#define XEN_DOMINF_shutdownmask  0xffU
/* The SHUTDOWN_* code of a domain whose flags have XEN_DOMINF_shutdown. */
#define XEN_DOMINF_SHUTDOWN_REASON(flags) \
    (((flags) >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask)

#define XEN_INVALID_MAX_VCPU_ID (~0U)

struct xen_domctl_getdomaininfo
{
    domid_t domain; /* OUT: the domain described */
    uint16_t pad1;
    uint32_t flags; /* XEN_DOMINF_* */
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame; /* GFN of shared_info */
    uint64_t cpu_time;          /* ns, all vCPUs */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t cpupool;
    uint8_t gpaddr_bits; /* guest-physical address width */
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;
};
XEN_ABI_OFFSET(struct xen_domctl_getdomaininfo, tot_pages, 8);
XEN_ABI_OFFSET(struct xen_domctl_getdomaininfo, nr_online_vcpus, 64);
XEN_ABI_OFFSET(struct xen_domctl_getdomaininfo, handle, 76);
XEN_ABI_OFFSET(struct xen_domctl_getdomaininfo, gpaddr_bits, 96);
XEN_ABI_SIZE(struct xen_domctl_getdomaininfo, 112);

/* --- shadow_op: paging modes and the log-dirty bitmap ------------------- */

#define XEN_DOMCTL_SHADOW_OP_OFF              0
#define XEN_DOMCTL_SHADOW_OP_ENABLE_TEST      1
#define XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY  2
#define XEN_DOMCTL_SHADOW_OP_ENABLE_TRANSLATE 3
#define XEN_DOMCTL_SHADOW_OP_CLEAN            11 /* read and clear bitmap */
#define XEN_DOMCTL_SHADOW_OP_PEEK             12 /* read bitmap only */
#define XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION   30
#define XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION   31
#define XEN_DOMCTL_SHADOW_OP_ENABLE           32 /* mode = ENABLE_* */

#define XEN_DOMCTL_SHADOW_ENABLE_REFCOUNT  (1U << 1)
#define XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY (1U << 2)
#define XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE (1U << 3)
#define XEN_DOMCTL_SHADOW_ENABLE_EXTERNAL  (1U << 4)

/* CLEAN/PEEK mode: the domain is paused for the final pass of a migration. */
#define XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL (1U << 0)

struct xen_domctl_shadow_op_stats
{
    uint32_t fault_count;
    uint32_t dirty_count;
};
XEN_ABI_SIZE(struct xen_domctl_shadow_op_stats, 8);

struct xen_domctl_shadow_op
{
    uint32_t op;   /* XEN_DOMCTL_SHADOW_OP_* */
    uint32_t mode; /* ENABLE_* or LOGDIRTY_* */
    uint32_t mb;   /* GET/SET_ALLOCATION: pool size in MiB */
    uint32_t pad;
    XEN_GUEST_HANDLE_64(uint8_t) dirty_bitmap; /* CLEAN/PEEK: one bit/GFN */
    uint64_t pages;                            /* IN: bitmap size in bits; OUT: GFNs covered */
    struct xen_domctl_shadow_op_stats stats;
};
XEN_ABI_SIZE(struct xen_domctl_shadow_op, 40);

/* --- small ones ---------------------------------------------------------- */

struct xen_domctl_max_mem
{
    uint64_t max_memkb; /* new ceiling in KiB */
};
XEN_ABI_SIZE(struct xen_domctl_max_mem, 8);

struct xen_domctl_max_vcpus
{
    uint32_t max;
};
XEN_ABI_SIZE(struct xen_domctl_max_vcpus, 4);

struct xen_domctl_getvcpuinfo
{
    uint32_t vcpu;  /* IN */
    uint8_t online; /* OUT */
    uint8_t blocked;
    uint8_t running;
    uint8_t pad;
    uint64_t cpu_time; /* ns */
    uint32_t cpu;      /* physical CPU now or last */
    uint32_t pad2;
};
XEN_ABI_SIZE(struct xen_domctl_getvcpuinfo, 24);

/* get/set_paging_mempool_size: the pool a domain's p2m tables come from,
 * in bytes (a whole number of 4 KiB pages on set). */
struct xen_domctl_paging_mempool
{
    uint64_t size;
};
XEN_ABI_SIZE(struct xen_domctl_paging_mempool, 8);

/* get/sethvmcontext: a buffer of records (hvm/save.h). Get with a null
 * buffer returns the size needed in size; otherwise size is IN (buffer
 * length, -ENOSPC if too small) and OUT (bytes written). */
struct xen_domctl_hvmcontext
{
    uint32_t size;
    uint32_t pad;
    XEN_GUEST_HANDLE_64(uint8_t) buffer;
};
XEN_ABI_OFFSET(struct xen_domctl_hvmcontext, buffer, 8);
XEN_ABI_SIZE(struct xen_domctl_hvmcontext, 16);

/* setvcpucontext: vCPU vcpu (down, its domain paused) starts from the
 * struct vcpu_guest_context at ctxt, the architecture's own (arm64:
 * arch-arm.h; x86 builds by the HVM context instead: -EOPNOTSUPP). */
struct xen_domctl_vcpucontext
{
    uint32_t vcpu;
    uint32_t pad;
    XEN_GUEST_HANDLE_64(vcpu_guest_context) ctxt;
};
XEN_ABI_OFFSET(struct xen_domctl_vcpucontext, ctxt, 8);
XEN_ABI_SIZE(struct xen_domctl_vcpucontext, 16);

/* getpageframeinfo3: num gfns in array (at most 1024, -E2BIG beyond);
 * each entry comes back with its type ORed into bits 31:28. */
#define XEN_DOMCTL_PFINFO_LTAB_SHIFT    28
#define XEN_DOMCTL_PFINFO_NOTAB         (0x0U << 28)
#define XEN_DOMCTL_PFINFO_L1TAB         (0x1U << 28)
#define XEN_DOMCTL_PFINFO_L2TAB         (0x2U << 28)
#define XEN_DOMCTL_PFINFO_L3TAB         (0x3U << 28)
#define XEN_DOMCTL_PFINFO_L4TAB         (0x4U << 28)
#define XEN_DOMCTL_PFINFO_LTABTYPE_MASK (0x7U << 28)
#define XEN_DOMCTL_PFINFO_LPINTAB       (0x1U << 31)
#define XEN_DOMCTL_PFINFO_XTAB          (0xfU << 28) /* nothing there */
#define XEN_DOMCTL_PFINFO_XALLOC        (0xeU << 28) /* allocate only */
#define XEN_DOMCTL_PFINFO_BROKEN        (0xdU << 28) /* p2m_ram_broken */
#define XEN_DOMCTL_PFINFO_LTAB_MASK     (0xfU << 28)

struct xen_domctl_getpageframeinfo3
{
    uint64_t num;
    XEN_GUEST_HANDLE_64(xen_pfn_t) array;
};
XEN_ABI_SIZE(struct xen_domctl_getpageframeinfo3, 16);

/* get/settscinfo: how the domain's TSC runs (tsc_mode 0: Xen's default),
 * its rate, and the time it has run (elapsed_nsec). */
#define XEN_TSC_MODE_DEFAULT        0
#define XEN_TSC_MODE_ALWAYS_EMULATE 1
#define XEN_TSC_MODE_NEVER_EMULATE  2

struct xen_domctl_tsc_info
{
    uint32_t tsc_mode;
    uint32_t gtsc_khz;
    uint32_t incarnation;
    uint32_t pad;
    uint64_t elapsed_nsec;
};
XEN_ABI_OFFSET(struct xen_domctl_tsc_info, elapsed_nsec, 16);
XEN_ABI_SIZE(struct xen_domctl_tsc_info, 24);

/* set_broken_page_p2m: the guest frame pfn is broken (restore). */
struct xen_domctl_set_broken_page_p2m
{
    uint64_t pfn;
};
XEN_ABI_SIZE(struct xen_domctl_set_broken_page_p2m, 8);

/* vm_event_op: set up, tear down or kick one of a domain's event rings
 * (public/vm_event.h). Wren has the monitor ring only. */
#define XEN_VM_EVENT_ENABLE      0 /* OUT u.enable.port: the listener binds it */
#define XEN_VM_EVENT_DISABLE     1
#define XEN_VM_EVENT_RESUME      2 /* take the responses on the ring now */
#define XEN_VM_EVENT_GET_VERSION 3 /* OUT u.version: VM_EVENT_INTERFACE_VERSION */

#define XEN_DOMCTL_VM_EVENT_OP_PAGING  1
#define XEN_DOMCTL_VM_EVENT_OP_MONITOR 2 /* mem_access events */
#define XEN_DOMCTL_VM_EVENT_OP_SHARING 3

struct xen_domctl_vm_event_op
{
    uint32_t op;   /* XEN_VM_EVENT_* */
    uint32_t mode; /* XEN_DOMCTL_VM_EVENT_OP_* */
    union
    {
        struct
        {
            uint32_t port; /* OUT: the target's port for the ring */
        } enable;
        uint32_t version;
    } u;
};
XEN_ABI_SIZE(struct xen_domctl_vm_event_op, 12);

/* set_access_required: with no listener, an access a page's access
 * refuses crashes the domain (1) or restores the page's access (0). */
struct xen_domctl_set_access_required
{
    uint8_t access_required;
};
XEN_ABI_SIZE(struct xen_domctl_set_access_required, 1);

struct xen_domctl_setdomainhandle
{
    xen_domain_handle_t handle;
};
XEN_ABI_SIZE(struct xen_domctl_setdomainhandle, 16);

/* --- mem_sharing_op ------------------------------------------------------ */

#define XEN_DOMCTL_MEM_SHARING_CONTROL 0 /* u.enable: allow sharing the domain's RAM */

struct xen_domctl_mem_sharing_op
{
    uint8_t op; /* XEN_DOMCTL_MEM_SHARING_* */
    union
    {
        uint8_t enable;
    } u;
};
XEN_ABI_SIZE(struct xen_domctl_mem_sharing_op, 2);

/* --- the call ------------------------------------------------------------ */

struct xen_domctl
{
    uint32_t cmd;               /* XEN_DOMCTL_* */
    uint32_t interface_version; /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t domain;             /* the target */
    uint16_t pad[3];
    union
    {
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_shadow_op shadow_op;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_wren_p2m wren_p2m; /* wren.h */
        struct xen_domctl_paging_mempool paging_mempool;
        struct xen_domctl_hvmcontext hvmcontext;
        struct xen_domctl_vcpucontext vcpucontext;
        struct xen_domctl_setdomainhandle setdomainhandle;
        struct xen_domctl_getpageframeinfo3 getpageframeinfo3;
        struct xen_domctl_tsc_info tsc_info;
        struct xen_domctl_set_broken_page_p2m set_broken_page_p2m;
        struct xen_domctl_mem_sharing_op mem_sharing_op;
        struct xen_domctl_vm_event_op vm_event_op;
        struct xen_domctl_set_access_required access_required;
        struct xen_domctl_wren_vm_event wren_vm_event; /* wren.h */
        uint8_t pad[128];                              /* fixes the size; new members must fit */
    } u;
};
typedef struct xen_domctl xen_domctl_t;
XEN_ABI_OFFSET(struct xen_domctl, u, 16);
XEN_ABI_SIZE(struct xen_domctl, 144);

#endif /* WREN_PUBLIC_DOMCTL_H */
