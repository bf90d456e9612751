/*
 * xcr0-hidden - helper domU for "hvmctx-xcr0": turns XSAVE on and sets
 * XCR0 to everything CPUID offers plus PKRU (bit 9), which it does not
 * offer. Where XSETBV exits (VMX, Bochs) the hypervisor refuses it with
 * #GP and the offered XCR0 is set instead; under QEMU's SVM the XSETBV
 * intercept is ignored and the CPU takes it (the hypervisor finds it at
 * the next exit, and keeps the component per vCPU: fpu.c). Then yields
 * for ever. Prints no verdict.
 */
#include <xtf.h>
#include <xtf/xstate.h>

const char test_title[] = "hvmctx-xcr0 helper: an XCR0 beyond CPUID's";

#define XSTATE_PKRU (1ULL << 9)

void test_main(void)
{
    uint64_t xmax = xcr0_offered();

    if ( !xmax )
        xtf_shutdown(0);
    enable_xsave();
    if ( xsetbv_safe(0, xmax | XSTATE_PKRU) )
        xsetbv_safe(0, xmax);
    for ( ;; )
        hypercall_yield();
}
