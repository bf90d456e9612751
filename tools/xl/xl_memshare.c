/* SPDX-License-Identifier: MIT */
/*
 * xl_memshare.c - xl mem-share: share the pages two domains hold
 * identically (at the same gfn, or with -H at any gfn of the first), and
 * with -s report the host's sharing counters, the hypervisor's audit and
 * each named domain's shared pages.
 *
 * It acts through libxl.h only; it changes nothing but the sharing of
 * the two domains it names.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "xl.h"

/* "FIRST-LAST" in hex or decimal (strtoull's base 0). 0, or 1 with the
 * problem named. */
static int parse_range(const char *s, uint64_t *first, uint64_t *last)
{
    char *end;

    errno = 0;
    *first = strtoull(s, &end, 0);
    if ( !errno && end != s && *end == '-' )
    {
        const char *l = end + 1;

        *last = strtoull(l, &end, 0);
        if ( !errno && end != l && !*end && *first <= *last && s[0] != '-' )
            return 0;
    }
    fprintf(xl_err, "invalid gfn range: %s (FIRST-LAST, FIRST <= LAST)\n", s);
    return 1;
}

static int share_stats(int argc, char **argv, int first)
{
    libxl_mem_share_info_t info;

    if ( libxl_mem_share_info(ctx, &info) )
        return xl_fail("cannot read the sharing counters");
    fprintf(xl_out,
            "shared frames: %" PRIu64 "\nframes saved: %" PRIu64 "\naudit errors: %" PRIu64 "\n",
            info.shared_frames, info.saved_frames, info.audit_errors);
    for ( int i = first; i < argc; i++ )
    {
        libxl_domid domid;
        uint64_t pages;

        if ( xl_find_domain(argv[i], &domid) )
            return 1;
        if ( libxl_domain_shared_pages(ctx, domid, &pages) )
            return xl_fail("cannot read the domain's shared pages");
        fprintf(xl_out, "domain %u shared pages: %" PRIu64 "\n", domid, pages);
    }
    return info.audit_errors ? 1 : 0;
}

static int share_scan(int argc, char **argv, int first, bool by_hash)
{
    libxl_domid a, b;
    uint64_t lo = 0, hi = UINT64_MAX;
    libxl_mem_share_result r;
    int rc;

    if ( argc - first < 2 || argc - first > 3 )
    {
        xl_help_command(xl_err, cmdtable_lookup("mem-share"));
        return 1;
    }
    if ( xl_find_domain(argv[first], &a) || xl_find_domain(argv[first + 1], &b) ||
         (argc - first == 3 && parse_range(argv[first + 2], &lo, &hi)) )
        return 1;
    rc = libxl_mem_share(ctx, a, b, lo, hi, by_hash, &r);
    fprintf(xl_out,
            "compared: %" PRIu64 "\nidentical: %" PRIu64 "\nshared: %" PRIu64
            "\nframes saved: %" PRIu64 "\n",
            r.compared, r.identical, r.shared, r.saved);
    return rc ? xl_fail("cannot share the domains' memory") : 0;
}

int main_memshare(int argc, char **argv)
{
    struct xl_opts o;

    XL_GETOPTS(argc, argv, "Hs", 0, -1, &o);
    if ( o.set['s'] )
        return o.set['H'] ? (fprintf(xl_err, "-s takes no -H\n"), 1)
                          : share_stats(argc, argv, o.first);
    return share_scan(argc, argv, o.first, o.set['H']);
}
