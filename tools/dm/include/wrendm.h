/* SPDX-License-Identifier: MIT */
/*
 * wrendm.h - wren-dm, dom0's device model, as the toolstack sees it:
 * start serving a domain (an IOREQ server with a buffered ring, its pages
 * mapped with xenforeignmemory_map_resource, its ports bound, a COM2
 * 16550 and the table device claimed, then enabled), stop (everything
 * destroyed and unmapped), and what it has done (xl ioreq-list). The
 * daemon itself is a dom0 service (wrendm_dom0_service) that answers
 * requests whenever dom0 would block.
 *
 * Toolstack-facing only; the device model's internals are in tools/dm.
 */
#ifndef WRENDM_H
#define WRENDM_H

#include <stddef.h>
#include <stdint.h>

#define WRENDM_NAME        "wren-dm"
#define WRENDM_MAX_DOMAINS 8
#define WRENDM_MAX_RANGES  4

struct wrendm_range
{
    char kind[8];   /* "port", "mmio", "pci", "memtype" */
    char name[12];  /* the device: "uart", "dtable-regs", "dtable" */
    uint64_t start; /* inclusive */
    uint64_t end;   /* inclusive */
};

struct wrendm_info
{
    uint32_t domid;
    uint16_t server_id;
    int enabled;
    unsigned int nr_ranges;
    struct wrendm_range ranges[WRENDM_MAX_RANGES];
    /* requests */
    uint64_t sync, buffered, pio, mmio, pci, invalidates, unclaimed, bad;
    /* mapcache */
    uint64_t mc_hits, mc_misses, mc_evictions, mc_invalidations;
    unsigned int mc_live, mc_budget;
    /* table device */
    uint64_t dt_seen, dt_rejected, dt_applied;
    /* uart */
    uint64_t uart_tx, uart_rx;
};

/* Serve domid: vcpus slots, RAM [0, ram_bytes). 0 or -1 with errno. */
int wrendm_start(uint32_t domid, unsigned int vcpus, uint64_t ram_bytes);
/* Stop serving domid (a no-op, -1/ESRCH, if it is not served). */
int wrendm_stop(uint32_t domid);
/* The domains served now, up to max; how many there are. */
unsigned int wrendm_list(uint32_t *domids, unsigned int max);
int wrendm_info(uint32_t domid, struct wrendm_info *info);
/* Queue input for the domain's UART; what the guest sent so far. */
int wrendm_uart_input(uint32_t domid, const char *s, size_t len);
const char *wrendm_uart_log(uint32_t domid);

#endif /* WRENDM_H */
