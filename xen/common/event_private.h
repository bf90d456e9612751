/*
 * event_private.h - what event_channel.c and event_fifo.c share: the
 * per-domain table of operations that differ between the 2-level and the
 * FIFO ABI, and the few helpers both use. Nothing else includes it.
 *
 * May not touch: anything outside event channels.
 */
#ifndef XEN_EVENT_PRIVATE_H
#define XEN_EVENT_PRIVATE_H

#include <xen/types.h>
#include <xen/event.h>

/*
 * What an ABI does with a port. Every call is made holding
 * d->evtchn.lock or d->evtchn.virq_lock (see event.h), port < nr_ports.
 */
struct evtchn_port_ops
{
    /* Make port pending and, unless masked, tell v. */
    void (*set_pending)(struct domain *d, struct vcpu *v, unsigned int port);
    /* The port is being freed: no stale event may fire on its next use. */
    void (*clear_pending)(struct domain *d, unsigned int port);
    /* EVTCHNOP_unmask: clear the mask; deliver what arrived meanwhile. */
    void (*unmask)(struct domain *d, unsigned int port);
    /* EVTCHNOP_set_priority, or NULL (the call is -ENOSYS). */
    int (*set_priority)(struct domain *d, unsigned int port, unsigned int priority);
    /* Is port pending (SCHEDOP_poll)? */
    bool (*is_pending)(struct domain *d, unsigned int port);
};

extern const struct evtchn_port_ops evtchn_l2_ops, evtchn_fifo_ops;

/* The vCPU a port notifies; vCPU 0 if the recorded one does not exist. */
struct vcpu *evtchn_notify_vcpu(struct domain *d, unsigned int port);

/* Set v's evtchn_upcall_pending; if it was clear, deliver the upcall. */
void evtchn_mark_upcall(struct vcpu *v);

/* A guest frame the hypervisor holds a reference on, and its address
 * here; va NULL if the gfn was not writable RAM of the domain. Looked up
 * before any evtchn lock is taken (the p2m's lock comes first). */
struct evtchn_page
{
    void *va;
    mfn_t mfn;
};
void evtchn_get_guest_page(struct domain *d, uint64_t gfn, struct evtchn_page *pg);
/* Drop the reference, if one was taken. */
void evtchn_put_guest_page(struct evtchn_page *pg);

/* FIFO (event_fifo.c). Callers hold d->evtchn.lock; on success the page
 * (checked here: -EINVAL if va is NULL) is kept, on failure the caller
 * puts it. */
long evtchn_fifo_init_control(struct domain *d, struct vcpu *v, const struct evtchn_page *pg,
                              uint32_t offset);
long evtchn_fifo_expand_array(struct domain *d, const struct evtchn_page *pg);
/* Back to 2-level: d->evtchn.ops is switched under both locks, then the
 * pages are let go. Callers hold d->evtchn.lock only. */
void evtchn_fifo_destroy(struct domain *d);

#endif /* XEN_EVENT_PRIVATE_H */
