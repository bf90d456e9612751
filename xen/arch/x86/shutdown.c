/*
 * shutdown.c - leaving the machine: power-off when dom0 asks for it, and a
 * failure exit (dom0 crashed, hypervisor panic) whose status the runner can
 * read. Under QEMU, ACPI soft-off gives status 0 and the isa-debug-exit
 * device at port 0xf4 gives (code << 1) | 1. Bochs ends on "Shutdown"
 * written to port 0x8900 with status 1 whatever happened, so its runner
 * judges by the serial log.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <asm/x86.h>
#include <asm/traps.h>
#include <asm/apic.h>
#include <xen/console.h>
#include <xen/spinlock.h>
#include <stdarg.h>

#define QEMU_PIIX4_PM1A_CNT  0x604  /* SeaBIOS's ACPI PM base + 4 */
#define BOCHS_PIIX4_PM1A_CNT 0xb004 /* bochsbios's ACPI PM base + 4 */
#define ACPI_SLP_EN_S5       0x2000
#define DEBUG_EXIT_PORT      0xf4
#define BOCHS_SHUTDOWN_PORT  0x8900

static __noreturn void stop_here(void)
{
    for ( ;; )
    {
        local_irq_disable();
        halt();
    }
}

static void bochs_shutdown(void)
{
    for ( const char *s = "Shutdown"; *s; s++ )
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
}

__noreturn void machine_power_off(void)
{
    printk("Powering off\n");
    serial_flush();
    /* QEMU acts on the ACPI write asynchronously: give it time before
     * trying the next mechanism, whose exit status would win the race. */
    outw(QEMU_PIIX4_PM1A_CNT, ACPI_SLP_EN_S5);
    udelay(200000);
    outw(BOCHS_PIIX4_PM1A_CNT, ACPI_SLP_EN_S5);
    udelay(200000);
    bochs_shutdown();
    outl(DEBUG_EXIT_PORT, 0);
    stop_here();
}

__noreturn void machine_exit_failure(unsigned int code)
{
    serial_flush();
    outl(DEBUG_EXIT_PORT, code);
    bochs_shutdown();
    stop_here();
}

static volatile int panicking;

__noreturn void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    local_irq_disable();
    if ( __atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST) )
        stop_here(); /* another CPU is already reporting */
    lock_order_stop();
    console_force_unlock();
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk(XENLOG_ERR "****************************************\n");
    printk(XENLOG_ERR "PANIC on CPU %u: %s\n", smp_processor_id(), buf);
    printk(XENLOG_ERR "****************************************\n");
    machine_exit_failure(EXIT_CODE_PANIC);
}
