/*
 * test-tsc-scale.c - the arithmetic of a guest TSC at another rate than
 * the host's (xen/include/xen/tsc_scale.h): the 32.32 ratio of two rates,
 * the host count times it with no overflow for any 64-bit count, the
 * identity at ratio 1, and the pvclock scale of the scaled count keeping
 * a host second a guest second.
 *
 * Host-only: touches nothing but the header's pure functions.
 */
#include <xen/time_scale.h>
#include <xen/tsc_scale.h>

#include "harness.h"

/* x * r >> 32 mod 2^64 from four 32x32 products: the reference. */
static uint64_t ref_scale(uint64_t x, uint64_t r)
{
    uint64_t xh = x >> 32, xl = (uint32_t)x, rh = r >> 32, rl = (uint32_t)r;

    return ((xh * rh) << 32) + xh * rl + xl * rh + ((xl * rl) >> 32);
}

static const uint64_t counts[] = {
    0,          1,          0xffffffffULL,         0x100000000ULL, 123456789012345ULL,
    1ULL << 62, 1ULL << 63, 0xfedcba9876543210ULL, ~0ULL,
};

static void test_identity(void)
{
    CHECK_EQ(tsc_ratio(2308362400ULL, 2308362400ULL), TSC_RATIO_ONE);
    CHECK_EQ(tsc_ratio(1000000ULL, 1000000ULL), TSC_RATIO_ONE);
    for ( unsigned int i = 0; i < ARRAY_SIZE(counts); i++ )
        CHECK_EQ(tsc_scale(counts[i], TSC_RATIO_ONE), counts[i]);
}

/* The largest counts, at ratios above and below 1: the 128-bit product
 * agrees with the split reference (a 64-bit product would wrap). */
static void test_no_overflow(void)
{
    static const uint64_t ratios[] = { TSC_RATIO_ONE / 16,    TSC_RATIO_ONE * 3 / 4,
                                       TSC_RATIO_ONE * 5 / 4, TSC_RATIO_ONE * 16,
                                       TSC_RATIO_ONE + 1,     TSC_RATIO_ONE - 1 };

    for ( unsigned int i = 0; i < ARRAY_SIZE(counts); i++ )
        for ( unsigned int j = 0; j < ARRAY_SIZE(ratios); j++ )
            CHECK_MSG(tsc_scale(counts[i], ratios[j]) == ref_scale(counts[i], ratios[j]),
                      "count %#llx ratio %#llx", (unsigned long long)counts[i],
                      (unsigned long long)ratios[j]);
}

/* The ratio is the nearest 32.32 value: its error is at most half a unit
 * of the last place, checked by multiplying back. */
static void check_ratio(uint64_t guest, uint64_t host)
{
    uint64_t r = tsc_ratio(guest, host);
    unsigned __int128 back = (unsigned __int128)r * host, want = (unsigned __int128)guest << 32;
    unsigned __int128 err = back > want ? back - want : want - back;

    CHECK_MSG(r != 0, "ratio of %llu to %llu", (unsigned long long)guest, (unsigned long long)host);
    CHECK_MSG(2 * err <= host, "ratio of %llu to %llu off by %llu/%llu", (unsigned long long)guest,
              (unsigned long long)host, (unsigned long long)err, (unsigned long long)host);
}

static void test_ratio(void)
{
    check_ratio(2885453000ULL, 2308362400ULL); /* 25 % faster */
    check_ratio(1731271800ULL, 2308362400ULL); /* 25 % slower */
    check_ratio(3513000000ULL, 2841000000ULL); /* two QEMUs seen calibrating */
    check_ratio(1000000ULL, 16000000ULL);      /* a sixteenth */
    check_ratio(80000000000ULL, 5000000000ULL);
    CHECK_EQ(tsc_ratio(1, 0), 0);
    CHECK_EQ(tsc_ratio(~0ULL, 1), 0); /* does not fit */
}

/* One host second: the scaled count advances by the guest's rate (to a
 * tick), and the pvclock scale of the scaled rate turns that back into
 * one second (to a nanosecond), from any starting count. */
static void check_second(uint64_t guest, uint64_t host, uint64_t start)
{
    uint64_t r = tsc_ratio(guest, host), hz = tsc_scaled_hz(host, r);
    uint64_t c0 = tsc_scale(start, r), c1 = tsc_scale(start + host, r);
    struct time_scale s = time_scale_for_hz(hz);
    uint64_t ns = time_scale_apply(s, c1 - c0);

    CHECK_MSG(c1 - c0 + 1 >= guest && c1 - c0 <= guest + 1, "%llu ticks for %llu Hz",
              (unsigned long long)(c1 - c0), (unsigned long long)guest);
    CHECK_MSG(ns + 2 >= NSEC_PER_SEC && ns <= NSEC_PER_SEC + 2, "%llu ns a second",
              (unsigned long long)ns);
}

static void test_rate(void)
{
    check_second(2885453000ULL, 2308362400ULL, 0);
    check_second(2885453000ULL, 2308362400ULL, 1ULL << 50);
    check_second(1731271800ULL, 2308362400ULL, 987654321987ULL);
    check_second(999933300ULL, 3513000000ULL, 1ULL << 40);
}

/* Later host counts never give earlier guest counts (short of the wrap
 * a 64-bit TSC has anyway). */
static void test_monotonic(void)
{
    uint64_t r = tsc_ratio(1731271800ULL, 2308362400ULL), x = 1ULL << 45, last = tsc_scale(x, r);

    for ( unsigned int i = 0; i < 100000; i++ )
    {
        uint64_t now;

        x += 1 + (i % 7);
        now = tsc_scale(x, r);
        CHECK(now >= last);
        last = now;
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        { "tsc_scale.identity", test_identity },   { "tsc_scale.no_overflow", test_no_overflow },
        { "tsc_scale.ratio", test_ratio },         { "tsc_scale.rate", test_rate },
        { "tsc_scale.monotonic", test_monotonic },
    };

    return run_tests(cases, ARRAY_SIZE(cases));
}
