/*
 * arm64-psci-race - a hostile guest's PSCI CPU_ON, on qemu-arm64 (two
 * physical CPUs, dom0 with three vCPUs, PSCI by HVC #0).
 *
 * Phase 1, CPU_ON of a vCPU stopped inside a hypercall: vCPU 1 loops on
 * CPU_ON(0), which takes the domain's lock and answers ALREADY_ON. vCPU 0
 * stops it with VCPUOP_down and at once starts it again with CPU_ON(1).
 * CPU_ON must wait for vCPU 1 to leave its CPU; were it to wait with the
 * domain's lock held while vCPU 1, past its exit, spins for that lock,
 * both physical CPUs would stop for good: the run would time out.
 *
 * Phase 2, two CPU_ONs of one vCPU at once: vCPU 0 and vCPU 1 call
 * CPU_ON(2) together, round after round, while vCPU 2 (once on) waits
 * for a word before it calls CPU_OFF. Exactly one call may succeed; the
 * other is ALREADY_ON or ON_PENDING. Two successes mean vCPU 2 was reset
 * twice, the second time possibly while it ran.
 *
 * Only this test's vCPUs and words are touched. Stage 1 is off: shared
 * words are volatile Device memory, no exclusives.
 */
#include <xtf.h>
#include <public/vcpu.h>

const char test_title[] = "PSCI CPU_ON races: a downed vCPU in a hypercall, two callers";

#define PSCI_ON_PENDING (-5)
#define ROUNDS_DOWN     100
#define ROUNDS_RACE     200
#define POLLS           200000UL

static volatile uint64_t phase, hammered;
static volatile uint64_t go, done_b, res_b, target_stop;

/* vCPU 2's entry for phase 2: no stack, no C. Spin (WFE yields the CPU)
 * until the word at x0 is set, then PSCI CPU_OFF. */
void race_target(void);
__asm__(".pushsection .text\n"
        ".global race_target\n"
        "race_target:\n"
        "1: ldr x1, [x0]\n"
        "   cbnz x1, 2f\n"
        "   wfe\n"
        "   b 1b\n"
        "2: ldr x0, =0x84000002\n"
        "   hvc #0\n"
        "   b .\n"
        ".ltorg\n"
        ".popsection\n");

static long cpu_on_target(void)
{
    return psci_call(PSCI_CPU_ON_64, 2, (uintptr_t)race_target, (uintptr_t)&target_stop);
}

/* vCPU 1: phase 1 hammers a hypercall that takes the domain's lock;
 * phase 2 is the second caller of each round. */
static void helper(uint64_t unused)
{
    uint64_t round = 0;

    (void)unused;
    while ( phase == 1 )
    {
        psci_call(PSCI_CPU_ON_64, 0, (uintptr_t)race_target, 0); /* ALREADY_ON */
        hammered++;
    }
    for ( ;; )
    {
        while ( go == round )
            ;
        round = go;
        res_b = (uint64_t)cpu_on_target();
        done_b = round;
    }
}

static bool wait_word(volatile uint64_t *w, uint64_t want)
{
    for ( unsigned long i = 0; i < POLLS; i++ )
    {
        if ( *w == want )
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

static bool wait_hammering(void)
{
    uint64_t seen = hammered;

    for ( unsigned long i = 0; i < POLLS; i++ )
    {
        if ( hammered != seen )
            return true;
        hypercall_yield();
    }
    return false;
}

/* Down vCPU 1 wherever it is, start it again at helper. */
static bool restart_helper(void)
{
    long rc = hypercall_vcpu_op(VCPUOP_down, 1, NULL);

    if ( rc )
    {
        xtf_failure("VCPUOP_down(1) returned %ld", rc);
        return false;
    }
    rc = xtf_psci_start(1, helper, 0);
    if ( rc != PSCI_SUCCESS )
    {
        xtf_failure("CPU_ON(1) after VCPUOP_down returned %ld", rc);
        return false;
    }
    return true;
}

static void phase_down(void)
{
    phase = 1;
    if ( xtf_psci_start(1, helper, 0) != PSCI_SUCCESS )
    {
        xtf_failure("CPU_ON(1) failed");
        return;
    }
    for ( unsigned int r = 0; r < ROUNDS_DOWN; r++ )
    {
        if ( !wait_hammering() )
        {
            xtf_failure("round %u: vCPU 1 does not run", r);
            return;
        }
        if ( !restart_helper() )
            return;
    }
    printf("  phase 1: %u CPU_ONs of a vCPU downed mid-hypercall, no hang\n", ROUNDS_DOWN);
}

/* One round: both callers at once; true if it could be judged. */
static bool race_round(uint64_t r, unsigned int *doubles, unsigned int *pending)
{
    long a;

    target_stop = 0;
    res_b = ~0UL;
    go = r;
    a = cpu_on_target();
    if ( !wait_word(&done_b, r) )
    {
        xtf_failure("round %lu: vCPU 1 did not call", r);
        return false;
    }
    if ( a == PSCI_SUCCESS && (long)res_b == PSCI_SUCCESS )
        ++*doubles;
    else if ( a != PSCI_SUCCESS && (long)res_b != PSCI_SUCCESS )
        xtf_failure("round %lu: neither CPU_ON succeeded (%ld, %ld)", r, a, (long)res_b);
    *pending += a == PSCI_ON_PENDING || (long)res_b == PSCI_ON_PENDING;
    target_stop = 1;
    if ( !wait_off(2) )
    {
        xtf_failure("round %lu: vCPU 2 did not go off", r);
        return false;
    }
    return true;
}

static void phase_race(void)
{
    unsigned int doubles = 0, pending = 0, r;

    phase = 2;
    if ( !restart_helper() )
        return;
    for ( r = 1; r <= ROUNDS_RACE; r++ )
        if ( !race_round(r, &doubles, &pending) )
            return;
    printf("  phase 2: %u rounds, %u with two SUCCESSes, %u with ON_PENDING\n", ROUNDS_RACE,
           doubles, pending);
    if ( doubles )
        xtf_failure("%u rounds: both CPU_ON(2) calls succeeded", doubles);
}

void test_main(void)
{
    phase_down();
    if ( xtf_current_result() == XTF_FAILURE )
        return;
    phase_race();
    xtf_success(NULL);
}
