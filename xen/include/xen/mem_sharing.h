/*
 * mem_sharing.h - memory sharing: identical guest frames kept once, as
 * read-only p2m_ram_shared entries of several gfns (of one domain or
 * several) on one frame owned by DOMID_COW; a write unshares
 * (docs/designs/altp2m-sharing.md, "Sharing").
 *
 * Three layers, bottom first:
 *  - the reverse map (mem_sharing_rmap.c): for every shared frame, its
 *    handle and the (domain, view, gfn) of every entry that maps it; one
 *    lock, class sharing_rmap, taken under p2m and p2m_view locks;
 *  - the steps on one table (mem_sharing_p2m.c): nominate, share,
 *    add_physmap, unshare, each one p2m_exchange_4k; they know a domain
 *    only as its struct mem_sharing_domain, so the host tests run them;
 *  - the hypercalls and the fault (mem_sharing.c): XENMEM_sharing_op,
 *    XEN_DOMCTL_mem_sharing_op, the counters, the write fault.
 *
 * Frames: an entry of a shared frame holds one reference on it
 * (p2m_holds_ref(p2m_ram_shared)); the last one to go frees it. A frame
 * that becomes shared leaves its domain's reservation (tot_pages), as in
 * Xen; an unshare that needs a copy takes one frame back into it and is
 * refused (-ENOMEM) if the domain is at max_pages.
 */
#ifndef XEN_MEM_SHARING_H
#define XEN_MEM_SHARING_H

#include <xen/types.h>
#include <xen/p2m.h>
#include <public/xen.h>

/* A domain as the sharing code knows it. */
struct mem_sharing_domain
{
    bool enabled;          /* XEN_DOMCTL_MEM_SHARING_CONTROL */
    domid_t domid;         /* owner of the frames it takes back */
    struct p2m_pool *pool; /* where its reverse-map nodes are charged */
    uint64_t rmap_nodes;   /* its entries in reverse maps (Xen's shr_pages) */
    uint64_t charged;      /* pool pages charged for them */
    uint64_t cow_faults;   /* write faults that unshared a gfn */
    uint64_t copies;       /* unshares that needed a new frame */
};

/* ---- the reverse map (mem_sharing_rmap.c) ---- */

void mem_sharing_domain_init(struct mem_sharing_domain *msd, domid_t id, struct p2m_pool *pool);

/* A new shared frame mfn whose one entry is (msd, view, gfn), with a new
 * handle. -EEXIST if mfn is shared already, -ENOMEM (pool or heap). */
int msh_rmap_new(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn,
                 uint64_t *handle);
/* One more entry of the shared frame mfn. -ENOENT if mfn is not shared,
 * -ENOMEM (its pool has no page for the node: the mapping is refused). */
int msh_rmap_add(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn);
/* The entry leaves mfn's map (the frame's record goes with its last
 * entry). false if it was not there. */
bool msh_rmap_del(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn);
/* Is mfn shared? Its handle and its number of entries. */
bool msh_rmap_lookup(mfn_t mfn, uint64_t *handle, uint32_t *entries);
/* If (msd, view, gfn) is the only entry of mfn and take(mfn, arg)
 * agrees, remove the frame's record and return true; under the map's
 * lock, so no entry can be added meanwhile. */
bool msh_rmap_take_last(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn,
                        bool (*take)(mfn_t mfn, void *arg), void *arg);
/* The put_frame hook's work for an entry of type t: a shared entry
 * leaves its frame's map; the entry's reference is dropped either way. */
void msh_put_frame(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn,
                   p2m_type_t t);

/* Host-wide counters: shared frames, and entries beyond one per frame
 * (frames saved: Xen's XENMEM_get_sharing_freed_pages). */
uint64_t msh_nr_shared_frames(void);
uint64_t msh_nr_saved_frames(void);
/* Shared entries that left no map entry behind (a bug; audit counts them). */
uint64_t msh_nr_lost_entries(void);

/* One entry of a reverse map, as the auditor sees it. */
struct msh_rmap_ref
{
    domid_t domid;
    uint16_t view;
    uint64_t gfn;
    mfn_t mfn;
};
/* Check every shared frame: owned by DOMID_COW with exactly as many
 * references as map entries, and every entry with maps(ref, arg) true
 * (the table it names maps the frame there, as p2m_ram_shared). Returns
 * the number of errors (each printed), or -ENOMEM. Exact while no copy of
 * a shared frame is in progress. */
long msh_audit(bool (*maps)(const struct msh_rmap_ref *ref, void *arg), void *arg);

/* ---- the steps on one table (mem_sharing_p2m.c); view 0 for now ---- */

/* gfn of p2m (ram_rw or ram_logdirty, 4K after a shatter, no other reference)
 * becomes shared with a new handle; an already shared gfn gives its
 * handle. 0 or -EINVAL, -E2BIG (mapped elsewhere), -ENOMEM, -EAGAIN. */
int msh_nominate(struct mem_sharing_domain *msd, struct p2m_domain *p2m, gfn_t gfn,
                 uint64_t *handle, bool *is_new);
/* The client entry cgfn (the only entry of its shared frame, handle ch)
 * is replaced by source frame smfn (handle sh); the client's frame is
 * freed. 0, XENMEM_SHARING_OP_[SC]_HANDLE_INVALID, -EBUSY (the client
 * frame has other entries), -ENOMEM. */
int msh_share(struct mem_sharing_domain *cmsd, struct p2m_domain *cp2m, gfn_t cgfn, uint64_t ch,
              mfn_t smfn, uint64_t sh);
/* Map the shared frame smfn (handle sh) at cgfn, which must have no
 * entry. 0, XENMEM_SHARING_OP_S/C_HANDLE_INVALID, -ENOMEM. */
int msh_add_physmap(struct mem_sharing_domain *cmsd, struct p2m_domain *cp2m, gfn_t cgfn,
                    mfn_t smfn, uint64_t sh);

#define MSH_NOT_SHARED 0 /* gfn was not shared (someone unshared it first) */
#define MSH_TOOK_BACK  1 /* the last entry: the frame became the domain's */
#define MSH_COPIED     2 /* a new frame of the domain's holds a copy */
/* Make gfn private (ram_rw). A copy is made only if other entries map the
 * frame; may_copy false refuses that case with -ENOMEM (the caller's
 * reservation is full). MSH_* or -ENOMEM, -EAGAIN. */
int msh_unshare(struct mem_sharing_domain *msd, struct p2m_domain *p2m, gfn_t gfn, bool may_copy);

/* ---- hypercalls and faults (mem_sharing.c) ---- */

struct domain;
struct vcpu;
/* A domain's sharing state at creation. */
void mem_sharing_domain_create(struct domain *d);
/* Make d's gfn private if it is shared (0 if it is not, or was not);
 * -ENOMEM if it needs a copy and d's reservation has no room. Call with
 * no lock held (it takes d->lock). A foreign map of a shared gfn
 * unshares it first, as Xen's P2M_UNSHARE lookups do. */
int mem_sharing_unshare_gfn(struct domain *d, gfn_t gfn);
/* A write fault on p2m_ram_shared at gfn: unshare it. true if the guest
 * may retry; false after crashing the domain (no frame for the copy). */
bool mem_sharing_unshare_fault(struct vcpu *v, gfn_t gfn);
/* For the views part (xen/altp2m.h): a view entry (view >= 1) of d is
 * about to map the shared frame mfn at gfn (its reference taken). Under
 * the view's lock. -ENOENT (mfn is not shared), -ENOMEM (the mapping
 * must be refused). */
int mem_sharing_rmap_add(struct domain *d, uint16_t view, gfn_t gfn, mfn_t mfn);
/* The node rmap_add made goes again: the view could not write its entry
 * (the reference is not dropped here). Under the view's lock. */
void mem_sharing_rmap_del(struct domain *d, uint16_t view, gfn_t gfn, mfn_t mfn);
/* For the fork part: nominate pd's gfn (if it is not shared yet) and map
 * its shared frame at the same gfn of cd, which must have no entry there.
 * 0, or nominate's and add_physmap's errors with cd unchanged. */
int mem_sharing_fork_share(struct domain *pd, struct domain *cd, gfn_t gfn);

#endif /* XEN_MEM_SHARING_H */
