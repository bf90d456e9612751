/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenconsoled.h - the console daemon as a library: for each domain the
 * toolstack registers, it drains the guest's PV console ring
 * (public/io/console.h) into a bounded log, and serves clients (`xl
 * console`) on a Unix socket <dir>/<domid>: a client gets the log kept
 * so far, then output as it comes, and what it writes goes into the
 * guest's input ring. dom0 runs it as a service; host tests drive it.
 *
 * A guest that writes faster than anyone reads loses its oldest output,
 * never the daemon's memory; the bytes lost are counted. Rings are
 * reached through the backend, so this header names no Xen library.
 */
#ifndef XENCONSOLED_H
#define XENCONSOLED_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#define XENCONSOLED_DIR "/run/xenconsoled"
/* Output kept per domain, and output taken from a ring per pass. */
#define XENCONSOLED_LOG_SIZE (64 * 1024)
#define XENCONSOLED_BURST    1024

struct xenconsoled;

struct xenconsoled_backend
{
    /* domid's console page at gfn, mapped read-write, or NULL. */
    void *(*map)(void *opaque, unsigned int domid, unsigned long gfn);
    void (*unmap)(void *opaque, void *page);
    /* The local port bound to domid's remote_port, or -1. */
    int (*bind)(void *opaque, unsigned int domid, unsigned int remote_port);
    void (*unbind)(void *opaque, int local_port);
    void (*notify)(void *opaque, int local_port);
    void *opaque;
};

/* Sockets go in dir (made if missing); NULL with errno. */
struct xenconsoled *xenconsoled_create(const struct xenconsoled_backend *be, const char *dir);
void xenconsoled_destroy(struct xenconsoled *xc);

/* 0, or -EEXIST (already there), -EINVAL (cannot map or bind), -ENOMEM,
 * or a socket's -errno. Nothing is left behind on failure. */
int xenconsoled_add_domain(struct xenconsoled *xc, unsigned int domid, unsigned long ring_gfn,
                           unsigned int port);
/* 0 or -ENOENT. Clients are disconnected, the socket removed. */
int xenconsoled_remove_domain(struct xenconsoled *xc, unsigned int domid);

bool xenconsoled_run(struct xenconsoled *xc);
unsigned int xenconsoled_pollfds(struct xenconsoled *xc, struct pollfd *fds, unsigned int max);

struct xenconsoled_stats
{
    uint64_t logged;   /* bytes taken from the guest */
    uint64_t dropped;  /* of those, pushed out of the log unread */
    uint64_t bad_ring; /* times the guest's indexes were out of range */
    unsigned int clients;
};
/* 0 or -ENOENT. */
int xenconsoled_stats(const struct xenconsoled *xc, unsigned int domid,
                      struct xenconsoled_stats *st);

/* dom0's instance (service.c), for the toolstack in the same process. */
struct dom0_service;
extern const struct dom0_service xenconsoled_dom0_service;
int console_add_domain(unsigned int domid, unsigned long ring_gfn, unsigned int port);
int console_remove_domain(unsigned int domid);

#endif /* XENCONSOLED_H */
