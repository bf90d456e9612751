/*
 * xen-access.c - dom0's xen-access, after Xen's tool of that name
 * (docs/man/xen-access.1.md): restrict a guest's pages, print each
 * access the restriction refuses, give that page its rights back and let
 * the vCPU go. write: pages become rx; exec: rw. altp2m_write: the pages
 * become rx in a view of their own that every vCPU is switched to; the
 * answer to an event lets the vCPU run on in view 0 (the host), and a
 * moment later every vCPU goes back into the view (Xen's tool steps one
 * instruction; Wren has no single-step event). Runs until it has seen
 * -n events, -t seconds have passed, or the guest is gone; then every
 * page it restricted gets rwx back and the ring goes.
 *
 * Through libxenctrl: xc_monitor_enable (the ring), xc_set_mem_access,
 * xc_altp2m_* (the view), xc_monitor_disable; the ring's port through
 * libxenevtchn.
 *
 * May not touch: pages outside the range asked for. Every argument is
 * checked before any call; every path out gives back what it took.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xen/vm_event.h>
#include "dom0.h"

struct access_args
{
    unsigned long long domid, first, count, events, seconds;
    bool have_range, altp2m;
    xenmem_access_t restrict_to;
    const char *mode;
};

/* How long a vCPU answered in altp2m_write mode runs in view 0. */
#define BACK_TO_VIEW_S 0.02

struct listener
{
    xc_interface *xch;
    xenevtchn_handle *xce;
    void *ring;
    vm_event_back_ring_t back;
    uint32_t domid;
    evtchn_port_t port;
    unsigned long long seen;
    uint16_t view;  /* altp2m_write: the view made for it (0: none) */
    double back_at; /* altp2m_write: when every vCPU goes back into it */
};

static void usage(void)
{
    fprintf(stderr, "usage: xen-access [-g FIRST_GFN -c COUNT] [-n EVENTS] [-t SECONDS] DOMID "
                    "write|exec|altp2m_write\n");
}

/* A whole number from min to max, or an error naming what it is. */
static bool number(const char *what, const char *s, unsigned long long min, unsigned long long max,
                   unsigned long long *out)
{
    char *end;

    errno = 0;
    *out = strtoull(s, &end, 0);
    if ( !*s || *end || errno || *out < min || *out > max || *s == '-' )
    {
        fprintf(stderr, "xen-access: %s '%s' is not a number from %llu to %#llx\n", what, s, min,
                max);
        return false;
    }
    return true;
}

static bool parse_opt(int c, struct access_args *a)
{
    switch ( c )
    {
    case 'g': return a->have_range = true, number("-g", optarg, 0, (1ULL << 40) - 1, &a->first);
    case 'c': return number("-c", optarg, 1, 1ULL << 32, &a->count);
    case 'n': return number("-n", optarg, 1, ~0ULL, &a->events);
    case 't': return number("-t", optarg, 1, 3600, &a->seconds);
    default: usage(); return false;
    }
}

static bool parse_mode(struct access_args *a)
{
    if ( !strcmp(a->mode, "write") )
        a->restrict_to = XENMEM_access_rx;
    else if ( !strcmp(a->mode, "exec") )
        a->restrict_to = XENMEM_access_rw;
    else if ( !strcmp(a->mode, "altp2m_write") )
        a->restrict_to = XENMEM_access_rx, a->altp2m = true;
    else
    {
        fprintf(stderr, "xen-access: unknown mode '%s' (write, exec or altp2m_write)\n", a->mode);
        return false;
    }
    return true;
}

static bool parse(int argc, char **argv, struct access_args *a)
{
    int c;

    a->count = 0;
    a->events = ~0ULL;
    a->seconds = 10;
    optind = 1;
    while ( (c = getopt(argc, argv, "g:c:n:t:")) != -1 )
        if ( !parse_opt(c, a) )
            return false;
    if ( argc - optind != 2 )
        return usage(), false;
    if ( !number("DOMID", argv[optind], 1, 0x7fef, &a->domid) )
        return false;
    a->mode = argv[optind + 1];
    if ( a->have_range != (a->count != 0) )
    {
        fprintf(stderr, "xen-access: -g and -c go together\n");
        return false;
    }
    return parse_mode(a);
}

/* ---- the ring ----------------------------------------------------------- */

/* altp2m_write: every vCPU back on the host p2m, the view gone. */
static void view_down(struct listener *l)
{
    xc_altp2m_switch_to_view(l->xch, l->domid, 0);
    xc_altp2m_destroy_view(l->xch, l->domid, l->view);
    xc_altp2m_set_domain_state(l->xch, l->domid, false);
    l->view = 0;
}

static void listener_close(struct listener *l)
{
    if ( l->view )
        view_down(l);
    if ( l->ring )
    {
        xc_monitor_disable(l->xch, l->domid);
        munmap(l->ring, XC_PAGE_SIZE);
    }
    if ( l->xce )
        xenevtchn_close(l->xce);
    if ( l->xch )
        xc_interface_close(l->xch);
}

static const char *enable_error(int e)
{
    switch ( e )
    {
    case ESRCH: return "no such domain";
    case EBUSY: return "it already has a listener";
    case EINVAL: return "refused (the ring frame is not RAM, or it is dom0)";
    default: return strerror(e);
    }
}

static bool listener_open(struct listener *l, uint32_t domid)
{
    uint32_t remote;
    int port;

    memset(l, 0, sizeof(*l));
    l->domid = domid;
    l->xch = xc_interface_open(NULL, NULL, 0);
    l->xce = xenevtchn_open(NULL, 0);
    if ( !l->xch || !l->xce )
        return fprintf(stderr, "xen-access: cannot open the hypervisor interfaces\n"), false;
    l->ring = xc_monitor_enable(l->xch, domid, &remote);
    if ( !l->ring )
        return fprintf(stderr, "xen-access: d%u: no ring: %s\n", domid, enable_error(errno)), false;
    port = xenevtchn_bind_interdomain(l->xce, domid, remote);
    if ( port < 0 )
        return fprintf(stderr, "xen-access: binding d%u's port %u: %s\n", domid, remote,
                       strerror(errno)),
               false;
    l->port = (evtchn_port_t)port;
    SHARED_RING_INIT((vm_event_sring_t *)l->ring);
    BACK_RING_INIT(&l->back, (vm_event_sring_t *)l->ring, XC_PAGE_SIZE);
    return true;
}

/* ---- events ------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_event(const struct listener *l, const vm_event_request_t *r)
{
    uint32_t k = r->u.mem_access.flags;

    printf("xen-access: d%u vcpu %u view %u gfn %#llx offset %#llx access %c%c%c%s\n", l->domid,
           r->vcpu_id, r->flags & VM_EVENT_FLAG_ALTERNATE_P2M ? r->altp2m_idx : 0,
           (unsigned long long)r->u.mem_access.gfn, (unsigned long long)r->u.mem_access.offset,
           k & MEM_ACCESS_R ? 'r' : '-', k & MEM_ACCESS_W ? 'w' : '-', k & MEM_ACCESS_X ? 'x' : '-',
           k & MEM_ACCESS_FAULT_IN_GPT ? " (page walk)" : "");
}

/* As Xen's xen-access: the page gets every right back, the vCPU goes. */
static void answer(struct listener *l, const vm_event_request_t *r)
{
    vm_event_response_t rsp;

    if ( r->reason == VM_EVENT_REASON_MEM_ACCESS && !l->view &&
         xc_set_mem_access(l->xch, l->domid, XENMEM_access_rwx, r->u.mem_access.gfn, 1) )
        fprintf(stderr, "xen-access: giving gfn %#llx its rights back: %s\n",
                (unsigned long long)r->u.mem_access.gfn, strerror(errno));
    memset(&rsp, 0, sizeof(rsp));
    rsp.version = VM_EVENT_INTERFACE_VERSION;
    rsp.vcpu_id = r->vcpu_id;
    rsp.reason = r->reason;
    rsp.flags = r->flags & VM_EVENT_FLAG_VCPU_PAUSED;
    if ( l->view ) /* altp2m_write: on in view 0 for a moment */
    {
        rsp.flags |= VM_EVENT_FLAG_ALTERNATE_P2M;
        rsp.altp2m_idx = 0;
        l->back_at = now_s() + BACK_TO_VIEW_S;
    }
    *RING_GET_RESPONSE(&l->back, l->back.rsp_prod_pvt) = rsp;
    l->back.rsp_prod_pvt++;
    RING_PUSH_RESPONSES(&l->back);
}

/* Every request on the ring, printed and answered; how many. */
static unsigned int take_requests(struct listener *l)
{
    unsigned int n = 0;

    while ( RING_HAS_UNCONSUMED_REQUESTS(&l->back) )
    {
        vm_event_request_t req = *RING_GET_REQUEST(&l->back, l->back.req_cons);

        l->back.req_cons++;
        if ( req.version != VM_EVENT_INTERFACE_VERSION )
            fprintf(stderr, "xen-access: a request of version %u ignored\n", req.version);
        else if ( req.reason == VM_EVENT_REASON_MEM_ACCESS )
            print_event(l, &req);
        answer(l, &req);
        n++;
    }
    if ( n )
        xenevtchn_notify(l->xce, l->port);
    return n;
}

static bool guest_alive(struct listener *l)
{
    xc_domaininfo_t info;

    return !xc_domain_getinfo_single(l->xch, l->domid, &info) &&
           !(info.flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown));
}

static void run(struct listener *l, const struct access_args *a)
{
    double end = now_s() + (double)a->seconds;
    struct pollfd pfd = { .fd = xenevtchn_fd(l->xce), .events = POLLIN };

    while ( l->seen < a->events && now_s() < end && guest_alive(l) )
    {
        if ( poll(&pfd, 1, l->back_at ? 5 : 100) > 0 )
        {
            xenevtchn_port_or_error_t p = xenevtchn_pending(l->xce);

            if ( p >= 0 )
                xenevtchn_unmask(l->xce, (evtchn_port_t)p);
        }
        l->seen += take_requests(l);
        if ( l->back_at && now_s() >= l->back_at )
        {
            xc_altp2m_switch_to_view(l->xch, l->domid, l->view);
            l->back_at = 0;
        }
    }
}

/* ---- the command -------------------------------------------------------- */

static bool restrict_pages(struct listener *l, const struct access_args *a, xenmem_access_t to)
{
    uint64_t first = a->have_range ? a->first : 0, nr = a->count;
    xen_pfn_t max;

    if ( !a->have_range )
    {
        if ( xc_domain_maximum_gpfn(l->xch, l->domid, &max) )
            return fprintf(stderr, "xen-access: d%u: %s\n", l->domid, strerror(errno)), false;
        nr = max + 1;
    }
    if ( xc_set_mem_access(l->xch, l->domid, to, first, (uint32_t)nr) )
        return fprintf(stderr, "xen-access: setting d%u's gfns %#llx+%#llx: %s\n", l->domid,
                       (unsigned long long)first, (unsigned long long)nr,
                       errno == EINVAL ? "not the guest's memory" : strerror(errno)),
               false;
    return true;
}

/* altp2m_write: a view where the pages are rx, every vCPU on it. */
static bool view_up(struct listener *l, const struct access_args *a)
{
    uint64_t first = a->have_range ? a->first : 0, nr = a->count;
    xen_pfn_t max;

    if ( xc_altp2m_set_domain_state(l->xch, l->domid, true) )
        return fprintf(stderr, "xen-access: d%u: no altp2m (altp2m= in its xl.cfg): %s\n", l->domid,
                       strerror(errno)),
               false;
    if ( xc_altp2m_create_view(l->xch, l->domid, XENMEM_access_rwx, &l->view) )
        return fprintf(stderr, "xen-access: d%u: no view: %s\n", l->domid, strerror(errno)),
               xc_altp2m_set_domain_state(l->xch, l->domid, false), false;
    if ( !a->have_range && !xc_domain_maximum_gpfn(l->xch, l->domid, &max) )
        nr = max + 1;
    for ( uint64_t g = first; g < first + nr; g++ )
        if ( xc_altp2m_set_mem_access(l->xch, l->domid, l->view, g, XENMEM_access_rx) &&
             errno != ESRCH ) /* ESRCH: no RAM there */
            return fprintf(stderr, "xen-access: d%u view %u gfn %#llx: %s\n", l->domid, l->view,
                           (unsigned long long)g, strerror(errno)),
                   false;
    if ( xc_altp2m_switch_to_view(l->xch, l->domid, l->view) )
        return fprintf(stderr, "xen-access: d%u: switching to view %u: %s\n", l->domid, l->view,
                       strerror(errno)),
               false;
    return true;
}

int dom0_cmd_xen_access(int argc, char **argv)
{
    struct access_args a = { 0 };
    struct listener l;
    bool ok;

    if ( !parse(argc, argv, &a) )
        return 1;
    ok = listener_open(&l, (uint32_t)a.domid) &&
         (a.altp2m ? view_up(&l, &a) : restrict_pages(&l, &a, a.restrict_to));
    if ( ok )
    {
        printf("xen-access: d%llu: %s restricted, listening\n", a.domid, a.mode);
        fflush(stdout);
        run(&l, &a);
        take_requests(&l);
        if ( guest_alive(&l) && !a.altp2m )
            ok = restrict_pages(&l, &a, XENMEM_access_rwx);
        printf("xen-access: d%llu: %llu events\n", a.domid, l.seen);
    }
    listener_close(&l);
    return !ok;
}
