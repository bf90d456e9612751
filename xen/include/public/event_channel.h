/* SPDX-License-Identifier: MIT */
/*
 * event_channel.h - the event_channel_op hypercall: virtual interrupts.
 *
 * event_channel_op(cmd, arg). A port connects this domain to another
 * domain's port, a VIRQ, a physical IRQ or another of its own vCPUs;
 * sending on it sets a pending bit in the peer's shared_info. Numbers and
 * layouts follow Xen's public ABI.
 */
#ifndef WREN_PUBLIC_EVENT_CHANNEL_H
#define WREN_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13
#define EVTCHNOP_reset_cont       14

/* Make a port that 'remote_dom' may later bind to. */
struct evtchn_alloc_unbound
{
    domid_t dom;        /* IN: owner of the new port (DOMID_SELF) */
    domid_t remote_dom; /* IN: who may connect */
    evtchn_port_t port; /* OUT */
};
XEN_ABI_SIZE(struct evtchn_alloc_unbound, 8);

struct evtchn_bind_interdomain
{
    domid_t remote_dom;
    uint16_t pad;
    evtchn_port_t remote_port;
    evtchn_port_t local_port; /* OUT */
};
XEN_ABI_SIZE(struct evtchn_bind_interdomain, 12);

struct evtchn_bind_virq
{
    uint32_t virq; /* VIRQ_* */
    uint32_t vcpu;
    evtchn_port_t port; /* OUT */
};
XEN_ABI_SIZE(struct evtchn_bind_virq, 12);

#define BIND_PIRQ__WILL_SHARE 1
struct evtchn_bind_pirq
{
    uint32_t pirq;
    uint32_t flags;     /* BIND_PIRQ__* */
    evtchn_port_t port; /* OUT */
};
XEN_ABI_SIZE(struct evtchn_bind_pirq, 12);

struct evtchn_bind_ipi
{
    uint32_t vcpu;
    evtchn_port_t port; /* OUT */
};
XEN_ABI_SIZE(struct evtchn_bind_ipi, 8);

struct evtchn_close
{
    evtchn_port_t port;
};
XEN_ABI_SIZE(struct evtchn_close, 4);

struct evtchn_send
{
    evtchn_port_t port;
};
XEN_ABI_SIZE(struct evtchn_send, 4);

#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5

struct evtchn_status
{
    domid_t dom; /* IN */
    uint16_t pad;
    evtchn_port_t port; /* IN */
    uint32_t status;    /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;      /* OUT: vCPU the port notifies */
    union
    {
        struct
        {
            domid_t dom;
        } unbound;
        struct
        {
            domid_t dom;
            uint16_t pad;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
XEN_ABI_SIZE(struct evtchn_status, 24);
XEN_ABI_OFFSET(struct evtchn_status, u, 16);

struct evtchn_bind_vcpu
{
    evtchn_port_t port;
    uint32_t vcpu;
};
XEN_ABI_SIZE(struct evtchn_bind_vcpu, 8);

struct evtchn_unmask
{
    evtchn_port_t port;
};
XEN_ABI_SIZE(struct evtchn_unmask, 4);

struct evtchn_reset
{
    domid_t dom;
};
XEN_ABI_SIZE(struct evtchn_reset, 2);

/* Switch to the FIFO ABI: register a vCPU's control block. */
struct evtchn_init_control
{
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits; /* OUT */
    uint8_t pad[7];
};
XEN_ABI_SIZE(struct evtchn_init_control, 24);

struct evtchn_expand_array
{
    uint64_t array_gfn;
};
XEN_ABI_SIZE(struct evtchn_expand_array, 8);

struct evtchn_set_priority
{
    evtchn_port_t port;
    uint32_t priority;
};
XEN_ABI_SIZE(struct evtchn_set_priority, 8);

/*
 * The FIFO ABI. After EVTCHNOP_init_control every port is a 32-bit event
 * word in pages the guest hands over with EVTCHNOP_expand_array (1024
 * words a page): PENDING, MASKED, LINKED and BUSY flags and the LINK
 * field, the next port of the queue the event is linked into. Each vCPU
 * has one control block with a queue per priority (0 highest): READY bit
 * p says queue p is non-empty, HEAD[p] is where the guest starts it. The
 * hypervisor appends at the tail; the guest consumes from the head.
 */
typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       (EVTCHN_FIFO_PRIORITY_MIN + 1)

#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED  30
#define EVTCHN_FIFO_LINKED  29
#define EVTCHN_FIFO_BUSY    28

#define EVTCHN_FIFO_LINK_BITS   17
#define EVTCHN_FIFO_LINK_MASK   ((1U << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1U << EVTCHN_FIFO_LINK_BITS)

struct evtchn_fifo_control_block
{
    uint32_t ready; /* bit p: queue p has events */
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
XEN_ABI_SIZE(struct evtchn_fifo_control_block, 72);
XEN_ABI_OFFSET(struct evtchn_fifo_control_block, head, 8);

#endif /* WREN_PUBLIC_EVENT_CHANNEL_H */
