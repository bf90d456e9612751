/*
 * poll.c - poll() and ppoll(): ask every descriptor what it could do now,
 * and if nothing, rt_wait() until the deadline (services run meanwhile).
 *
 * May not touch: any descriptor's state; it only calls their poll op.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include "rt.h"

static short one(struct pollfd *p)
{
    struct rt_file *f = rt_fd_get(p->fd);
    short ev;
    if ( p->fd < 0 )
        return 0;
    if ( !f )
        return POLLNVAL;
    ev = f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT; /* files are always ready */
    return ev & (p->events | POLLHUP | POLLERR);
}

static long scan(struct pollfd *fds, unsigned long n)
{
    long ready = 0;
    for ( unsigned long i = 0; i < n; i++ )
    {
        fds[i].revents = one(&fds[i]);
        ready += fds[i].revents != 0;
    }
    return ready;
}

/* timeout_ns < 0: wait for ever. */
static long do_poll(struct pollfd *fds, unsigned long n, int64_t timeout_ns)
{
    uint64_t deadline = timeout_ns > 0 ? rt_now() + (uint64_t)timeout_ns : 0;
    if ( n > 256 )
        return -EINVAL;
    for ( ;; )
    {
        long ready = scan(fds, n);
        if ( ready || !timeout_ns || (deadline && rt_now() >= deadline) )
            return ready;
        rt_wait(deadline);
    }
}

long rt_sys_poll(long nr, const long *a)
{
    const struct timespec *ts = (const struct timespec *)a[2];
    if ( nr == 7 )
        return do_poll((struct pollfd *)a[0], (unsigned long)a[1],
                       (int)a[2] < 0 ? -1 : (int64_t)(int)a[2] * 1000000);
    if ( ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L) )
        return -EINVAL;
    return do_poll((struct pollfd *)a[0], (unsigned long)a[1],
                   ts ? ts->tv_sec * 1000000000LL + ts->tv_nsec : -1);
}
