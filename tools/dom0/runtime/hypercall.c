/*
 * hypercall.c - dom0's line to the hypervisor above the instruction
 * (hypercall() is the architecture's: runtime/x86, runtime/arm64): the
 * hypervisor console (CONSOLEIO_write; the architecture's early output
 * before hypercalls work) and the final SCHEDOP_shutdown.
 *
 * May not touch: any state of its own; it is called from every other
 * runtime file and from exception handlers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include "rt.h"

void rt_console_write(const char *s, size_t n)
{
    if ( !rt_hypercall_ready )
    {
        rt_arch_early_write(s, n);
        return;
    }
    while ( n )
    {
        size_t chunk = n > 4096 ? 4096 : n;
        hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, (long)chunk, (long)s, 0, 0);
        s += chunk;
        n -= chunk;
    }
}

/* vsnprintf formats into the caller's buffer and takes no lock: safe
 * from inside a system call. */
void rt_printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if ( n > (int)sizeof(buf) - 1 )
        n = sizeof(buf) - 1;
    if ( n > 0 )
        rt_console_write(buf, (size_t)n);
}

void rt_shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };
    for ( ;; )
        hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (long)&s, 0, 0, 0);
}
