/* SPDX-License-Identifier: MIT */
/*
 * io.h - how the device model answers an ioreq_t: a small device table
 * (kind, range, read/write callbacks) searched for the request's
 * address, rep and data_is_ptr forms done element by element through the
 * mapcache, IOREQ_TYPE_INVALIDATE dropping the mapcache, and the two
 * pages' protocols (docs/designs/ioreq.md): a synchronous slot taken at
 * READY and answered with IORESP_READY, and the buffered ring drained.
 *
 * Private to tools/dm. Trusts nothing in the pages: a slot or ring entry
 * that makes no sense is counted and answered harmlessly.
 */
#ifndef WRENDM_IO_H
#define WRENDM_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/hvm/ioreq.h>

#include "mapcache.h"

#define DM_MAX_DEVS  8U
#define DM_MAX_COUNT 4096U /* rep elements honoured in one request */

struct dm_dev
{
    const char *name;
    uint8_t type; /* IOREQ_TYPE_PIO, _COPY or _PCI_CONFIG */
    uint64_t start, end;
    /* The table device's range moves: when set, asked each time. */
    bool (*range)(void *opaque, uint64_t *start, uint64_t *end);
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned int size);
    void (*write)(void *opaque, uint64_t addr, unsigned int size, uint64_t val);
    void *opaque;
};

struct dm_io_stats
{
    uint64_t sync, buffered, pio, mmio, pci, invalidates, unclaimed, bad;
};

struct dm_io
{
    struct dm_dev devs[DM_MAX_DEVS];
    unsigned int nr_devs;
    struct mapcache *mc;
    struct dm_io_stats st;
};

void dm_io_init(struct dm_io *io, struct mapcache *mc);
int dm_io_add(struct dm_io *io, const struct dm_dev *dev);
/* Answer one request (filled in for reads). */
void dm_io_handle(struct dm_io *io, ioreq_t *req);
/* Take slot if READY, answer it, mark IORESP_READY; true if answered. */
bool dm_io_serve_slot(struct dm_io *io, ioreq_t *slot);
/* Every buffered write posted so far; how many entries were taken. */
unsigned int dm_io_drain(struct dm_io *io, buffered_iopage_t *page);

#endif /* WRENDM_IO_H */
