/*
 * traps.c - the hypervisor's IDT and what happens when the hypervisor
 * itself takes an exception (a register dump and a panic) or an interrupt
 * (timer tick, cross-CPU kick), and the exceptions it expects: a
 * guarded instruction run for a guest (struct trap_guard), and a machine
 * check (vector 18, handled by mce.c: it returns if the hypervisor can go
 * on).
 */
#include <xen/lib.h>
#include <xen/timer.h>
#include <xen/smp.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/traps.h>
#include <asm/apic.h>
#include <asm/hvm.h>
#include <asm/mce.h>

struct idt_entry
{
    uint16_t offset_lo, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi, zero;
} __packed;
_Static_assert(sizeof(struct idt_entry) == 16, "idt entry");

static struct idt_entry idt[256] __aligned(16);
extern const uint8_t trap_stubs[];

void trap_init(void)
{
    for ( unsigned int v = 0; v < 256; v++ )
    {
        uint64_t a = (uint64_t)(uintptr_t)(trap_stubs + v * 16);
        idt[v] = (struct idt_entry){
            .offset_lo = a & 0xffff,
            .selector = 0x08,
            .ist = 0,
            .type_attr = 0x8e,
            .offset_mid = (a >> 16) & 0xffff,
            .offset_hi = a >> 32,
        };
    }
}

void trap_load(void)
{
    struct
    {
        uint16_t limit;
        uint64_t base;
    } __packed d = { sizeof(idt) - 1, (uintptr_t)idt };
    asm volatile("lidt %0" ::"m"(d));
}

static const char *const exception_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound",
    "#UD invalid opcode",
    "#NM no FPU",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP not present",
    "#SS stack",
    "#GP general protection",
    "#PF page fault",
    "reserved",
    "#MF x87",
    "#AC alignment",
    "#MC machine check",
    "#XM SIMD",
    "#VE virtualization",
    "#CP control protection",
};

void show_registers(const struct cpu_user_regs *r)
{
    printk(XENLOG_ERR "CPU %u  RIP %04lx:%016lx  RFLAGS %016lx\n", smp_processor_id(), r->cs,
           r->rip, r->rflags);
    printk(XENLOG_ERR "rax %016lx rbx %016lx rcx %016lx\n", r->rax, r->rbx, r->rcx);
    printk(XENLOG_ERR "rdx %016lx rsi %016lx rdi %016lx\n", r->rdx, r->rsi, r->rdi);
    printk(XENLOG_ERR "rbp %016lx rsp %016lx r8  %016lx\n", r->rbp, r->rsp, r->r8);
    printk(XENLOG_ERR "r9  %016lx r10 %016lx r11 %016lx\n", r->r9, r->r10, r->r11);
    printk(XENLOG_ERR "r12 %016lx r13 %016lx r14 %016lx\n", r->r12, r->r13, r->r14);
    printk(XENLOG_ERR "r15 %016lx cr2 %016lx cr3 %016lx\n", r->r15, read_cr2(), read_cr3());
}

static struct trap_guard trap_guards[NR_CPUS];

struct trap_guard *trap_guard_this_cpu(void)
{
    return &trap_guards[smp_processor_id()];
}

/* An exception at a guarded instruction: recorded, and execution goes on. */
static bool guarded(struct cpu_user_regs *r)
{
    struct trap_guard *g = trap_guard_this_cpu();

    if ( !g->rip || g->rip != r->rip || r->vector == 2 /* NMI: not the instruction's */ )
        return false;
    g->vector = r->vector;
    g->error_code = r->error_code;
    g->rip = 0;
    r->rip = g->resume;
    return true;
}

static __noreturn void fatal_exception(struct cpu_user_regs *r)
{
    const char *name =
        r->vector < 32 && exception_names[r->vector] ? exception_names[r->vector] : "unknown";
    printk(XENLOG_ERR "hypervisor took exception %lu (%s), error code %#lx\n", r->vector, name,
           r->error_code);
    show_registers(r);
    panic("fatal exception %lu in hypervisor", r->vector);
}

void do_trap(struct cpu_user_regs *regs)
{
    switch ( regs->vector )
    {
    case VECTOR_TIMER:
        apic_eoi();
        timer_interrupt();
        break;
    case VECTOR_KICK:
        apic_eoi();
        mce_kicked();
        hvm_kicked();
        get_cpu_info()->need_resched = true;
        break;
    case VECTOR_SPURIOUS:
    case 0x27: /* spurious IRQ7/IRQ15 of the masked PICs */
    case 0x2f: break;
    case 18: do_machine_check(regs); break; /* never the guarded instruction's */
    default:
        if ( regs->vector < 32 && guarded(regs) )
            break;
        if ( regs->vector < 32 )
            fatal_exception(regs);
        apic_eoi();
        printk(XENLOG_WARNING "unexpected interrupt vector %#lx\n", regs->vector);
        break;
    }
}
