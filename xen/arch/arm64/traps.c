/*
 * traps.c - what happens when the hypervisor itself takes an exception at
 * EL2: entry.S saved the registers; this file says which vector, decodes
 * ESR_EL2's exception class and panics with ESR_EL2, ELR_EL2 and FAR_EL2
 * on the PANIC line (the runner judges by it). Guest exits (the lower-EL
 * vectors) are not handled yet: they panic the same way.
 */
#include <xen/lib.h>
#include <xen/console.h>
#include <xen/smp.h>
#include <asm/traps.h>
#include <asm/system.h>
#include <asm/sysregs.h>

_Static_assert(sizeof(struct cpu_user_regs) == CPU_USER_REGS_SIZE, "entry.S frame size");

extern uint8_t el2_vectors[];

void trap_init(void)
{
    WRITE_SYSREG((uintptr_t)el2_vectors, vbar_el2);
    isb();
}

static const char *vector_name(uint64_t kind)
{
    static const char *const from[] = { "EL2 (SP_EL0)", "EL2", "EL1/EL0 (AArch64)",
                                        "EL1/EL0 (AArch32)" };
    static const char *const type[] = { "synchronous", "IRQ", "FIQ", "SError" };
    static char buf[48];
    snprintf(buf, sizeof(buf), "%s %s", from[(kind >> 2) & 3], type[kind & 3]);
    return buf;
}

static const char *ec_name(unsigned int ec)
{
    switch ( ec )
    {
    case ESR_EC_UNKNOWN: return "unknown";
    case ESR_EC_HVC64: return "HVC";
    case ESR_EC_SMC64: return "SMC";
    case ESR_EC_SYSREG: return "system register";
    case ESR_EC_IABT_LOW:
    case ESR_EC_IABT_CUR: return "instruction abort";
    case ESR_EC_PC_ALIGN: return "PC alignment";
    case ESR_EC_DABT_LOW:
    case ESR_EC_DABT_CUR: return "data abort";
    case ESR_EC_SP_ALIGN: return "SP alignment";
    case ESR_EC_SERROR: return "SError";
    case ESR_EC_BRK64: return "BRK";
    default: return "other";
    }
}

void show_registers(const struct cpu_user_regs *regs)
{
    for ( unsigned int i = 0; i < 30; i += 2 )
        printk(XENLOG_ERR "  x%-2u %016lx  x%-2u %016lx\n", i, regs->x[i], i + 1, regs->x[i + 1]);
    printk(XENLOG_ERR "  x30 %016lx  sp  %016lx\n", regs->x[30], regs->sp);
    printk(XENLOG_ERR "  SPSR_EL2 %016lx\n", regs->spsr);
}

__noreturn void do_trap(struct cpu_user_regs *regs)
{
    unsigned int ec = (regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

    local_irq_disable();
    console_force_unlock();
    printk(XENLOG_ERR "Exception from %s on CPU %u:\n", vector_name(regs->kind),
           smp_processor_id());
    show_registers(regs);
    panic("EL2 exception: %s, ESR_EL2 %#lx (EC %#x %s, FSC %#lx) ELR_EL2 %#lx FAR_EL2 %#lx",
          vector_name(regs->kind), regs->esr, ec, ec_name(ec), regs->esr & ESR_FSC_MASK, regs->elr,
          regs->far);
}
