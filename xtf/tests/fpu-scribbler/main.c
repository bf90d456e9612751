/*
 * fpu-scribbler - helper domU for the "fpu" test: keeps loading values
 * other than dom0's into XMM0-7 and the x87 control word, yielding in
 * between, for ever. Prints no verdict.
 */
#include <xtf.h>

/* The runtime leaves SSE off: CR4.OSFXSR set, CR0.EM clear, CR0.MP set. */
static void enable_sse(void)
{
    unsigned long cr0, cr4;
    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    asm volatile("mov %0, %%cr0" ::"r"((cr0 | 2UL) & ~4UL));
    asm volatile("mov %%cr4, %0" : "=r"(cr4));
    asm volatile("mov %0, %%cr4" ::"r"(cr4 | (1UL << 9) | (1UL << 10)));
}

const char test_title[] = "fpu helper: scribbler";

void test_main(void)
{
    uint64_t junk = 0xdeadbeef00000000ULL;
    uint16_t fcw = 0x37f;

    enable_sse();

    for ( ;; )
    {
        junk++;
        asm volatile(
            "movq %0, %%xmm0; movq %0, %%xmm1; movq %0, %%xmm2; movq %0, %%xmm3;"
            "movq %0, %%xmm4; movq %0, %%xmm5; movq %0, %%xmm6; movq %0, %%xmm7" ::"m"(junk));
        asm volatile("fldcw %0" ::"m"(fcw));
        hypercall_yield();
    }
}
