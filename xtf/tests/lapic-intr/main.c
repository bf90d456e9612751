/*
 * lapic-intr - interrupts from the emulated local APIC reach the guest
 * when, and only when, the architecture says they may.
 *
 * In x2APIC mode, on one vCPU:
 *  - a self IPI (ICR shorthand "self") sent with IF=0 stays in the IRR
 *    and is not delivered; it is delivered right after STI (counted on
 *    the instruction after STI's shadow), and its ISR bit is set inside
 *    the handler until the handler's EOI;
 *  - the SELF IPI register (0x83F) delivers too;
 *  - with TPR 0x50, vector 0x45 (class 4) and 0x55 (class 5) are held
 *    (PPR 0x50), vector 0x65 is delivered; lowering the TPR to 0x40
 *    lets 0x55 through, and to 0 lets 0x45 through: higher vector first;
 *  - CR8 and the TPR are one register: a TPR write shows in CR8, a MOV
 *    to CR8 in the TPR, and lowering CR8 below a held vector's class
 *    delivers it before the next instruction;
 *  - a fixed IPI with vector 5 is illegal: ESR bit 5 after the
 *    write-then-read of ESR, and nothing is delivered;
 *  - ID is 0 (vCPU 0 has x2APIC ID 0) and the version is Xen's 0x50014.
 */
#include <xtf.h>
#include <xtf/apic.h>

const char test_title[] = "LAPIC delivery: IF, STI shadow, TPR/PPR, EOI";

static volatile unsigned int count[256];
static volatile unsigned int order[8], n_order;
static volatile uint32_t isr_in_handler;

static void handler(struct cpu_regs *regs)
{
    unsigned int vec = regs->vector;

    count[vec]++;
    if ( n_order < ARRAY_SIZE(order) )
        order[n_order++] = vec;
    isr_in_handler = apic_read(APIC_ISR + (vec / 32) * 0x10) & (1U << (vec % 32));
    apic_eoi();
}

static void expect(const char *what, unsigned long got, unsigned long want)
{
    if ( got != want )
        xtf_failure("%s: %#lx, expected %#lx", what, got, want);
}

static void self_ipi(uint8_t vec)
{
    apic_icr_write(0, APIC_DEST_SELF | APIC_DM_FIXED | vec);
}

static void if_and_sti(void)
{
    unsigned int seen_after_sti;

    asm volatile("cli");
    self_ipi(0x40);
    for ( volatile int i = 0; i < 100000; i++ )
        ;
    expect("delivered with IF=0", count[0x40], 0);
    expect("IRR bit 0x40 with IF=0", apic_read(APIC_IRR + 0x20) & 1, 1);
    /* The interrupt is taken after the instruction following STI. */
    asm volatile("sti; nop; cli" ::: "memory");
    seen_after_sti = count[0x40];
    expect("delivered right after STI", seen_after_sti, 1);
    expect("ISR bit set inside the handler", isr_in_handler != 0, 1);
    expect("ISR clear after EOI", apic_read(APIC_ISR + 0x20) & 1, 0);
    expect("IRR clear after delivery", apic_read(APIC_IRR + 0x20) & 1, 0);

    apic_write(APIC_SELF_IPI, 0x41);
    asm volatile("sti; nop; cli" ::: "memory");
    expect("SELF IPI register delivers", count[0x41], 1);
}

static void tpr(void)
{
    n_order = 0;
    apic_write(APIC_TPR, 0x50);
    expect("PPR follows TPR", apic_read(APIC_PPR), 0x50);
    asm volatile("sti" ::: "memory");
    self_ipi(0x45);
    self_ipi(0x55);
    self_ipi(0x65);
    for ( volatile int i = 0; i < 100000; i++ )
        ;
    expect("0x65 above the TPR class", count[0x65], 1);
    expect("0x45 held by TPR 0x50", count[0x45], 0);
    expect("0x55 held by TPR 0x50", count[0x55], 0);
    apic_write(APIC_TPR, 0x40);
    for ( volatile int i = 0; i < 100000; i++ )
        ;
    expect("0x55 once the TPR is 0x40", count[0x55], 1);
    expect("0x45 still held by TPR 0x40", count[0x45], 0);
    apic_write(APIC_TPR, 0);
    for ( volatile int i = 0; i < 100000; i++ )
        ;
    asm volatile("cli" ::: "memory");
    expect("0x45 once the TPR is 0", count[0x45], 1);
    expect("deliveries in order", n_order, 3);
    expect("first 0x65", order[0], 0x65);
    expect("then 0x55", order[1], 0x55);
    expect("then 0x45", order[2], 0x45);
}

/* CR8 is the TPR's priority class, both ways; lowering it below a held
 * vector's class delivers that vector before the next instruction. */
static void cr8(void)
{
    unsigned long v;

    apic_write(APIC_TPR, 0x60);
    asm volatile("mov %%cr8, %0" : "=r"(v));
    expect("CR8 after TPR 0x60", v, 6);
    asm volatile("mov %0, %%cr8" ::"r"(5UL));
    expect("TPR after CR8 5", apic_read(APIC_TPR), 0x50);
    asm volatile("sti" ::: "memory");
    self_ipi(0x48);
    for ( volatile int i = 0; i < 100000; i++ )
        ;
    expect("0x48 held by CR8 5", count[0x48], 0);
    asm volatile("mov %0, %%cr8; nop; cli" ::"r"(0UL) : "memory");
    expect("0x48 right after CR8 drops to 0", count[0x48], 1);
    expect("TPR after CR8 0", apic_read(APIC_TPR), 0);
}

static void illegal_vector(void)
{
    apic_write(APIC_ESR, 0);
    self_ipi(5);
    apic_write(APIC_ESR, 0);
    expect("ESR after an illegal vector", apic_read(APIC_ESR) & 0x20, 0x20);
    apic_write(APIC_ESR, 0);
    expect("ESR cleared by the next write", apic_read(APIC_ESR), 0);
}

void test_main(void)
{
    if ( apic_init(APIC_MODE_X2APIC) )
        return xtf_failure("cannot enter x2APIC mode (MSR_APIC_BASE %#lx)",
                           (unsigned long)rdmsr(MSR_APIC_BASE));
    expect("x2APIC ID of vCPU 0", apic_read(APIC_ID), 0);
    expect("version", apic_read(APIC_LVR), 0x50014);
    for ( unsigned int v = 0x40; v < 0x70; v++ )
        xtf_set_vector_handler(v, handler);
    if_and_sti();
    tpr();
    cr8();
    illegal_vector();
    xtf_success(NULL);
}
