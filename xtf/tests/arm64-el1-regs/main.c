/*
 * arm64-el1-regs - the EL1 and EL0 registers a guest may touch without a
 * trap to a handler are its own, on qemu-arm64 with one physical CPU
 * shared with the domU arm64-el1-scribbler, which keeps writing its own
 * values (0x0000dead....) into the same registers:
 *
 *  - CNTP_CVAL_EL0 (the physical timer, CNTHCTL_EL2.EL1PCEN lets EL1
 *    reach it) holds what dom0 wrote across 200 yields;
 *  - DBGBVR0_EL1, DBGWVR0_EL1, PMCCFILTR_EL0 (trapped, read as 0) and,
 *    where the CPU has them, TPIDR2_EL0 (SME), DISR_EL1 (RAS: VDISR_EL2)
 *    and ICC_AP0R0_EL1 (ICH_AP0R0_EL2) (cleared when a vCPU leaves the
 *    CPU) read back what dom0 wrote or 0, never the domU's value;
 *  - with the cycle counter told to count only at EL2 (PMCCFILTR_EL0 P
 *    and U set, NSH set), 1000 hypercalls count no cycle: a guest
 *    cannot measure the hypervisor.
 *
 * Touches only registers of its own EL1; a register this CPU does not
 * implement (UNDEFINED at EL1) is skipped and said so.
 */
#include <xtf.h>

const char test_title[] = "EL1 timer, debug and PMU registers are the guest's own";

#define MINE      0x0000123456780000UL
#define YIELDS    200
#define CALLS     1000
#define PMCR_E    (1UL << 0)
#define PMCR_C    (1UL << 2) /* cycle counter reset */
#define PMCNT_C   (1UL << 31)
#define FILT_EL2  ((1UL << 31) | (1UL << 30) | (1UL << 27)) /* not EL1, not EL0, EL2 */
#define FILT_MINE 0x0UL

static void check(const char *name, uint64_t got, uint64_t want, bool raz_ok)
{
    if ( got == want )
        printf("  %-14s %#018lx: its own\n", name, got);
    else if ( raz_ok && got == 0 )
        printf("  %-14s reads 0 (trapped, or cleared at a switch)\n", name);
    else
        xtf_failure("%s is %#lx after the domU ran, dom0 wrote %#lx", name, got, want);
}

static void registers_own(void)
{
    write_sysreg(MINE, cntp_cval_el0);
    write_sysreg(MINE, dbgbvr0_el1);
    write_sysreg(MINE, dbgwvr0_el1);
    write_sysreg(FILT_MINE, pmccfiltr_el0);
    asm volatile("isb" ::: "memory");
    for ( unsigned int i = 0; i < YIELDS; i++ )
        hypercall_yield();
    check("CNTP_CVAL_EL0", read_sysreg(cntp_cval_el0), MINE, false);
    check("DBGBVR0_EL1", read_sysreg(dbgbvr0_el1), MINE, true);
    check("DBGWVR0_EL1", read_sysreg(dbgwvr0_el1), MINE, true);
    check("PMCCFILTR_EL0", read_sysreg(pmccfiltr_el0), FILT_MINE, true);
}

static bool faulted;

static bool skip_undef(uint64_t kind, uint64_t *regs)
{
    faulted = true;
    write_sysreg(read_sysreg(elr_el1) + 4, elr_el1);
    return true;
}

#define TRY_WRITE(v, reg)     \
    ({                        \
        faulted = false;      \
        write_sysreg(v, reg); \
        !faulted;             \
    })
#define TRY_READ(reg)     \
    ({                    \
        faulted = false;  \
        read_sysreg(reg); \
    })

/* Registers of optional features, where this CPU has them. */
static void optional_own(void)
{
    bool tp2, disr, ap0, errsel;

    xtf_exception_hook = skip_undef;
    tp2 = TRY_WRITE(MINE, S3_3_C13_C0_5);
    disr = TRY_WRITE(0x1234UL, S3_0_C12_C1_1);
    ap0 = TRY_WRITE(0, S3_0_C12_C8_4);
    errsel = TRY_WRITE(0, S3_0_C5_C3_1);
    asm volatile("isb" ::: "memory");
    for ( unsigned int i = 0; i < YIELDS; i++ )
        hypercall_yield();
    if ( tp2 )
        check("TPIDR2_EL0", TRY_READ(S3_3_C13_C0_5), MINE, true);
    if ( disr )
        check("DISR_EL1", TRY_READ(S3_0_C12_C1_1), 0x1234UL, true);
    if ( ap0 )
        check("ICC_AP0R0_EL1", TRY_READ(S3_0_C12_C8_4), 0, false);
    if ( errsel )
        check("ERRSELR_EL1", TRY_READ(S3_0_C5_C3_1), 0, false);
    printf("  implemented: TPIDR2_EL0 %d, DISR_EL1 %d, ICC_AP0R0_EL1 %d, ERRSELR_EL1 %d\n", tp2,
           disr, ap0, errsel);
    xtf_exception_hook = NULL;
}

static void no_el2_cycles(void)
{
    uint64_t cycles;

    write_sysreg(FILT_EL2, pmccfiltr_el0);
    write_sysreg(PMCNT_C, pmcntenset_el0);
    write_sysreg(read_sysreg(pmcr_el0) | PMCR_E | PMCR_C, pmcr_el0);
    asm volatile("isb" ::: "memory");
    for ( unsigned int i = 0; i < CALLS; i++ )
        psci_call(PSCI_VERSION, 0, 0, 0);
    cycles = read_sysreg(pmccntr_el0);
    write_sysreg(0, pmcr_el0);
    printf("  cycles counted at EL2 over %u hypercalls: %lu\n", CALLS, cycles);
    if ( cycles )
        xtf_failure("the guest counted %lu cycles of the hypervisor", cycles);
}

void test_main(void)
{
    registers_own();
    optional_own();
    no_el2_cycles();
    xtf_success(NULL);
}
