/*
 * shutdown.c - leaving the machine on arm64: PSCI SYSTEM_OFF, after the
 * UART has drained. QEMU's exit status is 0 whatever the reason, so, as
 * on Bochs, the serial log alone says how the run ended (a PANIC line,
 * a Test result line); panic() prints it.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/console.h>
#include <xen/spinlock.h>
#include <asm/traps.h>
#include <asm/system.h>
#include <asm/arm64.h>
#include <stdarg.h>

static __noreturn void stop_here(void)
{
    for ( ;; )
    {
        local_irq_disable();
        halt();
    }
}

__noreturn void machine_power_off(void)
{
    printk("Powering off\n");
    serial_flush();
    psci_system_off();
}

__noreturn void machine_exit_failure(unsigned int code)
{
    printk(XENLOG_ERR "Stopping the machine (failure %u)\n", code);
    serial_flush();
    psci_system_off();
}

static volatile int panicking;

__noreturn void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    local_irq_disable();
    /* One CPU reports; any other arriving here just stops. */
    if ( __atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST) )
        stop_here();
    lock_order_stop();
    console_force_unlock();
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    printk(XENLOG_ERR "****************************************\n");
    printk(XENLOG_ERR "PANIC on CPU %u: %s\n", smp_processor_id(), msg);
    printk(XENLOG_ERR "****************************************\n");
    machine_exit_failure(EXIT_CODE_PANIC);
}
