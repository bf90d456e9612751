/*
 * lapic-xapic - the emulated local APIC in xAPIC mode, through MMIO at
 * its base (0xfee00000 after reset).
 *
 *  - ID reads 0 in bits 31:24 (vCPU 0), the version is Xen's 0x50014,
 *    the LVT timer reads masked after reset;
 *  - SVR, TPR (and PPR following it), LDR and DFR read back what was
 *    written (DFR's reserved low bits read as ones); TPR also through
 *    a MOV of an immediate to a displaced address;
 *  - ESR: write-then-read reports an illegal vector sent;
 *  - a fixed IPI to physical ID 0 and one to logical (flat) 0x01 reach
 *    this vCPU, with the ISR bit set until the EOI written through MMIO;
 *    the ICR's delivery-status bit always reads idle;
 *  - with the APIC disabled in MSR_APIC_BASE the page is no APIC: reads
 *    give all ones, as any hole.
 */
#include <xtf.h>
#include <xtf/apic.h>

const char test_title[] = "xAPIC MMIO registers and IPIs";

static volatile unsigned int hits[256];
static volatile uint32_t isr_seen[256];

static void handler(struct cpu_regs *regs)
{
    unsigned int vec = regs->vector;

    hits[vec]++;
    isr_seen[vec] = apic_read(APIC_ISR + (vec / 32) * 0x10) & (1U << (vec % 32));
    apic_eoi();
}

static void expect(const char *what, unsigned long got, unsigned long want)
{
    if ( got != want )
        xtf_failure("%s: %#lx, expected %#lx", what, got, want);
}

/* C7 /0 with a displacement: the value written must be the immediate,
 * not the base register (a reported decoder slip). */
static void store_imm_tpr(void)
{
    uint64_t base = APIC_DEFAULT_BASE;

    asm volatile("movl $0x30, 0x80(%0)" ::"r"(base) : "memory");
}

static void registers(void)
{
    expect("ID", apic_read(APIC_ID), 0);
    expect("version", apic_read(APIC_LVR), 0x50014);
    expect("LVT timer after reset", apic_read(APIC_LVT_TIMER), APIC_LVT_MASKED);
    expect("SVR", apic_read(APIC_SVR), APIC_SVR_ENABLE | 0xff);
    apic_write(APIC_TPR, 0x20);
    expect("TPR", apic_read(APIC_TPR), 0x20);
    expect("PPR", apic_read(APIC_PPR), 0x20);
    apic_write(APIC_TPR, 0);
    store_imm_tpr();
    expect("TPR stored by MOV imm32 to disp8(reg)", apic_read(APIC_TPR), 0x30);
    apic_write(APIC_TPR, 0);
    apic_write(APIC_DFR, 0xffffffff);
    expect("DFR flat", apic_read(APIC_DFR), 0xffffffff);
    apic_write(APIC_LDR, 0x01000000);
    expect("LDR", apic_read(APIC_LDR), 0x01000000);
    apic_write(APIC_ESR, 0);
    apic_icr_write(0, APIC_DM_FIXED | 3);
    apic_write(APIC_ESR, 0);
    expect("ESR after an illegal vector", apic_read(APIC_ESR) & 0x20, 0x20);
}

static void ipis(void)
{
    apic_icr_write(0, APIC_DM_FIXED | 0x61);
    apic_icr_write(0x01, APIC_DEST_LOGICAL | APIC_DM_FIXED | 0x62);
    asm volatile("sti; nop; nop; cli" ::: "memory");
    expect("physical IPI to ID 0", hits[0x61], 1);
    expect("logical flat IPI to 0x01", hits[0x62], 1);
    expect("ISR set in the handler", isr_seen[0x61] != 0, 1);
    expect("ISR clear after the MMIO EOI", apic_read(APIC_ISR + 0x30), 0);
    /* Delivery is instant: the ICR's delivery-status bit reads idle.
     * (Logical destination 0: nobody.) */
    apic_write(APIC_ICR2, 0);
    apic_write(APIC_ICR, APIC_DM_FIXED | (1U << 12) | 0xf0 | APIC_DEST_LOGICAL);
    expect("ICR delivery status", apic_read(APIC_ICR) & (1U << 12), 0);
    expect("ICR keeps the rest", apic_read(APIC_ICR), APIC_DEST_LOGICAL | 0xf0);
}

static void disabled(void)
{
    volatile uint32_t *id = (volatile uint32_t *)(uintptr_t)(APIC_DEFAULT_BASE + APIC_LVR);

    apic_init(APIC_MODE_DISABLED);
    expect("version register with the APIC disabled", *id, 0xffffffff);
    apic_init(APIC_MODE_XAPIC);
    expect("version register re-enabled", *id, 0x50014);
}

void test_main(void)
{
    if ( apic_init(APIC_MODE_XAPIC) || apic_mode() != APIC_MODE_XAPIC )
        return xtf_failure("not in xAPIC mode");
    xtf_set_vector_handler(0x61, handler);
    xtf_set_vector_handler(0x62, handler);
    registers();
    ipis();
    disabled();
    xtf_success(NULL);
}
