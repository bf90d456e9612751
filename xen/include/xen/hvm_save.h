/*
 * hvm_save.h - a domain's HVM context as Xen's save records
 * (common/hvm_save.c; the format is public/hvm/save.h). The domctl
 * handler is declared by its row in hypercall-defs.h; these are the two
 * halves it calls, apart so host tests can drive them.
 */
#ifndef XEN_HVM_SAVE_H
#define XEN_HVM_SAVE_H

#include <xen/types.h>

struct domain;
struct xen_domctl_hvmcontext;

/* Load h->size bytes of records from h->buffer into d, which the
 * controller has paused (-EBUSY otherwise). Every record is checked
 * before any is applied: 0, or -EINVAL / -EFAULT / -ENOMEM with d
 * unchanged. */
long hvm_context_set(struct domain *d, const struct xen_domctl_hvmcontext *h);
/* Save d's records to h->buffer (null: h->size becomes the size needed;
 * too small: -ENOSPC); h->size becomes the bytes written. Pauses d while
 * it reads. */
long hvm_context_get(struct domain *d, struct xen_domctl_hvmcontext *h);
/* Load from's records into to, hypervisor to hypervisor (VM fork: the
 * child takes the parent's vCPU state). Both paused by the caller; the
 * checks and errors are hvm_context_set's. */
long hvm_context_copy(struct domain *to, struct domain *from);

/* The WREN_VCPU_TIMERS record of v (common/save_timers.c): save, check
 * (0 or -EINVAL, nothing changed), load. */
struct vcpu;
struct hvm_wren_vcpu_timers;
void hvm_timers_save(struct vcpu *v, struct hvm_wren_vcpu_timers *r);
int hvm_timers_check(struct vcpu *v, const struct hvm_wren_vcpu_timers *r);
int hvm_timers_load(struct vcpu *v, const struct hvm_wren_vcpu_timers *r);

#endif /* XEN_HVM_SAVE_H */
