/*
 * traps.c - the IDT and what happens when an exception arrives.
 *
 * An exception at an address listed in the exception table is expected:
 * execution resumes at the listed fixup with an exinfo in RAX (see
 * include/xtf/traps.h). Any other exception is a bug in the test or in
 * what it tests: dump the registers and end the test with FAILURE.
 */
#include <xtf.h>
#include <xtf/runtime.h>

struct idt_gate
{
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate");

#define GATE_INTERRUPT_DPL0 0x8e /* present, DPL 0, 64-bit interrupt gate */

static struct idt_gate idt[256] __aligned(16);
static xtf_vector_handler handlers[256];
extern const char irq_stubs[];
uint64_t xtf_last_pf_cr2;

static const char *const exc_names[32] = {
    [X86_EXC_DE] = "#DE divide error",
    [X86_EXC_DB] = "#DB debug",
    [X86_EXC_NMI] = "NMI",
    [X86_EXC_BP] = "#BP breakpoint",
    [X86_EXC_OF] = "#OF overflow",
    [X86_EXC_BR] = "#BR bound range",
    [X86_EXC_UD] = "#UD invalid opcode",
    [X86_EXC_NM] = "#NM no FPU",
    [X86_EXC_DF] = "#DF double fault",
    [X86_EXC_TS] = "#TS invalid TSS",
    [X86_EXC_NP] = "#NP not present",
    [X86_EXC_SS] = "#SS stack fault",
    [X86_EXC_GP] = "#GP general protection",
    [X86_EXC_PF] = "#PF page fault",
    [X86_EXC_MF] = "#MF x87 error",
    [X86_EXC_AC] = "#AC alignment check",
    [X86_EXC_MC] = "#MC machine check",
    [X86_EXC_XM] = "#XM SIMD error",
    [X86_EXC_VE] = "#VE virtualisation",
    [X86_EXC_CP] = "#CP control protection",
};

const char *exception_name(unsigned int vector)
{
    if ( vector < 32 && exc_names[vector] )
        return exc_names[vector];
    return "reserved vector";
}

static void set_gate(unsigned int vec, uint64_t handler)
{
    struct idt_gate *g = &idt[vec];

    g->offset_lo = handler & 0xffff;
    g->selector = XTF_CS64;
    g->ist = 0;
    g->type_attr = GATE_INTERRUPT_DPL0;
    g->offset_mid = (handler >> 16) & 0xffff;
    g->offset_hi = handler >> 32;
    g->reserved = 0;
}

void traps_load(void)
{
    struct __packed
    {
        uint16_t limit;
        uint64_t base;
    } desc = {
        .limit = sizeof(idt) - 1,
        .base = (uint64_t)(uintptr_t)idt,
    };

    __asm__ volatile("lidt %0" ::"m"(desc));
}

void traps_init(void)
{
    for ( unsigned int v = 0; v < 32; v++ )
        set_gate(v, exc_stubs[v]);
    for ( unsigned int v = 32; v < 256; v++ )
        set_gate(v, (uint64_t)(uintptr_t)irq_stubs + (v - 32) * 16);
    traps_load();
}

void xtf_set_vector_handler(unsigned int vector, xtf_vector_handler fn)
{
    if ( vector < 256 )
        ACCESS_ONCE(handlers[vector]) = fn;
}

void dump_regs(const struct cpu_regs *r)
{
    printf("  vector %lu (%s), error code %#lx\n", (unsigned long)r->vector,
           exception_name(r->vector), (unsigned long)r->error_code);
    printf("  rip %016lx  cs %04lx  rflags %016lx\n", (unsigned long)r->rip, (unsigned long)r->cs,
           (unsigned long)r->rflags);
    printf("  rsp %016lx  ss %04lx  cr2 %016lx  cr3 %016lx\n", (unsigned long)r->rsp,
           (unsigned long)r->ss, (unsigned long)read_cr2(), (unsigned long)read_cr3());
    printf("  rax %016lx  rbx %016lx  rcx %016lx\n", (unsigned long)r->rax, (unsigned long)r->rbx,
           (unsigned long)r->rcx);
    printf("  rdx %016lx  rsi %016lx  rdi %016lx\n", (unsigned long)r->rdx, (unsigned long)r->rsi,
           (unsigned long)r->rdi);
    printf("  rbp %016lx  r8  %016lx  r9  %016lx\n", (unsigned long)r->rbp, (unsigned long)r->r8,
           (unsigned long)r->r9);
    printf("  r10 %016lx  r11 %016lx  r12 %016lx\n", (unsigned long)r->r10, (unsigned long)r->r11,
           (unsigned long)r->r12);
    printf("  r13 %016lx  r14 %016lx  r15 %016lx\n", (unsigned long)r->r13, (unsigned long)r->r14,
           (unsigned long)r->r15);
}

static const struct extable_entry *search_extable(uint64_t rip)
{
    for ( const struct extable_entry *e = __start_extable; e < __stop_extable; e++ )
        if ( e->fault == rip )
            return e;
    return NULL;
}

void do_exception(struct cpu_regs *regs)
{
    static bool in_fatal;
    const struct extable_entry *fix;
    xtf_vector_handler h = regs->vector < 256 ? ACCESS_ONCE(handlers[regs->vector]) : NULL;

    if ( h )
    {
        h(regs);
        return;
    }
    fix = search_extable(regs->rip);

    if ( fix )
    {
        if ( regs->vector == X86_EXC_PF )
            xtf_last_pf_cr2 = read_cr2();
        regs->rax = EXINFO(regs->vector, regs->error_code);
        regs->rip = fix->fixup;
        return;
    }

    /* A fault while reporting a fault: nothing sensible is left to do. */
    if ( in_fatal )
        halt_forever();
    in_fatal = true;

    printf("Unhandled %s on vCPU %d:\n", regs->vector < 32 ? "exception" : "interrupt",
           xtf_vcpu_id());
    dump_regs(regs);
    xtf_failure("unexpected %s at %#lx", exception_name(regs->vector), (unsigned long)regs->rip);
    xtf_request_crash();
    xtf_report_and_exit();
}
