/*
 * ioreq_inval.c - dom0's side of the mapcache invalidation tests
 * (xtf/ioreq-inval.h): an IOREQ server for the helper domU that serves
 * the toy DMA device through a mapcache, drops the mapcache on
 * IOREQ_TYPE_INVALIDATE, and logs every access and invalidation in the
 * order it took them. Touches only the target's device, the frames the
 * mapcache maps and the control page.
 */
#include <xtf.h>
#include <xtf/ioreq-inval.h>
#include <xtf/p2m.h>

static void log_event(struct inval_server *is, enum inval_kind kind, unsigned int vcpu,
                      uint32_t value)
{
    if ( is->nr_log == INVAL_LOG_MAX )
    {
        is->log_full = true;
        return;
    }
    is->log[is->nr_log++] = (struct inval_event){ kind, (uint8_t)vcpu, value };
}

static void take_invalidate(struct inval_server *is, unsigned int vcpu)
{
    if ( xtf_mapcache_invalidate(&is->mc) )
        xtf_error("unmapping the mapcache failed");
    is->invals[vcpu]++;
    is->owes[vcpu] = false;
    log_event(is, INVAL_EV_INVAL, vcpu, 0);
}

static uint32_t dma_data(struct inval_server *is, unsigned int vcpu)
{
    bool ok;
    uint64_t v = xtf_mapcache_read(&is->mc, is->addr[vcpu], &ok);
    uint32_t val = ok ? (uint32_t)v : ~0U;

    is->reads[vcpu]++;
    log_event(is, INVAL_EV_READ, vcpu, val);
    return val;
}

static void take_access(struct inval_server *is, unsigned int vcpu, ioreq_t *p)
{
    bool write = IOREQ_DIR(p) == IOREQ_WRITE;

    if ( is->owes[vcpu] )
        is->overtaken++;
    switch ( p->addr )
    {
    case XTF_DMADEV_ADDR:
        if ( write )
            is->addr[vcpu] = (uint32_t)p->data;
        break;
    case XTF_DMADEV_DATA: p->data = write ? p->data : dma_data(is, vcpu); break;
    case XTF_DMADEV_MARK:
        if ( write )
            log_event(is, INVAL_EV_MARK, vcpu, (uint32_t)p->data);
        break;
    case XTF_DMADEV_COUNT: p->data = (uint32_t)is->mc.invalidations; break;
    default: p->data = ~0ULL; break;
    }
}

void inval_handle(struct xtf_ioreq_server *s, ioreq_t *p)
{
    struct inval_server *is = s->priv;
    unsigned int vcpu = (unsigned int)(p - s->iopage->vcpu_ioreq);

    if ( vcpu >= s->nr_vcpus )
        return;
    if ( p->type == IOREQ_TYPE_INVALIDATE )
        take_invalidate(is, vcpu);
    else if ( p->type == XTF_DMADEV_TYPE )
        take_access(is, vcpu, p);
}

volatile struct inval_ctl *inval_ctl(void)
{
    return (volatile struct inval_ctl *)(uintptr_t)(INVAL_CTL_LOCAL << PAGE_SHIFT);
}

/* The counters when the server started: the builder's own changes
 * (console ring, shared_info) came before any server and do not count. */
static uint64_t base[3];

static bool read_counters(uint64_t out[3])
{
    struct xen_domctl_wren_p2m r;

    if ( xtf_wren_p2m(INVAL_TARGET, WREN_P2M_IOREQ_INVAL, 0, 0, 0, &r) )
        return xtf_error("WREN_P2M_IOREQ_INVAL failed"), false;
    memcpy(out, r.arg, 3 * sizeof(out[0]));
    return true;
}

/* Wait for d1's runtime to finish its own physmap changes. */
static bool target_ready(void)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( inval_ctl()->ready == INVAL_READY )
            return true;
        hypercall_yield();
    }
    return xtf_error("d1 never reached its script"), false;
}

bool inval_server_start(struct inval_server *is, unsigned int nr_vcpus)
{
    long rc;

    memset(is, 0, sizeof(*is));
    rc = xtf_map_foreign(INVAL_TARGET, INVAL_CTL_GFN, INVAL_CTL_LOCAL);
    if ( rc )
        return xtf_error("mapping d1's control page: %ld", rc), false;
    if ( !target_ready() || !read_counters(base) )
        return false;
    xtf_mapcache_init(&is->mc, INVAL_TARGET, INVAL_CACHE_GFN, 8);
    rc = xtf_ioreq_create(&is->io, INVAL_TARGET, nr_vcpus, 0, INVAL_IOPAGE, inval_handle);
    if ( rc )
        return xtf_error("creating the server: %ld", rc), false;
    is->io.priv = is;
    rc = xtf_ioreq_map_range(&is->io, XTF_DMADEV_RANGE, XTF_DMADEV_PORT, XTF_DMADEV_LAST);
    if ( !rc )
        rc = xtf_ioreq_set_state(&is->io, true);
    if ( rc )
        return xtf_error("setting up the server: %ld", rc), false;
    smp_wmb(); /* the server on before d1 is told */
    inval_ctl()->device = INVAL_READY;
    return true;
}

static bool target_down(void)
{
    struct xen_domctl_getdomaininfo info;

    return xtf_getdomaininfo(INVAL_TARGET, &info) || (info.flags & XEN_DOMINF_shutdown);
}

bool inval_serve_until_shutdown(struct inval_server *is)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( !xtf_ioreq_serve(&is->io) )
        {
            if ( target_down() )
                return true;
            hypercall_yield();
        }
    }
    return false;
}

void inval_print_log(const struct inval_server *is)
{
    static const char *const names[] = { "READ", "MARK", "INVAL" };

    for ( unsigned int i = 0; i < is->nr_log; i++ )
        printf("  %3u v%u %-5s %#x\n", i, is->log[i].vcpu, names[is->log[i].kind],
               is->log[i].value);
}

int inval_find(const struct inval_server *is, int from, enum inval_kind kind, uint32_t value)
{
    for ( int i = from < 0 ? 0 : from; i < (int)is->nr_log; i++ )
        if ( is->log[i].kind == kind && (kind != INVAL_EV_MARK || is->log[i].value == value) )
            return i;
    return -1;
}

unsigned int inval_between(const struct inval_server *is, int from, int to)
{
    unsigned int n = 0;

    for ( int i = from + 1; i < to && i < (int)is->nr_log; i++ )
        n += is->log[i].kind == INVAL_EV_INVAL;
    return n;
}

bool inval_counters(uint64_t *sent, uint64_t *flags, uint64_t *frames)
{
    uint64_t now[3];

    if ( !read_counters(now) )
        return false;
    *sent = now[0] - base[0];
    *flags = now[1] - base[1];
    *frames = now[2] - base[2];
    return true;
}

bool inval_run_script(struct inval_server *is, bool check_marks)
{
    if ( !inval_serve_until_shutdown(is) )
        return xtf_error("d1 never finished its script"), false;
    inval_print_log(is);
    if ( check_marks && inval_find(is, 0, INVAL_EV_MARK, INVAL_MARK_ERROR) >= 0 )
        return xtf_error("a hypercall of d1's script failed"), false;
    return true;
}
