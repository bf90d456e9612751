/*
 * evtchn.h - event-channel helpers for tests: thin wrappers around
 * event_channel_op that return the new port or a negative XEN_E*, the
 * caller's shared_info page mapped at a frame of the test's own image,
 * and a checker that reports a mismatch as FAILURE.
 *
 * May not touch: anything but event channels and the shared_info page.
 */
#ifndef XTF_EVTCHN_H
#define XTF_EVTCHN_H

#include <xtf/types.h>
#include <xtf/hypercall.h>
#include <public/xen.h>
#include <public/event_channel.h>

/* Map this domain's shared_info (once) and return it. NULL on failure. */
volatile struct shared_info *xtf_shared_info(void);

/* Where Xen delivers vCPU n's events: shared_info's vcpu_info[n] below
 * XEN_LEGACY_MAX_VCPUS, else a slot of the runtime's own page, registered
 * (VCPUOP_register_vcpu_info) on the first call. NULL on failure. */
volatile struct vcpu_info *xtf_vcpu_info(unsigned int vcpu);

long evtchn_alloc_unbound(domid_t dom, domid_t remote);
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport);
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu);
long evtchn_bind_ipi(uint32_t vcpu);
long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long evtchn_close(evtchn_port_t port);
/* evtchn_send(port) is the runtime's (xtf/hypercall.h). */
long evtchn_unmask(evtchn_port_t port);
/* EVTCHNOP_status of dom's port; fills *st on success. */
long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);

/* FAILURE "what: got G, expected W" unless got == want; returns got == want. */
bool evtchn_expect(const char *what, long got, long want);

/* 2-level bits of shared_info, by port. */
bool evtchn_test_pending(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask_bit(evtchn_port_t port); /* the mask bit only: no hypercall */

#endif /* XTF_EVTCHN_H */
