/*
 * evtchn.c - /dev/xen/evtchn with Linux's semantics: each open is a set
 * of ports it bound (closing it unbinds them); a port that fires is
 * masked and queued, read() hands out queued ports as uint32_t, write()
 * of ports unmasks them, poll() says POLLIN while the queue is not empty.
 * A port that fires with the queue full is lost and read() says EFBIG
 * until IOCTL_EVTCHN_RESET, as on Linux.
 *
 * May not touch: ports bound by another descriptor or by the runtime
 * itself (the console's); event.c decides when a port has fired.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen-sys/evtchn.h>
#include "rt.h"

#define RING 1024 /* queued ports per descriptor, as Linux's default */

struct rt_evdev
{
    uint32_t ring[RING];
    unsigned int head, count;
    bool overflow; /* a port fired with the ring full: read says EFBIG */
};

void rt_evdev_fire(struct rt_evdev *d, unsigned int port)
{
    if ( d->count < RING )
        d->ring[(d->head + d->count++) % RING] = port;
    else
        d->overflow = true;
}

static long evop(unsigned int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_event_channel_op, cmd, (long)arg, 0, 0, 0);
}

static void port_close(unsigned int port)
{
    struct evtchn_close c = { .port = port };
    rt_port_disown(port);
    evop(EVTCHNOP_close, &c);
}

static int ev_open(struct rt_file *f)
{
    f->priv = kalloc(sizeof(struct rt_evdev));
    return f->priv ? 0 : -ENOMEM;
}

static void ev_release(struct rt_file *f)
{
    for ( unsigned int port = 1; port < 4096; port++ )
        if ( rt_port_owner(port) == f->priv )
            port_close(port);
    kfree(f->priv);
}

/* Adopt a freshly bound port, or close it again if we cannot. The
 * caller passes the port by address: it is only valid after the call. */
static long adopt(struct rt_file *f, long rc, const evtchn_port_t *portp)
{
    evtchn_port_t port = *portp;
    if ( rc )
        return rc;
    if ( rt_port_own(port, f->priv) )
    {
        port_close(port);
        return -ENOSPC;
    }
    return port;
}

static long bind(struct rt_file *f, unsigned long req, const void *arg)
{
    switch ( req )
    {
    case IOCTL_EVTCHN_BIND_VIRQ:
    {
        struct evtchn_bind_virq b = { .virq = ((const struct ioctl_evtchn_bind_virq *)arg)->virq };
        long rc = evop(EVTCHNOP_bind_virq, &b);
        return adopt(f, rc, &b.port);
    }
    case IOCTL_EVTCHN_BIND_INTERDOMAIN:
    {
        const struct ioctl_evtchn_bind_interdomain *i = arg;
        struct evtchn_bind_interdomain b = { .remote_dom = (domid_t)i->remote_domain,
                                             .remote_port = i->remote_port };
        long rc = evop(EVTCHNOP_bind_interdomain, &b);
        return adopt(f, rc, &b.local_port);
    }
    default:
    {
        const struct ioctl_evtchn_bind_unbound_port *u = arg;
        struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
                                          .remote_dom = (domid_t)u->remote_domain };
        long rc = evop(EVTCHNOP_alloc_unbound, &a);
        return adopt(f, rc, &a.port);
    }
    }
}

static long ev_ioctl(struct rt_file *f, unsigned long req, unsigned long arg)
{
    struct rt_evdev *d = f->priv;
    unsigned int port = req == IOCTL_EVTCHN_RESET ? 0 : *(const unsigned int *)arg;
    switch ( req )
    {
    case IOCTL_EVTCHN_BIND_VIRQ:
    case IOCTL_EVTCHN_BIND_INTERDOMAIN:
    case IOCTL_EVTCHN_BIND_UNBOUND_PORT: return bind(f, req, (const void *)arg);
    case IOCTL_EVTCHN_UNBIND:
        if ( rt_port_owner(port) != d )
            return -ENOTCONN;
        port_close(port);
        return 0;
    case IOCTL_EVTCHN_NOTIFY:
        if ( rt_port_owner(port) != d )
            return -ENOTCONN;
        return evop(EVTCHNOP_send, &(struct evtchn_send){ .port = port });
    case IOCTL_EVTCHN_RESET: d->head = d->count = 0; return 0;
    default: return -ENOTTY;
    }
}

static bool queued(void *arg)
{
    struct rt_evdev *d = arg;
    rt_events_scan();
    return d->count || d->overflow;
}

static long ev_read(struct rt_file *f, void *buf, size_t n, int64_t *off)
{
    struct rt_evdev *d = f->priv;
    uint32_t *out = buf;
    size_t i;
    int rc;
    if ( n < sizeof(uint32_t) )
        return -EINVAL;
    rc = rt_block(queued, d, rt_file_nonblock(f), 0);
    if ( rc )
        return rc;
    if ( d->overflow )
        return -EFBIG; /* as Linux: the owner must RESET and rescan */
    for ( i = 0; i < n / sizeof(uint32_t) && d->count; i++, d->count-- )
    {
        out[i] = d->ring[d->head];
        d->head = (d->head + 1) % RING;
    }
    return (long)(i * sizeof(uint32_t));
}

static long ev_write(struct rt_file *f, const void *buf, size_t n, int64_t *off)
{
    const uint32_t *ports = buf;
    for ( size_t i = 0; i < n / sizeof(uint32_t); i++ )
        if ( rt_port_owner(ports[i]) == f->priv )
            rt_port_unmask(ports[i]);
    return (long)(n / sizeof(uint32_t) * sizeof(uint32_t));
}

static short ev_poll(struct rt_file *f)
{
    return POLLOUT | (queued(f->priv) ? POLLIN : 0);
}

const struct rt_fops rt_evtchn_fops = {
    .read = ev_read,
    .write = ev_write,
    .ioctl = ev_ioctl,
    .poll = ev_poll,
    .release = ev_release,
    .open = ev_open,
};
