/* SPDX-License-Identifier: MIT */
/*
 * xl_mem.c - the commands that change a domain's settings: mem-set,
 * mem-max, rename; and the parser of memory sizes they share.
 *
 * They act through libxl.h only, on the domain named.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

/* "512", "512m", "2g", "1024k", "4096b", "1t" -> KiB (no suffix: MiB,
 * as Xen's xl reads mem-set and mem-max). -1 if malformed. */
static int64_t parse_mem_kb(const char *s)
{
    char *end;
    unsigned long long v;
    int shift; /* to KiB: <0 divides */

    errno = 0;
    v = strtoull(s, &end, 10);
    if ( errno || end == s || s[0] == '-' )
        return -1;
    switch ( *end )
    {
    case '\0':
    case 'm':
    case 'M': shift = 10; break;
    case 'k':
    case 'K': shift = 0; break;
    case 'g':
    case 'G': shift = 20; break;
    case 't':
    case 'T': shift = 30; break;
    case 'b':
    case 'B': shift = -10; break;
    default: return -1;
    }
    if ( *end && end[1] )
        return -1;
    if ( shift < 0 )
        return v >> 10;
    if ( v > (1ULL << (62 - shift)) )
        return -1;
    return v << shift;
}

static int mem_args(int argc, char **argv, libxl_domid *domid, int64_t *kb)
{
    struct xl_opts o;
    int rc = xl_getopts(argc, argv, "", 2, 2, &o);

    if ( rc )
        return rc;
    *kb = parse_mem_kb(argv[o.first + 1]);
    if ( *kb <= 0 )
    {
        fprintf(xl_err, "invalid memory size: %s\n", argv[o.first + 1]);
        return 1;
    }
    return xl_find_domain(argv[o.first], domid);
}

int main_memset(int argc, char **argv)
{
    libxl_domid domid;
    int64_t kb;
    int rc = mem_args(argc, argv, &domid, &kb);

    if ( rc )
        return rc < 0 ? 0 : rc;
    if ( libxl_set_memory_target(ctx, domid, kb, 0, 1) )
        return xl_fail("cannot set the memory target");
    return 0;
}

int main_memmax(int argc, char **argv)
{
    libxl_domid domid;
    int64_t kb;
    int rc = mem_args(argc, argv, &domid, &kb);

    if ( rc )
        return rc < 0 ? 0 : rc;
    if ( libxl_domain_setmaxmem(ctx, domid, kb) )
        return xl_fail("cannot set the maximum memory");
    return 0;
}

int main_rename(int argc, char **argv)
{
    struct xl_opts o;
    libxl_domid domid;

    XL_GETOPTS(argc, argv, "", 2, 2, &o);
    if ( xl_find_domain(argv[o.first], &domid) )
        return 1;
    if ( libxl_domain_rename(ctx, domid, NULL, argv[o.first + 1]) )
        return xl_fail("cannot rename the domain");
    return 0;
}
