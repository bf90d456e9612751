/*
 * test-dirty-ring.c - the dirty ring as a data structure
 * (xen/common/dirty-ring.c) and as the log-dirty bitmap feeds it
 * (logdirty_bitmap_set_by in xen/common/logdirty-bitmap.c): sizes the
 * ABI allows, oldest-first order across the wrap, the soft limit that
 * stops a vCPU once and releases it once harvested below, drops with no
 * room, one entry per gfn per CLEAN interval, and the "dropped" flags a
 * CLEAN hands on (and an undone CLEAN gives back).
 */
#include <xen/logdirty.h>
#include <xen/dirty-ring.h>
#include <xen/mm.h>

#include <string.h>

#include "arena.h"
#include "harness.h"

#define SIZE 128

static struct xen_wren_dirty_entry slots[2][SIZE];

static void sizes(void)
{
    CHECK(dirty_ring_size_ok(128, WREN_DIRTY_RING_RESERVE));
    CHECK(dirty_ring_size_ok(65536, WREN_DIRTY_RING_RESERVE));
    CHECK(!dirty_ring_size_ok(64, WREN_DIRTY_RING_RESERVE));     /* below MIN */
    CHECK(!dirty_ring_size_ok(131072, WREN_DIRTY_RING_RESERVE)); /* above MAX */
    CHECK(!dirty_ring_size_ok(384, WREN_DIRTY_RING_RESERVE));    /* not a power of two */
    CHECK(!dirty_ring_size_ok(0, WREN_DIRTY_RING_RESERVE));
    CHECK(
        !dirty_ring_size_ok(512, WREN_DIRTY_RING_RESERVE_PML)); /* no room above the PML reserve */
    CHECK(dirty_ring_size_ok(2048, WREN_DIRTY_RING_RESERVE_PML));
}

static void order_across_wrap(void)
{
    struct dirty_ring r;

    dirty_ring_init(&r, slots[0], SIZE, 32);
    for ( uint64_t g = 0; g < 50; g++ )
        CHECK_EQ(dirty_ring_push(&r, 1000 + g, 0), DIRTY_RING_PUSHED);
    CHECK_EQ(dirty_ring_contiguous(&r, 40), 40);
    CHECK(!dirty_ring_consume(&r, 40));
    for ( uint64_t g = 50; g < 130; g++ ) /* 10 + 80 = 90 < 96 */
        CHECK_EQ(dirty_ring_push(&r, 1000 + g, g == 99 ? 9 : 0), DIRTY_RING_PUSHED);
    CHECK_EQ(r.used, 90);
    CHECK_EQ(dirty_ring_contiguous(&r, 90), SIZE - 40); /* up to the end of the array */
    for ( uint32_t i = 0; i < 90; i++ )
        CHECK_EQ(dirty_ring_at(&r, i)->gfn, 1040 + i);
    CHECK_EQ(dirty_ring_at(&r, 59)->order, 9);
    CHECK(!dirty_ring_consume(&r, 1000)); /* clipped to what is there */
    CHECK_EQ(r.used, 0);
    CHECK_EQ(r.pushed, 130);
    CHECK_EQ(r.harvested, 130);
}

static void soft_limit_stops_once(void)
{
    struct dirty_ring r;
    uint64_t g = 0;

    dirty_ring_init(&r, slots[0], SIZE, 64);
    CHECK_EQ(r.soft_limit, 64);
    while ( g < 63 )
        CHECK_EQ(dirty_ring_push(&r, g++, 0), DIRTY_RING_PUSHED);
    CHECK_EQ(dirty_ring_push(&r, g++, 0), DIRTY_RING_STOP);
    CHECK(r.stopped);
    CHECK_EQ(r.full_exits, 1);
    /* The reserve still takes what the exit pushes, stopping nothing more. */
    while ( g < SIZE )
        CHECK_EQ(dirty_ring_push(&r, g++, 0), DIRTY_RING_PUSHED);
    CHECK_EQ(dirty_ring_push(&r, g, 0), DIRTY_RING_DROPPED);
    CHECK_EQ(r.dropped, 1);
    CHECK_EQ(r.full_exits, 1);
    CHECK(!dirty_ring_consume(&r, SIZE - 64)); /* still at the limit */
    CHECK(r.stopped);
    CHECK(dirty_ring_consume(&r, 1)); /* below it: restart */
    CHECK(!r.stopped);
    CHECK(!dirty_ring_consume(&r, 1)); /* once */
    CHECK_EQ(dirty_ring_push(&r, 7, 0), DIRTY_RING_PUSHED);
    CHECK_EQ(dirty_ring_push(&r, 8, 0), DIRTY_RING_STOP); /* a second crossing */
    CHECK_EQ(r.full_exits, 2);
}

static void no_vcpu_ring_never_stops(void)
{
    struct dirty_ring r;

    dirty_ring_init(&r, slots[1], SIZE, 0);
    for ( uint64_t g = 0; g < SIZE; g++ )
        CHECK_EQ(dirty_ring_push(&r, g, 0), DIRTY_RING_PUSHED);
    CHECK_EQ(dirty_ring_push(&r, SIZE, 0), DIRTY_RING_DROPPED);
    CHECK(!r.stopped && !r.full_exits);
    dirty_ring_reset(&r);
    CHECK_EQ(r.used, 0);
    CHECK_EQ(r.dropped, 1); /* counters kept */
}

/* ---- as the bitmap feeds it ---- */

static struct logdirty_domain ld;
static struct dirty_ring rings[2]; /* vCPU 0, then the no-vCPU ring */

static void ld_start(void)
{
    memset(&ld, 0, sizeof(ld));
    spin_lock_init(&ld.lock, LOCK_logdirty);
    CHECK_EQ(logdirty_bitmap_alloc(&ld, 4096), 0);
    ld.enabled = true;
    dirty_ring_init(&rings[0], slots[0], SIZE, 64);
    dirty_ring_init(&rings[1], slots[1], SIZE, 0);
    ld.rings = rings;
    ld.nr_rings = 2;
}

static uint64_t set_by(uint64_t gfn, unsigned int order, unsigned int ring, bool *stop)
{
    return logdirty_bitmap_set_by(&ld, gfn, order, ring, stop);
}

static void once_per_interval(void)
{
    uint32_t faults, dirty;
    bool stop;

    ld_start();
    CHECK_EQ(set_by(10, 0, 0, &stop), 1);
    CHECK_EQ(set_by(10, 0, 0, &stop), 0);         /* dirty already: no entry */
    CHECK_EQ(set_by(10, 0, 1, &stop), 0);         /* nor from anyone else */
    CHECK_EQ(set_by(512, 9, 0, &stop), 512);      /* a kept superpage: one entry */
    CHECK_EQ(set_by(600, 0, 0, &stop), 0);        /* inside it */
    CHECK_EQ(logdirty_bitmap_set(&ld, 11, 0), 1); /* no vCPU: the last ring */
    CHECK_EQ(set_by(12, 0, 99, &stop), 1);        /* past the rings: clipped to the last */
    CHECK_EQ(rings[0].used, 2);
    CHECK_EQ(rings[1].used, 2);
    CHECK_EQ(dirty_ring_at(&rings[0], 1)->gfn, 512);
    CHECK_EQ(dirty_ring_at(&rings[0], 1)->order, 9);
    logdirty_bitmap_take(&ld, true, &faults, &dirty); /* CLEAN: a new interval */
    CHECK_EQ(set_by(10, 0, 0, &stop), 1);             /* dirty again: again an entry */
    CHECK_EQ(rings[0].used, 3);
    CHECK(!ld.ring_dropped_taken && !ld.ring_dropped_now);
    ld.rings = NULL;
    CHECK_EQ(set_by(13, 0, 0, &stop), 1); /* rings off: the bitmap alone */
    logdirty_bitmap_free(&ld);
}

static void stop_reported_once(void)
{
    unsigned int stops = 0;
    bool stop;

    ld_start();
    for ( uint64_t g = 0; g < 100; g++ )
    {
        set_by(g, 0, 0, &stop);
        stops += stop;
        CHECK(!stop || g == 63);
    }
    CHECK_EQ(stops, 1);
    logdirty_bitmap_free(&ld);
}

static void drops_flag_the_bitmap(void)
{
    uint32_t faults, dirty;
    bool stop;

    ld_start();
    for ( uint64_t g = 0; g < SIZE; g++ )
        set_by(1000 + g, 0, 1, &stop);
    CHECK(!ld.ring_dropped_now);
    CHECK_EQ(set_by(2000, 0, 1, &stop), 1); /* no room: the bitmap has it */
    CHECK(ld.ring_dropped_now);
    CHECK_EQ(logdirty_bitmap_take(&ld, true, &faults, &dirty), SIZE + 1);
    CHECK(ld.ring_dropped_taken && !ld.ring_dropped_now);
    CHECK(ld.snap[2000 / 64] & (1ULL << (2000 % 64)));
    logdirty_bitmap_untake(&ld); /* refused (a CLEAN without a bitmap) */
    CHECK(ld.ring_dropped_now);
    CHECK(ld.bitmap[2000 / 64] & (1ULL << (2000 % 64)));
    CHECK_EQ(logdirty_bitmap_take(&ld, true, &faults, &dirty), SIZE + 1);
    CHECK(ld.ring_dropped_taken);
    logdirty_bitmap_take(&ld, true, &faults, &dirty); /* the next round is clean */
    CHECK(!ld.ring_dropped_taken);
    CHECK_EQ(logdirty_bitmap_grow(&ld, 8192), 0); /* grown frames: in no ring */
    CHECK(ld.ring_dropped_now);
    logdirty_bitmap_free(&ld);
}

static const struct test_case cases[] = {
    { "dirty_ring.sizes", sizes },
    { "dirty_ring.order_across_wrap", order_across_wrap },
    { "dirty_ring.soft_limit_stops_once", soft_limit_stops_once },
    { "dirty_ring.no_vcpu_ring_never_stops", no_vcpu_ring_never_stops },
    { "dirty_ring.bitmap.once_per_interval", once_per_interval },
    { "dirty_ring.bitmap.stop_reported_once", stop_reported_once },
    { "dirty_ring.bitmap.drops_flag_the_bitmap", drops_flag_the_bitmap },
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 16UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
