/* SPDX-License-Identifier: MIT */
/*
 * sched.h - the sched_op hypercall: yield, block, poll and shut down.
 *
 * sched_op(cmd, arg). A domain ends itself with SCHEDOP_shutdown and a
 * SHUTDOWN_* reason; the control domain sees that reason in
 * XEN_DOMCTL_getdomaininfo's flags. Numbers and layouts follow Xen.
 */
#ifndef WREN_PUBLIC_SCHED_H
#define WREN_PUBLIC_SCHED_H

#include "xen.h"

#define SCHEDOP_yield           0 /* arg unused: let others run */
#define SCHEDOP_block           1 /* arg unused: sleep until an event */
#define SCHEDOP_shutdown        2 /* arg struct sched_shutdown */
#define SCHEDOP_poll            3 /* arg struct sched_poll */
#define SCHEDOP_remote_shutdown 4 /* arg struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5 /* arg struct sched_shutdown: record only */
#define SCHEDOP_watchdog        6 /* arg struct sched_watchdog */
#define SCHEDOP_pin_override    7 /* arg struct sched_pin_override */

#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

struct sched_shutdown
{
    uint32_t reason; /* SHUTDOWN_* */
};
XEN_ABI_SIZE(struct sched_shutdown, 4);

struct sched_poll
{
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout; /* absolute system time in ns; 0 = none */
};
XEN_ABI_SIZE(struct sched_poll, 24);

struct sched_remote_shutdown
{
    domid_t domain_id;
    uint16_t pad;
    uint32_t reason; /* SHUTDOWN_* */
};
XEN_ABI_SIZE(struct sched_remote_shutdown, 8);

struct sched_watchdog
{
    uint32_t id;      /* 0 allocates a new watchdog */
    uint32_t timeout; /* seconds; 0 destroys the watchdog */
};
XEN_ABI_SIZE(struct sched_watchdog, 8);

struct sched_pin_override
{
    int32_t pcpu; /* -1 ends the override */
};
XEN_ABI_SIZE(struct sched_pin_override, 4);

#endif /* WREN_PUBLIC_SCHED_H */
