/*
 * poll.c - poll(), ppoll(), select() and pselect6(): ask every descriptor
 * what it could do now, and if nothing, rt_wait() until the deadline
 * (services run meanwhile). select is poll over a translated fd_set.
 *
 * May not touch: any descriptor's state; it only calls their poll op.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
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
        if ( rt_task_yield() && (ready = scan(fds, n)) )
            return ready;
        rt_wait(deadline);
    }
}

#define SEL_IN  (POLLIN | POLLHUP | POLLERR)
#define SEL_OUT (POLLOUT | POLLERR)

static void sel_to_poll(int n, fd_set *sets[3], struct pollfd *p)
{
    for ( int fd = 0; fd < n; fd++ )
    {
        p[fd] = (struct pollfd){ .fd = -1 };
        if ( sets[0] && FD_ISSET(fd, sets[0]) )
            p[fd].events |= POLLIN;
        if ( sets[1] && FD_ISSET(fd, sets[1]) )
            p[fd].events |= POLLOUT;
        if ( p[fd].events || (sets[2] && FD_ISSET(fd, sets[2])) )
            p[fd].fd = fd;
    }
}

static long poll_to_sel(int n, fd_set *sets[3], const struct pollfd *p)
{
    long ready = 0;
    for ( int i = 0; i < 3; i++ )
        if ( sets[i] )
            FD_ZERO(sets[i]);
    for ( int fd = 0; fd < n; fd++ )
    {
        if ( p[fd].revents & POLLNVAL )
            return -EBADF;
        if ( (p[fd].events & POLLIN) && (p[fd].revents & SEL_IN) )
        {
            FD_SET(fd, sets[0]);
            ready++;
        }
        if ( (p[fd].events & POLLOUT) && (p[fd].revents & SEL_OUT) )
        {
            FD_SET(fd, sets[1]);
            ready++;
        }
    }
    return ready;
}

static long do_select(int n, fd_set *sets[3], int64_t timeout_ns)
{
    struct pollfd p[256];
    long r;
    if ( n < 0 || n > 256 )
        return -EINVAL;
    sel_to_poll(n, sets, p);
    r = do_poll(p, (unsigned long)n, timeout_ns);
    return r < 0 ? r : poll_to_sel(n, sets, p);
}

static long sys_select(const long *a, bool p6)
{
    fd_set *sets[3] = { (fd_set *)a[1], (fd_set *)a[2], (fd_set *)a[3] };
    const struct timeval *tv = (const struct timeval *)a[4];
    const struct timespec *ts = (const struct timespec *)a[4];
    int64_t ns = -1;
    if ( !p6 && tv )
        ns = tv->tv_sec * 1000000000LL + tv->tv_usec * 1000LL;
    if ( p6 && ts )
        ns = ts->tv_sec * 1000000000LL + ts->tv_nsec;
    return ns < -1 ? -EINVAL : do_select((int)a[0], sets, ns);
}

long rt_sys_poll(long nr, const long *a)
{
    const struct timespec *ts = (const struct timespec *)a[2];
    if ( nr == 23 || nr == 270 )
        return sys_select(a, nr == 270);
    if ( nr != 7 && nr != 271 )
        return RT_UNHANDLED;
    if ( nr == 7 )
        return do_poll((struct pollfd *)a[0], (unsigned long)a[1],
                       (int)a[2] < 0 ? -1 : (int64_t)(int)a[2] * 1000000);
    if ( ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L) )
        return -EINVAL;
    return do_poll((struct pollfd *)a[0], (unsigned long)a[1],
                   ts ? ts->tv_sec * 1000000000LL + ts->tv_nsec : -1);
}
