/*
 * ratelimit.c - the token bucket of xen/ratelimit.h. No locks, no clock:
 * the caller serialises and says what time it is.
 */
#include <xen/ratelimit.h>

#define US_PER_S 1000000ULL

/* Add the tokens earned since the last top-up; the stamp moves on only
 * by what those tokens were worth, so no fraction of one is lost. A
 * clock a little behind (another CPU's) means no time has passed. */
static void refill(struct ratelimit *r, uint64_t now_us, unsigned int rate, unsigned int burst)
{
    uint64_t earned = now_us > r->stamp_us ? (now_us - r->stamp_us) * rate / US_PER_S : 0;

    if ( !r->stamp_us || r->tokens + earned >= burst )
    {
        r->tokens = burst;
        r->stamp_us = now_us;
        return;
    }
    r->tokens += (uint32_t)earned;
    r->stamp_us += earned * US_PER_S / rate;
}

enum ratelimit_verdict ratelimit_take(struct ratelimit *r, uint64_t now_us, unsigned int rate,
                                      unsigned int burst)
{
    if ( !rate )
        return RATELIMIT_PASS;
    refill(r, now_us, rate, burst);
    if ( burst && r->tokens == burst )
        r->limited = false;
    if ( r->tokens )
    {
        r->tokens--;
        return RATELIMIT_PASS;
    }
    r->dropped++;
    if ( r->limited )
        return RATELIMIT_DROP;
    r->limited = true;
    return RATELIMIT_DROP_FIRST;
}
