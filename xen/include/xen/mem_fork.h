/*
 * mem_fork.h - VM fork (Xen's XENMEM_sharing_op_fork and fork_reset):
 * a child domain that starts with the parent's vCPU state and an empty
 * p2m, and fills it on demand, sharing the parent's frames on a read and
 * copying them on a write (docs/designs/altp2m-sharing.md, "Part fork").
 *
 * Two files: mem_fork.c (the ops: fork, fork_reset, and the parent link
 * a child drops when it dies) and mem_fork_fill.c (a child's missing gfn
 * filled from its parent, from the fault path and for the hypervisor's
 * own reads).
 *
 * May not touch: the sharing part's reverse map but through its calls
 * (xen/mem_sharing.h); a parent's state but its pause and fork count.
 */
#ifndef XEN_MEM_FORK_H
#define XEN_MEM_FORK_H

#include <xen/types.h>
#include <xen/p2m.h>

struct domain;
struct vcpu;
struct xen_mem_sharing_op;

/* A domain's fork state: as a child (parent) and as a parent (children). */
struct fork_domain
{
    struct domain *parent; /* with a reference and one pause of it; NULL: not a fork */
    bool complete;         /* the fork op finished: faults may fill */
    unsigned int children; /* live children of this domain (under sharing_lock) */
    uint64_t reset_cursor; /* the next gfn a preempted fork_reset looks at */
    uint64_t reset_freed;  /* pages the reset in progress freed so far */
    uint64_t reset_calls;  /* and the calls it took so far */
    /* Counters, per child. */
    uint64_t entries_at_fork;  /* RAM entries the fork op wrote: 0 by design */
    uint64_t fills_shared;     /* faults that mapped the parent's frame shared */
    uint64_t fills_copied;     /* faults that copied the parent's frame */
    uint64_t hv_reads;         /* hypervisor reads served from the parent */
    uint64_t resets;           /* fork_reset calls completed */
    uint64_t last_reset_freed; /* private pages the last reset freed */
    uint64_t last_reset_calls; /* in how many calls (-ERESTART between) */
};

/* XENMEM_sharing_op_fork and _fork_reset on child d (mem_sharing.c
 * routes them here, before its own "sharing enabled" check: a fork
 * enables sharing on both domains, as Xen). 0, -ERESTART (call again:
 * the progress is kept in d), or Xen's errors. */
long mem_fork_memop(struct domain *d, struct xen_mem_sharing_op *mso);

/* The fault path (hvm/npf.c): v's domain is a fork and has no entry at
 * gfn. true if the entry was filled from the parent (retry the access);
 * false if the parent has nothing to give (the fault goes on as a hole)
 * or the child was crashed (reason printed). */
bool mem_fork_fault(struct vcpu *v, gfn_t gfn, bool write);

/* For the hypervisor's reads of a fork's gfn it has no entry for: the
 * parent's frame, with a reference (get_page) and its type, or
 * INVALID_MFN. The child's p2m is not changed. */
mfn_t mem_fork_parent_frame(struct domain *d, gfn_t gfn, p2m_type_t *t);

/* Fill fork d's gfn with a private copy of the parent's page, for a
 * foreign mapping of it (memory.c). 0 (filled, or filled meanwhile),
 * -ENOENT (not a fork, or no RAM of the parent's there), -ENOMEM. */
int mem_fork_populate(struct domain *d, gfn_t gfn);

/* d is dying (domain_destroy, after its memory went; no lock held): a
 * child lets its parent go (unpaused when its last child is gone). Any
 * number of times. */
void mem_fork_domain_destroy(struct domain *d);

/* For mem_fork_fill.c: is d a fork whose faults may fill now? */
static inline bool mem_fork_active(const struct fork_domain *f)
{
    return f->parent && f->complete;
}

#endif /* XEN_MEM_FORK_H */
