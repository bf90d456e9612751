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

/* A per-vCPU record type: every vCPU that is up has one of each, in
 * the order of the arch's table (as Xen's saver: all instances of a
 * type, type by type). The arch gives the table (arch_hvm_records in
 * xen/arch.h); hvm_save.c walks it and never looks inside a body. */
struct hvm_record_type
{
    uint16_t typecode;
    uint32_t length; /* exact body length; 0: variable, see max_length */
    /* A variable record's least and (arch-given) greatest length. */
    uint32_t min_length;
    uint32_t (*max_length)(void);
    /* Fill body (zeroed, max length); its length, 0 for no record. */
    uint32_t (*save)(struct vcpu *v, void *body);
    /* Check one record of v, changing nothing: 0 or -errno. */
    int (*check)(struct vcpu *v, const void *body, uint32_t len);
    /* Apply a checked record; d->lock held. */
    int (*load)(struct vcpu *v, const void *body, uint32_t len);
    /* A loaded record of this type initialises the vCPU and brings it up
     * (the CPU record: unpausing the domain runs it). */
    bool brings_up;
};

/* Wrappers from a record's own struct to the table's shape: name_save,
 * name_check, name_load over save_fn(v, type *), check_fn and load_fn. */
#define HVM_RECORD_FNS(name, type, save_fn, check_fn, load_fn)           \
    static uint32_t name##_save(struct vcpu *v, void *b)                 \
    {                                                                    \
        save_fn(v, (type *)b);                                           \
        return sizeof(type);                                             \
    }                                                                    \
    static int name##_check(struct vcpu *v, const void *b, uint32_t len) \
    {                                                                    \
        return check_fn(v, (const type *)b);                             \
    }                                                                    \
    static int name##_load(struct vcpu *v, const void *b, uint32_t len)  \
    {                                                                    \
        return load_fn(v, (const type *)b);                              \
    }

/* A fixed-length row of the table for record code (public/hvm/save.h's
 * HVM_SAVE_CODE/LENGTH names) and HVM_RECORD_FNS' name. */
#define HVM_RECORD_ROW(code, name, up)                                                  \
    {                                                                                   \
        HVM_SAVE_CODE(code), HVM_SAVE_LENGTH(code), 0, NULL, name##_save, name##_check, \
            name##_load, up                                                             \
    }

#endif /* XEN_HVM_SAVE_H */
