/* SPDX-License-Identifier: MIT */
/*
 * vcpu.h - the vcpu_op hypercall: start, stop and query virtual CPUs.
 *
 * vcpu_op(cmd, vcpuid, arg). For HVM and PVH domains VCPUOP_initialise
 * takes a struct vcpu_hvm_context (hvm/hvm_vcpu.h); a vCPU so initialised
 * starts running after VCPUOP_up. Numbers and layouts follow Xen.
 */
#ifndef WREN_PUBLIC_VCPU_H
#define WREN_PUBLIC_VCPU_H

#include "xen.h"

#define VCPUOP_initialise                     0 /* HVM: struct vcpu_hvm_context */
#define VCPUOP_up                             1 /* arg NULL */
#define VCPUOP_down                           2 /* arg NULL */
#define VCPUOP_is_up                          3 /* arg NULL; returns 0 or 1 */
#define VCPUOP_get_runstate_info              4 /* struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer             6 /* struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer            7
#define VCPUOP_set_singleshot_timer           8 /* struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer          9
#define VCPUOP_register_vcpu_info             10 /* struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                       11
#define VCPUOP_get_physid                     12 /* struct vcpu_get_physid */
#define VCPUOP_register_vcpu_time_memory_area 13
#define VCPUOP_register_runstate_phys_area    14
#define VCPUOP_register_vcpu_time_phys_area   15

#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

struct vcpu_runstate_info
{
    int32_t state; /* RUNSTATE_* */
    uint32_t pad;
    uint64_t state_entry_time; /* system time when 'state' was entered */
    uint64_t time[4];          /* ns spent in each RUNSTATE_* */
};
XEN_ABI_SIZE(struct vcpu_runstate_info, 48);

/* Guest address of a vcpu_runstate_info / vcpu_time_info to keep updated. */
struct vcpu_register_runstate_memory_area
{
    XEN_GUEST_HANDLE(struct vcpu_runstate_info) addr;
};
XEN_ABI_SIZE(struct vcpu_register_runstate_memory_area, 8);

struct vcpu_register_time_memory_area
{
    XEN_GUEST_HANDLE(struct vcpu_time_info) addr;
};
XEN_ABI_SIZE(struct vcpu_register_time_memory_area, 8);

struct vcpu_set_periodic_timer
{
    uint64_t period_ns;
};
XEN_ABI_SIZE(struct vcpu_set_periodic_timer, 8);

#define VCPU_SSHOTTMR_future (1U << 0) /* fail with -ETIME if in the past */

struct vcpu_set_singleshot_timer
{
    uint64_t timeout_abs_ns; /* absolute system time */
    uint32_t flags;          /* VCPU_SSHOTTMR_* */
    uint32_t pad;
};
XEN_ABI_SIZE(struct vcpu_set_singleshot_timer, 16);

/* Move this vCPU's vcpu_info out of shared_info (needed past vCPU 31). */
struct vcpu_register_vcpu_info
{
    uint64_t mfn;    /* GFN for HVM/PVH guests */
    uint32_t offset; /* within that frame */
    uint32_t rsvd;   /* must be 0 */
};
XEN_ABI_SIZE(struct vcpu_register_vcpu_info, 16);

struct vcpu_get_physid
{
    uint64_t phys_id;
};
XEN_ABI_SIZE(struct vcpu_get_physid, 8);

#endif /* WREN_PUBLIC_VCPU_H */
