/*
 * fuzz.h - what every host fuzz harness shares.
 *
 * A harness is one fuzz-NAME.c defining LLVMFuzzerTestOneInput() and
 * nothing else with external linkage. It is linked two ways:
 *
 *   - with libFuzzer and driver-libfuzzer.c (make fuzz): an oracle that
 *     fails aborts, so libFuzzer saves the input as crash-*;
 *   - with driver-replay.c (make unit): every file of the committed corpus
 *     is run once, with gcc or clang, no fuzzer runtime needed; a failing
 *     oracle prints a FAIL line naming the file and the run goes on.
 *
 * Sanitizer reports end the process in both (-fno-sanitize-recover).
 *
 * A harness reaches hypervisor code only through that code's public
 * header, keeps no state between inputs, and writes nothing but its own
 * heap memory.
 */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An oracle failed: report and end this input. */
__attribute__((noreturn, format(printf, 3, 4))) void fuzz_fail(const char *file, int line,
                                                               const char *fmt, ...);

#define FUZZ_CHECK(c)                                \
    do                                               \
    {                                                \
        if ( !(c) )                                  \
            fuzz_fail(__FILE__, __LINE__, "%s", #c); \
    } while ( 0 )
#define FUZZ_CHECK_MSG(c, ...)                          \
    do                                                  \
    {                                                   \
        if ( !(c) )                                     \
            fuzz_fail(__FILE__, __LINE__, __VA_ARGS__); \
    } while ( 0 )

/* A heap copy of exactly n bytes, so ASan sees a read past the end.
 * Free it with free(). */
static inline uint8_t *fuzz_dup(const uint8_t *data, size_t n)
{
    uint8_t *p = malloc(n); /* n == 0: any read of it is reported */

    if ( !p && n )
        abort();
    if ( n )
        memcpy(p, data, n);
    return p;
}

#endif /* TESTS_FUZZ_H */
