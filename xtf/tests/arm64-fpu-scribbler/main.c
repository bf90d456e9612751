/*
 * arm64-fpu-scribbler - helper domU for the "arm64-fpu" test: keeps
 * writing values other than dom0's into V0-V31, FPCR and FPSR, yielding
 * in between, for ever. Prints no verdict; touches nothing but its own
 * registers.
 */
#include <xtf.h>

const char test_title[] = "arm64-fpu helper: scribbler";

#define CPACR_FPEN (3UL << 20)

/* Every V register to junk in both halves (DUP from a general register). */
static void scribble(uint64_t junk)
{
    asm volatile("dup v0.2d, %0; dup v1.2d, %0; dup v2.2d, %0; dup v3.2d, %0\n\t"
                 "dup v4.2d, %0; dup v5.2d, %0; dup v6.2d, %0; dup v7.2d, %0\n\t"
                 "dup v8.2d, %0; dup v9.2d, %0; dup v10.2d, %0; dup v11.2d, %0\n\t"
                 "dup v12.2d, %0; dup v13.2d, %0; dup v14.2d, %0; dup v15.2d, %0\n\t"
                 "dup v16.2d, %0; dup v17.2d, %0; dup v18.2d, %0; dup v19.2d, %0\n\t"
                 "dup v20.2d, %0; dup v21.2d, %0; dup v22.2d, %0; dup v23.2d, %0\n\t"
                 "dup v24.2d, %0; dup v25.2d, %0; dup v26.2d, %0; dup v27.2d, %0\n\t"
                 "dup v28.2d, %0; dup v29.2d, %0; dup v30.2d, %0; dup v31.2d, %0" ::"r"(junk));
    asm volatile("msr fpcr, %0; msr fpsr, %1" ::"r"(0x00c00000UL), "r"(0UL));
}

void test_main(void)
{
    uint64_t junk = 0xdeadbeef00000000UL;

    asm volatile("msr cpacr_el1, %0; isb" ::"r"(read_sysreg(cpacr_el1) | CPACR_FPEN));
    for ( ;; )
    {
        scribble(junk++);
        hypercall_yield();
    }
}
