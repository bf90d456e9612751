/*
 * test-ratelimit.c - the token bucket (xen/common/ratelimit.c) that
 * limits a domain's port 0xE9 output: a fresh bucket passes 'burst'
 * events at once and then refuses, counting; it earns 'rate' events a
 * second with no fraction lost; a steady flood is "first" (warned about)
 * once, and again only after a quiet spell that fills the bucket; rate 0
 * means no limit; a clock that steps back earns nothing.
 */
#include <xen/ratelimit.h>

#include <string.h>

#include "harness.h"

#define RATE  256
#define BURST 2048
#define T0    1000000ULL /* any nonzero start time, in us */

static struct ratelimit r;

static unsigned int take_n(uint64_t now, unsigned int n, unsigned int *firsts)
{
    unsigned int passed = 0;

    for ( unsigned int i = 0; i < n; i++ )
    {
        enum ratelimit_verdict v = ratelimit_take(&r, now, RATE, BURST);

        passed += v == RATELIMIT_PASS;
        *firsts += v == RATELIMIT_DROP_FIRST;
    }
    return passed;
}

static void test_burst_then_drop(void)
{
    unsigned int firsts = 0;

    memset(&r, 0, sizeof(r));
    CHECK_EQ(take_n(T0, BURST + 100, &firsts), BURST);
    CHECK_EQ(r.dropped, 100);
    CHECK_EQ(firsts, 1);
}

static void test_refill_rate(void)
{
    unsigned int firsts = 0, passed = 0;

    memset(&r, 0, sizeof(r));
    take_n(T0, BURST + 1, &firsts);
    /* Ten seconds of flooding, 1000 events every 10 ms. */
    for ( unsigned int ms = 10; ms <= 10000; ms += 10 )
        passed += take_n(T0 + ms * 1000ULL, 1000, &firsts);
    CHECK_MSG(passed >= 10 * RATE - 1 && passed <= 10 * RATE, "%u events passed in 10 s at %u/s",
              passed, RATE);
    CHECK_EQ(firsts, 1); /* one warning for the whole flood */
}

static void test_warns_again_after_quiet(void)
{
    unsigned int firsts = 0;
    uint64_t full = (uint64_t)BURST * 1000000 / RATE; /* us to fill up */

    memset(&r, 0, sizeof(r));
    take_n(T0, BURST + 1, &firsts);
    take_n(T0 + full / 2, BURST, &firsts); /* half full: still limited */
    CHECK_EQ(firsts, 1);
    CHECK_EQ(take_n(T0 + full / 2 + 2 * full, BURST + 1, &firsts), BURST);
    CHECK_EQ(firsts, 2);
}

static void test_rate_zero_is_no_limit(void)
{
    memset(&r, 0, sizeof(r));
    for ( unsigned int i = 0; i < 100000; i++ )
        CHECK(ratelimit_take(&r, T0, 0, BURST) == RATELIMIT_PASS);
    CHECK_EQ(r.dropped, 0);
}

static void test_clock_backwards(void)
{
    unsigned int firsts = 0;

    memset(&r, 0, sizeof(r));
    take_n(T0 + 5000000, BURST, &firsts);
    CHECK_EQ(take_n(T0, 10, &firsts), 0); /* earlier: nothing earned */
    CHECK_EQ(r.tokens, 0);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "ratelimit.burst_then_drop", test_burst_then_drop },
        { "ratelimit.refill_rate", test_refill_rate },
        { "ratelimit.warns_again_after_quiet", test_warns_again_after_quiet },
        { "ratelimit.rate_zero_is_no_limit", test_rate_zero_is_no_limit },
        { "ratelimit.clock_backwards", test_clock_backwards },
    };

    return run_tests(cases, ARRAY_SIZE(cases));
}
