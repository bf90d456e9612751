/*
 * printf.c - printf and vprintf for test kernels: lib/'s vsnprintf
 * (wren/format.h says what it accepts) into a buffer, then the console.
 *
 * A message longer than the buffer is cut, never overrun; the return
 * value is still the length the whole message would have had.
 */
#include <xtf/lib.h>
#include <xtf/console.h>

int vprintf(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    console_write(buf, strnlen(buf, sizeof(buf)));
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
