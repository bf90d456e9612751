/*
 * lapic-sipi - the INIT, SIPI, SIPI sequence Linux uses to start a
 * secondary CPU of a PVH guest, through the x2APIC ICR.
 *
 * vCPU 0 copies a 16-bit trampoline to 0x9000. The trampoline stores CS
 * at 0x9100, increments the word at 0x9102 and halts with IF=0. Then:
 *  - a SIPI to vCPU 1 before any INIT is ignored (it never runs);
 *  - INIT (assert), SIPI vector 0x09, SIPI again: vCPU 1 runs the
 *    trampoline once, in real mode at CS 0x0900 (base 0x9000, IP 0), and
 *    VCPUOP_is_up says it is up; the second SIPI, to a running vCPU, is
 *    ignored;
 *  - a SIPI to an APIC ID no vCPU has is ignored;
 *  - INIT again stops it and a new SIPI restarts it: the count is 2.
 */
#include <xtf.h>
#include <xtf/apic.h>
#include <public/vcpu.h>

const char test_title[] = "INIT/SIPI into a real-mode trampoline";

#define TRAMPOLINE 0x9000UL
#define SIPI_VEC   (TRAMPOLINE >> 12)

static const uint8_t trampoline[] = {
    0xfa,                         /* cli */
    0x8c, 0xc8,                   /* mov %cs, %ax */
    0x2e, 0xa3, 0x00, 0x01,       /* mov %ax, %cs:0x100 */
    0x2e, 0xff, 0x06, 0x02, 0x01, /* incw %cs:0x102 */
    0xf4,                         /* 1: hlt */
    0xeb, 0xfd,                   /* jmp 1b */
};

static volatile uint16_t *const report = (volatile uint16_t *)(TRAMPOLINE + 0x100);

static void pause_a_while(void)
{
    for ( unsigned int i = 0; i < 2000; i++ )
        hypercall_yield();
}

static bool wait_count(uint16_t want)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( report[1] >= want )
            return true;
        hypercall_yield();
    }
    return false;
}

static void expect(const char *what, unsigned long got, unsigned long want)
{
    if ( got != want )
        xtf_failure("%s: %#lx, expected %#lx", what, got, want);
}

static void init_sipi_sipi(void)
{
    apic_icr_write(2, APIC_DM_INIT | APIC_INT_ASSERT);
    apic_icr_write(2, APIC_DM_STARTUP | SIPI_VEC);
    apic_icr_write(2, APIC_DM_STARTUP | SIPI_VEC);
}

void test_main(void)
{
    memcpy((void *)TRAMPOLINE, trampoline, sizeof(trampoline));
    report[0] = report[1] = 0;
    if ( apic_init(APIC_MODE_X2APIC) )
        return xtf_failure("cannot enter x2APIC mode");
    if ( hypercall_vcpu_op(VCPUOP_is_up, 1, NULL) != 0 )
        return xtf_error("vCPU 1 missing or already up; test.cfg asks for 2 vCPUs");

    apic_icr_write(2, APIC_DM_STARTUP | SIPI_VEC);
    pause_a_while();
    expect("runs after a SIPI without INIT", report[1], 0);

    init_sipi_sipi();
    if ( !wait_count(1) )
        return xtf_failure("vCPU 1 never ran the trampoline after INIT, SIPI, SIPI");
    pause_a_while();
    expect("trampoline runs", report[1], 1);
    expect("CS in the trampoline", report[0], SIPI_VEC << 8);
    expect("VCPUOP_is_up(1) after SIPI", hypercall_vcpu_op(VCPUOP_is_up, 1, NULL), 1);

    apic_icr_write(100, APIC_DM_INIT | APIC_INT_ASSERT);
    apic_icr_write(100, APIC_DM_STARTUP | SIPI_VEC);
    apic_icr_write(2, APIC_DM_STARTUP | SIPI_VEC);
    pause_a_while();
    expect("a SIPI to a running vCPU restarts it", report[1], 1);

    report[0] = 0;
    init_sipi_sipi();
    if ( !wait_count(2) )
        return xtf_failure("vCPU 1 did not restart after a second INIT, SIPI");
    expect("CS after the restart", report[0], SIPI_VEC << 8);
    xtf_success(NULL);
}
