/*
 * altp2m.h - a domain's altp2m views: alternative second-stage tables
 * over the same guest frames (docs/designs/altp2m-sharing.md).
 *
 * View 0 is the host p2m (d->p2m) itself; views 1..MAX_ALTP2M - 1 are
 * full struct p2m_domain tables that start empty and fill from the host
 * on their first fault (rule 2), keep per-gfn settings of their own (an
 * access, a remap onto another gfn, the suppress-#VE bit), and are told
 * of every per-entry change of the host through p2m->leaf_changed
 * (rule 3). A global change reaches them through the log they share.
 *
 * Locks (xen/lock-order.h): d->altp2m.lock (class altp2m: the view list
 * and every vCPU's active view) before the host p2m lock before a view's
 * lock (class p2m_view). Every access to a view's tables and to its own
 * settings runs under the host p2m lock: the list of views changes under
 * both the altp2m lock and the host lock, so either protects a reader.
 *
 * This header may not declare anything of the table format, the vendor
 * or the hypercall ABI (public/hvm/hvm_op.h is the ABI).
 */
#ifndef XEN_ALTP2M_H
#define XEN_ALTP2M_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/p2m.h>

/* Xen's number of EPTP list entries used for views, view 0 included. */
#define MAX_ALTP2M P2M_MAX_TABLES

struct domain;
struct vcpu;

/* One view-specific setting of a view gfn (an "own entry"). */
struct altp2m_own
{
    uint64_t gfn;   /* the view's gfn */
    uint64_t src;   /* the host gfn whose entry it derives from */
    uint8_t access; /* p2m_access_t, if ALTP2M_OWN_ACCESS */
    uint8_t flags;
    uint8_t pad[6];
};
#define ALTP2M_OWN_ACCESS 0x1 /* access is the view's, not the host's */
#define ALTP2M_OWN_REMAP  0x2 /* src != gfn: change_gfn */
#define ALTP2M_OWN_VE     0x4 /* suppress-#VE clear (Xen's default: set) */
#define ALTP2M_OWN_OPEN \
    0x8 /* a remap written (and its source logged) since
                               * log-dirty last re-armed: writable till then */

struct altp2m_view
{
    struct p2m_domain p2m;
    struct altp2m_own *own; /* sorted by gfn; 2^own_order pages, charged */
    uint32_t nr_own;
    uint32_t own_order; /* 0 with own == NULL: none yet */
    uint8_t default_access;
    bool visible; /* in the EPTP list the guest may VMFUNC to */
};

struct altp2m_domain
{
    spinlock_t lock;                       /* class altp2m */
    bool active;                           /* HVMOP_altp2m_set_domain_state */
    struct altp2m_view *views[MAX_ALTP2M]; /* [0] unused: the host */
    /* Per host gfn: "some view derives from it" (rule 3). gfns at or
     * above nr_derived are taken as derived. Pages charged to the pool. */
    uint64_t *derived;
    uint64_t nr_derived;
    unsigned int derived_order;
    /* Counters (for tests and the bench). */
    uint64_t fills;         /* view entries copied from the host */
    uint64_t propagations;  /* view entries dropped for a host change */
    uint64_t access_resets; /* restricted accesses reset to rwx (no listener) */
    uint64_t switches;      /* view switches of one vCPU */
};

struct altp2m_vcpu
{
    uint16_t idx;    /* active view; 0: the host p2m */
    uint64_t ve_gfn; /* #VE information page (INVALID_GFN_RAW: none) */
    uint64_t ve_mfn; /* its frame, a reference held while set (INVALID_MFN_RAW: none) */
};

/* Domain and vCPU lifetime. */
void altp2m_domain_init(struct domain *d);
void altp2m_vcpu_init(struct vcpu *v);
/* Every view torn down with its references (before the host empties). */
void altp2m_domain_destroy(struct domain *d);

/* The table vCPU v runs on now: its active view, or the host p2m. Call
 * on the way into the guest, after the entry has published that it is
 * entering (so a view destroy's flush either waits for it or is seen). */
struct p2m_domain *altp2m_vcpu_p2m(struct vcpu *v);

/* HVMOP_altp2m operations (altp2m_op.c decodes; these apply). */
int altp2m_set_active(struct domain *d, bool on);
int altp2m_view_create(struct domain *d, uint8_t default_access, uint16_t *idx);
int altp2m_view_destroy(struct domain *d, uint16_t idx);
int altp2m_switch_all(struct domain *d, uint16_t idx);
/* Switch one vCPU (vm_event responses, VMFUNC): -EINVAL for a view that
 * does not exist. */
int altp2m_vcpu_switch(struct vcpu *v, uint16_t idx);
int altp2m_set_access(struct domain *d, uint16_t idx, uint64_t gfn, uint8_t access);
int altp2m_get_access(struct domain *d, uint16_t idx, uint64_t gfn, uint8_t *access);
int altp2m_change_gfn(struct domain *d, uint16_t idx, uint64_t old_gfn, uint64_t new_gfn);
int altp2m_set_suppress_ve(struct domain *d, uint16_t idx, uint64_t gfn, bool sve);
int altp2m_get_suppress_ve(struct domain *d, uint16_t idx, uint64_t gfn, bool *sve);
int altp2m_set_visibility(struct domain *d, uint16_t idx, bool visible);
/* The #VE information page of v (vcpu_enable_notify): plain RAM of the
 * domain, a reference held on its frame until disable_notify, altp2m off
 * or the domain's death. -EEXIST if one is set (Xen's), -EINVAL if gfn is
 * not RAM; INVALID_GFN_RAW clears it. */
int altp2m_set_ve_info(struct vcpu *v, uint64_t gfn);

/* The nested page fault of vCPU v on gfn while a view is active
 * (npf.c). ALTP2M_NPF_RETRY: filled or handled, re-enter. ALTP2M_NPF_HOST:
 * handle it as a host fault on *src (the host gfn the view entry derives
 * from: gfn itself, or a remap's source). */
#define ALTP2M_NPF_HOST  0
#define ALTP2M_NPF_RETRY 1
int altp2m_npf(struct vcpu *v, uint64_t gfn, unsigned int kind, uint64_t *src);

/* Log-dirty (re)armed: every remap is write-protected again (rule 5),
 * so its next write marks its source gfn. */
void altp2m_logdirty_rearm(struct domain *d);

/* The host p2m's leaf_changed hook (rule 3). */
void altp2m_leaf_changed(struct p2m_domain *host, uint64_t gfn, unsigned int order);

/*
 * Hooks of the other parts (weak no-op defaults in altp2m_fault.c, which
 * a part replaces by defining the function):
 * - mem_access_check (part vmevent): an access (kind: p2m_access_t bits
 *   r/w/x) that the entry's access in view refuses. 1: a listener has
 *   it (the vCPU waits for its answer); 0: nobody listens, and the
 *   access is not required: Xen's rule resets the entry to rwx.
 * - mem_sharing_rmap_add (part sharing): a view is about to copy a
 *   p2m_ram_shared host entry (the view's lock held, the copy's reference
 *   taken): 0, or -ENOMEM to refuse the copy;
 * - mem_sharing_rmap_del (part sharing): the copy could not be written
 *   after all (the view's lock held): the node goes, the reference stays
 *   with the caller.
 */
int mem_access_check(struct vcpu *v, gfn_t gfn, uint16_t view, unsigned int kind);
int mem_sharing_rmap_add(struct domain *d, uint16_t view, gfn_t gfn, mfn_t mfn);
void mem_sharing_rmap_del(struct domain *d, uint16_t view, gfn_t gfn, mfn_t mfn);

#endif /* XEN_ALTP2M_H */
