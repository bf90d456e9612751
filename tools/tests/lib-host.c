/*
 * lib-host.c - what xen/include/xen/lib.h promises, for host unit tests.
 * The string functions and vsnprintf come from the C library; printk goes
 * to a buffer (and stderr if WREN_TEST_VERBOSE is set); panic() ends the running test case (or, when a case armed
 * EXPECT_PANIC, returns control to it), forgetting the locks it held. Also
 * the arch hooks of spinlock.h, for one CPU.
 */
#include <xen/lib.h>
#include <xen/spinlock.h>

#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

char printk_last[256];
/* The interrupt flag of the one host CPU; only the irqsave variants of
 * spinlock.h (and the checker) turn it off. */
static bool host_irqs_on = true;

/* Kept for the tests to look at; shown only with WREN_TEST_VERBOSE set. */
void vprintk(const char *fmt, va_list ap)
{
    va_list copy;

    va_copy(copy, ap);
    vsnprintf(printk_last, sizeof(printk_last), fmt, copy);
    va_end(copy);
    if ( getenv("WREN_TEST_VERBOSE") )
        vfprintf(stderr, fmt, ap);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(panic_message, sizeof(panic_message), fmt, ap);
    va_end(ap);
    /* Whatever the panicking code held is abandoned with it (the lock
     * words stay set; host locks never spin). */
    lock_order_reset();
    host_irqs_on = true;
    if ( panic_catcher )
    {
        jmp_buf *jb = panic_catcher;

        panic_catcher = NULL;
        longjmp(*jb, 1);
    }
    test_fail(__FILE__, __LINE__, "panic: %s", panic_message);
}

/* The hooks spinlock.h and the lock-order checker want from the arch. */
unsigned long arch_lock_irq_save(void)
{
    unsigned long was = host_irqs_on;

    host_irqs_on = false;
    return was;
}

void arch_lock_irq_restore(unsigned long flags)
{
    host_irqs_on = flags;
}

bool arch_lock_irqs_enabled(void)
{
    return host_irqs_on;
}

unsigned int arch_lock_cpu(void)
{
    return 0;
}
