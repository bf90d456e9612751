/*
 * test-timer.c - the arithmetic and list handling under NOW() and the
 * software timers: the pending list (xen/common/timer-list.h) keeps
 * timers sorted by expiry, equal expiries first-set first, hands out only
 * those due, unlinks any one; the TSC scale (xen/include/xen/time_scale.h)
 * converts within a nanosecond per second for slow and fast counters, and
 * a count split at an exact step sums to the same nanoseconds as the whole
 * (what makes a guest's pvclock equal NOW()).
 */
#include <xen/time_scale.h>
#include "../../xen/common/timer-list.h"

#include "harness.h"

static struct timer t[5];
static struct timer *head;

static void setup(const s_time_t *exp, unsigned int n)
{
    head = NULL;
    for ( unsigned int i = 0; i < n; i++ )
    {
        t[i].expires = exp[i];
        t[i].next = NULL;
        timer_list_insert(&head, &t[i]);
    }
}

static void test_sorted_stable(void)
{
    static const s_time_t exp[] = { 30, 10, 20, 10, 5 };
    static const unsigned int order[] = { 4, 1, 3, 2, 0 };
    struct timer *p = NULL;
    unsigned int i = 0;

    setup(exp, 5);
    for ( p = head; p; p = p->next, i++ )
        CHECK(p == &t[order[i]]);
    CHECK_EQ(i, 5);
}

static void test_pop_due(void)
{
    static const s_time_t exp[] = { 30, 10, 20 };

    setup(exp, 3);
    CHECK(timer_list_pop_due(&head, 9) == NULL);
    CHECK(timer_list_pop_due(&head, 20) == &t[1]);
    CHECK(timer_list_pop_due(&head, 20) == &t[2]);
    CHECK(timer_list_pop_due(&head, 20) == NULL);
    CHECK(head == &t[0]);
}

static void test_remove(void)
{
    static const s_time_t exp[] = { 30, 10, 20 };

    setup(exp, 3);
    CHECK(timer_list_remove(&head, &t[2]));
    CHECK(!timer_list_remove(&head, &t[2]));
    CHECK(head == &t[1] && t[1].next == &t[0] && t[0].next == NULL);
    CHECK(timer_list_remove(&head, &t[1]));
    CHECK(timer_list_remove(&head, &t[0]));
    CHECK(head == NULL);
}

static void check_hz(uint64_t hz)
{
    struct time_scale s = time_scale_for_hz(hz);
    uint64_t ns = time_scale_apply(s, hz); /* one second of ticks */
    uint64_t step = time_scale_exact_step(s);

    CHECK_MSG(s.mul >= (1U << 31), "hz %llu: mul %u not normalised", (unsigned long long)hz, s.mul);
    CHECK_MSG(ns <= NSEC_PER_SEC && NSEC_PER_SEC - ns <= 2, "hz %llu: 1 s is %llu ns",
              (unsigned long long)hz, (unsigned long long)ns);
    for ( uint64_t k = 1; k < 40; k += 2 )
        for ( uint64_t b = 1; b < 100000; b += 997 )
            CHECK_EQ(time_scale_apply(s, k * step) + time_scale_apply(s, b),
                     time_scale_apply(s, k * step + b));
}

static void test_scale(void)
{
    check_hz(1000000);    /* 1 MHz */
    check_hz(15734000);   /* a slow emulator */
    check_hz(1000000000); /* exactly 1 GHz */
    check_hz(2308362400); /* QEMU on this host */
    check_hz(5000000000); /* fast */
}

int main(void)
{
    static const struct test_case cases[] = {
        { "timer.list_sorted_stable", test_sorted_stable },
        { "timer.list_pop_due", test_pop_due },
        { "timer.list_remove", test_remove },
        { "timer.scale", test_scale },
    };

    return run_tests(cases, ARRAY_SIZE(cases));
}
