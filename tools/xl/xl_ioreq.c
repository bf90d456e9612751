/* SPDX-License-Identifier: MIT */
/*
 * xl_ioreq.c - xl ioreq-list [Domain]: for each domain wren-dm serves
 * (or the one named), its IOREQ server (id, state), the ranges it
 * claimed, its request counters, its mapcache's counters and its
 * devices' counters. The hypervisor has no call that lists servers, so
 * this is what dom0's device model knows of the servers it runs.
 *
 * Reads only; it changes nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <wrendm.h>

#include "xl.h"

/* Weak: present when tools/dm is linked. */
extern unsigned int wrendm_list(uint32_t *domids, unsigned int max) __attribute__((weak));
extern int wrendm_info(uint32_t domid, struct wrendm_info *info) __attribute__((weak));

static void ioreq_print(const struct wrendm_info *i)
{
    unsigned int r;

    fprintf(xl_out, "Domain %u: server %u (%s), %s\n", i->domid, i->server_id, WRENDM_NAME,
            i->enabled ? "enabled" : "disabled");
    for ( r = 0; r < i->nr_ranges; r++ )
        fprintf(xl_out, "  %-8s %#" PRIx64 "-%#" PRIx64 " %s\n", i->ranges[r].kind,
                i->ranges[r].start, i->ranges[r].end, i->ranges[r].name);
    fprintf(xl_out,
            "  requests: sync %" PRIu64 " buffered %" PRIu64 " pio %" PRIu64 " mmio %" PRIu64
            " pci %" PRIu64 " invalidate %" PRIu64 " unclaimed %" PRIu64 " bad %" PRIu64 "\n",
            i->sync, i->buffered, i->pio, i->mmio, i->pci, i->invalidates, i->unclaimed, i->bad);
    fprintf(xl_out,
            "  mapcache: hits %" PRIu64 " misses %" PRIu64 " evictions %" PRIu64
            " invalidations %" PRIu64 " buckets %u/%u\n",
            i->mc_hits, i->mc_misses, i->mc_evictions, i->mc_invalidations, i->mc_live,
            i->mc_budget);
    fprintf(xl_out,
            "  dtable: writes %" PRIu64 " rejected %" PRIu64 " applied %" PRIu64 "\n"
            "  uart: tx %" PRIu64 " rx %" PRIu64 "\n",
            i->dt_seen, i->dt_rejected, i->dt_applied, i->uart_tx, i->uart_rx);
}

static int ioreq_one(uint32_t domid, bool named)
{
    struct wrendm_info info;

    if ( wrendm_info(domid, &info) )
    {
        if ( named )
            fprintf(xl_err, "xl: ioreq-list: domain %u has no device model\n", domid);
        return named;
    }
    ioreq_print(&info);
    return 0;
}

int main_ioreq_list(int argc, char **argv)
{
    uint32_t domids[WRENDM_MAX_DOMAINS];
    struct xl_opts o;
    libxl_domid domid;
    unsigned int n, i;
    int rc = 0;

    XL_GETOPTS(argc, argv, "", 0, 1, &o);
    if ( !wrendm_list || !wrendm_info )
    {
        fprintf(xl_err, "xl: ioreq-list: %s is not part of this toolstack\n", WRENDM_NAME);
        return 1;
    }
    if ( o.first < argc )
        return xl_find_domain(argv[o.first], &domid) ? 1 : ioreq_one(domid, true);
    n = wrendm_list(domids, WRENDM_MAX_DOMAINS);
    for ( i = 0; i < n && i < WRENDM_MAX_DOMAINS; i++ )
        rc |= ioreq_one(domids[i], false);
    return rc;
}
