/*
 * lib.h - the hypervisor's small C library: lib/'s string functions and
 * formatted output (wren/string.h, wren/format.h), and on top of them
 * logging with levels, panic and assertions.
 */
#ifndef XEN_LIB_H
#define XEN_LIB_H

#include <xen/types.h>
#include <wren/string.h>
#include <wren/format.h>
#include <stdarg.h>

/*
 * Log levels follow Xen's: a message may start with XENLOG_ERR etc. The
 * console drops messages above the threshold set by loglvl=.
 */
#define XENLOG_ERR     "<0>"
#define XENLOG_WARNING "<1>"
#define XENLOG_INFO    "<2>"
#define XENLOG_DEBUG   "<3>"

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define ASSERT(p)                                                            \
    do                                                                       \
    {                                                                        \
        if ( unlikely(!(p)) )                                                \
            panic("Assertion '%s' failed at %s:%d", #p, __FILE__, __LINE__); \
    } while ( 0 )
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(p)          \
    do                     \
    {                      \
        if ( unlikely(p) ) \
            BUG();         \
    } while ( 0 )

#endif /* XEN_LIB_H */
