/* SPDX-License-Identifier: MIT */
/*
 * io.c - the device model's request handling (io.h).
 *
 * May not touch: the served domain's RAM except through the mapcache,
 * and the pages' fields other than a slot's data and state and the
 * ring's read pointer (the fields the server owns).
 */
#include <string.h>

#include "io.h"

#define dm_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define dm_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

void dm_io_init(struct dm_io *io, struct mapcache *mc)
{
    memset(io, 0, sizeof(*io));
    io->mc = mc;
}

int dm_io_add(struct dm_io *io, const struct dm_dev *dev)
{
    if ( io->nr_devs == DM_MAX_DEVS )
        return -1;
    io->devs[io->nr_devs++] = *dev;
    return 0;
}

static struct dm_dev *dm_find(struct dm_io *io, uint8_t type, uint64_t addr, unsigned int size)
{
    unsigned int i;

    for ( i = 0; i < io->nr_devs; i++ )
    {
        struct dm_dev *d = &io->devs[i];
        uint64_t start = d->start, end = d->end;

        if ( d->type != type || (d->range && !d->range(d->opaque, &start, &end)) )
            continue;
        if ( addr >= start && addr <= end && size - 1 <= end - addr )
            return d;
    }
    return NULL;
}

static void dm_count(struct dm_io *io, uint8_t type)
{
    if ( type == IOREQ_TYPE_PIO )
        io->st.pio++;
    else if ( type == IOREQ_TYPE_COPY )
        io->st.mmio++;
    else
        io->st.pci++;
}

/* Element i of a rep form: its device address (DF counts down). */
static uint64_t dm_elem(const ioreq_t *req, uint64_t base, uint32_t i)
{
    uint64_t step = (uint64_t)i * req->size;

    return IOREQ_DF(req) ? base - step : base + step;
}

/* One element: device side at addr, value in/out through *val or RAM. */
static void dm_one(struct dm_io *io, struct dm_dev *d, const ioreq_t *req, uint32_t i,
                   uint64_t *val)
{
    uint64_t addr = req->type == IOREQ_TYPE_PIO ? req->addr : dm_elem(req, req->addr, i);
    uint64_t ram = dm_elem(req, req->data, i), v = *val;

    if ( IOREQ_DIR(req) == IOREQ_WRITE )
    {
        if ( IOREQ_IS_PTR(req) && mapcache_read(io->mc, ram, &v, req->size) )
            v = ~0ULL;
        d->write(d->opaque, addr, req->size, v);
        return;
    }
    v = d->read(d->opaque, addr, req->size);
    if ( IOREQ_IS_PTR(req) )
        mapcache_write(io->mc, ram, &v, req->size);
    else
        *val = v;
}

static bool dm_sane(const ioreq_t *req)
{
    return (req->size == 1 || req->size == 2 || req->size == 4 || req->size == 8) &&
           req->count >= 1 && req->count <= DM_MAX_COUNT;
}

void dm_io_handle(struct dm_io *io, ioreq_t *req)
{
    uint64_t mask, val;
    struct dm_dev *d;
    uint32_t i;

    if ( req->type == IOREQ_TYPE_INVALIDATE )
    {
        mapcache_invalidate(io->mc);
        io->st.invalidates++;
        return;
    }
    if ( !dm_sane(req) )
    {
        io->st.bad++;
        req->data = ~0ULL;
        return;
    }
    mask = req->size == 8 ? ~0ULL : (1ULL << (req->size * 8)) - 1;
    d = dm_find(io, req->type, req->addr, req->size);
    if ( !d )
    {
        /* Not ours: a hole's behaviour, reads all-ones, writes dropped. */
        io->st.unclaimed++;
        if ( IOREQ_DIR(req) == IOREQ_READ && !IOREQ_IS_PTR(req) )
            req->data = mask;
        return;
    }
    dm_count(io, req->type);
    val = IOREQ_IS_PTR(req) ? 0 : req->data & mask;
    for ( i = 0; i < req->count; i++ )
        dm_one(io, d, req, i, &val);
    if ( IOREQ_DIR(req) == IOREQ_READ && !IOREQ_IS_PTR(req) )
        req->data = val & mask;
}

static void dm_set_state(ioreq_t *slot, uint8_t state)
{
    volatile uint8_t *flags = &slot->flags;

    *flags = (uint8_t)((*flags & ~IOREQ_FLAG_STATE_MASK) | state);
}

bool dm_io_serve_slot(struct dm_io *io, ioreq_t *slot)
{
    ioreq_t req;

    if ( IOREQ_STATE((volatile ioreq_t *)slot) != STATE_IOREQ_READY )
        return false;
    dm_rmb();
    memcpy(&req, slot, sizeof(req));
    dm_set_state(slot, STATE_IOREQ_INPROCESS);
    io->st.sync++;
    dm_io_handle(io, &req);
    if ( IOREQ_DIR(&req) == IOREQ_READ )
        ((volatile ioreq_t *)slot)->data = req.data;
    dm_wmb();
    dm_set_state(slot, STATE_IORESP_READY);
    return true;
}

/* Entry at pointer rp as a request; the slots it took (1, 2 for 8 bytes). */
static unsigned int dm_buf_entry(const buffered_iopage_t *page, uint32_t rp, ioreq_t *req)
{
    const buf_ioreq_t *b = &page->buf_ioreq[rp % IOREQ_BUFFER_SLOT_NUM];
    unsigned int size = BUF_IOREQ_SIZE(b);

    memset(req, 0, sizeof(*req));
    req->type = (uint8_t)BUF_IOREQ_TYPE(b);
    req->addr = BUF_IOREQ_ADDR(b);
    req->size = size;
    req->count = 1;
    req->data = b->data;
    if ( BUF_IOREQ_DIR(b) == IOREQ_READ )
        req->flags = IOREQ_FLAG_DIR_READ;
    if ( size != 8 )
        return 1;
    req->data |= (uint64_t)page->buf_ioreq[(rp + 1) % IOREQ_BUFFER_SLOT_NUM].data << 32;
    return 2;
}

unsigned int dm_io_drain(struct dm_io *io, buffered_iopage_t *page)
{
    volatile buffered_iopage_t *vp = page;
    uint32_t rp = vp->ptrs.p.read_pointer, wp = vp->ptrs.p.write_pointer;
    unsigned int taken = 0, n;
    ioreq_t req;

    if ( wp - rp > IOREQ_BUFFER_SLOT_NUM )
    {
        io->st.bad++; /* pointers that cannot be: serve nothing */
        return 0;
    }
    dm_rmb();
    while ( rp != wp )
    {
        n = dm_buf_entry(page, rp, &req);
        if ( n > wp - rp || IOREQ_DIR(&req) == IOREQ_READ ||
             (req.type != IOREQ_TYPE_PIO && req.type != IOREQ_TYPE_COPY) )
        {
            io->st.bad++;
            n = n > wp - rp ? wp - rp : n;
        }
        else
        {
            io->st.buffered++;
            dm_io_handle(io, &req);
        }
        rp += n;
        taken += n;
    }
    dm_wmb();
    __atomic_fetch_add(&page->ptrs.p.read_pointer, taken, __ATOMIC_SEQ_CST);
    return taken;
}
