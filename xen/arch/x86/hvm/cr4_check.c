/*
 * cr4_check.c - the checks a guest's MOV to CR4 must pass, the same for
 * VMX (guest.c) and SVM (svm.c): pure, so the host unit tests
 * (tools/tests/test-cr4.c) run this code. May not touch: any state.
 */
#include <xen/types.h>
#include <xen/errno.h>
#include <asm/x86.h>
#include <asm/hvm.h>

/*
 * 0, or -EINVAL where MOV to CR4 raises #GP(0) (Intel SDM vol. 3, 2.5 and
 * MOV CR; AMD APM vol. 2, 3.1.3): a bit the guest's CPUID does not offer
 * (guest_ok, from hvm_cr4_guest_ok()), PAE cleared in long mode, PCIDE
 * set outside long mode or with CR3[11:0] nonzero. The CPL check is the
 * caller's (VMX makes it before the exit).
 */
int hvm_cr4_write_check(uint64_t guest_ok, uint64_t old, uint64_t val, bool lma, uint64_t cr3)
{
    if ( val & ~guest_ok )
        return -EINVAL;
    if ( lma && !(val & X86_CR4_PAE) )
        return -EINVAL;
    if ( (val & ~old & X86_CR4_PCIDE) && (!lma || (cr3 & 0xfff)) )
        return -EINVAL;
    return 0;
}
