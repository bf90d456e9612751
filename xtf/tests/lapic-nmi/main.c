/*
 * lapic-nmi - NMIs do not nest, and none is lost.
 *
 * vCPU 0 sends itself an NMI through the x2APIC ICR (delivery mode NMI,
 * physical ID 0). Its handler sends a second one and spins for a while:
 * that one must not arrive inside the handler (NMIs stay blocked until
 * the handler's IRET: VMX virtual-NMI blocking and the NMI window, SVM
 * the IRET intercept and an interrupt shadow over the IRET) and must
 * arrive once the handler has returned, not on its IRETQ (which would be
 * nesting by another name). Then both arrive with interrupts
 * disabled (IF does not hold NMIs back).
 */
#include <xtf.h>
#include <xtf/apic.h>

const char test_title[] = "NMIs: blocked until IRET, never lost";

static volatile unsigned int depth, max_depth, count, count_inside, at_iret;

static void send_self_nmi(void)
{
    apic_icr_write(0, APIC_DM_NMI);
}

static void nmi(struct cpu_regs *regs)
{
    unsigned int n;

    if ( ++depth > max_depth )
        max_depth = depth;
    /* Interrupting an IRETQ (48 cf) is nesting too: the previous handler
     * had not returned yet. */
    if ( *(const uint16_t *)(uintptr_t)regs->rip == 0xcf48 )
        at_iret++;
    n = ++count;
    if ( n == 1 || n == 3 )
    {
        send_self_nmi();
        for ( volatile unsigned long i = 0; i < 300000; i++ )
            ;
        count_inside = count;
    }
    depth--;
}

static bool wait_count(unsigned int want)
{
    for ( unsigned long i = 0; i < 20000 && count < want; i++ )
        hypercall_yield();
    return count >= want;
}

static void expect(const char *what, unsigned long got, unsigned long want)
{
    if ( got != want )
        xtf_failure("%s: %lu, expected %lu", what, got, want);
}

void test_main(void)
{
    if ( apic_init(APIC_MODE_X2APIC) )
        return xtf_failure("cannot enter x2APIC mode");
    xtf_set_vector_handler(X86_EXC_NMI, nmi);

    asm volatile("sti" ::: "memory");
    send_self_nmi();
    if ( !wait_count(2) )
        xtf_failure("IF=1: %u NMIs arrived, expected 2", count);
    expect("IF=1: NMIs seen inside the first handler", count_inside, 1);

    asm volatile("cli" ::: "memory");
    send_self_nmi();
    if ( !wait_count(4) )
        xtf_failure("IF=0: %u NMIs arrived, expected 4", count);
    expect("IF=0: NMIs seen inside the third handler", count_inside, 3);
    expect("deepest NMI nesting", max_depth, 1);
    expect("NMIs taken on the previous handler's IRETQ", at_iret, 0);
    xtf_success(NULL);
}
