/*
 * cmdline.c - numbers from the start_info command line ("key=N" words),
 * for tests whose configuration (a seed, a count) comes from test.cfg.
 */
#include <xtf.h>
#include <xtf/fuzz.h>

static uint64_t parse_number(const char *p)
{
    unsigned int base = 10;
    uint64_t v = 0;

    if ( p[0] == '0' && (p[1] == 'x' || p[1] == 'X') )
    {
        base = 16;
        p += 2;
    }
    for ( ;; p++ )
    {
        unsigned int d;

        if ( *p >= '0' && *p <= '9' )
            d = *p - '0';
        else if ( base == 16 && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f' )
            d = (*p | 0x20) - 'a' + 10;
        else
            return v;
        v = v * base + d;
    }
}

uint64_t xtf_cmdline_u64(const char *key, uint64_t def)
{
    const char *s = xtf_cmdline();
    size_t klen = strlen(key);

    for ( const char *p = s; *p; p++ )
        if ( (p == s || p[-1] == ' ') && !strncmp(p, key, klen) && p[klen] == '=' )
            return parse_number(p + klen + 1);
    return def;
}
