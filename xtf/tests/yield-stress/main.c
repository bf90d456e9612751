/*
 * yield-stress - dom0 yields many times while two domUs do nothing but
 * yield: three vCPUs on two CPUs, so every vCPU keeps moving between
 * physical CPUs and VMRUN/#VMEXIT run on both CPUs at once. No FPU, no
 * p2m changes: only the scheduler and the entry/exit path are exercised.
 */
#include <xtf.h>

const char test_title[] = "yield stress: vCPUs moving between CPUs";

#define ROUNDS 20000UL

void test_main(void)
{
    unsigned long round;

    for ( round = 0; round < ROUNDS; round++ )
        hypercall_yield();
    printf("%lu yields\n", round);
    xtf_success(NULL);
}
