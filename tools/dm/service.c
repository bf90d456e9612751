/* SPDX-License-Identifier: MIT */
/*
 * service.c - wren-dm as a dom0 service (dom0/service.h) and the
 * toolstack's calls of wrendm.h: the shared library handles (opened on
 * the first domain served), the served domains, a run() that collects
 * fired ports without blocking and serves every domain, and the
 * counters xl ioreq-list shows.
 *
 * May not touch: domains that xl did not ask it to serve.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <dom0/service.h>
#include <wrendm.h>

#include "dm.h"
#include "layout.h"

struct dm_handles dm_h;
struct dm_domain dm_domains[WRENDM_MAX_DOMAINS];

struct dm_domain *dm_domain_find(uint32_t domid)
{
    unsigned int i;

    for ( i = 0; i < WRENDM_MAX_DOMAINS; i++ )
        if ( dm_domains[i].live && dm_domains[i].domid == domid )
            return &dm_domains[i];
    return NULL;
}

static int dm_open_handles(void)
{
    if ( !dm_h.dmod )
        dm_h.dmod = xendevicemodel_open(NULL, 0);
    if ( !dm_h.fmem )
        dm_h.fmem = xenforeignmemory_open(NULL, 0);
    if ( !dm_h.xce )
        dm_h.xce = xenevtchn_open(NULL, 0);
    return dm_h.dmod && dm_h.fmem && dm_h.xce ? 0 : -1;
}

int wrendm_start(uint32_t domid, unsigned int vcpus, uint64_t ram_bytes)
{
    unsigned int i;

    if ( !domid || domid >= DOMID_FIRST_RESERVED || !vcpus || vcpus > DM_MAX_VCPUS || !ram_bytes ||
         (ram_bytes & 4095) )
        return errno = EINVAL, -1;
    if ( dm_domain_find(domid) )
        return errno = EEXIST, -1;
    for ( i = 0; i < WRENDM_MAX_DOMAINS && dm_domains[i].live; i++ )
        continue;
    if ( i == WRENDM_MAX_DOMAINS )
        return errno = ENOSPC, -1;
    if ( dm_open_handles() )
        return -1;
    return dm_server_start(&dm_domains[i], domid, vcpus, ram_bytes);
}

int wrendm_stop(uint32_t domid)
{
    struct dm_domain *dom = dm_domain_find(domid);

    if ( !dom )
        return errno = ESRCH, -1;
    dm_server_stop(dom);
    return 0;
}

unsigned int wrendm_list(uint32_t *domids, unsigned int max)
{
    unsigned int i, n = 0;

    for ( i = 0; i < WRENDM_MAX_DOMAINS; i++ )
        if ( dm_domains[i].live )
        {
            if ( n < max )
                domids[n] = dm_domains[i].domid;
            n++;
        }
    return n;
}

static void dm_range_info(struct wrendm_info *info, const char *kind, const char *name,
                          uint64_t start, uint64_t end)
{
    struct wrendm_range *r = &info->ranges[info->nr_ranges++];

    snprintf(r->kind, sizeof(r->kind), "%s", kind);
    snprintf(r->name, sizeof(r->name), "%s", name);
    r->start = start;
    r->end = end;
}

static void dm_counters(const struct dm_domain *dom, struct wrendm_info *info)
{
    struct mapcache_stats mc;

    info->sync = dom->io.st.sync;
    info->buffered = dom->io.st.buffered;
    info->pio = dom->io.st.pio;
    info->mmio = dom->io.st.mmio;
    info->pci = dom->io.st.pci;
    info->invalidates = dom->io.st.invalidates;
    info->unclaimed = dom->io.st.unclaimed;
    info->bad = dom->io.st.bad;
    mapcache_get_stats(dom->mc, &mc);
    info->mc_hits = mc.hits;
    info->mc_misses = mc.misses;
    info->mc_evictions = mc.evictions;
    info->mc_invalidations = mc.invalidations;
    info->mc_live = mc.live;
    info->mc_budget = mc.budget;
    info->dt_seen = dom->dt.seen;
    info->dt_rejected = dom->dt.rejected;
    info->dt_applied = dom->dt.applied;
    info->uart_tx = dom->uart.tx_bytes;
    info->uart_rx = dom->uart.rx_bytes;
}

int wrendm_info(uint32_t domid, struct wrendm_info *info)
{
    const struct dm_domain *dom = dm_domain_find(domid);
    uint64_t start, end;

    if ( !dom )
        return errno = ESRCH, -1;
    memset(info, 0, sizeof(*info));
    info->domid = domid;
    info->server_id = dom->id;
    info->enabled = dom->enabled;
    dm_range_info(info, DM_UART_KIND, "uart", DM_UART_BASE, DM_UART_BASE + UART_NR_PORTS - 1);
    dm_range_info(info, "mmio", "dtable-regs", DTABLE_MMIO_BASE,
                  DTABLE_MMIO_BASE + DTABLE_MMIO_SIZE - 1);
    if ( DM_HAS_PCI )
        dm_range_info(info, "pci", "pcidev", PCIDEV_SBDF, PCIDEV_SBDF);
    if ( dtable_table_range(&dom->dt, &start, &end) )
        dm_range_info(info, "memtype", "dtable", start, end);
    dm_counters(dom, info);
    return 0;
}

int wrendm_uart_input(uint32_t domid, const char *s, size_t len)
{
    struct dm_domain *dom = dm_domain_find(domid);

    if ( !dom )
        return errno = ESRCH, -1;
    return uart_queue_input(&dom->uart, s, len) == len ? 0 : (errno = ENOSPC, -1);
}

const char *wrendm_uart_log(uint32_t domid)
{
    struct dm_domain *dom = dm_domain_find(domid);

    return dom ? dom->uart.log : NULL;
}

/* Collect fired ports (masked until unmasked here). */
static bool dm_drain_ports(void)
{
    struct pollfd pfd = { .fd = xenevtchn_fd(dm_h.xce), .events = POLLIN };
    xenevtchn_port_or_error_t port;
    bool any = false;

    while ( poll(&pfd, 1, 0) == 1 && (port = xenevtchn_pending(dm_h.xce)) >= 0 )
    {
        xenevtchn_unmask(dm_h.xce, port);
        any = true;
    }
    return any;
}

static int dm_service_init(void)
{
    return 0; /* the handles open with the first domain served */
}

static bool dm_service_run(void)
{
    bool did;
    unsigned int i;

    if ( !dm_h.xce )
        return false;
    did = dm_drain_ports();
    for ( i = 0; i < WRENDM_MAX_DOMAINS; i++ )
        if ( dm_domains[i].live )
            did |= dm_server_serve(&dm_domains[i]);
    return did;
}

const struct dom0_service wrendm_dom0_service = {
    .name = WRENDM_NAME,
    .init = dm_service_init,
    .run = dm_service_run,
};
