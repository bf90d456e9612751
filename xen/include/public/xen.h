/* SPDX-License-Identifier: MIT */
/*
 * xen.h - the core of the guest ABI Wren shares with Xen.
 *
 * Everything a guest needs before it can talk to the hypervisor at all:
 * hypercall numbers, domain ids, the console_io commands and the layout
 * of the shared_info page. Numbers and layouts are facts of Xen's public
 * ABI (x86-64 flavour) so that unmodified Xen guests work unchanged; the
 * text is Wren's own. Compiles freestanding and hosted: only <stdint.h>
 * and <stddef.h> may be included. No bitfields; every struct's size is
 * checked at compile time.
 *
 * Guest handles: a field that carries a guest pointer is a plain uint64_t
 * holding the guest virtual (for PVH/HVM: linear) address. The pointee type
 * is written in XEN_GUEST_HANDLE(type) only for the reader. A hypervisor
 * can therefore never dereference one by accident, and a guest fills it
 * with set_xen_guest_handle(field, ptr).
 */
#ifndef WREN_PUBLIC_XEN_H
#define WREN_PUBLIC_XEN_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
#define XEN_ABI_CHECK(cond) static_assert(cond, #cond)
#else
#define XEN_ABI_CHECK(cond) _Static_assert(cond, #cond)
#endif
#define XEN_ABI_SIZE(type, bytes)        XEN_ABI_CHECK(sizeof(type) == (bytes))
#define XEN_ABI_OFFSET(type, field, off) XEN_ABI_CHECK(offsetof(type, field) == (off))

/* --- basic types (x86-64) ----------------------------------------------- */

typedef uint64_t xen_ulong_t; /* "unsigned long" in Xen's x86-64 ABI */
typedef uint64_t xen_pfn_t;   /* a guest frame number */
typedef uint16_t domid_t;
typedef uint64_t xen_guest_handle_t;

#define XEN_GUEST_HANDLE(type)         xen_guest_handle_t
#define XEN_GUEST_HANDLE_64(type)      xen_guest_handle_t
#define set_xen_guest_handle(hnd, ptr) ((hnd) = (xen_guest_handle_t)(uintptr_t)(ptr))

/* A domain's 128-bit UUID-like handle, set by the toolstack. */
typedef uint8_t xen_domain_handle_t[16];

/* --- hypercall numbers ---------------------------------------------------
 * x86-64 calling convention: RAX = number; RDI, RSI, RDX, R10, R8 = args
 * 1..5; result in RAX (negative errno on failure, see errno.h). Guests
 * enter through hypercall_page + number * 32.
 */
#define __HYPERVISOR_set_trap_table                0
#define __HYPERVISOR_mmu_update                    1
#define __HYPERVISOR_set_gdt                       2
#define __HYPERVISOR_stack_switch                  3
#define __HYPERVISOR_set_callbacks                 4
#define __HYPERVISOR_fpu_taskswitch                5
#define __HYPERVISOR_sched_op_compat               6
#define __HYPERVISOR_platform_op                   7
#define __HYPERVISOR_set_debugreg                  8
#define __HYPERVISOR_get_debugreg                  9
#define __HYPERVISOR_update_descriptor             10
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42

/* Numbers reserved for each architecture's own hypercalls. */
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_1 49
#define __HYPERVISOR_arch_2 50
#define __HYPERVISOR_arch_3 51
#define __HYPERVISOR_arch_4 52
#define __HYPERVISOR_arch_5 53
#define __HYPERVISOR_arch_6 54
#define __HYPERVISOR_arch_7 55

/* The hypercall page holds one 32-byte stub per number. */
#define XEN_HYPERCALL_STUB_SIZE    32
#define XEN_HYPERCALL_PAGE_ENTRIES (4096 / XEN_HYPERCALL_STUB_SIZE)

/* --- virtual interrupts (bound with EVTCHNOP_bind_virq) ------------------ */
#define VIRQ_TIMER      0 /* per vCPU: timer tick / timeout */
#define VIRQ_DEBUG      1 /* per vCPU: dump debug state */
#define VIRQ_CONSOLE    2 /* global, dom0: bytes arrived on the console */
#define VIRQ_DOM_EXC    3 /* global, dom0: some domain changed state */
#define VIRQ_TBUF       4
#define VIRQ_DEBUGGER   6
#define VIRQ_XENOPROF   7
#define VIRQ_CON_RING   8
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT  10
#define VIRQ_ARGO       11
#define VIRQ_ENOMEM     12
#define VIRQ_XENPMU     13
#define VIRQ_ARCH_0     16
#define NR_VIRQS        24

/* --- console_io ---------------------------------------------------------- */
/* console_io(cmd, count, buffer): write or read the hypervisor console. */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* --- vm_assist ----------------------------------------------------------- */
#define VMASST_CMD_enable  0
#define VMASST_CMD_disable 1
/* The one assist HVM and PVH guests may use: Xen sets bit 63 of a
 * registered runstate area's state_entry_time while rewriting it. */
#define VMASST_TYPE_runstate_update_flag 5

/* --- domain ids ---------------------------------------------------------- */
/* Ids at or above this value name something other than a real domain. */
#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF           0x7FF0U /* the calling domain */
#define DOMID_IO             0x7FF1U /* owner of I/O (MMIO) frames */
#define DOMID_XEN            0x7FF2U /* the hypervisor itself */
#define DOMID_COW            0x7FF3U /* owner of shared copy-on-write frames */
#define DOMID_INVALID        0x7FF4U
#define DOMID_IDLE           0x7FFFU /* the idle domain */
#define DOMID_MASK           0x7FFFU

/* --- start-of-day flags (start_info / hvm_start_info .flags) ------------- */
#define SIF_PRIVILEGED      (1U << 0) /* may use privileged operations */
#define SIF_INITDOMAIN      (1U << 1) /* this is the initial control domain */
#define SIF_MULTIBOOT_MOD   (1U << 2)
#define SIF_MOD_START_PFN   (1U << 3)
#define SIF_VIRT_P2M_4TOOLS (1U << 4)
#define SIF_PM_MASK         (0xFFU << 8)

/* Event channel ports per domain in the 2-level ABI: 64 words * 64 bits. */
#define NR_EVENT_CHANNELS (64 * 64)

/* --- shared_info and vcpu_info ------------------------------------------ */

/* Per-vCPU system time; readers retry while 'version' is odd or changed. */
struct vcpu_time_info
{
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* TSC when the fields below were written */
    uint64_t system_time;       /* ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul; /* ns = ((tsc delta << shift) * mul) >> 32 */
    int8_t tsc_shift;
    uint8_t flags; /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;
XEN_ABI_SIZE(struct vcpu_time_info, 32);

#define XEN_PVCLOCK_TSC_STABLE_BIT (1U << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1U << 1)

/* What differs between the architectures' layouts: arch_vcpu_info,
 * arch_shared_info, XEN_LEGACY_MAX_VCPUS (vCPUs whose vcpu_info lives in
 * shared_info; others register their own) and the XEN_ABI_* numbers the
 * checks below use. */
#if defined(__aarch64__)
#include "arch-arm64/xen.h"
#else
#include "arch-x86/xen.h"
#endif

struct vcpu_info
{
    uint8_t evtchn_upcall_pending; /* set by Xen, cleared by the guest */
    uint8_t evtchn_upcall_mask;    /* guest: non-zero blocks upcalls */
    uint8_t pad0[6];
    xen_ulong_t evtchn_pending_sel; /* which evtchn_pending words to scan */
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;
XEN_ABI_SIZE(struct vcpu_info, XEN_ABI_VCPU_INFO_SIZE);
XEN_ABI_OFFSET(struct vcpu_info, evtchn_pending_sel, 8);
XEN_ABI_OFFSET(struct vcpu_info, time, XEN_ABI_VCPU_INFO_TIME);

struct shared_info
{
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[64]; /* one bit per port */
    xen_ulong_t evtchn_mask[64];    /* one bit per port; guest-owned */
    uint32_t wc_version;            /* odd while wallclock is updated */
    uint32_t wc_sec;                /* wallclock at system time 0 */
    uint32_t wc_nsec;
    uint32_t wc_sec_hi; /* upper 32 bits of wc_sec */
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;
XEN_ABI_OFFSET(struct shared_info, evtchn_pending, XEN_ABI_SHINFO_PENDING);
XEN_ABI_OFFSET(struct shared_info, evtchn_mask, XEN_ABI_SHINFO_PENDING + 512);
XEN_ABI_OFFSET(struct shared_info, wc_version, XEN_ABI_SHINFO_PENDING + 1024);
XEN_ABI_OFFSET(struct shared_info, arch, XEN_ABI_SHINFO_PENDING + 1040);
XEN_ABI_SIZE(struct shared_info, XEN_ABI_SHINFO_SIZE);

#endif /* WREN_PUBLIC_XEN_H */
