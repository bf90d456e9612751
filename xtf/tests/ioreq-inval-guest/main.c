/*
 * ioreq-inval-guest - mapcache invalidation after the guest's own change.
 *
 * dom0 serves d1's toy DMA device (xtf/mapcache.h) through a mapcache of
 * foreign mappings, as a device model does. d1 (ioreq-inval-target,
 * mode 1) has the device read gfn G (value A: now cached), gives G back
 * (XENMEM_decrease_reservation), populates it again and writes B, and
 * has the device read G again. The server must take exactly one
 * IOREQ_TYPE_INVALIDATE between d1's MARK before the decrease and its
 * MARK after it (so before any later access of d1), and its second read,
 * mapped afresh, must see B. The same for d1 placing shared_info over a
 * RAM gfn G2 the device has cached (XENMEM_add_to_physmap), and for
 * taking it away again (XENMEM_remove_from_physmap: the device then finds
 * a hole). The counters (WREN_P2M_IOREQ_INVAL) must say three
 * broadcasts, three flags, three frames.
 *
 * Without the invalidation the mapcache keeps the old frame (its mapping
 * holds a reference): the device reads A again.
 */
#include <xtf.h>
#include <xtf/ioreq-inval.h>

const char test_title[] = "Mapcache invalidation: the guest gives a frame back";

static struct inval_server is;

/* The next step from *from on: exactly one invalidation between its
 * MARK_BEFORE and MARK_GONE, and the read after it. -1 on a bad log. */
static long step(int *from, const char *what, uint32_t old)
{
    int before = inval_find(&is, *from, INVAL_EV_MARK, INVAL_MARK_BEFORE);
    int gone = inval_find(&is, before, INVAL_EV_MARK, INVAL_MARK_GONE);
    int after = inval_find(&is, gone, INVAL_EV_READ, 0);
    unsigned int n = inval_between(&is, before, gone);

    if ( before < 0 || gone < 0 || after < 0 )
        return xtf_error("d1's script did not run as written"), -1;
    if ( n != 1 )
        return xtf_failure("%s: %u invalidations before d1's next access, not 1", what, n), -1;
    if ( inval_between(&is, gone, after) )
        return xtf_failure("%s: an invalidation after d1's next access", what), -1;
    if ( is.log[after].value == old )
        return xtf_failure("%s: the device read %#x through its mapcache: the old frame", what,
                           old),
               -1;
    printf("%s: 1 invalidation, then the device read %#x (was %#x)\n", what, is.log[after].value,
           old);
    *from = after;
    return is.log[after].value;
}

static bool check_log(void)
{
    int at = 0;
    long v;

    if ( is.nr_log < 2 || is.log[0].value != INVAL_A || is.log[1].value != INVAL_A + 2 )
        return xtf_error("the device did not read what d1 wrote"), false;
    v = step(&at, "decrease + populate", INVAL_A);

    if ( v >= 0 && v != INVAL_B )
        return xtf_failure("the device did not read the new frame's %#x", INVAL_B), false;
    if ( v < 0 || step(&at, "shared_info over RAM", INVAL_A + 2) < 0 )
        return false;
    v = step(&at, "remove_from_physmap", 0);
    if ( v >= 0 && v != 0xffffffff )
        return xtf_failure("the device still read a frame at a gfn that is a hole"), false;
    return v >= 0;
}

void test_main(void)
{
    uint64_t sent, flags, frames;

    if ( !inval_server_start(&is, 1) )
        return;
    if ( !inval_run_script(&is, true) )
        return;
    if ( !check_log() || !inval_counters(&sent, &flags, &frames) )
        return;
    printf("counters: %lu broadcasts, %lu flags, %lu frames gone\n", (unsigned long)sent,
           (unsigned long)flags, (unsigned long)frames);
    if ( sent != 3 || flags != 3 || frames != 3 )
        xtf_failure("counters %lu/%lu/%lu, expected 3/3/3", (unsigned long)sent,
                    (unsigned long)flags, (unsigned long)frames);
    else
        xtf_success(NULL);
}
