/*
 * arm64-psci - PSCI for guests: a second vCPU started with CPU_ON runs
 * the test's code at EL1 and stops with CPU_OFF, on qemu-arm64.
 *
 * dom0 with two vCPUs (vcpus=2), PSCI by HVC #0. Checks:
 *  - PSCI_VERSION is 1.0 or later; PSCI_FEATURES knows CPU_ON and not an
 *    unassigned function;
 *  - AFFINITY_INFO says vCPU 1 is off; CPU_ON of MPIDR 7 (no such vCPU)
 *    is INVALID_PARAMETERS;
 *  - CPU_ON(1, entry, context) succeeds, and vCPU 1 arrives at EL1 with
 *    the context id in x0 and MPIDR_EL1 affinity 1, while AFFINITY_INFO
 *    says on and a second CPU_ON is ALREADY_ON;
 *  - after vCPU 1's CPU_OFF, AFFINITY_INFO says off again.
 * The two vCPUs share only volatile words: their stage 1 is off, so all
 * data is Device memory and exclusives are not to be relied on.
 */
#include <xtf.h>

const char test_title[] = "PSCI CPU_ON and CPU_OFF of a second vCPU";

#define CONTEXT_ID    0xc0ffee12UL
#define UNASSIGNED_FN 0x8400001fU
#define POLLS         200000UL

static volatile uint64_t ap_arrived, ap_context, ap_mpidr, ap_el, ap_may_stop;

static void secondary(uint64_t context)
{
    ap_context = context;
    ap_mpidr = read_sysreg(mpidr_el1);
    ap_el = (read_sysreg(CurrentEL) >> 2) & 3;
    ap_arrived = 1;
    while ( !ap_may_stop )
        hypercall_yield();
} /* the runtime does CPU_OFF */

static void expect(const char *what, long rc, long want)
{
    if ( rc == want )
        printf("  %-36s -> %ld: ok\n", what, rc);
    else
        xtf_failure("%s returned %ld, expected %ld", what, rc, want);
}

static bool wait_for(volatile uint64_t *flag)
{
    for ( unsigned long i = 0; i < POLLS; i++ )
    {
        if ( *flag )
            return true;
        hypercall_yield();
    }
    return false;
}

static bool wait_off(unsigned int id)
{
    for ( unsigned long i = 0; i < POLLS; i++ )
    {
        if ( psci_call(PSCI_AFFINITY_INFO_64, id, 0, 0) == PSCI_AFFINITY_OFF )
            return true;
        hypercall_yield();
    }
    return false;
}

static void discovery(void)
{
    long v = psci_call(PSCI_VERSION, 0, 0, 0);

    printf("  PSCI %ld.%ld\n", v >> 16, v & 0xffff);
    if ( v < 0x10000 )
        xtf_failure("PSCI_VERSION %#lx: below 1.0", v);
    expect("PSCI_FEATURES(CPU_ON)", psci_call(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0), PSCI_SUCCESS);
    expect("PSCI_FEATURES(0x8400001f)", psci_call(PSCI_FEATURES, UNASSIGNED_FN, 0, 0),
           PSCI_NOT_SUPPORTED);
    expect("AFFINITY_INFO(1) before", psci_call(PSCI_AFFINITY_INFO_64, 1, 0, 0), PSCI_AFFINITY_OFF);
    expect("CPU_ON(7)", xtf_psci_start(7, secondary, CONTEXT_ID), PSCI_INVALID_PARAMS);
}

static void check_secondary(void)
{
    if ( !wait_for(&ap_arrived) )
    {
        xtf_failure("vCPU 1 never ran");
        return;
    }
    printf("  vCPU 1 ran: x0 %#lx, MPIDR_EL1 %#lx, EL%lu\n", ap_context, ap_mpidr, ap_el);
    if ( ap_context != CONTEXT_ID )
        xtf_failure("vCPU 1 got context %#lx, expected %#lx", ap_context, CONTEXT_ID);
    if ( (ap_mpidr & 0xff00ffffffUL) != 1 )
        xtf_failure("vCPU 1's MPIDR_EL1 is %#lx, affinity 1 expected", ap_mpidr);
    if ( ap_el != 1 )
        xtf_failure("vCPU 1 runs at EL%lu", ap_el);
    expect("AFFINITY_INFO(1) while it runs", psci_call(PSCI_AFFINITY_INFO_64, 1, 0, 0),
           PSCI_AFFINITY_ON);
    expect("CPU_ON(1) again", xtf_psci_start(1, secondary, 0), PSCI_ALREADY_ON);
}

void test_main(void)
{
    discovery();
    expect("CPU_ON(1)", xtf_psci_start(1, secondary, CONTEXT_ID), PSCI_SUCCESS);
    check_secondary();
    ap_may_stop = 1;
    if ( !wait_off(1) )
        xtf_failure("vCPU 1 did not go off after CPU_OFF");
    else
        printf("  vCPU 1 is off again\n");
    xtf_success(NULL);
}
