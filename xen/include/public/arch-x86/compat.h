/* SPDX-License-Identifier: MIT */
/*
 * arch-x86/compat.h - the 32-bit ("compat") layouts of the guest ABI
 * structs whose x86-32 layout differs from the x86-64 one in the other
 * public headers.
 *
 * A guest running in 32-bit mode (no EFER.LMA, or a 32-bit code segment)
 * passes its structs as a 32-bit compiler lays them out: a guest handle,
 * an "unsigned long" and a frame number are 32 bits, and a uint64_t is
 * aligned to 4 bytes only. The hypervisor translates these to the native
 * structs (xen/common/compat*.c); a 32-bit guest may include this header
 * to build them. Every type here is written with explicit widths, so the
 * layout is the same whichever compiler reads it (-m32 or -m64), and the
 * size and offset checks below hold in both.
 *
 * Structs not listed here have the same layout in both modes; the
 * hypervisor's compat layer checks that with _Static_assert.
 *
 * Only <stdint.h>/<stddef.h> (through xen.h) may be included; no code.
 * Numbers and layouts are Xen's public ABI; the text is Wren's own.
 */
#ifndef WREN_PUBLIC_ARCH_X86_COMPAT_H
#define WREN_PUBLIC_ARCH_X86_COMPAT_H

#include "../xen.h"
#include "../event_channel.h"
#include "../memory.h"
#include "../sched.h"
#include "../vcpu.h"
#include "../version.h"
#include "../hvm/hvm_op.h"
#include "../hvm/hvm_vcpu.h"

typedef uint32_t compat_ulong_t;  /* "unsigned long" of a 32-bit guest */
typedef uint32_t compat_pfn_t;    /* xen_pfn_t of a 32-bit guest */
typedef uint32_t compat_handle_t; /* a guest pointer of a 32-bit guest */
/* i386 aligns a uint64_t member to 4 bytes; a typedef may lower it. */
typedef uint64_t __attribute__((__aligned__(4))) compat_uint64_t;

/* --- memory_op ---------------------------------------------------------- */

struct compat_memory_reservation
{
    compat_handle_t extent_start; /* array of compat_pfn_t */
    compat_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    domid_t domid;
    uint16_t _pad; /* tail padding: not read */
};
XEN_ABI_SIZE(struct compat_memory_reservation, 20);
XEN_ABI_OFFSET(struct compat_memory_reservation, extent_order, 8);
XEN_ABI_OFFSET(struct compat_memory_reservation, domid, 16);

struct compat_add_to_physmap
{
    domid_t domid;
    uint16_t size;
    uint32_t space;
    compat_ulong_t idx;
    compat_pfn_t gpfn;
};
XEN_ABI_SIZE(struct compat_add_to_physmap, 16);
XEN_ABI_OFFSET(struct compat_add_to_physmap, idx, 8);
XEN_ABI_OFFSET(struct compat_add_to_physmap, gpfn, 12);

struct compat_add_to_physmap_batch
{
    domid_t domid;
    uint16_t space;
    uint16_t size;
    union
    {
        domid_t foreign_domid;
        uint16_t res0;
    } u;
    compat_handle_t idxs;  /* array of compat_ulong_t */
    compat_handle_t gpfns; /* array of compat_pfn_t */
    compat_handle_t errs;  /* array of int32_t */
};
XEN_ABI_SIZE(struct compat_add_to_physmap_batch, 20);
XEN_ABI_OFFSET(struct compat_add_to_physmap_batch, idxs, 8);
XEN_ABI_OFFSET(struct compat_add_to_physmap_batch, errs, 16);

struct compat_remove_from_physmap
{
    domid_t domid;
    uint16_t _pad;
    compat_pfn_t gpfn;
};
XEN_ABI_SIZE(struct compat_remove_from_physmap, 8);
XEN_ABI_OFFSET(struct compat_remove_from_physmap, gpfn, 4);

struct compat_memory_map
{
    uint32_t nr_entries;
    compat_handle_t buffer; /* array of struct xen_e820_entry (same layout) */
};
XEN_ABI_SIZE(struct compat_memory_map, 8);
XEN_ABI_OFFSET(struct compat_memory_map, buffer, 4);

/* --- xen_version -------------------------------------------------------- */

struct compat_platform_parameters
{
    compat_ulong_t virt_start;
};
XEN_ABI_SIZE(struct compat_platform_parameters, 4);

/* --- sched_op ----------------------------------------------------------- */

struct compat_sched_poll
{
    compat_handle_t ports; /* array of evtchn_port_t (same layout) */
    uint32_t nr_ports;
    compat_uint64_t timeout;
};
XEN_ABI_SIZE(struct compat_sched_poll, 16);
XEN_ABI_OFFSET(struct compat_sched_poll, timeout, 8);

/* --- vcpu_op ------------------------------------------------------------ */

struct compat_vcpu_set_singleshot_timer
{
    compat_uint64_t timeout_abs_ns;
    uint32_t flags;
};
XEN_ABI_SIZE(struct compat_vcpu_set_singleshot_timer, 12);
XEN_ABI_OFFSET(struct compat_vcpu_set_singleshot_timer, flags, 8);

struct compat_vcpu_runstate_info
{
    int32_t state;
    compat_uint64_t state_entry_time;
    compat_uint64_t time[4];
};
XEN_ABI_SIZE(struct compat_vcpu_runstate_info, 44);
XEN_ABI_OFFSET(struct compat_vcpu_runstate_info, state_entry_time, 4);
XEN_ABI_OFFSET(struct compat_vcpu_runstate_info, time, 12);

/*
 * register_runstate_memory_area and register_vcpu_time_memory_area: in
 * Xen a union of a handle and a uint64_t, so 8 bytes in both modes; a
 * 32-bit guest's handle is the low half, and the high half is not read.
 */
struct compat_vcpu_register_memory_area
{
    compat_handle_t addr;
    uint32_t _hi;
};
XEN_ABI_SIZE(struct compat_vcpu_register_memory_area, 8);

/* --- dm_op -------------------------------------------------------------- */

struct compat_dm_op_buf
{
    compat_handle_t h;
    compat_ulong_t size;
};
XEN_ABI_SIZE(struct compat_dm_op_buf, 8);
XEN_ABI_OFFSET(struct compat_dm_op_buf, size, 4);

/* --- grant_table_op ------------------------------------------------------
 * map_grant_ref, unmap_grant_ref, query_size, set_version and get_version
 * have one layout in both modes (tools/tests/test-compat.c checks them
 * against an i386 description: grant_table.h itself does not compile
 * under -m32); these two do not.
 */

struct compat_gnttab_setup_table
{
    domid_t dom;
    uint16_t _pad;
    uint32_t nr_frames;
    int16_t status;
    uint16_t _pad2;
    compat_handle_t frame_list; /* array of compat_pfn_t (OUT) */
};
XEN_ABI_SIZE(struct compat_gnttab_setup_table, 16);
XEN_ABI_OFFSET(struct compat_gnttab_setup_table, status, 8);
XEN_ABI_OFFSET(struct compat_gnttab_setup_table, frame_list, 12);

struct compat_gnttab_copy_ptr
{
    union
    {
        uint32_t ref; /* grant_ref_t */
        compat_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
};
XEN_ABI_SIZE(struct compat_gnttab_copy_ptr, 8);

struct compat_gnttab_copy
{
    struct compat_gnttab_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags;
    int16_t status;
    uint16_t _pad;
};
XEN_ABI_SIZE(struct compat_gnttab_copy, 24);
XEN_ABI_OFFSET(struct compat_gnttab_copy, len, 16);
XEN_ABI_OFFSET(struct compat_gnttab_copy, status, 20);

/* --- shared_info and vcpu_info of a 32-bit guest ------------------------ */

struct compat_arch_vcpu_info
{
    uint32_t cr2;
    uint32_t pad[5];
};
XEN_ABI_SIZE(struct compat_arch_vcpu_info, 24);

struct compat_vcpu_info
{
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t pad0[2];
    compat_ulong_t evtchn_pending_sel;
    struct compat_arch_vcpu_info arch;
    struct vcpu_time_info time; /* same layout in both modes */
};
XEN_ABI_SIZE(struct compat_vcpu_info, 64);
XEN_ABI_OFFSET(struct compat_vcpu_info, evtchn_pending_sel, 4);
XEN_ABI_OFFSET(struct compat_vcpu_info, arch, 8);
XEN_ABI_OFFSET(struct compat_vcpu_info, time, 32);

struct compat_arch_shared_info
{
    compat_ulong_t max_pfn;
    compat_pfn_t pfn_to_mfn_frame_list_list;
    compat_ulong_t nmi_reason;
    compat_ulong_t p2m_cr3;
    compat_ulong_t p2m_vaddr;
    compat_ulong_t p2m_generation;
    uint32_t wc_sec_hi; /* on x86-32 the wallclock's high half lives here */
};
XEN_ABI_SIZE(struct compat_arch_shared_info, 28);

struct compat_shared_info
{
    struct compat_vcpu_info vcpu_info[32]; /* x86's XEN_LEGACY_MAX_VCPUS */
    compat_ulong_t evtchn_pending[32];     /* 32 words * 32 bits: 1024 ports */
    compat_ulong_t evtchn_mask[32];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    struct compat_arch_shared_info arch;
};
XEN_ABI_OFFSET(struct compat_shared_info, evtchn_pending, 2048);
XEN_ABI_OFFSET(struct compat_shared_info, evtchn_mask, 2176);
XEN_ABI_OFFSET(struct compat_shared_info, wc_version, 2304);
XEN_ABI_OFFSET(struct compat_shared_info, arch, 2316);
XEN_ABI_SIZE(struct compat_shared_info, 2344);

/*
 * --- structs with the same layout in both modes -------------------------
 * The compat layer passes these through (SAME rows in common/compat.c).
 * The public headers check their sizes; the offsets of every member that
 * i386 could align differently (a uint64_t past offset 0) are checked
 * here. Both the hypervisor (-m64) and the 32-bit test kernels (-m32)
 * include this header, so each check holds for both layouts.
 */
XEN_ABI_SIZE(struct evtchn_init_control, 24);
XEN_ABI_OFFSET(struct evtchn_init_control, offset, 8);
XEN_ABI_SIZE(struct evtchn_status, 24);
XEN_ABI_OFFSET(struct evtchn_status, u, 16);
XEN_ABI_SIZE(struct evtchn_alloc_unbound, 8);
XEN_ABI_OFFSET(struct xen_hvm_param, value, 8);
XEN_ABI_SIZE(struct xen_hvm_param, 16);
XEN_ABI_OFFSET(struct xen_hvm_get_mem_type, pfn, 8);
XEN_ABI_OFFSET(struct vcpu_hvm_context, cpu_regs, 8);
XEN_ABI_SIZE(struct vcpu_hvm_context, 128);
XEN_ABI_OFFSET(struct vcpu_hvm_x86_32, efer, 56);
XEN_ABI_OFFSET(struct vcpu_register_vcpu_info, offset, 8);
XEN_ABI_SIZE(struct vcpu_register_vcpu_info, 16);
XEN_ABI_OFFSET(struct vcpu_time_info, tsc_timestamp, 8);
XEN_ABI_OFFSET(struct vcpu_time_info, tsc_to_system_mul, 24);
XEN_ABI_SIZE(struct vcpu_set_periodic_timer, 8);
XEN_ABI_OFFSET(struct sched_remote_shutdown, reason, 4);
XEN_ABI_SIZE(struct sched_shutdown, 4);
XEN_ABI_SIZE(struct xen_feature_info, 8);
XEN_ABI_SIZE(struct xen_e820_entry, 20);

/* Event channel ports of a 32-bit guest in the 2-level ABI. */
#define COMPAT_NR_EVENT_CHANNELS (32 * 32)

#endif /* WREN_PUBLIC_ARCH_X86_COMPAT_H */
