/*
 * ratelimit.h - a token bucket: up to 'burst' events at once, then 'rate'
 * a second, and a count of what was refused. Pure arithmetic on a time
 * the caller passes in (microseconds), so it runs unchanged in the host
 * unit tests; the caller serialises calls on one bucket.
 */
#ifndef XEN_RATELIMIT_H
#define XEN_RATELIMIT_H

#include <xen/types.h>

struct ratelimit
{
    uint64_t stamp_us; /* when tokens was last topped up; 0: never */
    uint32_t tokens;   /* events still allowed now */
    bool limited;      /* refusing since the bucket was last full */
    uint64_t dropped;  /* events refused, ever */
};

enum ratelimit_verdict
{
    RATELIMIT_PASS,       /* go ahead */
    RATELIMIT_DROP,       /* refused, counted */
    RATELIMIT_DROP_FIRST, /* refused, the first since the bucket was full: warn */
};

/*
 * One event at now_us. rate 0 means no limit. A zeroed bucket starts
 * full. The bucket must fill up completely (a quiet spell of burst/rate
 * seconds) before a later refusal is a "first" again, so a steady flood
 * gets one warning, not one per refill.
 */
enum ratelimit_verdict ratelimit_take(struct ratelimit *r, uint64_t now_us, unsigned int rate,
                                      unsigned int burst);

#endif /* XEN_RATELIMIT_H */
