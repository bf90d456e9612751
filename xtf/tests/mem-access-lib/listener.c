/*
 * mem-access-lib/listener.c - what the mem-access controllers share
 * (included by tests/mem-access and tests/mem-access-altp2m, never built
 * alone): the hypercalls of the mem_access interface, a dom0 listener on
 * a target's monitor ring set up as Xen's libxc does, its answers (as
 * xen-access: the page gets rwx back, or the vCPU is switched to another
 * view), the counters, and the destroy with its frame count.
 *
 * May not touch: anything of a target but its ring frame and the pages
 * a test restricts.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/evtchn.h>
#include <xtf/sysctl.h>
#include <public/memory.h>
#include <public/vm_event.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

/* The helpers: each test uses some. */
#define MA_LIB static __attribute__((unused))

#define RING_GFN XTF_GFN(0xf00) /* the target's; 16 MiB of RAM */
#define MA_EXEC  100            /* mem-access-target: call each frame */
#define OFFSET   0x18UL
#define VAL(g)   (0x3acce55000000000ULL + (g))

struct target
{
    domid_t dom;
    uint64_t mb_gfn, ring_gfn; /* where dom0 maps its mailbox and ring */
    xtf_mb_t *mb;
    vm_event_sring_t *sring;
    vm_event_back_ring_t back;
    evtchn_port_t port; /* ours, bound to the target's ring port */
};

/* What the listener saw and does. */
static vm_event_request_t seen[16];
static unsigned int nr_seen;
static uint32_t answer_version = VM_EVENT_INTERFACE_VERSION;
static bool hold; /* take requests, answer nothing */
/* How the listener answers: -1, as xen-access in write mode (the page
 * gets rwx back); a view, as xen-access in altp2m mode (the vCPU runs on
 * in that view, the access stays). */
static int answer_view = -1;
/* If not -2, the first answer after nr_seen = 0 switches to this one. */
static int first_answer_view = -2;
/* The view the events must name (0: the host, no VM_EVENT_FLAG_ALTERNATE_P2M). */
static unsigned int expect_view;

/* ---- hypercalls --------------------------------------------------------- */

MA_LIB long vm_event_op(domid_t dom, uint32_t op, uint32_t mode, struct xen_domctl_vm_event_op *out)
{
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_vm_event_op,
        .domain = dom,
        .u.vm_event_op = { .op = op, .mode = mode },
    };
    long rc = hypercall_domctl(&d);

    if ( out )
        *out = d.u.vm_event_op;
    return rc;
}

MA_LIB long monitor(domid_t dom, uint32_t op)
{
    return vm_event_op(dom, op, XEN_DOMCTL_VM_EVENT_OP_MONITOR, NULL);
}

MA_LIB long access_required(domid_t dom, uint8_t required)
{
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_set_access_required,
        .domain = dom,
        .u.access_required = { .access_required = required },
    };
    return hypercall_domctl(&d);
}

MA_LIB long counters(domid_t dom, struct xen_domctl_wren_vm_event *s)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_wren_vm_event, .domain = dom };
    long rc = hypercall_domctl(&d);

    *s = d.u.wren_vm_event;
    return rc;
}

MA_LIB long set_access(domid_t dom, uint64_t pfn, uint32_t nr, uint8_t access)
{
    struct xen_mem_access_op m = {
        .op = XENMEM_access_op_set_access, .access = access, .domid = dom, .nr = nr, .pfn = pfn
    };
    return hypercall_memory_op(XENMEM_access_op, &m);
}

MA_LIB long get_access(domid_t dom, uint64_t pfn, uint8_t *access)
{
    struct xen_mem_access_op m = { .op = XENMEM_access_op_get_access, .domid = dom, .pfn = pfn };
    long rc = hypercall_memory_op(XENMEM_access_op, &m);

    *access = m.access;
    return rc;
}

MA_LIB long set_access_multi(domid_t dom, const uint64_t *pfns, const uint8_t *acc, uint32_t nr)
{
    struct xen_mem_access_op m = {
        .op = XENMEM_access_op_set_access_multi,
        .access = XENMEM_access_default + 1,
        .domid = dom,
        .nr = nr,
        .pfn = ~0ULL,
    };

    set_xen_guest_handle(m.pfn_list, pfns);
    set_xen_guest_handle(m.access_list, acc);
    return hypercall_memory_op(XENMEM_access_op, &m);
}

MA_LIB long access_op_raw(uint8_t op, uint8_t access, domid_t dom, uint64_t pfn, uint32_t nr)
{
    struct xen_mem_access_op m = { .op = op, .access = access, .domid = dom, .nr = nr, .pfn = pfn };
    return hypercall_memory_op(XENMEM_access_op, &m);
}

MA_LIB long hvm_param(domid_t dom, uint32_t index, uint64_t value)
{
    struct xen_hvm_param p = { .domid = dom, .index = index, .value = value };
    return hypercall_hvm_op(HVMOP_set_param, &p);
}

MA_LIB long reservation(unsigned int cmd, domid_t dom, uint64_t gfn)
{
    xen_pfn_t pfn = gfn;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = dom };

    set_xen_guest_handle(r.extent_start, &pfn);
    return hypercall_memory_op(cmd, &r);
}

MA_LIB bool expect(const char *what, long got, long want)
{
    if ( got == want )
        return true;
    xtf_failure("%s: %ld, expected %ld", what, got, want);
    return false;
}

/* ---- the listener ------------------------------------------------------- */

/* The ring, as Xen's libxc sets it up (xc_monitor_enable). */
MA_LIB bool ring_up(struct target *t)
{
    struct xen_domctl_vm_event_op out;
    long rc;

    /* Populate the frame if it is a hole (after an earlier ring went). */
    if ( xtf_p2m_type_of(t->dom, RING_GFN) != XTF_P2M_RAM_RW &&
         reservation(XENMEM_populate_physmap, t->dom, RING_GFN) != 1 )
        return xtf_error("d%u: cannot populate the ring frame", t->dom), false;
    if ( hvm_param(t->dom, HVM_PARAM_MONITOR_RING_PFN, RING_GFN) ||
         xtf_map_foreign(t->dom, RING_GFN, t->ring_gfn) )
        return xtf_error("d%u: cannot make or map the ring frame", t->dom), false;
    t->sring = (vm_event_sring_t *)(uintptr_t)(t->ring_gfn << PAGE_SHIFT);
    memset(t->sring, 0, PAGE_SIZE);
    rc = vm_event_op(t->dom, XEN_VM_EVENT_ENABLE, XEN_DOMCTL_VM_EVENT_OP_MONITOR, &out);
    if ( rc )
        return xtf_failure("d%u: enabling the ring: %ld", t->dom, rc), false;
    if ( reservation(XENMEM_decrease_reservation, t->dom, RING_GFN) != 1 )
        return xtf_failure("d%u: giving the ring frame back failed", t->dom), false;
    rc = evtchn_bind_interdomain(t->dom, out.u.enable.port);
    if ( rc < 0 )
        return xtf_failure("d%u: binding ring port %u: %ld", t->dom, out.u.enable.port, rc), false;
    t->port = (evtchn_port_t)rc;
    SHARED_RING_INIT(t->sring);
    BACK_RING_INIT(&t->back, t->sring, PAGE_SIZE);
    return true;
}

MA_LIB bool ring_down(struct target *t)
{
    bool ok = expect("disabling the ring", monitor(t->dom, XEN_VM_EVENT_DISABLE), 0);

    evtchn_close(t->port);
    xtf_unmap_local(t->ring_gfn);
    t->sring = NULL;
    return ok;
}

/* Answer one request as xen-access does: the page gets rwx, the vCPU goes. */
MA_LIB void answer(struct target *t, const vm_event_request_t *req)
{
    vm_event_response_t rsp;
    int to = nr_seen == 1 && first_answer_view != -2 ? first_answer_view : answer_view;

    if ( req->reason == VM_EVENT_REASON_MEM_ACCESS && to < 0 )
        set_access(t->dom, req->u.mem_access.gfn, 1, XENMEM_access_rwx);
    memset(&rsp, 0, sizeof(rsp));
    rsp.version = answer_version;
    rsp.vcpu_id = req->vcpu_id;
    rsp.flags = req->flags & VM_EVENT_FLAG_VCPU_PAUSED;
    if ( to >= 0 )
    {
        rsp.flags |= VM_EVENT_FLAG_ALTERNATE_P2M;
        rsp.altp2m_idx = (uint16_t)to;
    }
    rsp.reason = req->reason;
    *RING_GET_RESPONSE(&t->back, t->back.rsp_prod_pvt) = rsp;
    t->back.rsp_prod_pvt++;
    RING_PUSH_RESPONSES(&t->back);
    evtchn_send(t->port);
}

/* The mailbox's idle work: take every request, answer it (unless held). */
MA_LIB bool listen(void *arg)
{
    struct target *t = arg;
    bool did = false;

    while ( t->sring && !hold && RING_HAS_UNCONSUMED_REQUESTS(&t->back) )
    {
        vm_event_request_t req = *RING_GET_REQUEST(&t->back, t->back.req_cons);

        t->back.req_cons++;
        if ( nr_seen < ARRAY_SIZE(seen) )
            seen[nr_seen] = req;
        nr_seen++;
        answer(t, &req);
        did = true;
    }
    return did;
}

MA_LIB long call(struct target *t, uint32_t op, uint32_t nr)
{
    return xtf_mb_call_idle(t->mb, op, nr, listen, t);
}

/* Event i is a MEM_ACCESS write by some vCPU (d3's order is the CPUs'). */
/* Event i is a MEM_ACCESS request for gfn with these kinds and offset. */
MA_LIB bool check_event(unsigned int i, uint64_t gfn, uint32_t kind, uint64_t offset)
{
    const vm_event_request_t *r = &seen[i];
    uint32_t got = r->u.mem_access.flags & MEM_ACCESS_RWX;
    bool in_view = r->flags & VM_EVENT_FLAG_ALTERNATE_P2M;

    if ( r->version != VM_EVENT_INTERFACE_VERSION || r->reason != VM_EVENT_REASON_MEM_ACCESS ||
         r->vcpu_id != 0 || !(r->flags & VM_EVENT_FLAG_VCPU_PAUSED) ||
         in_view != (expect_view != 0) || (in_view && r->altp2m_idx != expect_view) )
        return xtf_failure("event %u: version %u reason %u vcpu %u flags %#x view %u (expected %u)",
                           i, r->version, r->reason, r->vcpu_id, r->flags, r->altp2m_idx,
                           expect_view),
               false;
    if ( r->u.mem_access.gfn != gfn || got != kind || r->u.mem_access.offset != offset )
        return xtf_failure("event %u: gfn %#lx kind %#x offset %#lx, expected %#lx %#x %#lx", i,
                           (unsigned long)r->u.mem_access.gfn, got,
                           (unsigned long)r->u.mem_access.offset, (unsigned long)gfn, kind,
                           (unsigned long)offset),
               false;
    return true;
}

MA_LIB bool stats_are(domid_t dom, const char *when, uint64_t req, uint64_t rsp, uint64_t bad,
                      uint64_t exits, uint64_t resets)
{
    struct xen_domctl_wren_vm_event s;

    if ( counters(dom, &s) )
        return xtf_failure("%s: XEN_DOMCTL_wren_vm_event failed", when), false;
    printf("%s: requests %lu responses %lu bad %lu violation exits %lu resets %lu waits %lu\n",
           when, (unsigned long)s.requests, (unsigned long)s.responses,
           (unsigned long)s.bad_responses, (unsigned long)s.violation_exits,
           (unsigned long)s.access_resets, (unsigned long)s.ring_waits);
    if ( s.requests != req || s.responses != rsp || s.bad_responses != bad ||
         s.violation_exits != exits || s.access_resets != resets || s.paused_now )
        return xtf_failure("%s: counters are not %lu/%lu/%lu/%lu/%lu, none paused", when,
                           (unsigned long)req, (unsigned long)rsp, (unsigned long)bad,
                           (unsigned long)exits, (unsigned long)resets),
               false;
    return true;
}

/* Four writes to rx pages: four events, then the data is there. */
/* Wait until dom's vm_event says n vCPUs wait. */
MA_LIB bool wait_paused(domid_t dom, uint64_t n)
{
    struct xen_domctl_wren_vm_event s;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( counters(dom, &s) )
            return false;
        if ( s.paused_now == n )
            return true;
        hypercall_yield();
    }
    return xtf_failure("d%u: %lu vCPUs wait, not %lu", dom, (unsigned long)s.paused_now,
                       (unsigned long)n),
           false;
}

/* Post a command without waiting for it. */
MA_LIB void post(xtf_mb_t *mb, uint32_t op, uint32_t nr)
{
    mb->op = op;
    mb->nr = nr;
    smp_wmb();
    mb->seq++;
}

/* ---- destroy ------------------------------------------------------------ */

/* No zombie: getdomaininfo says the domain is gone. */
MA_LIB bool gone(domid_t dom)
{
    struct xen_domctl_getdomaininfo info;
    long rc = xtf_getdomaininfo(dom, &info);

    if ( rc == -XEN_ESRCH )
        return true;
    return xtf_failure("d%u still exists after destroy (rc %ld, %lu pages held)", dom, rc,
                       (unsigned long)info.tot_pages),
           false;
}

/* The domain's frames come back: what it owned, its pool, and the ring. */
MA_LIB bool destroy(struct target *t, bool ring)
{
    uint64_t pool = 0, owned = 0, before, after;

    if ( xtf_p2m_pool(t->dom, &pool, NULL, &owned) )
        return xtf_error("WREN_P2M_POOL on d%u failed", t->dom), false;
    xtf_unmap_local(t->mb_gfn);
    before = xtf_free_pages();
    if ( !expect("destroydomain", xtf_domctl_simple(XEN_DOMCTL_destroydomain, t->dom), 0) )
        return false;
    if ( ring )
    {
        evtchn_close(t->port);
        xtf_unmap_local(t->ring_gfn);
    }
    after = xtf_free_pages();
    printf("d%u: destroy freed %lu frames (owned %lu, pool %lu, ring %u)\n", t->dom,
           (unsigned long)(after - before), (unsigned long)owned, (unsigned long)pool, ring);
    if ( after - before < owned + pool + ring )
        return xtf_failure("d%u: %lu frames came back, not %lu", t->dom,
                           (unsigned long)(after - before), (unsigned long)(owned + pool + ring)),
               false;
    return gone(t->dom);
}

/* d1 is destroyed while its vCPU waits for an answer, ring on. */
