/*
 * p2m.h - the second-stage translation (guest frame -> machine frame, with a
 * type and access rights per entry), arch-neutral part.
 *
 * The core (the files of xen/common/p2m/) owns policy: which types exist, how ranges are
 * cut into 1G/2M/4K pieces, locking, counters. It reaches the hardware table
 * format only through a struct p2m_pte_ops backend (EPT, NPT), which knows
 * bit layouts and nothing else. The core compiles for the host unit tests.
 *
 * Lock order: xen/lock-order.h. Every function below takes p2m->lock
 * itself, so call none of them with it held, nor with a lock of a later
 * class held. p2m->flush_tlbs runs with p2m->lock held.
 *
 * Type changes (docs/designs/p2m-types.md): a global change old -> new is
 * begun in O(512) and finished lazily, entry by entry, when the guest or
 * the hypervisor next touches an entry, or in bounded batches by
 * p2m_finish_pending. Every caller may assume that a global change
 * happened at once, at the moment p2m_begin_global_change returned:
 * lookups, later changes and later writes all see (and compose with) its
 * effect, and the hardware cannot use a translation it invalidates.
 */
#ifndef XEN_P2M_H
#define XEN_P2M_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/errno.h>

/* Xen's internal "continue this hypercall" error (public XEN_ERESTART). */
#ifndef ERESTART
#define ERESTART 85
#endif

/* Types: Xen's x86 numbering (a fact of the ABI, see HVMOP_get_mem_type). */
typedef enum
{
    p2m_ram_rw = 0,
    p2m_invalid = 1,
    p2m_ram_logdirty = 2,
    p2m_ram_ro = 3,
    p2m_mmio_dm = 4,
    p2m_mmio_direct = 5,
    p2m_populate_on_demand = 6,
    p2m_ram_paging_out = 7,
    p2m_ram_paged = 8,
    p2m_ram_paging_in = 9,
    p2m_grant_map_rw = 10,
    p2m_grant_map_ro = 11,
    p2m_ram_shared = 12,
    p2m_ram_broken = 13,
    p2m_map_foreign = 14,
    p2m_ioreq_server = 15,
    p2m_type_count = 16,
} p2m_type_t;

typedef enum
{
    p2m_access_n = 0,
    p2m_access_r = 1,
    p2m_access_w = 2,
    p2m_access_rw = 3,
    p2m_access_x = 4,
    p2m_access_rx = 5,
    p2m_access_wx = 6,
    p2m_access_rwx = 7,
} p2m_access_t;

/* Page orders of the pieces a range is cut into. */
#define P2M_ORDER_4K 0
#define P2M_ORDER_2M 9
#define P2M_ORDER_1G 18
#define P2M_LEVELS   4 /* both EPT and NPT use 4-level tables */

/* Four 9-bit levels over 4K pages: 48-bit guest-physical addresses. */
#define P2M_GFN_LIMIT (1ULL << 36)
/* EPT and NPT hold a 40-bit frame number; the all-ones value is how a
 * backend stores INVALID_MFN, so a real frame must be below it. A format
 * with a narrower field says so in p2m_pte_ops.mfn_limit. */
#define P2M_MFN_LIMIT ((1ULL << 40) - 1)

typedef uint64_t p2m_pte_t;

/*
 * Table-format backend. "level" is 1 for a 4K leaf, 2 for a 2M entry,
 * 3 for a 1G entry, 4 for the root's entries. The backend stores the type
 * and access in software bits and derives the hardware permission bits from
 * them (type and access both restrict).
 */
struct p2m_pte_ops
{
    const char *name;
    p2m_pte_t (*make_leaf)(mfn_t mfn, unsigned int level, p2m_type_t t, p2m_access_t a);
    p2m_pte_t (*make_table)(mfn_t table);
    bool (*is_valid)(p2m_pte_t pte); /* maps something (leaf or table) */
    bool (*is_leaf)(p2m_pte_t pte, unsigned int level);
    mfn_t (*mfn)(p2m_pte_t pte);
    p2m_type_t (*type)(p2m_pte_t pte);
    p2m_access_t (*access)(p2m_pte_t pte);
    /*
     * Recalculation marks, on leaves and table entries alike. A marked
     * entry stops every hardware walk that reaches it (EPT: misconfig,
     * NPT: not present) and carries a P2M_STAMP_BITS-bit stamp; it still
     * decodes (is_valid, is_leaf, mfn, type, access) as before, and
     * clear_recalc(mark_recalc(pte, s)) == pte. Marking a marked entry
     * replaces its stamp.
     */
    p2m_pte_t (*mark_recalc)(p2m_pte_t pte, unsigned int stamp);
    bool (*needs_recalc)(p2m_pte_t pte);
    unsigned int (*recalc_stamp)(p2m_pte_t pte);
    p2m_pte_t (*clear_recalc)(p2m_pte_t pte);
    unsigned int max_leaf_level; /* 3 if 1G leaves are allowed */
    /* Frames below this fit the address field; 0 means P2M_MFN_LIMIT.
     * p2m_set_entry/p2m_set_range refuse others (-EINVAL). */
    uint64_t mfn_limit;
    /* Bits the MMU may set by itself (accessed/dirty): two entries that
     * differ only here say the same thing. make_leaf may already set
     * some (a format whose fresh entries count as accessed and dirty). */
    p2m_pte_t hw_managed_bits;
    /* Those of them that mean "written since cleared": a harvest reports
     * a leaf with any of them set and clears them all. */
    p2m_pte_t dirty_bits;
    /*
     * Optional: new (made by make_leaf for the same frame) with old's
     * accessed/dirty state kept in a form new can hold. NULL means
     * new | (old & hw_managed_bits). A format whose dirty flag is also a
     * permission (the MMU grants itself write on a first write) must not
     * copy it into an entry that does not grant write.
     */
    p2m_pte_t (*keep_hw)(p2m_pte_t old, p2m_pte_t new);
    /* The MMU sets them with no switch to turn on (NPT); false when they
     * must be enabled first (EPT: the EPTP's A/D bit). */
    bool dirty_flags_always;
    /* A leaf the hardware may use changes frame or memory type only
     * through an invalid entry and a flush (break-before-make), never by
     * one store; false where one store and a flush are enough (x86). */
    bool remap_needs_bbm;
};

/*
 * The most a type lets the guest do; the entry's access narrows it further.
 * Types without "r" are emulated, paged, broken or absent: the guest's
 * access must fault so that the hypervisor sees it.
 */
static inline p2m_access_t p2m_type_rights(p2m_type_t t)
{
    static const uint8_t rights[p2m_type_count] = {
        [p2m_ram_rw] = p2m_access_rwx,
        [p2m_invalid] = p2m_access_n,
        [p2m_ram_logdirty] = p2m_access_rx, /* first write is logged */
        [p2m_ram_ro] = p2m_access_rx,
        [p2m_mmio_dm] = p2m_access_n, /* device model emulates */
        [p2m_mmio_direct] = p2m_access_rw,
        [p2m_populate_on_demand] = p2m_access_n,
        [p2m_ram_paging_out] = p2m_access_rx, /* a write cancels paging */
        [p2m_ram_paged] = p2m_access_n,
        [p2m_ram_paging_in] = p2m_access_n,
        [p2m_grant_map_rw] = p2m_access_rw,
        [p2m_grant_map_ro] = p2m_access_r,
        [p2m_ram_shared] = p2m_access_rx, /* a write unshares */
        [p2m_ram_broken] = p2m_access_n,
        [p2m_map_foreign] = p2m_access_rw,
        [p2m_ioreq_server] = p2m_access_rx, /* writes go to the server */
    };
    return (unsigned int)t < p2m_type_count ? (p2m_access_t)rights[t] : p2m_access_n;
}

/* Stamps kept in a marked entry, and so the most global changes that may
 * be pending at once (the length of the change log). */
#define P2M_STAMP_BITS 3
#define P2M_CHANGE_LOG (1U << P2M_STAMP_BITS)

/*
 * Counters. entries_by_order, entries_by_type, tables and recalc_pending
 * say what the table holds now (the auditor checks them exactly); a leaf
 * under a pending change counts under the type it is stored with. The
 * others count events since p2m_init.
 */
struct p2m_counters
{
    uint64_t entries_by_order[3]; /* present leaves: [0]=4K, [1]=2M, [2]=1G */
    uint64_t entries_by_type[p2m_type_count];
    /* The same leaves in 4K frames (a 2M leaf counts 512): what a type
     * covers, whatever the leaf sizes. */
    uint64_t frames_by_type[p2m_type_count];
    uint64_t tables;              /* tables below the root */
    uint64_t recalc_pending;      /* marked entries (each marks a subtree) */
    uint64_t recalc_resolved;     /* marks pushed down one level */
    uint64_t leaves_recalculated; /* leaves given their type by a push */
    uint64_t global_changes;      /* begun, and not skipped as no-ops */
    uint64_t global_noops;        /* begun while no entry could be old */
    uint64_t resyncs;             /* full log: pending changes finished first */
    uint64_t shatters;            /* superpages split into 512 children */
    uint64_t coalesces;           /* superpages made by p2m_try_coalesce */
    uint64_t entries_written;     /* stores to table entries, any kind */
    uint64_t ram_frames_gone;     /* RAM frames unmapped or replaced (ram_gone) */
};

/* One logged global change; change number k lives at log[k % P2M_CHANGE_LOG]. */
struct p2m_global_change
{
    uint8_t old, new;
};

/*
 * The domain-wide part of the p2m: the log of global type changes and
 * who owns which type. It belongs to the domain, not to one table: the
 * host p2m points at it, and the views that will sit beside the host
 * p2m (altp2m) will share it, so that a type change or an owner is the
 * domain's, whichever table an entry is in. A p2m made on its own (the
 * host tests) has one of its own.
 */
struct p2m_changes
{
    uint64_t seq;  /* global changes logged so far */
    uint64_t tail; /* no mark carries a stamp below this */
    struct p2m_global_change log[P2M_CHANGE_LOG];
    bool eager;                          /* reference mode: apply changes at once */
    uint16_t type_owner[p2m_type_count]; /* 0: the type has no owner */
};

/* State of the lazy global changes in one table (p2m/marks.c, recalc.c,
 * global.c). */
struct p2m_recalc
{
    uint64_t marks[P2M_CHANGE_LOG]; /* marked entries by stamp % log size */
    uint64_t cursor;                /* p2m_finish_pending resumes at the */
    unsigned int cursor_level;      /* entry for this gfn at this level */
};

/*
 * A pool of pages for one domain's tables (p2m/pool.c), sized by the
 * toolstack (XEN_DOMCTL_set_paging_mempool_size): a domain whose
 * operations need more tables than its pool holds gets -ENOMEM, and the
 * rest of the host notices nothing. Free pages are linked through their
 * first word. A p2m without a pool (host tests) uses the allocator.
 */
struct p2m_pool
{
    spinlock_t lock;
    mfn_t free_head;
    uint64_t nr_free;    /* on the free list */
    uint64_t nr_used;    /* handed out as tables */
    uint64_t nr_charged; /* given up for memory allocated elsewhere */
};

void p2m_pool_init(struct p2m_pool *pool);
/* Grow or shrink to pages in all. -EBUSY if fewer than are in use
 * (tables and charges), or
 * -ENOMEM if the allocator runs out: nothing changes on either. */
int p2m_pool_resize(struct p2m_pool *pool, uint64_t pages);
uint64_t p2m_pool_size(struct p2m_pool *pool);
/* Charge pages of memory the domain uses outside the pool (the pool
 * gives that many free pages back to the allocator first): -ENOMEM if it
 * has not that many free. Uncharging takes them back when it can. */
int p2m_pool_charge(struct p2m_pool *pool, uint64_t pages);
void p2m_pool_uncharge(struct p2m_pool *pool, uint64_t pages);
/* Give every free page back (tables in use stay). */
void p2m_pool_drain(struct p2m_pool *pool);

struct p2m_domain
{
    spinlock_t lock;
    struct p2m_pool *pool; /* NULL: tables from the allocator */
    const struct p2m_pte_ops *ops;
    mfn_t root; /* level-4 table */
    uint64_t max_mapped_gfn;
    struct p2m_counters stats;
    struct p2m_recalc recalc;
    struct p2m_changes *changes; /* the domain's (or own_changes) */
    struct p2m_changes own_changes;
    /* Called after entries were changed or removed, so the arch code can
     * flush the translations every CPU caches for this table. Called with
     * p2m->lock held: it must not take it, and must not wait for a CPU
     * that may be spinning on it with interrupts off. */
    void (*flush_tlbs)(struct p2m_domain *p2m);
    void *flush_arg;
    /* Called, with p2m->lock held, for each frame a leaf of a type that
     * holds a reference (p2m_holds_ref) stops mapping: the entry's
     * reference goes with it. NULL: nothing to drop (host tests). */
    void (*put_frame)(mfn_t mfn);
    /* Called, with p2m->lock held, once for each entry written where
     * leaves of a RAM type (p2m_is_ram) stop mapping the frames they
     * mapped: removed, or replaced by entries with other frames; frames
     * says how many 4K frames went (512 for a 2M leaf, in one call). Not called for a type change on the same frames, a
     * shatter, a coalesce, p2m_empty or teardown. A device model may
     * have the old frames in its mapcache (docs/designs/ioreq.md): the
     * hook may only set flags. NULL: nobody listens (host tests). */
    void (*ram_gone)(struct p2m_domain *p2m, uint64_t frames);
};

/* Does an entry of this type hold a reference on its frame? The caller
 * that installs it took one (get_page); removing or replacing the entry
 * drops it (put_frame), in whatever operation that happens. */
static inline bool p2m_holds_ref(p2m_type_t t)
{
    return t == p2m_map_foreign || t == p2m_grant_map_rw || t == p2m_grant_map_ro;
}

/* Allocates the root (-ENOMEM) and clears the counters, flush_tlbs,
 * put_frame, ram_gone and pool: set them after p2m_init. */
int p2m_init(struct p2m_domain *p2m, const struct p2m_pte_ops *ops);
/* A domain's change log and type owners, empty. */
void p2m_changes_init(struct p2m_changes *c);
/* Make a new table (nothing mapped yet) use the domain's change log and
 * type owners instead of its own; every table of a domain does. */
void p2m_use_changes(struct p2m_domain *p2m, struct p2m_changes *c);

/* Frees every table, root included. No CPU may still use the table. */
void p2m_teardown(struct p2m_domain *p2m);
/* Removes every entry and frees every table but the root: the p2m maps
 * nothing and holds no reference afterwards. */
void p2m_empty(struct p2m_domain *p2m);

/*
 * Updates. Every update first resolves the pending changes on its path
 * (see p2m_resolve_fault), so what it writes is stamped "now": changes
 * begun earlier never apply to it, changes begun later do.
 */

/* Map [gfn, gfn + 2^order) to [mfn, ...) with one type and access. Pass
 * INVALID_MFN with p2m_invalid to remove. Returns 0 or -errno (-ENOMEM).
 * order is P2M_ORDER_4K/2M/1G, gfn and mfn aligned to it (-EINVAL).
 * INVALID_MFN is allowed only with types that grant no rights (mmio_dm,
 * populate_on_demand, paged, broken...). A superpage that covers the
 * target is shattered. On -ENOMEM no translation has changed. */
int p2m_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, unsigned int order, p2m_type_t t,
                  p2m_access_t a);

/* Map a range of nr frames, choosing the largest pieces alignment allows.
 * Arguments are checked before anything changes (-EINVAL); on -ENOMEM
 * the pieces before the failing one are mapped. */
int p2m_set_range(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, uint64_t nr, p2m_type_t t,
                  p2m_access_t a);

/* Replace the tables under the 2M (order 9) or 1G (order 18) block at gfn
 * by one superpage, if all its leaves have one type and access and
 * contiguous frames aligned to the block (or all INVALID_MFN). A 1G block
 * that cannot merge still has each of its 2M blocks merged where they can.
 * Pending changes inside the block are resolved first. Returns true if
 * the block is now a single superpage. */
bool p2m_try_coalesce(struct p2m_domain *p2m, gfn_t gfn, unsigned int order);

/* Look up one gfn. Returns INVALID_MFN (type p2m_invalid) if unmapped.
 * Any of t, a, order may be NULL. *order is the order of the leaf found;
 * for a hole, the order of the empty entry met (at most P2M_ORDER_1G), so
 * a caller scanning a range may skip the whole aligned block. *t is the
 * type with every begun global change applied; the lookup writes nothing. */
mfn_t p2m_lookup(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t, p2m_access_t *a,
                 unsigned int *order);

/* Look up gfn and, while its entry cannot change, call get(mfn, arg) to
 * take a reference on the frame. INVALID_MFN if there is no frame or get
 * refused; *t is the type found either way. */
mfn_t p2m_lookup_get(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
                     bool (*get)(mfn_t m, void *arg), void *arg);

/* Machine address of the root table (what goes into the EPTP / nCR3). */
static inline paddr_t p2m_root_maddr(const struct p2m_domain *p2m)
{
    return mfn_x(p2m->root) << PAGE_SHIFT;
}

/* Check that the table and the counters agree: leaf encodings (hardware
 * rights = type rights & access), marks only on table entries, stamps
 * live and never newer than a marked ancestor's, no table referenced
 * twice, every counter exact. 0 if so, else -EILSEQ and a description of
 * the first mismatch in buf; -ENOMEM if it cannot get its scratch page. */
int p2m_audit(struct p2m_domain *p2m, char *buf, size_t len);

/*
 * ---- Type changes (docs/designs/p2m-types.md) ----
 *
 * Legal: old != new, neither p2m_invalid, old not p2m_ram_broken (a broken
 * frame is only ever replaced), and if new grants any right, old must be a
 * type that always has a frame. Anything else is -EINVAL before any state
 * changes.
 */
int p2m_check_type_change(p2m_type_t old, p2m_type_t new);

/* If gfn's type is old, make that 4K frame new (mfn and access kept; a
 * superpage around it is shattered). 1 if changed, 0 if gfn was not of
 * type old, -EINVAL, or -ENOMEM (nothing changed). */
int p2m_change_type_one(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t old, p2m_type_t new);

/* The same over [gfn, gfn + nr): only frames now of type old change;
 * superpages wholly inside keep their size. Returns the number of 4K
 * frames changed, or -errno: -EINVAL (nothing changed), -ENOMEM (frames
 * below the superpage that could not be shattered did change). Holds the
 * lock throughout: split huge ranges. */
int64_t p2m_change_type_range(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr, p2m_type_t old,
                              p2m_type_t new);
/* The same, into a type that must have an owner (p2m_claim_type) at the
 * moment of the change: -EINVAL otherwise, nothing changed. Checked
 * under the lock, so no entry of new is ever written after its owner's
 * release, where that release's reset would not reach it. */
int64_t p2m_change_type_range_owned(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr, p2m_type_t old,
                                    p2m_type_t new);

/*
 * Begin changing every entry of type old to new, as of now. Writes at
 * most the root's 512 entries and flushes once; the leaves follow when
 * touched. 0, or -EINVAL (illegal pair, nothing changed). If P2M_CHANGE_LOG
 * changes are already pending, the older ones are finished synchronously
 * first ("resync", counted in stats.resyncs): correct, not fast. A change
 * no entry can be affected by is a counted no-op. In eager mode the whole
 * table is rewritten before returning.
 */
int p2m_begin_global_change(struct p2m_domain *p2m, p2m_type_t old, p2m_type_t new);

/*
 * Push pending changes down to the leaves, at most budget tables' worth
 * of work (one table = up to 512 entries read or written; 0 counts as 1).
 * Returns 0 when nothing is pending any more, -ERESTART when the budget
 * ran out first: call again (from a hypercall continuation). Any other
 * p2m operation may run in between.
 */
int p2m_finish_pending(struct p2m_domain *p2m, unsigned int budget);

/*
 * Call on every EPT misconfiguration and every nested page fault, before
 * anything else: resolves the pending changes on gfn's path. Returns 1 if
 * it did (the guest should simply retry the access), 0 if nothing was
 * pending there: handle the fault as an ordinary one (if the entry now
 * allows the access, another CPU resolved it first: retry).
 */
int p2m_resolve_fault(struct p2m_domain *p2m, gfn_t gfn);

/* Reference mode: every global change rewrites the whole table before
 * p2m_begin_global_change returns. Switching finishes what is pending. */
void p2m_set_eager(struct p2m_domain *p2m, bool eager);

/*
 * Type owners: the one consumer (ioreq server, log-dirty) that a type's
 * entries belong to, by a nonzero id. claim: 0, or -EBUSY if another
 * owner holds t. release: the owner goes and its entries become to, by a
 * global change t -> to, so a new owner may claim t at once; the entries
 * it then writes are newer than the change and keep t. -EINVAL/-EPERM
 * (not the owner) change nothing.
 */
int p2m_claim_type(struct p2m_domain *p2m, p2m_type_t t, uint16_t owner);
int p2m_release_type(struct p2m_domain *p2m, p2m_type_t t, uint16_t owner, p2m_type_t to);

/*
 * The guard (docs/designs/ioreq.md): claim t only if nothing of an
 * earlier claim is left. While t has no owner nobody may write an entry
 * of type t, so every frame still *stored* as t is an entry of an earlier
 * owner that its release has not reset yet (it reads as the release's
 * "to" already). Those frames (4K each, whatever the leaf size) go to
 * *left; any: -EBUSY, nothing changes. Another owner: -EBUSY, *left 0.
 * The owner itself claiming again: 0.
 */
int p2m_claim_type_unused(struct p2m_domain *p2m, p2m_type_t t, uint16_t owner, uint64_t *left);

/* t's owner now (0: none). Only a hint unless the caller serialises
 * claims and releases of t itself. */
uint16_t p2m_type_owner(struct p2m_domain *p2m, p2m_type_t t);

/*
 * ---- Dirty flags and superpages, for log-dirty (p2m/dirty.c) ----
 *
 * The dirty flag is the hardware-managed bit the MMU sets on a write
 * (EPT with A/D enabled in the EPTP, NPT always). None of these change a
 * type, frame or access. Clearing flushes the TLBs (under the lock, like
 * every p2m flush); the caller must still make sure no vCPU runs on the
 * old translations before it relies on the flags again.
 */
typedef void (*p2m_range_fn)(void *arg, uint64_t gfn, unsigned int order);

/* Every leaf of order >= min_order (P2M_ORDER_4K: all) whose dirty flag
 * is set: fn(arg, its first gfn, its order), in gfn order; the flag is
 * cleared if clear. fn runs with p2m->lock held; it may be NULL. Returns
 * the number of leaves reported. */
uint64_t p2m_harvest_dirty(struct p2m_domain *p2m, unsigned int min_order, bool clear,
                           p2m_range_fn fn, void *arg);

/* Clear the dirty flag of every leaf that maps a gfn whose bit is set in
 * bitmap (nr bits, bit g of word g / 64). Returns the flags cleared. */
uint64_t p2m_clear_dirty_bitmap(struct p2m_domain *p2m, const uint64_t *bitmap, uint64_t nr);

/*
 * The MMU's dirty update, done by software for a CPU that cannot do it
 * itself (Arm stage 2 without FEAT_HAFDBS: a write to a writable-clean
 * leaf is a permission fault). If the leaf for gfn grants write, set its
 * dirty flag as the hardware would and return 1: the guest retries the
 * write. 0 if it does not grant write (a real permission fault: log-dirty,
 * read-only...) or nothing is mapped. Pending changes on the path are
 * resolved first. No flush: the entry only widens.
 */
int p2m_mark_written(struct p2m_domain *p2m, gfn_t gfn);

/* fn(arg, gfn, order) for every 2M and 1G leaf, in gfn order, with
 * p2m->lock held. Writes nothing. */
void p2m_for_each_superpage(struct p2m_domain *p2m, p2m_range_fn fn, void *arg);

/* Split every superpage into 4K leaves (resolving pending changes on the
 * way). 0, or -ENOMEM with the ones done so far split. */
int p2m_shatter_superpages(struct p2m_domain *p2m);

/* One type as a bit of a mask for p2m_range_types_in. */
#define P2M_TYPE_BIT(t) (1U << (t))

/* Is every gfn in [gfn, gfn + nr) of a type in the mask (P2M_TYPE_BIT
 * ORed together)? Walks leaf by leaf, so a superpage costs one lookup. */
bool p2m_range_types_in(struct p2m_domain *p2m, uint64_t gfn, uint64_t nr, uint32_t mask);

static inline bool p2m_is_ram(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_ram_logdirty || t == p2m_ram_ro || t == p2m_ram_shared ||
           t == p2m_ioreq_server;
}

#endif /* XEN_P2M_H */
