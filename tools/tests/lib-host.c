/*
 * lib-host.c - what xen/include/xen/lib.h promises, for host unit tests.
 * The string functions and vsnprintf come from the C library; printk goes
 * to a buffer (and stderr if WREN_TEST_VERBOSE is set); panic() ends the running test case (or, when a case armed
 * EXPECT_PANIC, returns control to it).
 */
#include <xen/lib.h>

#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

char printk_last[256];

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
    if ( panic_catcher )
    {
        jmp_buf *jb = panic_catcher;

        panic_catcher = NULL;
        longjmp(*jb, 1);
    }
    test_fail(__FILE__, __LINE__, "panic: %s", panic_message);
}
