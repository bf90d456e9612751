/* SPDX-License-Identifier: MIT */
/*
 * hypercall-defs.h - every hypercall Wren implements, as data: the one
 * place they are listed.
 *
 * Only macros live here, and only lists: this file is included by the
 * hypervisor (xen/hypercall.h: prototypes; common/hypercall.c: dispatch
 * table) and by callers (xtf/hypercall.h: the hypercall_* stubs), each of
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
    HC_VERSIONED(sysctl, PRIVILEGED, xen_sysctl, XEN_SYSCTL_INTERFACE_VERSION)    \
    HC_VERSIONED(domctl, PRIVILEGED, xen_domctl, XEN_DOMCTL_INTERFACE_VERSION)    \
    HC(dm_op,            DM_TARGET,  3, ((uint64_t, domid_t, domid),              \
                                         (uint64_t, unsigned int, nr_bufs),       \
                                         (uint64_t, void *, bufs)))

#endif /* XEN_HYPERCALL_DEFS_H */
