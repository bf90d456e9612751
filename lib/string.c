/*
 * string.c - the memory and string functions of wren/string.h, for the
 * hypervisor, the XTF guests and dom0, and number parsing for their
 * command lines.
 *
 * Freestanding: it may use nothing outside lib/, and each function
 * stands alone so that the compiler's own calls to memcpy, memset,
 * memmove and memcmp land here.
 */
#include <wren/string.h>

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    while ( n-- )
        *p++ = (unsigned char)c;
    return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while ( n-- )
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ( d <= s || d >= s + n )
        return memcpy(dst, src, n);
    while ( n-- )
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for ( ; n; n--, x++, y++ )
        if ( *x != *y )
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while ( s[n] )
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while ( *a && *a == *b )
    {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n; n--, a++, b++ )
    {
        if ( *a != *b )
            return (unsigned char)*a - (unsigned char)*b;
        if ( !*a )
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for ( ; *s; s++ )
        if ( *s == (char)c )
            return (char *)s;
    return c ? NULL : (char *)s;
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    for ( ; *haystack; haystack++ )
        if ( !strncmp(haystack, needle, n) )
            return (char *)haystack;
    return n ? NULL : (char *)haystack;
}

size_t strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = strlen(src);

    if ( n )
    {
        size_t k = len < n - 1 ? len : n - 1;

        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return len;
}

/* The value of c as a digit, or 99 when it is not one in any base. */
static unsigned int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'z' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'Z' )
        return c - 'A' + 10;
    return 99;
}

static bool hex_prefix(const char *s)
{
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

unsigned long long simple_strtoull(const char *s, const char **end, unsigned int base)
{
    unsigned long long v = 0;

    if ( (!base || base == 16) && hex_prefix(s) )
    {
        base = 16;
        s += 2;
    }
    else if ( !base )
        base = 10;
    for ( ; digit_value(*s) < base; s++ )
        v = v * base + digit_value(*s);
    if ( end )
        *end = s;
    return v;
}

/* log2 of what unit letter u multiplies by, or -1 when u is no unit. */
static int unit_shift(char u)
{
    switch ( u )
    {
    case 'G':
    case 'g': return 30;
    case 'M':
    case 'm': return 20;
    case 'K':
    case 'k': return 10;
    case 'B':
    case 'b': return 0;
    default: return -1;
    }
}

unsigned long long parse_size_and_unit(const char *s, const char **end)
{
    const char *p;
    unsigned long long v = simple_strtoull(s, &p, 0);
    int shift = unit_shift(*p);

    if ( shift >= 0 )
    {
        v <<= shift;
        p++;
    }
    if ( end )
        *end = p;
    return v;
}
