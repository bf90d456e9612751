/*
 * event_fifo.c - the FIFO event-channel ABI (EVTCHNOP_init_control,
 * expand_array, set_priority), behind the ops table event_channel.c
 * calls through (event_private.h).
 *
 * Each port is an event word in a page the guest gave
 * (EVTCHNOP_expand_array). Raising a port sets PENDING; unless the word
 * is MASKED or already LINKED, the port is appended to the queue of its
 * priority on the vCPU it notifies: the LINK field of the queue's tail
 * word is set to it, or, if the queue was empty, the control block's
 * HEAD[priority] is, and READY bit priority with it (then the vCPU's
 * upcall). The guest consumes from the head at the same time, clearing
 * LINKED as it goes, so a tail is linked to only while it is still
 * LINKED (compare-and-exchange); BUSY keeps the guest from changing the
 * word's mask meanwhile. Where a port was last linked (last_vcpu,
 * last_priority) is remembered: an event still linked on its old queue
 * stays there, whatever bind_vcpu or set_priority said since.
 *
 * Locking: a queue lock (class evtchn_queue, IRQ) per vCPU and priority
 * guards that queue's tail and the last_* of ports linked into it; one
 * at a time. Everything here is called with d->evtchn.lock or
 * d->evtchn.virq_lock held (event.h); the pages and the ops pointer
 * change only with both held.
 *
 * May not touch: anything of the guest's but its event words and control
 * blocks; the port table except the FIFO fields of struct evtchn.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/mm.h>
#include <xen/frame.h>
#include <xen/event.h>
#include <public/event_channel.h>
#include "event_private.h"

#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))
/* Wren's port table is at most the 2-level size, so this many pages
 * hold a word for every port there can be. */
#define MAX_ARRAY_PAGES (NR_EVENT_CHANNELS / WORDS_PER_PAGE)
/* How often a tail word is tried before the guest is deemed to be
 * fighting the link (Xen's answer: count it linked). */
#define LINK_TRIES 8

struct fifo_queue
{
    spinlock_t lock;
    uint32_t tail; /* 0: empty, as far as the hypervisor knows */
};

struct evtchn_fifo_vcpu
{
    struct evtchn_fifo_control_block *cb; /* NULL until this vCPU's init_control */
    mfn_t cb_mfn;
    struct fifo_queue q[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_fifo_domain
{
    event_word_t *page[MAX_ARRAY_PAGES];
    mfn_t page_mfn[MAX_ARRAY_PAGES];
    unsigned int nr_words; /* published after page[]: readers load it first */
};

/* ---- event words ---------------------------------------------------------- */

static event_word_t *word_of(struct domain *d, unsigned int port)
{
    struct evtchn_fifo_domain *fd = d->evtchn.fifo;
    if ( !fd || port >= __atomic_load_n(&fd->nr_words, __ATOMIC_ACQUIRE) )
        return NULL;
    return &fd->page[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

static bool word_test(event_word_t *w, unsigned int bit)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & (1U << bit);
}

static bool word_test_and_set(event_word_t *w, unsigned int bit)
{
    return __atomic_fetch_or(w, 1U << bit, __ATOMIC_SEQ_CST) & (1U << bit);
}

static void word_clear(event_word_t *w, unsigned int bit)
{
    __atomic_fetch_and(w, ~(1U << bit), __ATOMIC_SEQ_CST);
}

/*
 * Point the tail's LINK at port, if the tail is still LINKED (else the
 * guest has consumed it and the queue is empty: false). While the guest
 * keeps changing the word the exchange is retried with BUSY set, which
 * stops its unmasking; a guest that still interferes loses the event.
 */
static bool link_after(event_word_t *tail, unsigned int port)
{
    event_word_t old = __atomic_load_n(tail, __ATOMIC_SEQ_CST), new;
    for ( unsigned int i = 0; i < LINK_TRIES; i++ )
    {
        if ( !(old & (1U << EVTCHN_FIFO_LINKED)) )
        {
            if ( i )
                word_clear(tail, EVTCHN_FIFO_BUSY);
            return false;
        }
        new = (old & ~((1U << EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | port;
        if ( __atomic_compare_exchange_n(tail, &old, new, false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST) )
            return true;
        if ( i == 0 )
        {
            word_test_and_set(tail, EVTCHN_FIFO_BUSY);
            old = __atomic_load_n(tail, __ATOMIC_SEQ_CST);
        }
    }
    word_clear(tail, EVTCHN_FIFO_BUSY);
    return true;
}

/* ---- queues --------------------------------------------------------------- */

static struct fifo_queue *queue_of(struct domain *d, unsigned int vcpu, unsigned int prio)
{
    struct vcpu *v = vcpu < d->max_vcpus ? d->vcpu[vcpu] : NULL;
    if ( !v || !v->evtchn.fifo || prio >= EVTCHN_FIFO_MAX_QUEUES )
        return NULL;
    return &v->evtchn.fifo->q[prio];
}

/* Lock the queue chn was last linked into; it may move while we wait,
 * so look again after taking the lock. NULL if it kept moving. */
static struct fifo_queue *lock_last_queue(struct domain *d, struct evtchn *chn, unsigned long *f)
{
    for ( unsigned int i = 0; i < 3; i++ )
    {
        uint16_t vcpu = ACCESS_ONCE(chn->last_vcpu);
        uint8_t prio = ACCESS_ONCE(chn->last_priority);
        struct fifo_queue *q = queue_of(d, vcpu, prio);
        if ( !q )
            return NULL;
        *f = spin_lock_irqsave(&q->lock);
        if ( vcpu == chn->last_vcpu && prio == chn->last_priority )
            return q;
        spin_unlock_irqrestore(&q->lock, *f);
    }
    return NULL;
}

/*
 * Append port to v's queue of its priority, unless it is linked already
 * (then it is in some queue and the guest will come to it). A port whose
 * old queue was another is moved only now that it is unlinked.
 */
static void link_port(struct domain *d, struct vcpu *v, unsigned int port, event_word_t *w)
{
    struct evtchn_fifo_vcpu *fv = v->evtchn.fifo;
    struct evtchn_fifo_control_block *cb = fv ? ACCESS_ONCE(fv->cb) : NULL;
    struct evtchn *chn = &d->evtchn.port[port];
    unsigned int prio = ACCESS_ONCE(chn->priority) % EVTCHN_FIFO_MAX_QUEUES;
    struct fifo_queue *q, *old;
    unsigned long f;
    bool after_tail;
    if ( !cb ) /* the guest unmasked before setting this vCPU up: dropped, as in Xen */
        return;
    q = &fv->q[prio];
    old = lock_last_queue(d, chn, &f);
    if ( !old )
        return;
    if ( word_test_and_set(w, EVTCHN_FIFO_LINKED) )
    {
        spin_unlock_irqrestore(&old->lock, f);
        return;
    }
    if ( old->tail == port ) /* consumed: that queue ends before it now */
        old->tail = 0;
    if ( old != q )
    {
        chn->last_vcpu = (uint16_t)v->vcpu_id;
        chn->last_priority = (uint8_t)prio;
        spin_unlock_irqrestore(&old->lock, f);
        f = spin_lock_irqsave(&q->lock);
    }
    after_tail = q->tail && word_of(d, q->tail) && link_after(word_of(d, q->tail), port);
    if ( !after_tail )
        __atomic_store_n(&cb->head[prio], port, __ATOMIC_SEQ_CST);
    q->tail = port;
    spin_unlock_irqrestore(&q->lock, f);
    if ( !after_tail &&
         !(__atomic_fetch_or(&cb->ready, 1U << prio, __ATOMIC_SEQ_CST) & (1U << prio)) )
        evtchn_mark_upcall(v);
}

/* ---- the ops ------------------------------------------------------------------ */

static void fifo_set_pending(struct domain *d, struct vcpu *v, unsigned int port)
{
    event_word_t *w = word_of(d, port);
    if ( !w )
    {
        /* No page for its word yet: raised when expand_array brings one. */
        d->evtchn.port[port].fifo_pending = true;
        return;
    }
    word_test_and_set(w, EVTCHN_FIFO_PENDING);
    if ( !word_test(w, EVTCHN_FIFO_MASKED) && !word_test(w, EVTCHN_FIFO_LINKED) )
        link_port(d, v, port, w);
}

static void fifo_clear_pending(struct domain *d, unsigned int port)
{
    event_word_t *w = word_of(d, port);
    d->evtchn.port[port].fifo_pending = false;
    if ( w )
        word_clear(w, EVTCHN_FIFO_PENDING);
}

/* Xen clears MASKED itself (Linux leaves a pending port masked and asks
 * with the hypercall), then links the port if it is pending. */
static void fifo_unmask(struct domain *d, unsigned int port)
{
    event_word_t *w = word_of(d, port);
    if ( !w )
        return;
    word_clear(w, EVTCHN_FIFO_MASKED);
    if ( word_test(w, EVTCHN_FIFO_PENDING) )
        fifo_set_pending(d, evtchn_notify_vcpu(d, port), port);
}

/* For the next link: an event already linked stays where it is. */
static int fifo_set_priority(struct domain *d, unsigned int port, unsigned int priority)
{
    if ( priority > EVTCHN_FIFO_PRIORITY_MIN )
        return -EINVAL;
    ACCESS_ONCE(d->evtchn.port[port].priority) = (uint8_t)priority;
    return 0;
}

static bool fifo_is_pending(struct domain *d, unsigned int port)
{
    event_word_t *w = word_of(d, port);
    return w ? word_test(w, EVTCHN_FIFO_PENDING) : d->evtchn.port[port].fifo_pending;
}

const struct evtchn_port_ops evtchn_fifo_ops = {
    .is_pending = fifo_is_pending,
    .set_pending = fifo_set_pending,
    .clear_pending = fifo_clear_pending,
    .unmask = fifo_unmask,
    .set_priority = fifo_set_priority,
};

/* ---- init_control, expand_array, back to 2-level ------------------------------ */

/* The structures for every vCPU and the (empty) event array; not yet
 * in use. -ENOMEM leaves whatever was made for fifo_free. */
static int fifo_alloc(struct domain *d, struct evtchn_fifo_domain **fd)
{
    *fd = xzalloc(struct evtchn_fifo_domain);
    if ( !*fd )
        return -ENOMEM;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct evtchn_fifo_vcpu *fv;
        if ( !d->vcpu[i] )
            continue;
        fv = xzalloc(struct evtchn_fifo_vcpu);
        if ( !fv )
            return -ENOMEM;
        for ( unsigned int p = 0; p < EVTCHN_FIFO_MAX_QUEUES; p++ )
            spin_lock_init(&fv->q[p].lock, LOCK_evtchn_queue);
        d->vcpu[i]->evtchn.fifo = fv;
    }
    return 0;
}

/* Let go of what fifo_alloc and the mappings made; nothing may use it. */
static void fifo_free(struct domain *d, struct evtchn_fifo_domain *fd,
                      struct evtchn_fifo_vcpu **fvs)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        if ( !fvs[i] )
            continue;
        if ( fvs[i]->cb )
            put_page(fvs[i]->cb_mfn);
        xfree(fvs[i]);
    }
    for ( unsigned int s = 0; fd && s < MAX_ARRAY_PAGES; s++ )
        if ( fd->page[s] )
            put_page(fd->page_mfn[s]);
    xfree(fd);
}

/* Caller holds d->evtchn.lock. */
static int map_control_block(struct vcpu *v, const struct evtchn_page *pg, uint32_t offset)
{
    struct evtchn_fifo_vcpu *fv = v->evtchn.fifo;
    if ( fv->cb || !pg->va )
        return -EINVAL; /* once per vCPU; writable RAM */
    fv->cb_mfn = pg->mfn;
    for ( unsigned int p = 0; p < EVTCHN_FIFO_MAX_QUEUES; p++ )
        fv->q[p].tail = 0;
    __atomic_store_n(&fv->cb, (struct evtchn_fifo_control_block *)((uint8_t *)pg->va + offset),
                     __ATOMIC_RELEASE);
    return 0;
}

/* Both locks held: every port starts at the default priority with
 * nothing linked, and one pending under 2-level stays pending (its word
 * has no page yet: expand_array raises it). */
static void switch_to_fifo(struct domain *d, struct evtchn_fifo_domain *fd)
{
    struct shared_info *s = d->shared_info;
    for ( unsigned int p = 1; p < d->evtchn.nr_ports; p++ )
    {
        struct evtchn *chn = &d->evtchn.port[p];
        chn->priority = chn->last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
        chn->last_vcpu = 0;
        chn->fifo_pending =
            chn->state != ECS_FREE && s && (s->evtchn_pending[p / 64] >> (p % 64)) & 1;
    }
    /* The 2-level bits are now recorded above; left set, they would keep
     * a port from ever raising once the domain is back on 2-level. */
    for ( unsigned int w = 0; s && w < ARRAY_SIZE(s->evtchn_pending); w++ )
        __atomic_store_n(&s->evtchn_pending[w], 0, __ATOMIC_SEQ_CST);
    d->evtchn.fifo = fd;
    __atomic_store_n(&d->evtchn.ops, &evtchn_fifo_ops, __ATOMIC_RELEASE);
}

static void detach_vcpus(struct domain *d, struct evtchn_fifo_vcpu **fvs)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        fvs[i] = d->vcpu[i] ? d->vcpu[i]->evtchn.fifo : NULL;
        if ( d->vcpu[i] )
            d->vcpu[i]->evtchn.fifo = NULL;
    }
}

/* The first init_control: set everything up, map v's control block,
 * then switch. On failure the domain stays 2-level, as in Xen. */
static long fifo_start(struct domain *d, struct vcpu *v, const struct evtchn_page *pg,
                       uint32_t offset)
{
    struct evtchn_fifo_vcpu *fvs[HVM_MAX_VCPUS];
    struct evtchn_fifo_domain *fd;
    unsigned long f;
    int rc = fifo_alloc(d, &fd);
    if ( !rc )
        rc = map_control_block(v, pg, offset);
    if ( rc )
    {
        detach_vcpus(d, fvs);
        fifo_free(d, fd, fvs);
        return rc;
    }
    f = spin_lock_irqsave(&d->evtchn.virq_lock);
    switch_to_fifo(d, fd);
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
    return 0;
}

long evtchn_fifo_init_control(struct domain *d, struct vcpu *v, const struct evtchn_page *pg,
                              uint32_t offset)
{
    if ( !d->evtchn.fifo )
        return fifo_start(d, v, pg, offset);
    return map_control_block(v, pg, offset);
}

/* Raise what was raised while these ports' words had no page. Both
 * locks held. */
static void raise_missed(struct domain *d, unsigned int first, unsigned int end)
{
    for ( unsigned int p = MAX(first, 1U); p < end && p < d->evtchn.nr_ports; p++ )
        if ( d->evtchn.port[p].fifo_pending )
        {
            d->evtchn.port[p].fifo_pending = false;
            fifo_set_pending(d, evtchn_notify_vcpu(d, p), p);
        }
}

/* Another page of event words, 1024 ports a page; -ENOSPC past the
 * domain's last port. */
long evtchn_fifo_expand_array(struct domain *d, const struct evtchn_page *pg)
{
    struct evtchn_fifo_domain *fd = d->evtchn.fifo;
    unsigned int slot = fd->nr_words / WORDS_PER_PAGE;
    unsigned long f;
    if ( slot >= MAX_ARRAY_PAGES || fd->nr_words >= d->evtchn.nr_ports )
        return -ENOSPC;
    if ( !pg->va )
        return -EINVAL;
    fd->page[slot] = pg->va;
    fd->page_mfn[slot] = pg->mfn;
    f = spin_lock_irqsave(&d->evtchn.virq_lock);
    __atomic_store_n(&fd->nr_words, fd->nr_words + WORDS_PER_PAGE, __ATOMIC_RELEASE);
    raise_missed(d, slot * WORDS_PER_PAGE, fd->nr_words);
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
    return 0;
}

/* Both locks held, still FIFO: what is pending (on the console's port,
 * the one kind a reset keeps) is raised again under 2-level. */
static void carry_back_pending(struct domain *d)
{
    for ( unsigned int p = 1; p < d->evtchn.nr_ports; p++ )
    {
        struct evtchn *chn = &d->evtchn.port[p];
        event_word_t *w = word_of(d, p);
        bool pending = chn->fifo_pending || (w && word_test(w, EVTCHN_FIFO_PENDING));
        chn->fifo_pending = false;
        if ( pending && chn->state != ECS_FREE && chn->state != ECS_RESERVED )
            evtchn_l2_ops.set_pending(d, evtchn_notify_vcpu(d, p), p);
    }
}

void evtchn_fifo_destroy(struct domain *d)
{
    struct evtchn_fifo_vcpu *fvs[HVM_MAX_VCPUS];
    struct evtchn_fifo_domain *fd = d->evtchn.fifo;
    unsigned long f;
    if ( !fd )
        return;
    f = spin_lock_irqsave(&d->evtchn.virq_lock);
    carry_back_pending(d);
    __atomic_store_n(&d->evtchn.ops, &evtchn_l2_ops, __ATOMIC_RELEASE);
    d->evtchn.fifo = NULL;
    detach_vcpus(d, fvs);
    spin_unlock_irqrestore(&d->evtchn.virq_lock, f);
    fifo_free(d, fd, fvs);
}
