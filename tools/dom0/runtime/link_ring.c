/*
 * link_ring.c - the wren-link protocol over one shared region (the
 * interface and the rules are in link_ring.h; the why in
 * docs/designs/live-migration.md, "Two machines").
 *
 * Ordering: the other end is another QEMU process on the same host. A
 * word is written with one aligned 64-bit store and read with one load;
 * data is copied before the counter that publishes it is stored
 * (release), and a counter is loaded before the data it covers (acquire).
 * x86 keeps stores in order and loads in order, which is all the rings
 * need. Only the election needs a store to be seen before a later load,
 * and that is the caller's pause between link_elect() steps.
 *
 * May not touch: anything but the region and the struct link.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "link_ring.h"

#define LD(p)    __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define ST(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

static struct link_hdr *hdr(const struct link *l)
{
    return (struct link_hdr *)l->base;
}

static struct link_end_words *mine(const struct link *l)
{
    return &hdr(l)->end[l->end];
}

static struct link_end_words *peer(const struct link *l)
{
    return &hdr(l)->end[!l->end];
}

static uint8_t *ring(const struct link *l, int end)
{
    return l->base + LINK_HDR_BYTES + (size_t)end * l->rsize;
}

__attribute__((format(printf, 3, 4))) static int fail(struct link *l, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->why, sizeof(l->why), fmt, ap);
    va_end(ap);
    l->error = err;
    return err;
}

static uint32_t ring_bytes(uint64_t size)
{
    uint64_t r = 1;
    while ( r * 2 <= (size - LINK_HDR_BYTES) / 2 )
        r *= 2;
    return (uint32_t)r;
}

static int check_header(struct link *l, struct link_hdr *h)
{
    uint64_t magic = LD(h->magic);
    if ( !magic )
    {
        /* Both ends may do this at once: they write the same values. */
        ST(h->version, LINK_VERSION);
        ST(h->size, l->size);
        ST(h->magic, LINK_MAGIC);
        return 0;
    }
    if ( magic != LINK_MAGIC )
        return fail(l, -EPROTO, "region magic %#llx is not wren-link's", (unsigned long long)magic);
    if ( LD(h->version) != LINK_VERSION )
        return fail(l, -EPROTO, "peer speaks version %u, this end %u", LD(h->version),
                    LINK_VERSION);
    if ( LD(h->size) != l->size )
        return fail(l, -EPROTO, "peer's region is %llu bytes, this end's %llu",
                    (unsigned long long)LD(h->size), (unsigned long long)l->size);
    return 0;
}

int link_attach(struct link *l, void *base, uint64_t size, uint64_t nonce)
{
    memset(l, 0, sizeof(*l));
    l->end = -1;
    l->nonce = nonce | 1;
    if ( size < LINK_MIN_BYTES || (size & (size - 1)) || size > (1ULL << 32) )
        return fail(l, -EINVAL, "region of %llu bytes: not a power of two from 64 KiB to 4 GiB",
                    (unsigned long long)size);
    l->base = base;
    l->size = size;
    l->rsize = ring_bytes(size);
    return check_header(l, hdr(l));
}

static int decided(struct link *l, enum link_outcome o, int end)
{
    ST(hdr(l)->outcome[o], l->nonce);
    l->end = end;
    return 0;
}

/*
 * The splitter: X = me; if Y: RIGHT; Y = 1; if X == me: STOP else DOWN.
 * Of two ends at most one STOPs, not both go RIGHT, not both DOWN. STOP
 * is end 0 and DOWN end 1 at once; RIGHT knows the other end passed
 * "Y = 1" and so will publish STOP (RIGHT is then end 1) or DOWN (end 0).
 */
int link_elect(struct link *l)
{
    struct link_hdr *h = hdr(l);

    switch ( l->step )
    {
    case 0: ST(h->x, l->nonce); break;
    case 1:
        if ( LD(h->y) )
        {
            ST(h->outcome[LINK_RIGHT], l->nonce);
            l->step = 3;
            return -EAGAIN;
        }
        ST(h->y, 1);
        break;
    case 2: return LD(h->x) == l->nonce ? decided(l, LINK_STOP, 0) : decided(l, LINK_DOWN, 1);
    default:
        if ( LD(h->outcome[LINK_STOP]) )
            l->end = 1;
        else if ( LD(h->outcome[LINK_DOWN]) )
            l->end = 0;
        return l->end < 0 ? -EAGAIN : 0;
    }
    l->step++;
    return -EAGAIN;
}

void link_open(struct link *l)
{
    struct link_end_words *w = mine(l);

    l->sess++;
    l->ack = 0;
    l->connected = l->hup = false;
    l->open = true;
    ST(w->ack, 0);
    ST(w->head, l->head);
    ST(w->start, l->head);
    ST(w->state, l->sess | LINK_OPEN);
}

void link_close(struct link *l)
{
    if ( !l->open )
        return;
    ST(mine(l)->state, l->sess);
    l->open = l->connected = false;
}

/* Accept the peer's session (its stream starts at its start), and see
 * whether it accepted ours; once connected, see whether it went. */
static void progress(struct link *l)
{
    struct link_end_words *p = peer(l);
    uint64_t st = LD(p->state);

    if ( l->error || !l->open || l->hup )
        return;
    if ( l->connected )
    {
        l->hup = st != (l->ack | LINK_OPEN);
        return;
    }
    if ( !(st & LINK_OPEN) )
        return;
    if ( (uint32_t)st != l->ack )
    {
        l->tail = (uint32_t)LD(p->start);
        ST(mine(l)->tail, l->tail);
        l->ack = (uint32_t)st;
        ST(mine(l)->ack, l->ack);
    }
    l->connected = (uint32_t)LD(p->ack) == l->sess;
}

static void copy_out(const struct link *l, void *buf, uint32_t at, uint32_t n)
{
    const uint8_t *r = ring(l, !l->end);
    uint32_t off = at & (l->rsize - 1), first = n < l->rsize - off ? n : l->rsize - off;
    memcpy(buf, r + off, first);
    memcpy((uint8_t *)buf + first, r, n - first);
}

static void copy_in(const struct link *l, const void *buf, uint32_t at, uint32_t n)
{
    uint8_t *r = ring(l, l->end);
    uint32_t off = at & (l->rsize - 1), first = n < l->rsize - off ? n : l->rsize - off;
    memcpy(r + off, buf, first);
    memcpy(r, (const uint8_t *)buf + first, n - first);
}

/* Bytes waiting inbound, or a negative error. */
static long inbound(struct link *l)
{
    uint32_t head, avail;

    progress(l);
    if ( l->error )
        return l->error;
    if ( !l->connected && !l->hup )
        return -EAGAIN;
    head = (uint32_t)LD(peer(l)->head);
    avail = head - l->tail;
    if ( avail > l->rsize )
        return fail(l, -EIO, "peer's head %u is %u bytes past this end's tail %u (ring %u)", head,
                    avail, l->tail, l->rsize);
    return avail;
}

/* Room outbound, or a negative error. */
static long outbound(struct link *l)
{
    uint32_t tail, used;

    progress(l);
    if ( l->error )
        return l->error;
    if ( l->hup )
        return -EPIPE;
    if ( !l->connected )
        return -EAGAIN;
    tail = (uint32_t)LD(peer(l)->tail);
    used = l->head - tail;
    if ( used > l->rsize )
        return fail(l, -EIO, "peer's tail %u is not within the %u bytes behind this end's head %u",
                    tail, l->rsize, l->head);
    return l->rsize - used;
}

long link_read(struct link *l, void *buf, size_t n)
{
    long avail = inbound(l);
    uint32_t k;

    if ( avail < 0 )
        return avail;
    if ( !avail )
        return l->hup ? 0 : -EAGAIN;
    k = (uint32_t)(n < (size_t)avail ? n : (size_t)avail);
    copy_out(l, buf, l->tail, k);
    l->tail += k;
    ST(mine(l)->tail, l->tail);
    return k;
}

long link_write(struct link *l, const void *buf, size_t n)
{
    long room = outbound(l);
    uint32_t k;

    if ( room < 0 )
        return room;
    if ( !room )
        return -EAGAIN;
    k = (uint32_t)(n < (size_t)room ? n : (size_t)room);
    copy_in(l, buf, l->head, k);
    l->head += k;
    ST(mine(l)->head, l->head);
    return k;
}

bool link_readable(struct link *l)
{
    long avail = inbound(l);
    return avail != -EAGAIN && (avail || l->hup || avail < 0);
}

bool link_writable(struct link *l)
{
    long room = outbound(l);
    return room != -EAGAIN && room != 0;
}
