/*
 * ioreq-inval-batch - mapcache invalidation is coalesced.
 *
 * d1 (ioreq-inval-target, mode 2) has its device read two of 64 frames,
 * gives all 64 back in one XENMEM_decrease_reservation (64 extents),
 * populates and refills them (B), reads again; then gives them back in
 * 64 calls of one extent, refills (C), reads again. dom0's server
 * (xtf/ioreq-inval.h) logs what it took: the one-call batch must cost
 * exactly one IOREQ_TYPE_INVALIDATE, the 64 calls 64 (one per return to
 * the guest), and every read after a batch must see the new contents.
 * The counters must agree: 65 broadcasts, 65 flags set, 128 frames gone.
 */
#include <xtf.h>
#include <xtf/ioreq-inval.h>

const char test_title[] = "Mapcache invalidation: one per entry, not one per frame";

static struct inval_server is;

/* The next batch from *from on: its invalidations (between MARK_BEFORE
 * and MARK_GONE); the two reads after it must show value. -1 if the log
 * is not right. */
static long batch(int *from, uint32_t value)
{
    int before = inval_find(&is, *from, INVAL_EV_MARK, INVAL_MARK_BEFORE);
    int gone = inval_find(&is, before, INVAL_EV_MARK, INVAL_MARK_GONE);
    int r1 = inval_find(&is, gone, INVAL_EV_READ, 0);
    int r2 = inval_find(&is, r1 + 1, INVAL_EV_READ, 0);

    if ( before < 0 || gone < 0 || r1 < 0 || r2 < 0 )
        return xtf_error("d1's script did not run as written"), -1;
    if ( inval_between(&is, gone, r2) )
        return xtf_failure("invalidations after the batch's next access"), -1;
    if ( is.log[r1].value != value || is.log[r2].value != value + (uint32_t)INVAL_BATCH_NR - 1 )
        return xtf_failure("reads after the batch saw %#x, %#x; expected %#x, %#x",
                           is.log[r1].value, is.log[r2].value, value,
                           value + (uint32_t)INVAL_BATCH_NR - 1),
               -1;
    *from = r2;
    return inval_between(&is, before, gone);
}

static bool counters(void)
{
    uint64_t sent, flags, frames;

    if ( !inval_counters(&sent, &flags, &frames) )
        return false;
    printf("counters: %lu broadcasts, %lu flags, %lu frames gone\n", (unsigned long)sent,
           (unsigned long)flags, (unsigned long)frames);
    if ( sent != 1 + INVAL_BATCH_NR || flags != 1 + INVAL_BATCH_NR || frames != 2 * INVAL_BATCH_NR )
        return xtf_failure("counters %lu/%lu/%lu, expected %lu/%lu/%lu", (unsigned long)sent,
                           (unsigned long)flags, (unsigned long)frames, 1 + INVAL_BATCH_NR,
                           1 + INVAL_BATCH_NR, 2 * INVAL_BATCH_NR),
               false;
    return true;
}

void test_main(void)
{
    int at = 0;
    long one_call, many_calls;

    if ( !inval_server_start(&is, 1) )
        return;
    if ( !inval_run_script(&is, true) )
        return;
    one_call = batch(&at, INVAL_B);
    many_calls = one_call < 0 ? -1 : batch(&at, INVAL_C);
    if ( many_calls < 0 )
        return;
    printf("invalidations for %lu frames: %ld in one call, %ld in %lu calls\n", INVAL_BATCH_NR,
           one_call, many_calls, INVAL_BATCH_NR);
    if ( one_call != 1 )
        xtf_failure("one decrease of %lu frames cost %ld invalidations, not 1", INVAL_BATCH_NR,
                    one_call);
    else if ( many_calls != (long)INVAL_BATCH_NR )
        xtf_failure("%lu decreases cost %ld invalidations, not %lu", INVAL_BATCH_NR, many_calls,
                    INVAL_BATCH_NR);
    else if ( counters() )
        xtf_success(NULL);
}
