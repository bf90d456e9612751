/*
 * vcpus - a second vCPU can be started the PVH way and really runs.
 *
 * First, bad_contexts (x86.c, arm64.c): on x86 VCPUOP_initialise contexts
 * that VM entry would refuse (reserved CR0, EFER, RFLAGS and CR3 bits)
 * must be -EINVAL, not a crashed domain; on Arm, where guests start vCPUs
 * by PSCI, VCPUOP_initialise is refused and vCPU 1 stays down.
 *
 * dom0 (given two vCPUs by test.cfg) starts vCPU 1 with xtf_vcpu_start
 * (x86: VCPUOP_initialise with a struct vcpu_hvm_context, 64-bit mode, our
 * CR3, its own stack, RIP in the runtime, and VCPUOP_up; Arm: PSCI
 * CPU_ON). Then:
 *  - VCPUOP_is_up(1) must say 1 while it runs;
 *  - on vCPU 1, xtf_vcpu_id (CPUID's HVM leaf, MPIDR) must say 1 and the
 *    xen_version hypercall must work (hypercalls from a secondary vCPU);
 *  - both vCPUs increment their own counter and a shared one with a
 *    locked add, ITERATIONS times each: afterwards each own counter is
 *    exactly ITERATIONS and the shared one exactly twice that, so both
 *    ran and their memory views agree;
 *  - vCPU 1 then takes itself down with VCPUOP_down, and VCPUOP_is_up(1)
 *    must drop to 0.
 */
#include <xtf.h>
#include <public/vcpu.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/vcpu.h>
#include <public/version.h>
#include "vcpus.h"

const char test_title[] = "Secondary vCPU bring-up";

#define ITERATIONS 200000UL

static uint64_t own[2];
static uint64_t shared;
static int ap_cpuid_vcpu = -2;
static long ap_version = -1;
static bool ap_started, ap_release, ap_done;

static void count(unsigned int me)
{
    for ( unsigned long i = 0; i < ITERATIONS; i++ )
    {
        ACCESS_ONCE(own[me])++;
        __atomic_fetch_add(&shared, 1, __ATOMIC_SEQ_CST);
    }
}

void ap_main(unsigned int id)
{
    ap_cpuid_vcpu = xtf_vcpu_id();
    ap_version = hypercall_xen_version(XENVER_version, NULL);
    __atomic_store_n(&ap_started, true, __ATOMIC_SEQ_CST);

    while ( !__atomic_load_n(&ap_release, __ATOMIC_SEQ_CST) )
        cpu_relax();
    count(1);
    __atomic_store_n(&ap_done, true, __ATOMIC_SEQ_CST);
    /* Returning makes the runtime issue VCPUOP_down on this vCPU. */
}

static bool wait_flag(bool *flag)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( __atomic_load_n(flag, __ATOMIC_SEQ_CST) )
            return true;
        hypercall_yield();
    }
    return false;
}

static bool wait_down(void)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( hypercall_vcpu_op(VCPUOP_is_up, 1, NULL) == 0 )
            return true;
        hypercall_yield();
    }
    return false;
}

static bool start_ap(void)
{
    long rc = hypercall_vcpu_op(VCPUOP_is_up, 1, NULL);

    if ( rc < 0 )
    {
        xtf_error("vCPU 1 does not exist (is_up: %ld); test.cfg asks for 2", rc);
        return false;
    }
    if ( rc == 1 )
    {
        xtf_error("vCPU 1 is already up before we started it");
        return false;
    }
    rc = xtf_vcpu_start(1, ap_main);
    if ( rc )
    {
        xtf_failure("VCPUOP_initialise/VCPUOP_up on vCPU 1: %ld", rc);
        return false;
    }
    if ( !wait_flag(&ap_started) )
    {
        xtf_failure("vCPU 1 never reached its entry point");
        return false;
    }
    return true;
}

static void check_ap_view(void)
{
    long up = hypercall_vcpu_op(VCPUOP_is_up, 1, NULL);

    printf("vCPU 1 running: CPUID vCPU id %d, xen_version %#lx, is_up %ld\n", ap_cpuid_vcpu,
           ap_version, up);
    if ( up != 1 )
        xtf_failure("VCPUOP_is_up(1) is %ld while vCPU 1 runs", up);
    if ( ap_cpuid_vcpu != 1 )
        xtf_failure("CPUID on vCPU 1 reports vCPU id %d", ap_cpuid_vcpu);
    if ( ap_version != (long)xtf_xen_version )
        xtf_failure("xen_version on vCPU 1 gave %#lx, vCPU 0 got %#x", ap_version, xtf_xen_version);
}

void test_main(void)
{
    bad_contexts();
    if ( !start_ap() )
        return;
    check_ap_view();

    __atomic_store_n(&ap_release, true, __ATOMIC_SEQ_CST);
    count(0);
    if ( !wait_flag(&ap_done) )
    {
        xtf_failure("vCPU 1 did not finish counting");
        return;
    }

    printf("Counters: vCPU0 %lu, vCPU1 %lu, shared %lu (want %lu, %lu, %lu)\n",
           (unsigned long)own[0], (unsigned long)own[1], (unsigned long)shared, ITERATIONS,
           ITERATIONS, 2 * ITERATIONS);
    if ( own[0] != ITERATIONS || own[1] != ITERATIONS || shared != 2 * ITERATIONS )
        xtf_failure("counters are wrong");

    if ( !wait_down() )
        xtf_failure("vCPU 1 is still up after VCPUOP_down on itself");
    xtf_success(NULL);
}
