/*
 * fuzz-format.c - libFuzzer harness for lib/'s formatter (lib/format.c),
 * which every log line of the hypervisor and the test kernels goes
 * through.
 *
 * Built with -Dvsnprintf=lib_vsnprintf -Dsnprintf=lib_snprintf
 * (FUZZ_CFLAGS_format in harnesses.mk), so the calls below reach lib's
 * code, not the C library's or the sanitizer's interceptor of the same
 * name.
 *
 * Input: byte 0 is the size of a second, small buffer; the rest, up to
 * a NUL, is the format. A format with more than MAX_CONV '%' is skipped:
 * each conversion takes at most three arguments ('*' width, '*'
 * precision, value) and the call passes 3 * MAX_CONV, all pointers to
 * one string, so that %s, %p, %c and the integers all read something
 * valid. Oracles, beyond ASan/UBSan (the format and the small buffer
 * are heap blocks of exactly their size):
 *   - the result fits a buffer of FULL bytes and ends with a NUL there;
 *   - into the small buffer (size 0 included), the same length comes
 *     back and what is stored is the NUL-terminated prefix of the full
 *     output;
 *   - with a NULL buffer and size 0, the same length.
 *
 * It may not touch anything but wren/format.h's interface.
 */
#include <wren/format.h>

#include "fuzz.h"

#define MAX_CONV 8
#define FULL     (MAX_CONV * (FORMAT_WIDTH_MAX + 8) + 4096)

static const char arg[] = "fuzz";

#define A4   arg, arg, arg, arg
#define ARGS A4, A4, A4, A4, A4, A4 /* 3 * MAX_CONV */

static int format(char *buf, size_t size, const char *fmt)
{
    return snprintf(buf, size, fmt, ARGS);
}

static size_t count_percent(const char *s)
{
    size_t n = 0;

    for ( ; *s; s++ )
        n += *s == '%';
    return n;
}

static void check_small(const char *fmt, const char *full, int n, size_t size)
{
    char *small = malloc(size ? size : 1);
    size_t kept = size ? MIN((size_t)n, size - 1) : 0;

    FUZZ_CHECK(small);
    FUZZ_CHECK_MSG(format(small, size, fmt) == n, "size %zu", size);
    if ( size )
        FUZZ_CHECK_MSG(!memcmp(small, full, kept) && small[kept] == '\0',
                       "size %zu: not the prefix", size);
    free(small);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *fmt, *full;
    int n;

    if ( size < 1 )
        return 0;
    fmt = malloc(size); /* the format and its NUL */
    FUZZ_CHECK(fmt);
    memcpy(fmt, data + 1, size - 1);
    fmt[size - 1] = '\0';
    if ( count_percent(fmt) <= MAX_CONV )
    {
        full = malloc(FULL);
        FUZZ_CHECK(full);
        n = format(full, FULL, fmt);
        FUZZ_CHECK(n >= 0 && n < FULL && full[n] == '\0');
        check_small(fmt, full, n, data[0]);
        FUZZ_CHECK(format(NULL, 0, fmt) == n);
        free(full);
    }
    free(fmt);
    return 0;
}
