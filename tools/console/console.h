/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * console.h - what the console daemon's files share. Private to
 * tools/console and its tests.
 *
 *   daemon.c   the daemon and its domains: rings, logs
 *   clients.c  each domain's socket and attached clients
 */
#ifndef CONSOLE_PRIVATE_H
#define CONSOLE_PRIVATE_H

#include <stddef.h>
#include <xen/io/console.h>

#include "xenconsoled.h"

struct cons_client
{
    struct cons_client *next;
    int fd;
    uint64_t pos; /* the next log byte it gets */
};

struct cons_dom
{
    struct cons_dom *next;
    struct xenconsoled *xc;
    unsigned int domid;
    unsigned long gfn;
    int local_port;
    struct xencons_interface *intf;
    char log[XENCONSOLED_LOG_SIZE];
    uint64_t total; /* bytes ever logged: byte i is log[i % size] */
    struct xenconsoled_stats st;
    int listen_fd;
    char *sock_path;
    struct cons_client *clients;
};

struct xenconsoled
{
    struct xenconsoled_backend be;
    char *dir;
    struct cons_dom *doms;
};

/* The oldest byte still in the log. */
uint64_t log_start(const struct cons_dom *d);
void dom_notify(struct cons_dom *d);

/* clients.c */
int clients_listen(struct cons_dom *d);
void clients_close(struct cons_dom *d);
bool clients_run(struct cons_dom *d);
void clients_flush(struct cons_dom *d);

#endif /* CONSOLE_PRIVATE_H */
