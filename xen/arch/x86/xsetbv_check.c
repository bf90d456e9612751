/*
 * xsetbv_check.c - which XCR0 values a guest's XSETBV may set: the
 * architectural checks, pure, so that the host unit tests
 * (tools/tests/test-xsetbv.c) run the same code as the hypervisor.
 * May not touch: any state; it only decides.
 */
#include <xen/types.h>
#include <asm/fpu.h>

#define X86_CR4_OSXSAVE (1ULL << 18)

/*
 * The checks XSETBV makes (Intel SDM vol. 2, XSETBV; vol. 1, 13.3), with
 * "supported" meaning what CPUID offers the guest (max). Returns 0, or
 * the vector to raise: #UD without XSAVE or CR4.OSXSAVE (before any
 * other check), #GP(0) otherwise.
 */
int fpu_xsetbv_check(uint64_t max, uint32_t idx, uint64_t val, unsigned int cpl, uint64_t cr4)
{
    if ( !max || !(cr4 & X86_CR4_OSXSAVE) )
        return X86_EXC_UD;
    if ( cpl != 0 || idx != 0 )
        return X86_EXC_GP;
    if ( (val & ~max) || !(val & XSTATE_X87) )
        return X86_EXC_GP;
    if ( (val & XSTATE_YMM) && !(val & XSTATE_SSE) )
        return X86_EXC_GP;
    if ( (val & XSTATE_AVX512) && ((val & XSTATE_AVX512) != XSTATE_AVX512 || !(val & XSTATE_YMM)) )
        return X86_EXC_GP;
    return 0;
}
