/*
 * driver-libfuzzer.c - fuzz_fail() for harnesses linked with libFuzzer:
 * print the reason and abort, which makes libFuzzer save the input.
 * It holds nothing else: libFuzzer brings main().
 */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>

void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "FUZZ ORACLE FAILED at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
