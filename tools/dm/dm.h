/* SPDX-License-Identifier: MIT */
/*
 * dm.h - one served domain of wren-dm and the handles all of them share:
 * the pieces server.c builds and tears down and service.c serves from.
 *
 * Private to tools/dm.
 */
#ifndef WRENDM_DM_H
#define WRENDM_DM_H

#include <stdbool.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xen/hvm/ioreq.h>

#include "dtable.h"
#include "io.h"
#include "mapcache.h"
#include "pcidev.h"
#include "uart.h"

#define DM_MAX_VCPUS        128U /* slots in one synchronous page */
#define DM_MAPCACHE_BUCKETS 8U

struct dm_domain
{
    bool live;
    uint32_t domid;
    ioservid_t id;
    bool created, enabled, type_claimed;
    unsigned int vcpus;
    uint64_t ram_end;
    xenforeignmemory_resource_handle *fres;
    buffered_iopage_t *buf;
    shared_iopage_t *sync;
    int buf_port; /* local ports, -1 until bound */
    int vcpu_port[DM_MAX_VCPUS];
    struct mapcache *mc;
    struct dm_io io;
    struct uart uart;
    struct dtable dt;
    struct pcidev pci;
};

struct dm_handles
{
    xendevicemodel_handle *dmod;
    xenforeignmemory_handle *fmem;
    xenevtchn_handle *xce;
};

extern struct dm_handles dm_h;
extern struct dm_domain dm_domains[];

/* The served domain domid, or NULL. */
struct dm_domain *dm_domain_find(uint32_t domid);
/* Build and tear down (server.c); dm_server_start undoes itself on failure. */
int dm_server_start(struct dm_domain *dom, uint32_t domid, unsigned int vcpus, uint64_t ram_end);
void dm_server_stop(struct dm_domain *dom);
/* Serve whatever is waiting in dom's pages; true if anything was. */
bool dm_server_serve(struct dm_domain *dom);

#endif /* WRENDM_DM_H */
