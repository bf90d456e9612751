/*
 * link.c - /dev/wren-link: one reliable byte stream each way to the dom0
 * of the other machine, over the shared memory the hypervisor maps into
 * dom0 (XEN_SYSCTL_wren_link; docs/designs/live-migration.md, "Two
 * machines"). The protocol is link_ring.c's; this file finds the region,
 * chooses this machine's end once per boot, and waits where the protocol
 * says -EAGAIN. There is no interrupt (ivshmem-plain has none): a waiter
 * polls every LINK_POLL_NS, running the services in between (rt_block).
 *
 * One open at a time (-EBUSY). Closing ends the session: the other end
 * reads what was written, then end of stream.
 *
 * May not touch: the region outside link_ring.c's calls, other devices.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/sysctl.h>
#include "rt.h"
#include "link_ring.h"

#define LINK_POLL_NS  1000000ULL /* how often a waiter looks */
#define LINK_ELECT_NS 2000000ULL /* between election steps: see link_ring.h */
#define LINK_REACH    RT_WINDOW  /* dom0 reaches gfns below its window */

static struct link link;
static bool attached, busy;

static bool never(void *arg)
{
    return false;
}

static int link_find(void)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_wren_link,
                             .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    struct xen_sysctl_wren_link *w = &op.u.wren_link;
    uint64_t nonce;
    long rc = hypercall(__HYPERVISOR_sysctl, (long)&op, 0, 0, 0, 0);

    if ( rc )
        return (int)rc; /* -ENODEV: this machine has no link */
    if ( w->gfn + w->nr_frames > LINK_REACH / RT_PAGE || w->nr_frames > (1UL << 20) )
        return -ENODEV;
    rt_random_fill(&nonce, sizeof(nonce));
    rc = link_attach(&link, (void *)(uintptr_t)(w->gfn * RT_PAGE), w->nr_frames * RT_PAGE, nonce);
    if ( rc )
        rt_printf("wren-link: %s\n", link.why);
    return (int)rc;
}

static int link_choose_end(void)
{
    while ( link_elect(&link) )
        rt_block(never, NULL, false, rt_now() + LINK_ELECT_NS);
    rt_printf("wren-link: end %d of a %llu KiB region\n", link.end,
              (unsigned long long)link.size >> 10);
    return 0;
}

static int lk_open(struct rt_file *f)
{
    int rc;

    if ( busy )
        return -EBUSY;
    if ( !attached )
    {
        rc = link_find();
        if ( rc )
            return rc;
        link_choose_end();
        attached = true;
    }
    if ( link.error )
        return link.error;
    link_open(&link);
    busy = true;
    return 0;
}

static void lk_release(struct rt_file *f)
{
    link_close(&link);
    busy = false;
}

/* Wait until ready() or the file is non-blocking (-EAGAIN). */
static int link_wait(struct rt_file *f, bool (*ready)(struct link *))
{
    while ( !ready(&link) )
    {
        if ( rt_file_nonblock(f) )
            return -EAGAIN;
        rt_block(never, NULL, false, rt_now() + LINK_POLL_NS);
    }
    return 0;
}

static long report(long rc)
{
    if ( rc == -EIO || rc == -EPROTO )
        rt_printf("wren-link: %s\n", link.why);
    return rc;
}

static long lk_read(struct rt_file *f, void *buf, size_t n, int64_t *off)
{
    long rc;

    if ( !n )
        return 0;
    rc = link_wait(f, link_readable);
    return rc ? rc : report(link_read(&link, buf, n));
}

/* Blocking writes write everything (a pipe's rule), unless the peer goes. */
static long lk_write(struct rt_file *f, const void *buf, size_t n, int64_t *off)
{
    size_t done = 0;

    while ( done < n )
    {
        long rc = link_wait(f, link_writable);
        if ( !rc )
            rc = link_write(&link, (const char *)buf + done, n - done);
        if ( rc < 0 )
            return done ? (long)done : report(rc);
        done += (size_t)rc;
    }
    return (long)done;
}

static short lk_poll(struct rt_file *f)
{
    short ev = (short)((link_readable(&link) ? POLLIN : 0) | (link_writable(&link) ? POLLOUT : 0));

    if ( link.hup )
        ev |= POLLHUP;
    if ( link.error )
        ev |= POLLERR;
    if ( !ev )
        rt_poll_soon = true;
    return ev;
}

const struct rt_fops rt_link_fops = {
    .read = lk_read,
    .write = lk_write,
    .poll = lk_poll,
    .release = lk_release,
    .open = lk_open,
};
