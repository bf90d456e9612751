/*
 * arm64-el1-scribbler - helper domU for the "arm64-el1-regs" test: keeps
 * writing its own values (0x0000dead....) into CNTP_CVAL_EL0,
 * DBGBVR0_EL1, DBGWVR0_EL1 and PMCCFILTR_EL0 (its U bit), yielding in between, for
 * ever. Prints no verdict; touches nothing but registers EL1 may write.
 */
#include <xtf.h>

const char test_title[] = "arm64-el1-regs helper: scribbler";

void test_main(void)
{
    uint64_t junk = 0x0000dead00000000UL;

    for ( ;; )
    {
        junk += 0x10000;
        write_sysreg(junk, cntp_cval_el0);
        write_sysreg(junk, dbgbvr0_el1);
        write_sysreg(junk, dbgwvr0_el1);
        write_sysreg(1UL << 30, pmccfiltr_el0); /* U: not at EL0 */
        asm volatile("isb" ::: "memory");
        hypercall_yield();
    }
}
