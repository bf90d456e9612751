/* SPDX-License-Identifier: MIT */
/*
 * dm-cmds.c - the scenario commands for wren-dm (tools/dm): give a
 * served domain's UART input (uart-input), wait for its UART to have
 * sent a text (wait-uart), and wait for one of the device model's
 * counters to reach a value (wait-dm). Like scenario.c's checks, each
 * returns 0 when the condition holds and 1 with what was seen when not.
 *
 * May not touch: anything of the device model but its UART's input
 * queue; reads only, otherwise.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wrendm.h>
#include "dom0.h"

static double dm_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep in the runtime, so that the services (wren-dm) keep running. */
static void dm_pause(void)
{
    struct timespec ts = { .tv_sec = 0, .tv_nsec = 50 * 1000000L };

    nanosleep(&ts, NULL);
}

/* uart-input DOMID TEXT: TEXT and a newline for the guest to read. */
int dom0_cmd_uart_input(int argc, char **argv)
{
    uint32_t domid;

    if ( argc != 3 )
    {
        fprintf(stderr, "usage: uart-input DOMID TEXT\n");
        return 2;
    }
    domid = (uint32_t)strtoul(argv[1], NULL, 0);
    if ( wrendm_uart_input(domid, argv[2], strlen(argv[2])) || wrendm_uart_input(domid, "\n", 1) )
    {
        fprintf(stderr, "uart-input: wren-dm does not serve domain %u\n", domid);
        return 1;
    }
    return 0;
}

/* wait-uart DOMID TEXT [TIMEOUT_S] */
int dom0_cmd_wait_uart(int argc, char **argv)
{
    uint32_t domid;
    double end;
    const char *log = NULL;

    if ( argc < 3 || argc > 4 )
    {
        fprintf(stderr, "usage: wait-uart DOMID TEXT [TIMEOUT_S]\n");
        return 2;
    }
    domid = (uint32_t)strtoul(argv[1], NULL, 0);
    end = dm_now_s() + (argc > 3 ? strtod(argv[3], NULL) : 30);
    while ( dm_now_s() <= end )
    {
        log = wrendm_uart_log(domid);
        if ( log && strstr(log, argv[2]) )
        {
            printf("domain %u's UART sent \"%s\"\n", domid, argv[2]);
            return 0;
        }
        dm_pause();
    }
    fprintf(stderr, "wait-uart: domain %u's UART never sent \"%s\"; it sent:\n%s\n", domid, argv[2],
            log ? log : "(not served)");
    return 1;
}

/* The counter called name in info, or NULL. */
static const uint64_t *dm_counter(const struct wrendm_info *i, const char *name)
{
    static const struct
    {
        const char *name;
        size_t off;
    } counters[] = {
        { "sync", offsetof(struct wrendm_info, sync) },
        { "buffered", offsetof(struct wrendm_info, buffered) },
        { "pio", offsetof(struct wrendm_info, pio) },
        { "mmio", offsetof(struct wrendm_info, mmio) },
        { "pci", offsetof(struct wrendm_info, pci) },
        { "invalidate", offsetof(struct wrendm_info, invalidates) },
        { "bad", offsetof(struct wrendm_info, bad) },
        { "mapcache-invalidations", offsetof(struct wrendm_info, mc_invalidations) },
        { "dtable-writes", offsetof(struct wrendm_info, dt_seen) },
        { "dtable-rejected", offsetof(struct wrendm_info, dt_rejected) },
        { "dtable-applied", offsetof(struct wrendm_info, dt_applied) },
    };
    size_t k;

    for ( k = 0; k < sizeof(counters) / sizeof(counters[0]); k++ )
        if ( !strcmp(counters[k].name, name) )
            return (const uint64_t *)((const char *)i + counters[k].off);
    return NULL;
}

/* wait-dm DOMID COUNTER N [TIMEOUT_S]: until the counter is >= N. */
int dom0_cmd_wait_dm(int argc, char **argv)
{
    struct wrendm_info info;
    const uint64_t *c = NULL;
    uint64_t want;
    double end;

    if ( argc < 4 || argc > 5 )
    {
        fprintf(stderr, "usage: wait-dm DOMID COUNTER N [TIMEOUT_S]\n");
        return 2;
    }
    want = strtoull(argv[3], NULL, 0);
    end = dm_now_s() + (argc > 4 ? strtod(argv[4], NULL) : 30);
    do
    {
        if ( wrendm_info((uint32_t)strtoul(argv[1], NULL, 0), &info) )
            memset(&info, 0, sizeof(info));
        c = dm_counter(&info, argv[2]);
        if ( !c )
            return fprintf(stderr, "wait-dm: no counter \"%s\"\n", argv[2]), 2;
        if ( *c >= want )
            return printf("domain %s: %s = %llu\n", argv[1], argv[2], (unsigned long long)*c), 0;
        dm_pause();
    } while ( dm_now_s() <= end );
    fprintf(stderr, "wait-dm: domain %s: %s stayed %llu, wanted >= %llu\n", argv[1], argv[2],
            (unsigned long long)*c, (unsigned long long)want);
    return 1;
}
