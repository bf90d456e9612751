/*
 * wren/format.h - formatted output into a buffer (lib/format.c), for
 * every freestanding part of Wren. Console output (printk, printf) is
 * each consumer's own, on top of these.
 *
 * Conversions d i u o x X p s c %; flags - 0 # + and space; field width
 * and precision as digits or '*'; length modifiers hh h l ll z t j. The
 * result is what the C library gives (tools/tests/test-format.c checks
 * it), except that "%#x" and "%#X" of 0 keep their prefix ("0x0", as
 * Wren has always printed), %p is "%#lx" of the pointer ("0x0" for
 * NULL), an unknown conversion is copied out as it stands ("%q"), and a
 * '%' that ends the format prints nothing.
 * Widths and precisions above FORMAT_WIDTH_MAX are cut to it.
 *
 * Like snprintf: never writes more than size bytes, always terminates
 * when size > 0, returns the length the whole output would have.
 */
#ifndef WREN_FORMAT_H
#define WREN_FORMAT_H

#include <wren/types.h>
#include <stdarg.h>

#define FORMAT_WIDTH_MAX 4096

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* WREN_FORMAT_H */
