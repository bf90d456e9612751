/*
 * arm64-el1-scribbler - helper domU for the "arm64-el1-regs" test: keeps
 * writing its own values (0x0000dead....) into CNTP_CVAL_EL0,
 * DBGBVR0_EL1, DBGWVR0_EL1, PMCCFILTR_EL0 (its U bit), TPIDR2_EL0,
 * DISR_EL1, ICC_AP0R0_EL1 and ERRSELR_EL1 (skipped where UNDEFINED), yielding in between, for
 * ever. Prints no verdict; touches nothing but registers EL1 may write.
 */
#include <xtf.h>

const char test_title[] = "arm64-el1-regs helper: scribbler";

/* A register this CPU does not implement is UNDEFINED at EL1: skip it. */
static bool skip_undef(uint64_t kind, uint64_t *regs)
{
    write_sysreg(read_sysreg(elr_el1) + 4, elr_el1);
    return true;
}

void test_main(void)
{
    uint64_t junk = 0x0000dead00000000UL;

    xtf_exception_hook = skip_undef;
    for ( ;; )
    {
        junk += 0x10000;
        write_sysreg(junk, cntp_cval_el0);
        write_sysreg(junk, dbgbvr0_el1);
        write_sysreg(junk, dbgwvr0_el1);
        write_sysreg(1UL << 30, pmccfiltr_el0);         /* U: not at EL0 */
        write_sysreg(junk, S3_3_C13_C0_5);              /* TPIDR2_EL0 (SME) */
        write_sysreg(junk & 0xffffffUL, S3_0_C12_C1_1); /* DISR_EL1 (RAS) */
        write_sysreg(1UL << 31, S3_0_C12_C8_4);         /* ICC_AP0R0_EL1 */
        write_sysreg(1, S3_0_C5_C3_1);                  /* ERRSELR_EL1 */
        asm volatile("isb" ::: "memory");
        hypercall_yield();
    }
}
