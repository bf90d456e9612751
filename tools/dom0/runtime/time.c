/*
 * time.c - dom0's clocks: CLOCK_MONOTONIC is Xen system time read from
 * vCPU 0's pvclock (the version protocol: retry while odd or changed;
 * its "TSC" is the architecture's counter, rt_cycles),
 * CLOCK_REALTIME adds the shared_info wallclock. Sleeping is rt_wait()
 * with a deadline, so the services keep running while the caller sleeps.
 *
 * May not touch: the shared_info page beyond reading it (event.c maps it).
 */
#include <errno.h>
#include <time.h>
#include <sys/time.h>
#include <xen/xen.h>
#include "rt.h"

static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t rt_now(void)
{
    volatile struct vcpu_time_info *t = &rt_shared_info()->vcpu_info[0].time;
    uint32_t v;
    uint64_t ns;
    do
    {
        v = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        ns = t->system_time +
             scale(rt_cycles() - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ( (v & 1) || v != t->version );
    return ns;
}

static uint64_t wallclock_base(void)
{
    volatile struct shared_info *s = rt_shared_info();
    uint32_t v;
    uint64_t ns;
    do
    {
        v = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        ns = (((uint64_t)s->wc_sec_hi << 32) | s->wc_sec) * 1000000000ULL + s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ( (v & 1) || v != s->wc_version );
    return ns;
}

static uint64_t clock_ns(clockid_t clk)
{
    return clk == CLOCK_REALTIME ? wallclock_base() + rt_now() : rt_now();
}

static bool clock_ok(clockid_t clk)
{
    return clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC || clk == CLOCK_MONOTONIC_RAW ||
           clk == CLOCK_BOOTTIME || clk == CLOCK_PROCESS_CPUTIME_ID;
}

static long sys_clock_gettime(clockid_t clk, struct timespec *ts)
{
    uint64_t ns;
    if ( !clock_ok(clk) )
        return -EINVAL;
    ns = clock_ns(clk);
    ts->tv_sec = (time_t)(ns / 1000000000ULL);
    ts->tv_nsec = (long)(ns % 1000000000ULL);
    return 0;
}

static long sys_gettimeofday(struct timeval *tv)
{
    uint64_t ns = clock_ns(CLOCK_REALTIME);
    if ( tv )
    {
        tv->tv_sec = (time_t)(ns / 1000000000ULL);
        tv->tv_usec = (long)(ns % 1000000000ULL / 1000);
    }
    return 0;
}

/* Sleep until `until` on clock clk (absolute), running the services. */
static long sleep_until(clockid_t clk, uint64_t until)
{
    uint64_t now;
    while ( (now = clock_ns(clk)) < until )
    {
        /* another task runs meanwhile (task.c) */
        if ( rt_task_yield() && (now = clock_ns(clk)) >= until )
            break;
        rt_wait(rt_now() + (until - now));
    }
    return 0;
}

static long sys_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req)
{
    uint64_t ns;
    if ( !clock_ok(clk) )
        return -EINVAL;
    if ( req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000L )
        return -EINVAL;
    ns = (uint64_t)req->tv_sec * 1000000000ULL + (uint64_t)req->tv_nsec;
    return sleep_until(clk, flags & TIMER_ABSTIME ? ns : clock_ns(clk) + ns);
}

long rt_sys_time(long nr, const long *a)
{
    switch ( nr )
    {
    case 35: return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, (const struct timespec *)a[0]);
    case 96: return sys_gettimeofday((struct timeval *)a[0]);
    case 201:
    {
        long t = (long)(clock_ns(CLOCK_REALTIME) / 1000000000ULL);
        if ( a[0] )
            *(long *)a[0] = t;
        return t;
    }
    case 228: return sys_clock_gettime((clockid_t)a[0], (struct timespec *)a[1]);
    case 229:
        if ( a[1] )
            *(struct timespec *)a[1] = (struct timespec){ 0, 1 };
        return clock_ok((clockid_t)a[0]) ? 0 : -EINVAL;
    case 230: return sys_clock_nanosleep((clockid_t)a[0], (int)a[1], (const struct timespec *)a[2]);
    default: return RT_UNHANDLED;
    }
}
