/*
 * arm64/hypercall.c - how dom0 calls the hypervisor on arm64: HVC #0xEA1
 * with the number in x16, arguments in x0-x4, the result in x0 (Xen's Arm
 * ABI). It works from the first instruction, so there is no early output
 * path and nothing to set up.
 *
 * May not touch: any state; it is called from everywhere.
 */
#include <xen/xen.h>
#include "rt.h"

bool rt_hypercall_ready = true;

long hypercall(unsigned int nr, long a1, long a2, long a3, long a4, long a5)
{
    register long x0 asm("x0") = a1;
    register long x1 asm("x1") = a2;
    register long x2 asm("x2") = a3;
    register long x3 asm("x3") = a4;
    register long x4 asm("x4") = a5;
    register long x16 asm("x16") = nr;
    asm volatile("hvc #0xea1"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x16)
                 :
                 : "memory");
    return x0;
}

void rt_hypercall_init(void)
{
}

void rt_arch_early_write(const char *s, size_t n)
{
}
