/*
 * event.h - event channels, 2-level ABI: a port is a bit in the domain's
 * shared_info evtchn_pending[] array. Ports connect two domains, or a
 * domain and a hypervisor-side service (the PV console backend).
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
    uint16_t remote_dom;
    uint16_t remote_port;
    uint16_t notify_vcpu;
    uint8_t virq;                                         /* ECS_VIRQ */
    void (*service)(struct domain *d, unsigned int port); /* ECS_XEN_SERVICE */
};

struct evtchn_domain
{
    spinlock_t lock;
    spinlock_t virq_lock;  /* every vCPU's virq_to_port[] (IRQ: timer handlers) */
    unsigned int nr_ports; /* ports 0 .. nr_ports - 1 exist */
    struct evtchn *port;
};

/* A vCPU's part: the ports its VIRQs are bound to (0: none). A global
 * VIRQ is recorded on vCPU 0, whichever vCPU it notifies. */
struct evtchn_vcpu
{
    uint16_t virq_to_port[NR_VIRQS];
};

/* The port table, sized by the command line's evtchn_ports= (default
 * 1024, at most the 2-level ABI's NR_EVENT_CHANNELS). 0 or -ENOMEM. */
int evtchn_init(struct domain *d);
void evtchn_free(struct domain *d);
/* Allocate a port in d served by fn when the guest sends on it. */
int evtchn_alloc_xen_service(struct domain *d, void (*fn)(struct domain *, unsigned int));
/* Mark port pending in d and wake the vCPU it notifies. */
void evtchn_set_pending(struct domain *d, unsigned int port);
void evtchn_close_all(struct domain *d);
bool evtchn_vcpu_has_pending(struct vcpu *v);

/* v's vcpu_info: in shared_info by default (vCPUs below
 * XEN_LEGACY_MAX_VCPUS), or where VCPUOP_register_vcpu_info put it. NULL
 * if v has none (no shared_info, or a high vCPU that registered none).
 * Everything that reads or writes a vcpu_info goes through this. */
struct vcpu_info;
struct vcpu_info *vcpu_info_of(struct vcpu *v);

/* VIRQs (public/xen.h VIRQ_*): raise the port v (per-vCPU VIRQs such as
 * VIRQ_TIMER) or d (global VIRQs, bound on one vCPU) has bound to virq;
 * nothing if none is bound. Callable from timer handlers, interrupts off. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
void send_guest_global_virq(struct domain *d, unsigned int virq);

#endif /* XEN_EVENT_H */
