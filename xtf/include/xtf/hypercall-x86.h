/*
 * hypercall-x86.h - how an x86-64 XTF kernel makes a hypercall: through
 * the hypercall page (x86-64 convention: RDI RSI RDX R10 R8, result in
 * RAX) or, past the page, by raw VMCALL/VMMCALL. Included by
 * xtf/hypercall.h only; touches no state but the call's registers.
 */
#ifndef XTF_HYPERCALL_X86_H
#define XTF_HYPERCALL_X86_H

#include <xtf/types.h>
#include <public/xen.h>

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

#endif /* XTF_HYPERCALL_X86_H */
