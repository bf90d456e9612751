/*
 * lapic-ipi - IPIs through the emulated x2APIC's ICR between two vCPUs.
 *
 * vCPU 1 (started with VCPUOP_up) enables its x2APIC and waits in
 * "sti; hlt". vCPU 0 then sends it, checking each arrives exactly once
 * and on the right vCPU:
 *  - a fixed IPI to physical x2APIC ID 2 (vCPU n has ID 2n), which must
 *    wake it from HLT;
 *  - a fixed IPI to its logical ID (x2APIC LDR: cluster 0, bit 2), and
 *    the LDR must read 0x4;
 *  - "all excluding self": only vCPU 1 gets it; "all including self":
 *    both get it;
 *  - an NMI IPI, taken by vCPU 1's NMI handler;
 *  - an IPI to a destination that matches nobody (ID 100) goes nowhere;
 * and vCPU 1 answers with a fixed IPI back to ID 0.
 */
#include <xtf.h>
#include <xtf/apic.h>

const char test_title[] = "LAPIC IPIs between vCPUs";

#define VEC_A     0x50
#define VEC_B     0x51
#define VEC_C     0x52
#define VEC_D     0x53
#define VEC_E     0x54
#define VEC_REPLY 0x60

static volatile unsigned int hits[2][256], nmis[2];
static volatile bool ap_ready, ap_stop, ap_reply;
static volatile uint32_t ap_ldr, ap_id;

static void handler(struct cpu_regs *regs)
{
    hits[xtf_vcpu_id() & 1][regs->vector]++;
    apic_eoi();
}

static void nmi(struct cpu_regs *regs)
{
    nmis[xtf_vcpu_id() & 1]++;
}

static void ap_main(unsigned int id)
{
    if ( apic_init(APIC_MODE_X2APIC) )
        return;
    ap_ldr = apic_read(APIC_LDR);
    ap_id = apic_read(APIC_ID);
    ap_ready = true;
    while ( !ap_stop )
    {
        asm volatile("sti; hlt; cli" ::: "memory");
        if ( ap_reply )
        {
            ap_reply = false;
            apic_icr_write(0, APIC_DM_FIXED | VEC_REPLY);
        }
    }
}

#define WAIT_YIELDS 50000UL /* an IPI that has not arrived by then never will */

static bool wait_for(volatile unsigned int *p, unsigned int want)
{
    for ( unsigned long i = 0; i < WAIT_YIELDS; i++ )
    {
        if ( *p >= want )
            return true;
        hypercall_yield();
    }
    return false;
}

static void expect(const char *what, unsigned long got, unsigned long want)
{
    if ( got != want )
        xtf_failure("%s: %lu, expected %lu", what, got, want);
}

static void send_and_wait(const char *what, uint32_t dest, uint32_t lo, volatile unsigned int *p)
{
    apic_icr_write(dest, lo);
    if ( !wait_for(p, 1) )
        xtf_failure("%s: never arrived", what);
}

void test_main(void)
{
    long rc;

    for ( unsigned int v = 0x50; v < 0x70; v++ )
        xtf_set_vector_handler(v, handler);
    xtf_set_vector_handler(X86_EXC_NMI, nmi);
    if ( apic_init(APIC_MODE_X2APIC) )
        return xtf_failure("cannot enter x2APIC mode");
    rc = xtf_vcpu_start(1, ap_main);
    if ( rc )
        return xtf_error("starting vCPU 1: %ld", rc);
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && !ap_ready; i++ )
        hypercall_yield();
    if ( !ap_ready )
        return xtf_failure("vCPU 1 did not enable its x2APIC");
    expect("vCPU 1's x2APIC ID", ap_id, 2);
    expect("vCPU 1's x2APIC LDR", ap_ldr, 0x4);
    asm volatile("sti" ::: "memory");

    send_and_wait("fixed, physical ID 2", 2, APIC_DM_FIXED | VEC_A, &hits[1][VEC_A]);
    send_and_wait("fixed, logical 0x4", 4, APIC_DEST_LOGICAL | APIC_DM_FIXED | VEC_B,
                  &hits[1][VEC_B]);
    send_and_wait("all excluding self", 0, APIC_DEST_ALLBUT | APIC_DM_FIXED | VEC_C,
                  &hits[1][VEC_C]);
    send_and_wait("all including self", 0, APIC_DEST_ALLINC | APIC_DM_FIXED | VEC_D,
                  &hits[1][VEC_D]);
    wait_for(&hits[0][VEC_D], 1);
    send_and_wait("NMI to ID 2", 2, APIC_DM_NMI, &nmis[1]);
    apic_icr_write(100, APIC_DM_FIXED | VEC_E);
    ap_reply = true;
    apic_icr_write(2, APIC_DM_FIXED | VEC_A); /* a poke: the reply may also follow the NMI's wake */
    if ( !wait_for(&hits[1][VEC_A], 2) )
        xtf_failure("poke for the reply: never arrived");
    wait_for(&hits[0][VEC_REPLY], 1);

    expect("vCPU 1 got the physical IPI", hits[1][VEC_A], 2);
    expect("vCPU 1 got the logical IPI", hits[1][VEC_B], 1);
    expect("vCPU 1 got all-but-self", hits[1][VEC_C], 1);
    expect("vCPU 0 did not get all-but-self", hits[0][VEC_C], 0);
    expect("vCPU 0 got all-including-self", hits[0][VEC_D], 1);
    expect("vCPU 1 got all-including-self", hits[1][VEC_D], 1);
    expect("vCPU 1 got the NMI", nmis[1], 1);
    expect("vCPU 0 got no NMI", nmis[0], 0);
    expect("nobody got the IPI to ID 100", hits[0][VEC_E] + hits[1][VEC_E], 0);
    expect("vCPU 0 got vCPU 1's reply", hits[0][VEC_REPLY], 1);
    expect("vCPU 0 got nothing meant for vCPU 1", hits[0][VEC_A] + hits[0][VEC_B], 0);
    ap_stop = true;
    apic_icr_write(2, APIC_DM_FIXED | VEC_E);
    xtf_success(NULL);
}
