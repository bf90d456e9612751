/*
 * hypercall-arm64.h - how an AArch64 XTF kernel at EL1 makes a
 * hypercall: Xen's Arm ABI, `HVC #0xEA1` with the number in x16, the
 * arguments in x0..x4 and the result in x0. Included by xtf/hypercall.h
 * only; touches no state but the call's registers.
 */
#ifndef XTF_HYPERCALL_ARM64_H
#define XTF_HYPERCALL_ARM64_H

#include <xtf/types.h>

static inline long xtf_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                 uint64_t a5)
{
    register uint64_t x0 __asm__("x0") = a1;
    register uint64_t x1 __asm__("x1") = a2;
    register uint64_t x2 __asm__("x2") = a3;
    register uint64_t x3 __asm__("x3") = a4;
    register uint64_t x4 __asm__("x4") = a5;
    register uint64_t x16 __asm__("x16") = nr;

    __asm__ volatile("hvc #0xea1"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
                     : "r"(x16)
                     : "memory");
    return (long)x0;
}

#endif /* XTF_HYPERCALL_ARM64_H */
