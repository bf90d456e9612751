/* SPDX-License-Identifier: MIT */
/*
 * dom0/service.h - daemons that live inside the dom0 unikernel
 * (xenstored, the console daemon) beside the foreground program (the
 * shell and xl).
 *
 * dom0 is one process with one thread. A daemon is a set of callbacks:
 * whenever the foreground would block (read, poll, accept, nanosleep on
 * something not ready) and in the shell's idle loop, the runtime calls
 * every service's run(), then, if none made progress, blocks the vCPU
 * until an event channel fires or a timer expires. So a daemon's run()
 * must never block: it handles what is ready on its own descriptors
 * (opened non-blocking) and returns. The foreground talks to a daemon the
 * way it would on Linux: xenstored listens on a Unix socket, the client
 * library connects to it.
 *
 * On the host, the same daemon code runs from its own main() loop (or a
 * test's thread), calling run() after poll(); nothing in a daemon may
 * depend on being inside dom0.
 */
#ifndef DOM0_SERVICE_H
#define DOM0_SERVICE_H

#include <stdbool.h>

struct dom0_service
{
    const char *name;
    /* Once, before the foreground starts; nonzero stops dom0's boot. */
    int (*init)(void);
    /* Handle whatever is ready; true if anything was done. */
    bool (*run)(void);
};

/* Called by dom0's main before init, once per daemon. */
void dom0_service_register(const struct dom0_service *s);

/* Run every service once (the runtime calls this when blocking). */
bool dom0_services_run(void);

#endif /* DOM0_SERVICE_H */
