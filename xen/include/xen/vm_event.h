/*
 * vm_event.h - a domain's monitor ring to a listener in another domain
 * (public/vm_event.h) and the mem_access checks that feed it
 * (public/memory.h XENMEM_access_op): the state kept per domain and per
 * vCPU, and what the fault path and the scheduler call.
 *
 * common/vm_event.c owns the ring (enable, disable, requests, responses,
 * the vCPUs that wait); common/mem_access.c owns the access rights and
 * the violation policy. May not touch: p2m entries (mem_access.c goes
 * through the p2m core), run states (the scheduler reads the two flags).
 *
 * Lock order (xen/lock-order.h): d->vm_event.lock is taken with no p2m
 * lock held, before the altp2m, p2m and event-channel locks.
 */
#ifndef XEN_VM_EVENT_H
#define XEN_VM_EVENT_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/p2m.h>
#include <xen/altp2m.h>
#include <public/vm_event.h>

struct domain;
struct vcpu;

struct vm_event_stats
{
    uint64_t requests, responses, bad_responses, ring_waits;
    uint64_t violation_exits, access_resets;
};

struct vm_event_domain
{
    spinlock_t lock;
    vm_event_sring_t *sring; /* the ring page (a frame reference), NULL: off */
    RING_IDX req_prod_pvt;   /* requests produced */
    RING_IDX rsp_cons;       /* responses taken */
    RING_IDX refused_prod;   /* a response index refused (counted once) */
    unsigned int port;       /* d's port for the ring; its consumer is us */
    domid_t listener;        /* who enabled it (the port's peer) */
    bool access_required;    /* no listener: crash rather than lift the access */
    struct vm_event_stats stats;
};

/* A vCPU's part. Either flag keeps it from running (vcpu_runnable). */
struct vm_event_vcpu
{
    bool paused;    /* a request of its waits for the listener's answer */
    bool ring_wait; /* it found the ring full: runs (and faults) again with room */
    /* The byte within its frame of the access being handled (npf.c sets
     * it first): the view code's hook does not carry it. */
    uint16_t fault_offset;
};

static inline bool vm_event_vcpu_waits(const struct vm_event_vcpu *w)
{
    return ACCESS_ONCE(w->paused) || ACCESS_ONCE(w->ring_wait);
}

void vm_event_domain_init(struct domain *d);
/* d is dying: the ring goes (its reference too) and nobody waits. */
void vm_event_domain_destroy(struct domain *d);

/* Put req (for v, the current vCPU) on d's ring and pause v until the
 * listener answers: 0. -EBUSY: the ring is full, v waits for room and
 * will fault again. -ENODEV: no ring. */
int vm_event_send(struct vcpu *v, vm_event_request_t *req);
bool vm_event_ring_on(struct domain *d);
/* Counters: an exit that was a mem_access violation; one with nobody to
 * hear it (returns whether access is required: if not, the access is
 * lifted and counted as a reset). */
void vm_event_count_violation(struct domain *d);
bool vm_event_unheard(struct domain *d);

/* Change v's view as a response asks (VM_EVENT_FLAG_ALTERNATE_P2M):
 * altp2m_vcpu_switch when the domain's views are on, else only view 0. */
int vm_event_switch_view(struct vcpu *v, unsigned int view);

/*
 * mem_access.c: the fault path found an access to gfn that the host
 * entry's type allows but its access refuses (kind: MEM_ACCESS_R/W/X,
 * and FAULT_IN_GPT). With a listener: a request naming v's active view,
 * and v pauses until the answer. Without: crash d if access is
 * required, else the host entry's access becomes rwx. A view's own
 * access refusing goes to mem_access_check (xen/altp2m.h: the views
 * part calls it).
 */
void mem_access_host_violation(struct vcpu *v, gfn_t gfn, uint32_t kind, uint64_t offset);

/*
 * Set the access of nr frames of d from gfn in view (0: the host p2m,
 * whose frames that are not RAM are left alone; else each frame through
 * altp2m_set_access). a is a p2m_access_t. 0 or -errno.
 */
int mem_access_set(struct domain *d, gfn_t gfn, uint64_t nr, p2m_access_t a, unsigned int view);

#endif /* XEN_VM_EVENT_H */
