/*
 * arm64-fpu - a vCPU's FP/SIMD registers (V0-V31, FPCR, FPSR) are its own.
 *
 * The hypervisor never uses FP/SIMD, so only its vCPU switch (lazy, by
 * CPTR_EL2.TFP) keeps one guest's V registers from showing up in
 * another's. dom0 loads a pattern that changes every round into all 32
 * V registers (128 bits each), FPCR and FPSR, yields, and reads them all
 * back, while the domU "arm64-fpu-scribbler" loads its own values into
 * the same registers between dom0's yields. One CPU (CPUS=1): the two
 * vCPUs take turns on it. Any difference is a FAILURE.
 */
#include <xtf.h>

const char test_title[] = "FP/SIMD registers are per vCPU";

#define ROUNDS     2000UL
#define CPACR_FPEN (3UL << 20)  /* EL1 and EL0 use FP/SIMD untrapped */
#define FPCR_VALUE 0x00800000UL /* RMode 0b10: round towards minus infinity */
#define FPSR_VALUE 0x0800001fUL /* QC and the five cumulative flags */

/* Device memory (stage 1 is off): whole aligned 16-byte accesses only. */
static uint64_t want[64] __attribute__((aligned(16)));
static uint64_t got[64] __attribute__((aligned(16)));

static void enable_fp(void)
{
    asm volatile("msr cpacr_el1, %0; isb" ::"r"(read_sysreg(cpacr_el1) | CPACR_FPEN));
}

static bool regs_intact(unsigned long round)
{
    uint64_t fpcr = read_sysreg(fpcr), fpsr = read_sysreg(fpsr);
    unsigned int i;

    xtf_fp_save_v(got);
    for ( i = 0; i < 64; i++ )
        if ( got[i] != want[i] )
        {
            xtf_failure("round %lu: V%u[%u] is %#lx, expected %#lx", round, i / 2, i % 2,
                        (unsigned long)got[i], (unsigned long)want[i]);
            return false;
        }
    if ( fpcr != FPCR_VALUE || fpsr != FPSR_VALUE )
    {
        xtf_failure("round %lu: FPCR %#lx FPSR %#lx, expected %#lx %#lx", round, fpcr, fpsr,
                    FPCR_VALUE, FPSR_VALUE);
        return false;
    }
    return true;
}

void test_main(void)
{
    unsigned long round;
    unsigned int i;

    enable_fp();
    asm volatile("msr fpcr, %0; msr fpsr, %1" ::"r"(FPCR_VALUE), "r"(FPSR_VALUE));
    for ( round = 0; round < ROUNDS; round++ )
    {
        for ( i = 0; i < 64; i++ )
            want[i] = 0x0123456789abcdefUL * (i + 1) + round;
        xtf_fp_load_v(want);
        hypercall_yield();
        if ( !regs_intact(round) )
            return;
    }
    printf("V0-V31, FPCR and FPSR survived %lu yields\n", round);
    xtf_success(NULL);
}
