/*
 * vmce.c - broken frames: what happens after a machine check named a
 * frame of RAM (xen/broken.h, xen/vmce.h, docs/designs/vmce.md).
 *
 * The arch #MC handler calls vmce_report, which may run on top of any
 * code: it only marks the frame in the frame table (one atomic OR) and
 * puts the report in a small lock-free queue. vmce_softirq, run by the
 * scheduler where no lock is held, then finds the owner and the gfn,
 * makes the entry p2m_ram_broken (same frame, no access) and hands the
 * arch the vMCE to deliver. The allocator retires the frame when its
 * last reference goes (page_alloc.c), so it never serves again.
 *
 * May not touch: MSRs or guest registers (the arch's), the frame table's
 * records beyond frame.c's calls.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <xen/p2m.h>
#include <xen/broken.h>
#include <xen/vmce.h>
#include <xen/mm.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/xen.h>
#include <public/sysctl.h>

#define VMCE_QUEUE 16

enum slot_state
{
    SLOT_FREE,
    SLOT_FILLING,
    SLOT_READY,
    SLOT_TAKEN,
};

struct vmce_slot
{
    uint32_t state; /* enum slot_state, changed by compare-and-exchange */
    struct mce_record rec;
};

static struct vmce_slot queue[VMCE_QUEUE];
static uint32_t queued; /* slots READY: the scheduler's one cheap read */
static struct vmce_counters counters;

static bool slot_move(struct vmce_slot *s, uint32_t from, uint32_t to)
{
    return __atomic_compare_exchange_n(&s->state, &from, to, false, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE);
}

static void count(uint64_t *c)
{
    __atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static int enqueue(const struct mce_record *rec)
{
    for ( unsigned int i = 0; i < VMCE_QUEUE; i++ )
    {
        if ( !slot_move(&queue[i], SLOT_FREE, SLOT_FILLING) )
            continue;
        queue[i].rec = *rec;
        __atomic_store_n(&queue[i].state, SLOT_READY, __ATOMIC_RELEASE);
        __atomic_fetch_add(&queued, 1, __ATOMIC_ACQ_REL);
        return 0;
    }
    count(&counters.dropped);
    return -EBUSY;
}

int vmce_report(const struct mce_record *rec)
{
    struct page_info was;
    mfn_t m = _mfn(rec->addr >> PAGE_SHIFT);

    if ( !frame_mark_broken(m, &was) )
        return -EINVAL;
    if ( !(was.flags & FRAME_BROKEN) )
        count(&counters.reported);
    printk(XENLOG_WARNING "vmce: mfn %#llx broken (use %u owner %u)\n",
           (unsigned long long)mfn_x(m), was.use, was.owner);
    if ( was.use != FRAME_GUEST || was.owner >= DOMID_FIRST_RESERVED )
        return 0; /* free or the hypervisor's: retired when next freed */
    return enqueue(rec);
}

int frame_report_broken(mfn_t m)
{
    struct mce_record rec;

    arch_mce_synthesize(m, false, &rec);
    return vmce_report(&rec);
}

bool frame_is_broken(mfn_t m)
{
    return frame_has_broken_flag(m);
}

/* The gfn at which d maps m as its RAM, and its type; false if none. One
 * lookup per leaf (holes skipped by the order of the empty entry). */
static bool find_gfn(struct domain *d, mfn_t m, uint64_t *gfn, p2m_type_t *type)
{
    uint64_t g = 0;

    while ( g < d->gfn_limit )
    {
        unsigned int order = 0;
        p2m_type_t t;
        mfn_t found = p2m_lookup(&d->p2m, _gfn(g), &t, NULL, &order);
        uint64_t size = 1ULL << order;

        /* g starts a leaf or a hole: leaves are aligned to their size. */
        if ( p2m_is_ram(t) && mfn_x(found) <= mfn_x(m) && mfn_x(m) < mfn_x(found) + size )
        {
            *gfn = g + (mfn_x(m) - mfn_x(found));
            *type = t;
            return true;
        }
        g = (g & ~(size - 1)) + size;
    }
    return false;
}

static struct vcpu *vmce_target(struct domain *d, struct vcpu *interrupted)
{
    if ( interrupted && interrupted->domain == d )
        return interrupted;
    return d->max_vcpus && d->vcpu[0] ? d->vcpu[0] : NULL;
}

static void deliver_to_owner(struct domain *d, const struct mce_record *rec)
{
    mfn_t m = _mfn(rec->addr >> PAGE_SHIFT);
    uint64_t gfn;
    p2m_type_t t;
    struct vcpu *v;

    if ( !find_gfn(d, m, &gfn, &t) ||
         p2m_change_type_one(&d->p2m, _gfn(gfn), t, p2m_ram_broken) != 1 )
    {
        printk(XENLOG_WARNING "vmce: d%u maps mfn %#llx nowhere as RAM: no vMCE\n", d->domain_id,
               (unsigned long long)mfn_x(m));
        count(&counters.dropped);
        return;
    }
    count(&counters.owned);
    v = vmce_target(d, rec->interrupted);
    printk(XENLOG_WARNING "vmce: d%u gfn %#llx is broken; vMCE to vcpu %u\n", d->domain_id,
           (unsigned long long)gfn, v ? v->vcpu_id : 0);
    if ( v )
        arch_vmce_inject(v, gfn, rec);
}

static void handle(const struct mce_record *rec)
{
    struct page_info *pi = mfn_to_page(_mfn(rec->addr >> PAGE_SHIFT));
    struct page_info p = { .raw = __atomic_load_n(&pi->raw, __ATOMIC_ACQUIRE) };
    struct domain *d = p.use == FRAME_GUEST ? domain_get_by_id(p.owner) : NULL;

    if ( !d )
    {
        count(&counters.dropped); /* freed or dying since: retired on free */
        return;
    }
    deliver_to_owner(d, rec);
    put_domain(d);
}

void vmce_softirq(void)
{
    if ( !__atomic_load_n(&queued, __ATOMIC_ACQUIRE) )
        return;
    for ( unsigned int i = 0; i < VMCE_QUEUE; i++ )
    {
        struct mce_record rec;

        if ( !slot_move(&queue[i], SLOT_READY, SLOT_TAKEN) )
            continue;
        rec = queue[i].rec;
        __atomic_store_n(&queue[i].state, SLOT_FREE, __ATOMIC_RELEASE);
        __atomic_fetch_sub(&queued, 1, __ATOMIC_ACQ_REL);
        handle(&rec);
    }
}

void vmce_broken_access(struct vcpu *v, gfn_t gfn, uint64_t gpa)
{
    mfn_t m = p2m_lookup(&v->domain->p2m, gfn, NULL, NULL, NULL);
    struct mce_record rec;

    arch_mce_synthesize(m, true, &rec);
    rec.addr = (mfn_x(m) << PAGE_SHIFT) | (gpa & (PAGE_SIZE - 1));
    rec.interrupted = v;
    arch_vmce_inject(v, gfn_x(gfn), &rec);
}

void vmce_count_delivery(bool injected)
{
    count(injected ? &counters.injected : &counters.crashed);
}

void vmce_get_counters(struct vmce_counters *c)
{
    c->reported = __atomic_load_n(&counters.reported, __ATOMIC_RELAXED);
    c->owned = __atomic_load_n(&counters.owned, __ATOMIC_RELAXED);
    c->injected = __atomic_load_n(&counters.injected, __ATOMIC_RELAXED);
    c->crashed = __atomic_load_n(&counters.crashed, __ATOMIC_RELAXED);
    c->dropped = __atomic_load_n(&counters.dropped, __ATOMIC_RELAXED);
}

/* ---- XEN_SYSCTL_wren_frame -------------------------------------------- */

static void frame_query(struct xen_sysctl_wren_frame *f)
{
    struct page_info *pi = mfn_to_page(_mfn(f->mfn));
    struct page_info p;

    f->flags = 0;
    if ( !pi )
        return;
    p.raw = __atomic_load_n(&pi->raw, __ATOMIC_ACQUIRE);
    f->flags = WREN_FRAME_F_MANAGED | (p.use == FRAME_FREE ? WREN_FRAME_F_FREE : 0) |
               (p.use == FRAME_GUEST ? WREN_FRAME_F_GUEST : 0) |
               (p.flags & FRAME_BROKEN ? WREN_FRAME_F_BROKEN : 0);
    f->owner = p.use == FRAME_GUEST ? p.owner : DOMID_INVALID;
    f->count = p.count;
}

static long frame_of_gfn(struct xen_sysctl_wren_frame *f)
{
    struct domain *d = domain_get_by_id(f->domid);
    p2m_type_t t;
    mfn_t m;

    if ( !d )
        return -ESRCH;
    if ( !domain_gfn_ok(d, f->gfn) )
    {
        put_domain(d);
        return -EINVAL;
    }
    m = p2m_lookup(&d->p2m, _gfn(f->gfn), &t, NULL, NULL);
    put_domain(d);
    f->mfn = mfn_x(m);
    f->p2m_type = t;
    return 0;
}

long sysctl_wren_frame(struct xen_sysctl *op, uint64_t arg)
{
    struct xen_sysctl_wren_frame *f = &op->u.wren_frame;
    struct vmce_counters c;
    long rc = 0;

    if ( f->pad || f->pad2 || f->op > WREN_FRAME_OF_GFN )
        return -EINVAL;
    if ( f->op == WREN_FRAME_OF_GFN )
        rc = frame_of_gfn(f);
    if ( rc )
        return rc;
    frame_query(f);
    vmce_get_counters(&c);
    f->retired = pages_retired();
    f->reported = c.reported;
    f->owned = c.owned;
    f->injected = c.injected;
    f->crashed = c.crashed;
    f->dropped = c.dropped;
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}
