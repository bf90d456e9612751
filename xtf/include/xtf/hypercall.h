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

extern uint8_t hypercall_page[PAGE_SIZE];

/* True on AMD/Hygon (VMMCALL), false on Intel and others (VMCALL). */
extern bool xtf_hc_vmmcall;

static inline long hypercall_via_page(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3,
                                      uint64_t a4, uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    long ret;

    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : [stub] "r"(hypercall_page + nr * 32)
                     : "memory", "rcx", "r9", "r11");
    return ret;
}

static inline long hypercall_raw(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                 uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    long ret = (long)nr;

    if ( xtf_hc_vmmcall )
        __asm__ volatile("vmmcall"
                         : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)::"memory",
                           "rcx", "r9", "r11");
    else
        __asm__ volatile("vmcall"
                         : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)::"memory",
                           "rcx", "r9", "r11");
    return ret;
}

static inline long xtf_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                 uint64_t a5)
{
    if ( nr < XEN_HYPERCALL_PAGE_ENTRIES )
        return hypercall_via_page((unsigned int)nr, a1, a2, a3, a4, a5);
    return hypercall_raw(nr, a1, a2, a3, a4, a5);
}

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
