/*
 * frame.h - the frame table: one record per machine frame the allocator
 * manages, saying who owns it, what it is used for, and how many
 * references keep it alive.
 *
 * The rule (docs/designs/isolation.md): every mapping of a guest frame
 * holds a reference - the owner's allocation, a foreign mapping in another
 * domain's p2m, a copy the hypervisor is making - and a frame goes back to
 * the allocator only when the last one is dropped. Giving a frame back
 * (decrease_reservation, domain death) drops only the allocation's
 * reference: the frame leaves the owner at once, but nothing reuses it
 * while a mapping still holds it.
 *
 * A record changes only by compare-and-exchange of its one 64-bit word,
 * so no lock is needed and the functions below may be called with any
 * lock held (they take the page allocator's lock only to free a frame).
 */
#ifndef XEN_FRAME_H
#define XEN_FRAME_H

#include <xen/types.h>

/* What a frame is used for. */
enum frame_use
{
    FRAME_FREE = 0, /* in the allocator */
    FRAME_XEN,      /* the hypervisor's own (tables, heap, VMCBs) */
    FRAME_GUEST,    /* a domain's RAM, or a page shared with it */
};

/* The allocation's reference is held (Xen's PGC_allocated). */
#define FRAME_ALLOCATED 0x1
/* A machine check named this frame (xen/broken.h): it stays out of
 * service for good. Kept through every change of the record: the owner
 * keeps its references until they are dropped, and the allocator then
 * retires the frame instead of freeing it. */
#define FRAME_BROKEN 0x4
/* A shared copy-on-write frame (owner DOMID_COW): every reference is a
 * p2m entry that maps it (or a copy in progress), none is an allocation's;
 * the last one frees it (xen/mem_sharing.h). */
#define FRAME_SHARED 0x8

struct page_info
{
    union
    {
        uint64_t raw;
        struct
        {
            uint32_t count; /* references */
            uint16_t owner; /* domid_t, or DOMID_XEN */
            uint8_t use;    /* enum frame_use */
            uint8_t flags;  /* FRAME_ALLOCATED, FRAME_BROKEN */
        };
    };
};
_Static_assert(sizeof(struct page_info) == 8, "one word per frame");

/* The record of a frame the allocator manages, or NULL. */
struct page_info *mfn_to_page(mfn_t m);

/* Make the 2^order frames at m (just allocated, FRAME_XEN) owner's RAM:
 * each holds one reference, its allocation's. */
void frames_assign(mfn_t m, unsigned int order, uint16_t owner);

/* Make one hypervisor frame a page shared with owner (its shared_info,
 * its console ring): the hypervisor's own reference is the only one. It
 * can be mapped (get_page) but never given back by the guest. */
void frame_share_with_guest(mfn_t m, uint16_t owner);

/* The hypervisor drops the reference frame_share_with_guest gave it. */
void frame_unshare(mfn_t m);

/* Take a reference on m if it is owner's guest frame (RAM still
 * allocated, or a shared page). false otherwise: free, reused, another
 * owner's, or given back already. */
bool get_page(mfn_t m, uint16_t owner);

/* Drop one reference; the last one frees the frame. */
void put_page(mfn_t m);

/* Drop the allocation's reference if it is still held (true if it was):
 * the frame is the owner's no longer. */
bool frame_release(mfn_t m);

/* Is m owner's RAM with its allocation reference still held? */
bool frame_is_allocated_to(mfn_t m, uint16_t owner);

/* Is m owner's allocated RAM with a reference besides the allocation's:
 * a foreign or grant mapping in another domain, or a copy the hypervisor
 * is making (a moment's over-estimate, never an under-estimate)? */
bool frame_held_by_others(mfn_t m, uint16_t owner);

/* Memory sharing: owner's allocated RAM frame m, with no reference but
 * its allocation's, becomes a shared frame of DOMID_COW whose one
 * reference is now the mapping entry's. 0; -E2BIG if anything else holds
 * a reference (a foreign or grant mapping, a copy); -EINVAL if m is not
 * owner's allocated RAM (a page the hypervisor shares, a broken frame). */
int frame_make_shared(mfn_t m, uint16_t owner);
/* The reverse: a shared frame whose one reference is left becomes
 * owner's allocated RAM again, that reference its allocation's. false
 * (nothing changed) if m is not shared or has other references. */
bool frame_make_private(mfn_t m, uint16_t owner);
/* The references on m now (0 for a frame not in use). */
uint32_t frame_ref_count(mfn_t m);

/* Release every frame owner still has allocated (the pages the
 * hypervisor shares with it are the hypervisor's to put). Returns the
 * number released. */
uint64_t frames_release_owner(uint16_t owner);

/* Mark m broken, lock-free (callable from the #MC handler). The record
 * as it was before (use, owner, count), in *was; false if m is not a
 * frame the allocator manages. */
bool frame_mark_broken(mfn_t m, struct page_info *was);

/* Does m's record carry FRAME_BROKEN? */
bool frame_has_broken_flag(mfn_t m);

/* Frames owned by owner (any reference count, allocated or not). */
uint64_t frames_count_owner(uint16_t owner);
/* Of those, the frames neither the owner nor the hypervisor holds any
 * more: only other domains' mappings keep them (a zombie's, zombie.c). */
uint64_t frames_count_orphans(uint16_t owner);

#endif /* XEN_FRAME_H */
