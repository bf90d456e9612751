/*
 * test-lib.c - lib/ on the host. The bit operations of wren/bitops.h
 * against the compiler's builtins. The formatter (lib/format.c) against
 * the host C library's snprintf: a table of the formats the callers use,
 * then a seeded random walk over flags, widths, precisions, length
 * modifiers and conversions; then where lib/ differs from C on purpose
 * (wren/format.h), NULL %s, truncation, a width larger than the buffer,
 * size 0. The string functions and number parsing (lib/string.c).
 *
 * lib/'s objects are linked with their symbols renamed to lib_* (see
 * lib-syms.txt and the Makefile), so both implementations live in one
 * binary.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <wren/bitops.h>
#include <wren/format.h>
#include <wren/string.h>

#include "harness.h"

/* Each with the type wren/string.h or wren/format.h gives it, which the
 * compiler has checked against the C library's where both declare it. */
extern __typeof__(vsnprintf) lib_vsnprintf;
extern __typeof__(snprintf) lib_snprintf;
extern __typeof__(memset) lib_memset;
extern __typeof__(memcpy) lib_memcpy;
extern __typeof__(memmove) lib_memmove;
extern __typeof__(memcmp) lib_memcmp;
extern __typeof__(strlen) lib_strlen;
extern __typeof__(strnlen) lib_strnlen;
extern __typeof__(strcmp) lib_strcmp;
extern __typeof__(strncmp) lib_strncmp;
extern __typeof__(strchr) lib_strchr;
extern __typeof__(strstr) lib_strstr;
extern __typeof__(strlcpy) lib_strlcpy;
extern __typeof__(simple_strtoull) lib_simple_strtoull;
extern __typeof__(parse_size_and_unit) lib_parse_size_and_unit;

#define BUF 256

/* Format with both; fail with the format and both results if they differ. */
__attribute__((format(printf, 2, 3))) static void same(size_t size, const char *fmt, ...)
{
    char want[BUF], got[BUF];
    va_list ap, aq;
    int nw, ng;

    memset(want, 'W', sizeof(want));
    memset(got, 'W', sizeof(got));
    va_start(ap, fmt);
    va_copy(aq, ap);
    nw = vsnprintf(want, size, fmt, ap);
    ng = lib_vsnprintf(got, size, fmt, aq);
    va_end(aq);
    va_end(ap);
    CHECK_MSG(nw == ng && !memcmp(want, got, sizeof(want)),
              "\"%s\" (size %zu): libc \"%.*s\" (%d), lib \"%.*s\" (%d)", fmt, size,
              (int)strnlen(want, size), want, nw, (int)strnlen(got, size), got, ng);
}

/*
 * Format with lib/ only and compare with what wren/format.h promises.
 * Not declared as printf-like: some formats here are not C's on purpose.
 */
static void gives(const char *expect, size_t size, const char *fmt, ...)
{
    char got[BUF];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = lib_vsnprintf(got, size, fmt, ap);
    va_end(ap);
    CHECK_MSG(n == (int)strlen(expect) && !strncmp(got, expect, size - 1),
              "\"%s\": lib \"%s\" (%d), expected \"%s\"", fmt, got, n, expect);
}

/* lib's snprintf, out of the compiler's format checks. */
static int unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = lib_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- the formats the hypervisor and the tests use, and their values ---- */

static void test_table_integers(void)
{
    static const long long values[] = {
        0,
        1,
        -1,
        7,
        42,
        -42,
        255,
        4096,
        0xbeef,
        0x7fffffff,
        -0x80000000LL,
        0xffffffffLL,
        0x123456789abcLL,
        INT64_MAX,
        INT64_MIN,
    };

    for ( size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++ )
    {
        long long v = values[i];

        same(BUF, "%d|%i|%u|%x|%X|%o", (int)v, (int)v, (unsigned int)v, (unsigned int)v,
             (unsigned int)v, (unsigned int)v);
        same(BUF, "%ld|%lu|%lx|%016lx|%08lx|%04lx", (long)v, (unsigned long)v, (unsigned long)v,
             (unsigned long)v, (unsigned long)v, (unsigned long)v);
        same(BUF, "%lld|%llu|%llx", v, (unsigned long long)v, (unsigned long long)v);
        same(BUF, "%zu|%08x|%5d|%2u|%02lu", (size_t)v, (unsigned int)v, (int)v, (unsigned int)v,
             (unsigned long)v);
        same(BUF, "%hhd|%hd|%hu|%hhx|%jd|%td", (signed char)v, (short)v, (unsigned short)v,
             (unsigned char)v, (intmax_t)v, (ptrdiff_t)v);
        if ( (unsigned int)v ) /* "%#x" of 0: see test_deviations */
            same(BUF, "%#x|%#lx|%#llx|%#012lx|%#014lx|%#06lx|%#X", (unsigned int)v,
                 (unsigned long)v, (unsigned long long)v, (unsigned long)v, (unsigned long)v,
                 (unsigned long)v, (unsigned int)v);
    }
}

static void test_table_strings(void)
{
    same(BUF, "%s|%-28s|%-4s|%10s|%.3s|%.*s|%-6.2s|", "hello", "left", "ab", "right", "truncate", 4,
         "precision", "xyz");
    same(BUF, "%c|%3c|%-3c|%%", 'c', 'x', 'y');
    same(BUF, "%p|%p|%20p|%-20p|", (void *)0x1000, (void *)~0UL, (void *)0xdead, (void *)0xbeef);
    same(BUF, "plain text, no conversions");
    same(BUF, "%s", "");
}

static void test_table_flags(void)
{
    /* '0' beside '-' or a precision: legal C that the compiler warns of. */
    static const char *const ignored_zero[] = {
        "%+d|% d|%+5d|% 05d|%-+6d|%+.3d|%-08d|",
        "%.0d|%.0x|%#.0o|%.5u|%8.3x|%08.3x|%#o|%#5o",
    };

    same(BUF, ignored_zero[0], 5, 5, -5, 5, 5, 7, -9);
    same(BUF, ignored_zero[1], 0, 0, 0, 42, 0xa, 0xb, 8, 0);
    same(BUF, "%*d|%-*d|%*d|%.*d|%.*d|", 6, 1, 6, 2, -6, 3, 4, 5, -1, 6);
}

/* ---- a seeded random walk over the grammar ---- */

static void pick(char *out, size_t n, const char *set)
{
    snprintf(out, n, "%c", set[test_rand_below(strlen(set))]);
}

/* A random conversion specification for an integer; fmt gets it. */
static char random_int_spec(char *fmt, size_t n)
{
    static const char *const flagsets[] = { "", "-", "0", "#", "+", " ", "-#", "0#", "+0", "- " };
    static const char *const lengths[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };
    char conv[2], width[8] = "", prec[8] = "";

    pick(conv, sizeof(conv), "diuoxX");
    if ( test_rand_below(2) )
        snprintf(width, sizeof(width), "%u", (unsigned)test_rand_below(30));
    if ( test_rand_below(3) == 0 )
        snprintf(prec, sizeof(prec), ".%u", (unsigned)test_rand_below(25));
    snprintf(fmt, n, "<%%%s%s%s%s%s>", flagsets[test_rand_below(10)], width, prec,
             lengths[test_rand_below(8)], conv);
    return conv[0];
}

/* Values near the edges of every width more often than elsewhere. */
static unsigned long long random_value(void)
{
    switch ( test_rand_below(4) )
    {
    case 0: return test_rand_below(20);
    case 1: return ~0ULL >> test_rand_below(64);
    case 2: return -(unsigned long long)test_rand_below(20);
    default: return test_rand();
    }
}

static bool is_sharp_hex(const char *fmt, char conv)
{
    return strchr(fmt, '#') && (conv == 'x' || conv == 'X');
}

static void test_random_integers(void)
{
    test_srand(0x5eed0f0f);
    for ( unsigned int i = 0; i < 20000; i++ )
    {
        char fmt[48];
        char conv = random_int_spec(fmt, sizeof(fmt));
        unsigned long long v = random_value();

        if ( !v && is_sharp_hex(fmt, conv) )
            continue; /* "0x0": see test_deviations */
        /* Every length passes the same 64-bit argument; the callee reads
         * the width it names, as on x86-64 any integer argument allows. */
        same(BUF, fmt, v);
    }
}

static void test_random_strings(void)
{
    static const char *const words[] = { "", "a", "wren", "hypervisor", "a rather longer string" };

    test_srand(0x57a1);
    for ( unsigned int i = 0; i < 5000; i++ )
    {
        char fmt[48];
        unsigned int w = test_rand_below(30), p = test_rand_below(30);

        snprintf(fmt, sizeof(fmt), "[%%%s%u.%us|%%%s*c]", test_rand_below(2) ? "-" : "", w, p,
                 test_rand_below(2) ? "-" : "");
        same(1 + test_rand_below(BUF - 1), fmt, words[test_rand_below(5)],
             (int)test_rand_below(9) - 4, 'a' + (int)test_rand_below(26));
    }
}

/* ---- edges, and where lib/ differs from C on purpose ---- */

static void test_truncation(void)
{
    char small[4] = "xyz";

    same(4, "%s", "truncate");
    same(1, "%d", 12345);
    same(8, "%20s|", "wide"); /* width larger than the buffer */
    same(8, "%-20d|", -7);
    same(5, "%s%s%s", "ab", "cd", "ef");
    CHECK_EQ(lib_snprintf(small, 0, "%s", "untouched"), 9);
    CHECK(!strcmp(small, "xyz"));
    CHECK_EQ(lib_snprintf(NULL, 0, "%d", 123456), 6);
}

static void test_deviations(void)
{
    gives("(null)", BUF, "%s", (char *)NULL);
    gives("  (null)|(nu", BUF, "%8s|%.3s", (char *)NULL, (char *)NULL);
    gives("0x0|0X0|0x0000", BUF, "%#x|%#X|%#06lx", 0U, 0U, 0UL);
    gives("0x0|0x1000", BUF, "%p|%p", NULL, (void *)0x1000);
    gives("%q|", BUF, "%q|%"); /* a '%' that ends it: nothing */
    gives("%", BUF, "%-5.3l%");
    gives("%y1", BUF, "%-8y%d", 1);
    gives("[    x]", BUF, "[%*c]", 5, 'x');
}

static void test_huge_width(void)
{
    char buf[8];

    /* Widths are cut to FORMAT_WIDTH_MAX (4096), and never overflow. */
    CHECK_EQ(unchecked(buf, sizeof(buf), "%99999999999d", 1), 4096);
    CHECK_EQ(unchecked(buf, sizeof(buf), "%.99999999999d", 1), 4096);
    CHECK_EQ(unchecked(buf, sizeof(buf), "%*d", -2147483647 - 1, 1), 4096);
    CHECK(!strcmp(buf, "1      "));
}

/* ---- string functions and number parsing ---- */

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void test_strings(void)
{
    static const char *const s[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "wren hypervisor" };
    char d[16];

    for ( size_t i = 0; i < 8; i++ )
    {
        CHECK_EQ(lib_strlen(s[i]), strlen(s[i]));
        CHECK_EQ(lib_strnlen(s[i], 2), strnlen(s[i], 2));
        CHECK_EQ(lib_strchr(s[i], 'b'), strchr(s[i], 'b'));
        CHECK_EQ(lib_strchr(s[i], 0), strchr(s[i], 0));
        CHECK_EQ(lib_strstr(s[7], s[i]), strstr(s[7], s[i]));
        for ( size_t j = 0; j < 8; j++ )
        {
            CHECK_EQ(sign(lib_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
            CHECK_EQ(sign(lib_strncmp(s[i], s[j], 2)), sign(strncmp(s[i], s[j], 2)));
            CHECK_EQ(sign(lib_memcmp(s[i], s[j], 1)), sign(memcmp(s[i], s[j], 1)));
        }
    }
    CHECK_EQ(lib_strlcpy(d, "wren hypervisor!", 8), 16);
    CHECK(!strcmp(d, "wren hy"));
    CHECK_EQ(lib_strlcpy(d, "x", 0), 1);
}

static void test_memory(void)
{
    char a[32], b[32];

    for ( int i = 0; i < 32; i++ )
        a[i] = b[i] = (char)i;
    lib_memmove(a + 4, a, 20); /* overlapping, forwards */
    memmove(b + 4, b, 20);
    CHECK(!memcmp(a, b, 32));
    lib_memmove(a, a + 7, 20); /* overlapping, backwards */
    memmove(b, b + 7, 20);
    CHECK(!memcmp(a, b, 32));
    lib_memset(a, 0xa5, 17);
    memset(b, 0xa5, 17);
    CHECK(!memcmp(a, b, 32));
    lib_memcpy(a + 20, "0123456789", 10);
    memcpy(b + 20, "0123456789", 10);
    CHECK(!memcmp(a, b, 32));
}

static void test_parse_numbers(void)
{
    const char *end;

    CHECK_EQ(lib_simple_strtoull("4096", &end, 0), 4096);
    CHECK_EQ(*end, '\0');
    CHECK_EQ(lib_simple_strtoull("0x1fG", &end, 0), 0x1f);
    CHECK_EQ(*end, 'G');
    CHECK_EQ(lib_simple_strtoull("0xff", NULL, 16), 0xff);
    CHECK_EQ(lib_simple_strtoull("ff", NULL, 16), 0xff);
    CHECK_EQ(lib_simple_strtoull("777", NULL, 8), 0777);
    CHECK_EQ(lib_simple_strtoull("12z", &end, 10), 12);
    CHECK_EQ(*end, 'z');
    CHECK_EQ(lib_parse_size_and_unit("64M", &end), 64ULL << 20);
    CHECK_EQ(*end, '\0');
    CHECK_EQ(lib_parse_size_and_unit("1g,", &end), 1ULL << 30);
    CHECK_EQ(*end, ',');
    CHECK_EQ(lib_parse_size_and_unit("4096K", NULL), 4096ULL << 10);
    CHECK_EQ(lib_parse_size_and_unit("512b", NULL), 512);
    CHECK_EQ(lib_parse_size_and_unit("0x1000", NULL), 0x1000);
}

/* ---- bit operations ---- */

static void test_bit_words(void)
{
    test_srand(0xb175);
    for ( unsigned int i = 0; i < 100000; i++ )
    {
        uint64_t x = test_rand() >> test_rand_below(64);

        CHECK_EQ(popcount64(x), __builtin_popcountll(x));
        if ( !x )
            continue;
        CHECK_EQ(first_set_bit64(x), __builtin_ffsll(x) - 1);
        CHECK_EQ(last_set_bit64(x), 63 - __builtin_clzll(x));
    }
    CHECK_EQ(popcount64(0), 0);
    CHECK_EQ(popcount64(~0ULL), 64);
    CHECK_EQ(last_set_bit64(1ULL << 63), 63);
}

static void test_bitmaps(void)
{
    uint64_t bm[3] = { 0 };

    CHECK_EQ(bitmap_words(0), 0);
    CHECK_EQ(bitmap_words(1), 1);
    CHECK_EQ(bitmap_words(64), 1);
    CHECK_EQ(bitmap_words(129), 3);
    bitmap_set(bm, 0);
    bitmap_set(bm, 63);
    bitmap_set(bm, 64);
    bitmap_set(bm, 191);
    CHECK_EQ(bm[0], 0x8000000000000001ULL);
    CHECK_EQ(bm[1], 1);
    CHECK_EQ(bm[2], 1ULL << 63);
    CHECK(bitmap_test(bm, 191) && !bitmap_test(bm, 190));
    bitmap_clear(bm, 63);
    CHECK(!bitmap_test(bm, 63) && bitmap_test(bm, 0));
    CHECK_EQ(bitmap_mask(130), 4);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "format.table_integers", test_table_integers },
        { "format.table_strings", test_table_strings },
        { "format.table_flags", test_table_flags },
        { "format.random_integers", test_random_integers },
        { "format.random_strings", test_random_strings },
        { "format.truncation", test_truncation },
        { "format.deviations", test_deviations },
        { "format.huge_width", test_huge_width },
        { "string.compare_search", test_strings },
        { "string.memory", test_memory },
        { "string.parse_numbers", test_parse_numbers },
        { "bitops.words", test_bit_words },
        { "bitops.bitmaps", test_bitmaps },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
