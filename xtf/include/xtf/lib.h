/*
 * lib.h - the small C library of the XTF runtime: lib/'s strings and
 * formatted output (wren/string.h, wren/format.h, which says what the
 * formats are), and on top of them printf to the console and panic.
 */
#ifndef XTF_LIB_H
#define XTF_LIB_H

#include <xtf/types.h>
#include <wren/string.h>
#include <wren/format.h>

int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);

/* Print a message and end the test with FAILURE (and SHUTDOWN_crash). */
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

#endif /* XTF_LIB_H */
