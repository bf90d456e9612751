/*
 * event.h - event channels: ports that connect two domains, a domain and
 * a VIRQ, two vCPUs of one domain (IPI), or a domain and a service inside
 * the hypervisor (the PV console backend). How a pending port reaches the
 * guest is the domain's ABI: 2-level (bits in shared_info) until the guest
 * asks for FIFO (EVTCHNOP_init_control: queues of event words in its own
 * pages). event_channel.c owns the port table, event_fifo.c the FIFO ABI.
 *
 * May not touch: run states (the scheduler's) or how an upcall is
 * delivered (arch_evtchn_inject's).
 */
#ifndef XEN_EVENT_H
#define XEN_EVENT_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <public/xen.h>

struct domain;
struct vcpu;

enum evtchn_state
{
    ECS_FREE = 0,
    ECS_RESERVED,    /* port 0 */
    ECS_UNBOUND,     /* waiting for remote_dom to bind */
    ECS_INTERDOMAIN, /* connected to remote_dom:remote_port */
    ECS_XEN_SERVICE, /* served by the hypervisor (console) */
    ECS_IPI,
    ECS_VIRQ, /* raised by the hypervisor: virq, on the vCPU it names */
};

struct evtchn
{
    uint8_t state;
    uint8_t virq;          /* ECS_VIRQ */
    uint8_t priority;      /* FIFO: the queue its next event goes to */
    uint8_t last_priority; /* FIFO: the queue it was last linked into */
    uint16_t remote_dom;
    uint16_t remote_port;
    uint16_t notify_vcpu;
    uint16_t last_vcpu; /* FIFO: with last_priority */
    bool fifo_pending;  /* FIFO: raised while its word had no page */
    void (*service)(struct domain *d, unsigned int port); /* ECS_XEN_SERVICE */
    /* A port whose consumer is the hypervisor (an ioreq server's): the
     * guest owning it may not bind, send on, close or move it; an event
     * from its peer calls this instead of raising the port. */
    void (*xen_consumer)(struct domain *d, unsigned int port);
};

struct evtchn_port_ops;
struct evtchn_fifo_domain;
struct evtchn_fifo_vcpu;

/*
 * Raising an event in d holds d->evtchn.lock or d->evtchn.virq_lock (the
 * VIRQ path, from timer handlers). Whatever the raise path reads that can
 * go away (the ABI's ops and pages, a registered vcpu_info) is changed
 * only with both held.
 */
struct evtchn_domain
{
    spinlock_t lock;
    spinlock_t virq_lock;  /* every vCPU's virq_to_port[] (IRQ: timer handlers) */
    unsigned int nr_ports; /* ports 0 .. nr_ports - 1 exist */
    struct evtchn *port;
    const struct evtchn_port_ops *ops; /* 2-level, or FIFO after init_control */
    struct evtchn_fifo_domain *fifo;   /* the event array, once FIFO is on */
};

/* A vCPU's part: the ports its VIRQs are bound to (0: none; a global
 * VIRQ is recorded on vCPU 0, whichever vCPU it notifies), where its
 * vcpu_info is if the guest registered one, and its FIFO queues. */
struct evtchn_vcpu
{
    uint16_t virq_to_port[NR_VIRQS];
    struct vcpu_info *vcpu_info; /* registered; NULL: the shared_info slot */
    mfn_t vcpu_info_mfn;         /* the frame reference the mapping holds */
    struct evtchn_fifo_vcpu *fifo;
};

/* The port table, sized by the command line's evtchn_ports= (default
 * 1024, at most the 2-level ABI's NR_EVENT_CHANNELS). 0 or -ENOMEM. */
int evtchn_init(struct domain *d);
/* How many ports every domain's table has (evtchn_ports=). */
unsigned int evtchn_port_limit(void);
/* Let d use only ports below n (createdomain's max_evtchn_port + 1);
 * before anything is bound. */
void evtchn_limit_ports(struct domain *d, unsigned int n);
void evtchn_free(struct domain *d);
/* Allocate a port in d served by fn when the guest sends on it. */
int evtchn_alloc_xen_service(struct domain *d, void (*fn)(struct domain *, unsigned int));
/* Allocate an unbound port in d for remote (who binds it with
 * EVTCHNOP_bind_interdomain) whose consumer is the hypervisor: fn runs,
 * with no event-channel lock held, whenever remote sends on its end.
 * The port or -errno. */
int evtchn_alloc_xen_consumer(struct domain *d, domid_t remote,
                              void (*fn)(struct domain *, unsigned int));
/* The hypervisor sends on d's consumer port: raise the peer's end if one
 * is bound (nothing otherwise). Takes the event-channel locks. */
void evtchn_send_from_xen(struct domain *d, unsigned int port);
/* Close a consumer port of d (the peer's end becomes unbound). */
void evtchn_close_xen_consumer(struct domain *d, unsigned int port);
/* Raise d's port (if bound) on the vCPU it notifies. Takes d->evtchn.lock. */
void evtchn_set_pending(struct domain *d, unsigned int port);
/* d is dying (its vCPUs stopped): close every port and let go of every
 * guest page event channels hold (FIFO pages, registered vcpu_infos). */
void evtchn_close_all(struct domain *d);
bool evtchn_vcpu_has_pending(struct vcpu *v);

/* v's vcpu_info: in shared_info by default (vCPUs below
 * XEN_LEGACY_MAX_VCPUS), or where VCPUOP_register_vcpu_info put it. NULL
 * if v has none (no shared_info, or a high vCPU that registered none).
 * Everything that reads or writes a vcpu_info goes through this. */
struct vcpu_info;
struct vcpu_info *vcpu_info_of(struct vcpu *v);

/* VCPUOP_register_vcpu_info for v: Xen's checks, then v's vcpu_info moves
 * to gfn:offset (the frame held by a reference until the domain dies)
 * and every event is re-raised. 0 or -errno. */
long evtchn_register_vcpu_info(struct vcpu *v, uint64_t gfn, uint32_t offset);

/* VIRQs (public/xen.h VIRQ_*): raise the port v (per-vCPU VIRQs such as
 * VIRQ_TIMER) or d (global VIRQs, bound on one vCPU) has bound to virq;
 * nothing if none is bound. Callable from timer handlers, interrupts off. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* SCHEDOP_poll: 1 if port is pending in d, 0 if not, -EINVAL if d has no
 * such port. Takes d->evtchn.lock. */
int evtchn_port_poll(struct domain *d, unsigned int port);
void send_guest_global_virq(struct domain *d, unsigned int virq);

#endif /* XEN_EVENT_H */
