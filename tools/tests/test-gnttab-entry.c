/*
 * test-gnttab-entry.c - the version 1 grant entry protocol
 * (xen/common/grant_entry.c): a first pin needs a GTF_permit_access entry
 * naming the grantee and sets GTF_reading (and GTF_writing when writable);
 * a read-only entry refuses writable pins and keeps its flags; later pins
 * are the same grantee's only, never past the counter's limit, writable
 * only on a writable frame; an aborted pin leaves the entry as it was;
 * unpins clear GTF_writing with the last writer and GTF_reading with the
 * last pin, and never the granter's own bits, not even while the guest
 * rewrites them concurrently.
 */
#include <xen/grant_entry.h>

#include <pthread.h>
#include <string.h>

#include "harness.h"

#define ME    3
#define OTHER 4

static struct grant_entry_v1 e;
static struct active_grant act;

static void reset(uint16_t flags, domid_t domid)
{
    memset(&act, 0, sizeof(act));
    act.mfn = INVALID_MFN;
    e.flags = flags;
    e.domid = domid;
    e.frame = 0x1234;
}

/* Begin and commit, as grant_table.c does when the frame is found. */
static int16_t pin(bool ro)
{
    bool first;
    int16_t rc = grant_pin_begin(&act, &e, ME, ro, &first);

    if ( rc )
        return rc;
    if ( first )
    {
        act.domid = ME;
        act.writable = true;
        act.mfn = _mfn(0x99);
    }
    grant_pin_commit(&act, ro);
    return rc;
}

static void test_first_pin_checks(void)
{
    bool first;

    reset(GTF_invalid, ME);
    CHECK_EQ(grant_pin_begin(&act, &e, ME, true, &first), GNTST_general_error);
    reset(GTF_accept_transfer, ME);
    CHECK_EQ(grant_pin_begin(&act, &e, ME, true, &first), GNTST_general_error);
    reset(GTF_permit_access, OTHER);
    CHECK_EQ(grant_pin_begin(&act, &e, ME, true, &first), GNTST_general_error);
    CHECK_EQ(e.flags, GTF_permit_access);
    reset(GTF_permit_access, ME);
    CHECK_EQ(grant_pin_begin(&act, &e, ME, true, &first), GNTST_okay);
    CHECK(first);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(e.frame, 0x1234);
}

static void test_readonly_entry(void)
{
    reset(GTF_permit_access | GTF_readonly, ME);
    CHECK_EQ(pin(false), GNTST_general_error);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(pin(true), GNTST_okay);
    CHECK_EQ(pin(false), GNTST_general_error);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_readonly | GTF_reading);
    CHECK_EQ(act.readers, 1);
    CHECK_EQ(act.writers, 0);
}

static void test_later_pins(void)
{
    bool first;

    reset(GTF_permit_access, ME);
    CHECK_EQ(pin(true), GNTST_okay);
    /* the granter may rewrite the entry; later pins go by the record */
    e.domid = OTHER;
    CHECK_EQ(pin(false), GNTST_okay);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_EQ(grant_pin_begin(&act, &e, OTHER, true, &first), GNTST_general_error);
    act.readers = GRANT_PIN_MAX;
    CHECK_EQ(grant_pin_begin(&act, &e, ME, true, &first), GNTST_general_error);
    act.readers = 1;
    act.writable = false;
    CHECK_EQ(grant_pin_begin(&act, &e, ME, false, &first), GNTST_general_error);
    CHECK_EQ(grant_pin_begin(&act, &e, ME, true, &first), GNTST_okay);
    CHECK(!first);
}

static void test_abort(void)
{
    bool first;

    reset(GTF_permit_access, ME);
    CHECK_EQ(grant_pin_begin(&act, &e, ME, false, &first), GNTST_okay);
    grant_pin_abort(&act, &e, false, first);
    CHECK_EQ(e.flags, GTF_permit_access);
    CHECK_EQ(pin(true), GNTST_okay);
    CHECK_EQ(grant_pin_begin(&act, &e, ME, false, &first), GNTST_okay);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_reading | GTF_writing);
    grant_pin_abort(&act, &e, false, first);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_reading);
}

static void test_unpin(void)
{
    reset(GTF_permit_access | GTF_PCD, ME);
    CHECK_EQ(pin(true), GNTST_okay);
    CHECK_EQ(pin(false), GNTST_okay);
    CHECK_EQ(pin(false), GNTST_okay);
    CHECK(!grant_unpin(&act, &e, false));
    CHECK_EQ(e.flags, GTF_permit_access | GTF_PCD | GTF_reading | GTF_writing);
    CHECK(!grant_unpin(&act, &e, false));
    CHECK_EQ(e.flags, GTF_permit_access | GTF_PCD | GTF_reading);
    CHECK(grant_unpin(&act, &e, true));
    CHECK_EQ(e.flags, GTF_permit_access | GTF_PCD);
    CHECK(mfn_eq(act.mfn, INVALID_MFN));
}

/* A second thread (the guest) keeps counting in flags bits 9-15, which the
 * hypervisor does not own; every increment must survive the pins and
 * unpins racing with it: a read-modify-write that is not one atomic
 * operation on the shared word would write a stale value back and lose
 * some. */
#define GUEST_SHIFT 9
static volatile int stop;
static unsigned long flips;

static void *flipper(void *arg)
{
    (void)arg;
    while ( !stop )
    {
        __atomic_fetch_add(&e.flags, (uint16_t)(1U << GUEST_SHIFT), __ATOMIC_SEQ_CST);
        flips++;
    }
    return NULL;
}

static void test_guest_rewrites(void)
{
    pthread_t t;
    unsigned int tries = 200000, ok = 0;

    reset(GTF_permit_access, ME);
    stop = 0;
    flips = 0;
    CHECK_EQ(pthread_create(&t, NULL, flipper, NULL), 0);
    for ( unsigned int i = 0; i < tries; i++ )
    {
        int16_t rc = pin(i & 1);

        if ( rc == GNTST_okay )
        {
            ok++;
            grant_unpin(&act, &e, i & 1);
        }
        else
            CHECK_EQ(rc, GNTST_general_error); /* unstable: refused */
    }
    stop = 1;
    pthread_join(t, NULL);
    CHECK_MSG(ok > 0, "every one of %u pins refused", tries);
    CHECK_EQ(e.flags & ((1U << GUEST_SHIFT) - 1), GTF_permit_access);
    CHECK_EQ(e.flags >> GUEST_SHIFT, flips % (1U << (16 - GUEST_SHIFT)));
}

int main(void)
{
    static const struct test_case cases[] = {
        { "gnttab_entry.first_pin_checks", test_first_pin_checks },
        { "gnttab_entry.readonly_entry", test_readonly_entry },
        { "gnttab_entry.later_pins", test_later_pins },
        { "gnttab_entry.abort", test_abort },
        { "gnttab_entry.unpin", test_unpin },
        { "gnttab_entry.guest_rewrites", test_guest_rewrites },
    };

    return run_tests(cases, ARRAY_SIZE(cases));
}
