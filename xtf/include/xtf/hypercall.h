/*
 * hypercall.h - calling the hypervisor.
 *
 * The runtime registers 'hypercall_page' through the MSR named by CPUID
 * leaf base+2; the hypervisor fills it with one 32-byte stub per
 * hypercall number (numbers 0..127). The x86-64 convention: RAX number,
 * RDI RSI RDX R10 R8 arguments, RAX result (negative XEN_E* on error).
 * The argument registers are treated as clobbered: Xen deliberately
 * scribbles on them in debug builds, and a guest must not rely on them.
 *
 * Numbers past the page (>= 128) can only be issued with the raw
 * VMCALL/VMMCALL instruction; xtf_hypercall() picks the right path.
 */
#ifndef XTF_HYPERCALL_H
#define XTF_HYPERCALL_H

#include <xtf/types.h>
#include <public/xen.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/dm_op.h>
#include <public/domctl.h>
#include <public/arch-x86/xen-mca.h>
#include <public/sysctl.h>
#include <xen/hypercall-defs.h>

/* xtf_hypercall(nr, a1..a5): the architecture's calling convention. */
#if defined(__aarch64__)
#include <xtf/hypercall-arm64.h>
#else
#include <xtf/hypercall-x86.h>
#endif

#define HC_PTR(p) ((uint64_t)(uintptr_t)(p))

/*
 * hypercall_<name>(): one stub per hypercall, made from its row in
 * xen/hypercall-defs.h with the caller's argument types; the toolstack
 * interfaces (domctl, sysctl) fill in interface_version first. A stub
 * returns the raw result: 0 or more, or a negative XEN_E*.
 */
#define XTF_HC_PARAM_(htype, gtype, name) gtype name
#define XTF_HC_PARAMS_1(a)                XTF_HC_PARAM_ a
#define XTF_HC_PARAMS_2(a, b)             XTF_HC_PARAM_ a, XTF_HC_PARAM_ b
#define XTF_HC_PARAMS_3(a, b, c)          XTF_HC_PARAMS_2(a, b), XTF_HC_PARAM_ c
#define XTF_HC_PARAMS_4(a, b, c, d)       XTF_HC_PARAMS_3(a, b, c), XTF_HC_PARAM_ d
#define XTF_HC_PARAMS_5(a, b, c, d, e)    XTF_HC_PARAMS_4(a, b, c, d), XTF_HC_PARAM_ e

#define XTF_HC_VALUE_(htype, gtype, name) HC_PTR(name)
#define XTF_HC_VALUES_1(a)                XTF_HC_VALUE_ a, 0, 0, 0, 0
#define XTF_HC_VALUES_2(a, b)             XTF_HC_VALUE_ a, XTF_HC_VALUE_ b, 0, 0, 0
#define XTF_HC_VALUES_3(a, b, c)          XTF_HC_VALUE_ a, XTF_HC_VALUE_ b, XTF_HC_VALUE_ c, 0, 0
#define XTF_HC_VALUES_4(a, b, c, d) \
    XTF_HC_VALUE_ a, XTF_HC_VALUE_ b, XTF_HC_VALUE_ c, XTF_HC_VALUE_ d, 0
#define XTF_HC_VALUES_5(a, b, c, d, e) \
    XTF_HC_VALUE_ a, XTF_HC_VALUE_ b, XTF_HC_VALUE_ c, XTF_HC_VALUE_ d, XTF_HC_VALUE_ e

#define XTF_HC_STUB(name, who, nargs, args)                                    \
    static inline long hypercall_##name(XTF_HC_PARAMS_##nargs args)            \
    {                                                                          \
        return xtf_hypercall(__HYPERVISOR_##name, XTF_HC_VALUES_##nargs args); \
    }
#define XTF_HC_STUB_VERSIONED(name, who, type, version)                    \
    static inline long hypercall_##name(struct type *op)                   \
    {                                                                      \
        op->interface_version = (version);                                 \
        return xtf_hypercall(__HYPERVISOR_##name, HC_PTR(op), 0, 0, 0, 0); \
    }
WREN_HYPERCALLS(XTF_HC_STUB, XTF_HC_STUB_VERSIONED)

static inline long hypercall_yield(void)
{
    return hypercall_sched_op(SCHEDOP_yield, NULL);
}

/* HVMOP_get_param on this domain; returns 0 or a negative XEN_E*. */
long hvm_get_param(uint32_t index, uint64_t *value);
long evtchn_send(uint32_t port);

/* SCHEDOP_shutdown without printing a verdict (helper guests use this). */
void __noreturn xtf_shutdown(unsigned int reason);

#endif /* XTF_HYPERCALL_H */
