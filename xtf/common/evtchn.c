/*
 * evtchn.c - event-channel helpers for tests (xtf/evtchn.h).
 *
 * May not touch: anything but event channels and the shared_info page.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <public/memory.h>
#include <public/vcpu.h>

/* The page shared_info replaces: part of the image, identity-mapped. */
static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static bool shinfo_mapped;

volatile struct shared_info *xtf_shared_info(void)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .idx = 0,
        .gpfn = (uintptr_t)shinfo_page >> 12,
    };
    if ( !shinfo_mapped && hypercall_memory_op(XENMEM_add_to_physmap, &x) == 0 )
        shinfo_mapped = true;
    return shinfo_mapped ? (volatile struct shared_info *)shinfo_page : NULL;
}

/* vcpu_infos for the vCPUs shared_info holds none for (XEN_LEGACY_MAX_VCPUS:
 * 32 on x86, 1 on Arm), registered on first use; slot n is vCPU n's. */
static uint8_t own_vcpu_info[4096] __attribute__((aligned(4096)));
static bool own_registered[XTF_MAX_VCPUS];

static volatile struct vcpu_info *vcpu_info_slot(unsigned int offset)
{
    return (volatile struct vcpu_info *)(own_vcpu_info + offset);
}

/* Registering sets upcall_pending and every selector bit (Xen's re-raise,
 * so nothing raised around the move is lost). The vCPU is new to the test:
 * scan it here as its upcall handler would, so it starts quiet as
 * shared_info's vcpu_infos do; the ports' pending bits stay. */
static bool consume_reraise(volatile struct vcpu_info *vi)
{
    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    return true;
}

volatile struct vcpu_info *xtf_vcpu_info(unsigned int vcpu)
{
    volatile struct shared_info *s = xtf_shared_info();
    struct vcpu_register_vcpu_info r = {
        .mfn = (uintptr_t)own_vcpu_info >> 12,
        .offset = vcpu * sizeof(struct vcpu_info),
    };
    if ( vcpu < XEN_LEGACY_MAX_VCPUS )
        return s ? &s->vcpu_info[vcpu] : NULL;
    if ( vcpu >= XTF_MAX_VCPUS )
        return NULL;
    if ( !own_registered[vcpu] && hypercall_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r) == 0 )
        own_registered[vcpu] = consume_reraise(vcpu_info_slot(r.offset));
    if ( !own_registered[vcpu] )
        return NULL;
    return vcpu_info_slot(r.offset);
}

static long op(unsigned int cmd, void *arg)
{
    return hypercall_event_channel_op(cmd, arg);
}

long evtchn_alloc_unbound(domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
    long rc = op(EVTCHNOP_alloc_unbound, &a);
    return rc ? rc : (long)a.port;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport)
{
    struct evtchn_bind_interdomain b = { .remote_dom = remote, .remote_port = rport };
    long rc = op(EVTCHNOP_bind_interdomain, &b);
    return rc ? rc : (long)b.local_port;
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = op(EVTCHNOP_bind_virq, &b);
    return rc ? rc : (long)b.port;
}

long evtchn_bind_ipi(uint32_t vcpu)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = op(EVTCHNOP_bind_ipi, &b);
    return rc ? rc : (long)b.port;
}

long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };
    return op(EVTCHNOP_bind_vcpu, &b);
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };
    return op(EVTCHNOP_close, &c);
}

long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask u = { .port = port };
    return op(EVTCHNOP_unmask, &u);
}

long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return op(EVTCHNOP_status, st);
}

bool evtchn_expect(const char *what, long got, long want)
{
    if ( got == want )
        return true;
    xtf_failure("%s: got %ld, expected %ld", what, got, want);
    return false;
}

#define WORD_BITS (8 * sizeof(xen_ulong_t))

bool evtchn_test_pending(evtchn_port_t port)
{
    volatile struct shared_info *s = xtf_shared_info();
    return (s->evtchn_pending[port / WORD_BITS] >> (port % WORD_BITS)) & 1;
}

void evtchn_clear_pending(evtchn_port_t port)
{
    volatile struct shared_info *s = xtf_shared_info();
    __atomic_fetch_and(&s->evtchn_pending[port / WORD_BITS], ~(1UL << (port % WORD_BITS)),
                       __ATOMIC_SEQ_CST);
}

void evtchn_mask(evtchn_port_t port)
{
    volatile struct shared_info *s = xtf_shared_info();
    __atomic_fetch_or(&s->evtchn_mask[port / WORD_BITS], 1UL << (port % WORD_BITS),
                      __ATOMIC_SEQ_CST);
}

void evtchn_unmask_bit(evtchn_port_t port)
{
    volatile struct shared_info *s = xtf_shared_info();
    __atomic_fetch_and(&s->evtchn_mask[port / WORD_BITS], ~(1UL << (port % WORD_BITS)),
                       __ATOMIC_SEQ_CST);
}
