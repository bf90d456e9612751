/*
 * fpu - a vCPU's x87 and SSE registers are its own.
 *
 * The hypervisor itself never uses floating point, so nothing but its
 * context switch keeps one guest's XMM registers and x87 control word from
 * showing up in another's. dom0 (one vCPU) loads a pattern into XMM0-XMM7
 * and the x87 control word, then yields thousands of times while two
 * "fpu-scribbler" domUs (one vCPU each: three vCPUs on two CPUs, so CPUs
 * are shared) keep loading other values into the same registers. After
 * every yield dom0 reads its registers back: any difference is a FAILURE.
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

const char test_title[] = "x87/SSE state is per vCPU";

#define ROUNDS 20000UL

static const uint64_t pattern[8] = {
    0x0123456789abcdefULL, 0x1111111122222222ULL, 0x3333333344444444ULL, 0x5555555566666666ULL,
    0x7777777788888888ULL, 0x99999999aaaaaaaaULL, 0xbbbbbbbbccccccccULL, 0xddddddddeeeeeeeeULL,
};

static void load_xmm(const uint64_t *v)
{
    asm volatile("movq %0, %%xmm0" ::"m"(v[0]));
    asm volatile("movq %0, %%xmm1" ::"m"(v[1]));
    asm volatile("movq %0, %%xmm2" ::"m"(v[2]));
    asm volatile("movq %0, %%xmm3" ::"m"(v[3]));
    asm volatile("movq %0, %%xmm4" ::"m"(v[4]));
    asm volatile("movq %0, %%xmm5" ::"m"(v[5]));
    asm volatile("movq %0, %%xmm6" ::"m"(v[6]));
    asm volatile("movq %0, %%xmm7" ::"m"(v[7]));
}

static void read_xmm(uint64_t *v)
{
    asm volatile("movq %%xmm0, %0" : "=m"(v[0]));
    asm volatile("movq %%xmm1, %0" : "=m"(v[1]));
    asm volatile("movq %%xmm2, %0" : "=m"(v[2]));
    asm volatile("movq %%xmm3, %0" : "=m"(v[3]));
    asm volatile("movq %%xmm4, %0" : "=m"(v[4]));
    asm volatile("movq %%xmm5, %0" : "=m"(v[5]));
    asm volatile("movq %%xmm6, %0" : "=m"(v[6]));
    asm volatile("movq %%xmm7, %0" : "=m"(v[7]));
}

static bool state_intact(unsigned long round)
{
    uint64_t now[8];
    uint16_t fcw;
    read_xmm(now);
    asm volatile("fnstcw %0" : "=m"(fcw));
    for ( unsigned int i = 0; i < 8; i++ )
        if ( now[i] != pattern[i] )
        {
            xtf_failure("round %lu: xmm%u is %#lx, expected %#lx", round, i, (unsigned long)now[i],
                        (unsigned long)pattern[i]);
            return false;
        }
    if ( fcw != 0x27f )
    {
        xtf_failure("round %lu: x87 control word %#x, expected 0x27f", round, fcw);
        return false;
    }
    return true;
}

void test_main(void)
{
    uint16_t fcw = 0x27f; /* double precision: not the default */
    unsigned long round;

    enable_sse();

    load_xmm(pattern);
    asm volatile("fldcw %0" ::"m"(fcw));
    for ( round = 0; round < ROUNDS; round++ )
    {
        hypercall_yield();
        if ( !state_intact(round) )
            return;
    }
    printf("XMM0-7 and the x87 control word survived %lu yields\n", round);
    xtf_success(NULL);
}
