/* SPDX-License-Identifier: MIT */
/*
 * hypercall-defs.h - every hypercall Wren implements, and every sub-op of
 * domctl, sysctl, memory_op, hvm_op and dm_op, as data: the one place
 * they are listed. docs/designs/hypercalls.md explains the columns.
 *
 * Only macros live here, and only lists: this file is included by the
 * hypervisor (xen/hypercall.h: prototypes; common/hypercall.c: dispatch
 * tables) and by callers (xtf/hypercall.h: the hypercall_* stubs), each of
 * which defines what a row expands to. It may not include anything or
 * declare anything itself, so that a caller of any license can use it
 * (MIT, like the public headers).
 *
 * Numbers are the public headers' (__HYPERVISOR_*, XEN_DOMCTL_*, ...);
 * an includer must have included the headers that define the ones it
 * expands.
 */
#ifndef XEN_HYPERCALL_DEFS_H
#define XEN_HYPERCALL_DEFS_H

/* The tables below are aligned by hand: the formatter leaves them alone. */
/* clang-format off */
/*
 * Hypercalls. Two row shapes:
 *
 *   HC(name, callers, nargs, (args...))
 *       number __HYPERVISOR_name, handler do_name. Each argument is
 *       (hypervisor type, caller type, name): the handler's parameter
 *       type, and the type a caller's stub takes (pointers travel as
 *       guest virtual addresses, so the hypervisor sees a uint64_t).
 *   HC_VERSIONED(name, callers, struct, version)
 *       a toolstack interface: one argument, a pointer to struct (a
 *       uint64_t address to the handler), whose interface_version the
 *       caller's stub fills in with version.
 *
 * callers: ANY domain, the PRIVILEGED (control) domain only, or the
 * DM_TARGET: the device model of the domain the call names. The
 * dispatcher refuses anyone else with -EPERM before the handler runs.
 */
#define WREN_HYPERCALLS(HC, HC_VERSIONED)                                        \
    HC(memory_op,        ANY,        2, ((uint64_t, unsigned int, cmd),           \
                                         (uint64_t, void *, arg)))                \
    HC(xen_version,      ANY,        2, ((uint64_t, unsigned int, cmd),           \
                                         (uint64_t, void *, arg)))                \
    HC(console_io,       ANY,        3, ((uint64_t, unsigned int, cmd),           \
                                         (uint64_t, uint64_t, count),             \
                                         (uint64_t, const void *, buffer)))       \
    HC(vcpu_op,          ANY,        3, ((uint64_t, unsigned int, cmd),           \
                                         (uint64_t, unsigned int, vcpuid),        \
                                         (uint64_t, void *, arg)))                \
    HC(sched_op,         ANY,        2, ((uint64_t, unsigned int, cmd),           \
                                         (uint64_t, void *, arg)))                \
    HC(event_channel_op, ANY,        2, ((int, unsigned int, cmd),                \
                                         (uint64_t, void *, arg)))                \
    HC(hvm_op,           ANY,        2, ((uint64_t, unsigned int, op),            \
                                         (uint64_t, void *, arg)))                \
    HC(grant_table_op,   ANY,        3, ((uint64_t, unsigned int, cmd),           \
                                         (uint64_t, void *, uop),                 \
                                         (uint64_t, unsigned int, count)))        \
    HC(vm_assist,        ANY,        2, ((uint64_t, unsigned int, cmd),           \
                                         (uint64_t, unsigned int, type)))         \
    HC(set_timer_op,     ANY,        1, ((uint64_t, uint64_t, timeout)))          \
    HC_VERSIONED(sysctl, PRIVILEGED, xen_sysctl, XEN_SYSCTL_INTERFACE_VERSION)    \
    HC_VERSIONED(domctl, PRIVILEGED, xen_domctl, XEN_DOMCTL_INTERFACE_VERSION)    \
    HC(dm_op,            DM_TARGET,  3, ((uint64_t, domid_t, domid),              \
                                         (uint64_t, unsigned int, nr_bufs),       \
                                         (uint64_t, void *, bufs)))               \
    HC(mca,              PRIVILEGED, 1, ((uint64_t, void *, u_xen_mc)))

/*
 * Sub-ops, one list per hypercall that dispatches on a command:
 *
 *   FAM(family, list, (handler parameters))
 *
 * Every handler of a family has the family's parameters (a handler
 * defined with others does not compile). A list row is
 *
 *   OP(family, command, handler, callers, flags)
 *
 * callers as above, checked against the target domain where the family
 * names one (domctl, dm_op). flags: 0, or RESUMABLE for a memory_op that
 * takes a resume point in the command's upper bits, or NO_TARGET for a
 * domctl whose domain field names no existing domain (createdomain: the
 * handler gets d = NULL and looks nothing up by it). A command not listed
 * is refused by the family's dispatcher (-ENOSYS; dm_op: -EOPNOTSUPP).
 */
#define WREN_SUBOP_FAMILIES(FAM)                                                  \
    FAM(domctl,    WREN_DOMCTLS,                                                  \
        (struct domain *d, struct xen_domctl *op, uint64_t arg))                  \
    FAM(sysctl,    WREN_SYSCTLS,    (struct xen_sysctl *op, uint64_t arg))        \
    FAM(memory_op, WREN_MEMORY_OPS, (unsigned int op, uint64_t start, uint64_t arg)) \
    FAM(hvm_op,    WREN_HVM_OPS,    (uint64_t arg))                               \
    FAM(dm_op,     WREN_DM_OPS,                                                   \
        (struct domain *d, struct xen_dm_op *op, const struct xen_dm_op_buf *buf))

/* The domain is looked up (-ESRCH) and domctl_lock held before the handler
 * runs (NO_TARGET: not looked up, d is NULL); arg is the guest address of
 * the whole struct xen_domctl. */
#define WREN_DOMCTLS(OP, f)                                                       \
    OP(f, XEN_DOMCTL_createdomain,            domctl_createdomain,   PRIVILEGED, NO_TARGET) \
    OP(f, XEN_DOMCTL_destroydomain,           domctl_destroy,        PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_pausedomain,             domctl_pause,          PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_unpausedomain,           domctl_unpause,        PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_resumedomain,            domctl_resume,         PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_getdomaininfo,           domctl_getdomaininfo,  PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_shadow_op,               domctl_shadow_op,      PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_max_mem,                 domctl_max_mem,        PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_max_vcpus,               domctl_max_vcpus,      PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_getvcpuinfo,             domctl_getvcpuinfo,    PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_setdomainhandle,         domctl_setdomainhandle, PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_gethvmcontext,           domctl_hvmcontext,     PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_sethvmcontext,           domctl_hvmcontext,     PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_setvcpucontext,          domctl_setvcpucontext, PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_get_paging_mempool_size, domctl_paging_mempool, PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_set_paging_mempool_size, domctl_paging_mempool, PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_wren_p2m,                domctl_p2m_debug,      PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_wren_logdirty,           domctl_logdirty,       PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_wren_ioreq,              domctl_wren_ioreq,     PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_wren_dirty_ring,         domctl_dirty_ring,     PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_settscinfo,              domctl_tscinfo,        PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_gettscinfo,              domctl_tscinfo,        PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_getpageframeinfo3,       domctl_pageframeinfo3, PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_set_broken_page_p2m,     domctl_set_broken_page, PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_mem_sharing_op,          domctl_mem_sharing_op, PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_vm_event_op,             domctl_vm_event_op,    PRIVILEGED, NO_TARGET) \
    OP(f, XEN_DOMCTL_set_access_required,     domctl_set_access_required, PRIVILEGED, 0) \
    OP(f, XEN_DOMCTL_wren_vm_event,           domctl_wren_vm_event,  PRIVILEGED, 0)

#define WREN_SYSCTLS(OP, f)                                                       \
    OP(f, XEN_SYSCTL_readconsole,             sysctl_readconsole,    PRIVILEGED, 0) \
    OP(f, XEN_SYSCTL_getdomaininfolist,       sysctl_getdomaininfolist, PRIVILEGED, 0) \
    OP(f, XEN_SYSCTL_physinfo,                sysctl_physinfo,       PRIVILEGED, 0) \
    OP(f, XEN_SYSCTL_wren_vcpu_load,          sysctl_wren_vcpu_load, PRIVILEGED, 0) \
    OP(f, XEN_SYSCTL_wren_frame,              sysctl_wren_frame,     PRIVILEGED, 0) \
    OP(f, XEN_SYSCTL_wren_link,               sysctl_wren_link,      PRIVILEGED, 0)

/* Not offered, so -ENOSYS: increase_reservation (PVH guests use
 * populate_physmap) and maximum_ram_page (the page allocator does not
 * export the highest machine frame yet). add_to_physmap_batch checks
 * privilege itself: it is refused for other reasons first. */
#define WREN_MEMORY_OPS(OP, f)                                                    \
    OP(f, XENMEM_decrease_reservation,        memop_reservation,     ANY, RESUMABLE) \
    OP(f, XENMEM_current_reservation,         memop_domain_count,    ANY, 0)     \
    OP(f, XENMEM_maximum_reservation,         memop_domain_count,    ANY, 0)     \
    OP(f, XENMEM_populate_physmap,            memop_reservation,     ANY, RESUMABLE) \
    OP(f, XENMEM_add_to_physmap,              memop_add_to_physmap,  ANY, 0)     \
    OP(f, XENMEM_memory_map,                  memop_memory_map,      ANY, 0)     \
    OP(f, XENMEM_set_memory_map,              memop_set_memory_map,  PRIVILEGED, 0) \
    OP(f, XENMEM_maximum_gpfn,                memop_domain_count,    ANY, 0)     \
    OP(f, XENMEM_remove_from_physmap,         memop_remove_from_physmap, ANY, 0) \
    OP(f, XENMEM_access_op,                   memop_access_op,       DM_TARGET, RESUMABLE) \
    OP(f, XENMEM_add_to_physmap_batch,        memop_add_to_physmap_batch, ANY, 0) \
    OP(f, XENMEM_acquire_resource,            memop_acquire_resource, ANY, 0) \
    OP(f, XENMEM_get_sharing_freed_pages,     memop_sharing_counts,  ANY, 0)     \
    OP(f, XENMEM_get_sharing_shared_pages,    memop_sharing_counts,  ANY, 0)     \
    OP(f, XENMEM_sharing_op,                  memop_sharing_op,      PRIVILEGED, 0)

/* Which parameters a domU may touch depends on the parameter: the
 * handlers decide (hvm_op.c). */
#define WREN_HVM_OPS(OP, f)                                                       \
    OP(f, HVMOP_set_param,                    hvmop_set_param,       ANY, 0)     \
    OP(f, HVMOP_get_param,                    hvmop_get_param,       ANY, 0)     \
    OP(f, HVMOP_get_mem_type,                 hvmop_get_mem_type,    ANY, 0)     \
    OP(f, HVMOP_set_evtchn_upcall_vector,     hvmop_set_evtchn_upcall_vector, ANY, 0) \
    OP(f, HVMOP_altp2m,                       hvmop_altp2m,          ANY, 0)

/* d is the target, already looked up; buf is the first buffer, whose size
 * is at least the fixed part of struct xen_dm_op. */
#define WREN_DM_OPS(OP, f)                                                        \
    OP(f, XEN_DMOP_modified_memory,           dmop_modified_memory,  DM_TARGET, 0) \
    OP(f, XEN_DMOP_set_mem_type,              dmop_set_mem_type,     DM_TARGET, 0) \
    OP(f, XEN_DMOP_map_mem_type_to_ioreq_server, dmop_map_mem_type_to_ioreq_server, DM_TARGET, 0) \
    OP(f, XEN_DMOP_create_ioreq_server,       dmop_create_ioreq_server, DM_TARGET, 0) \
    OP(f, XEN_DMOP_get_ioreq_server_info,     dmop_get_ioreq_server_info, DM_TARGET, 0) \
    OP(f, XEN_DMOP_map_io_range_to_ioreq_server, dmop_map_io_range,  DM_TARGET, 0) \
    OP(f, XEN_DMOP_unmap_io_range_from_ioreq_server, dmop_unmap_io_range, DM_TARGET, 0) \
    OP(f, XEN_DMOP_set_ioreq_server_state,    dmop_set_ioreq_server_state, DM_TARGET, 0) \
    OP(f, XEN_DMOP_destroy_ioreq_server,      dmop_destroy_ioreq_server, DM_TARGET, 0)

/* clang-format on */

#endif /* XEN_HYPERCALL_DEFS_H */
