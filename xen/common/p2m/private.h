/*
 * p2m/private.h - what the files of the p2m core (xen/common/p2m/) share,
 * and nothing else may include. The layers are listed below, bottom
 * first: a file calls only the layers beneath it.
 *
 * Functions named *_locked, and every helper declared here, expect
 * p2m->lock held.
 */
#ifndef XEN_COMMON_P2M_PRIVATE_H
#define XEN_COMMON_P2M_PRIVATE_H

#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/lib.h>

#define LEVEL_BITS        9
#define ENTRIES_PER_TABLE (1U << LEVEL_BITS)

static inline unsigned int level_order(unsigned int level)
{
    return (level - 1) * LEVEL_BITS;
}
static inline unsigned int order_level(unsigned int order)
{
    return order / LEVEL_BITS + 1;
}
static inline uint64_t level_span(unsigned int level)
{
    return 1ULL << level_order(level);
}

static inline unsigned int slot_index(uint64_t gfn, unsigned int level)
{
    return (gfn >> level_order(level)) & (ENTRIES_PER_TABLE - 1);
}

static inline p2m_pte_t *table_va(mfn_t table)
{
    return mfn_to_virt(table);
}

static inline p2m_pte_t read_pte(const p2m_pte_t *slot)
{
    return *(const volatile p2m_pte_t *)slot;
}

/* One 64-bit store: a hardware walker never sees half an entry. */
static inline void write_pte(struct p2m_domain *p2m, p2m_pte_t *slot, p2m_pte_t pte)
{
    *(volatile p2m_pte_t *)slot = pte;
    p2m->stats.entries_written++;
}

/* Swap in pte and return what was there, as one atomic operation: bits
 * the hardware set a moment before (accessed, dirty) are in the result,
 * never lost between a read and a store. */
static inline p2m_pte_t exchange_pte(struct p2m_domain *p2m, p2m_pte_t *slot, p2m_pte_t pte)
{
    p2m->stats.entries_written++;
    return __atomic_exchange_n(slot, pte, __ATOMIC_SEQ_CST);
}

/* Store new only if the slot still holds old. */
static inline bool cmpxchg_pte(struct p2m_domain *p2m, p2m_pte_t *slot, p2m_pte_t old,
                               p2m_pte_t new)
{
    bool ok =
        __atomic_compare_exchange_n(slot, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    if ( ok )
        p2m->stats.entries_written++;
    return ok;
}

static inline bool is_table(const struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level)
{
    return level > 1 && p2m->ops->is_valid(pte) && !p2m->ops->is_leaf(pte, level);
}

static inline mfn_t mfn_plus(mfn_t mfn, uint64_t n)
{
    return mfn_valid_raw(mfn) ? _mfn(mfn_x(mfn) + n) : INVALID_MFN;
}

static inline bool order_supported(const struct p2m_domain *p2m, unsigned int order)
{
    return order == P2M_ORDER_4K || order == P2M_ORDER_2M ||
           (order == P2M_ORDER_1G && p2m->ops->max_leaf_level >= 3);
}

/* new with old's accessed/dirty state, as the backend keeps it. */
static inline p2m_pte_t keep_hw(const struct p2m_pte_ops *ops, p2m_pte_t old, p2m_pte_t new)
{
    return ops->keep_hw ? ops->keep_hw(old, new) : new | (old & ops->hw_managed_bits);
}

/* Two encodings of a leaf equal but for the bits the MMU manages. */
static inline bool same_but_hw(const struct p2m_pte_ops *ops, p2m_pte_t a, p2m_pte_t b)
{
    return !((a ^ b) & ~ops->hw_managed_bits);
}

#define WALK_HOLE 1 /* p2m_walk_to() met nothing mapped: not an error */
#define LOG_MASK  (P2M_CHANGE_LOG - 1)

BUILD_BUG_ON(P2M_CHANGE_LOG &LOG_MASK);

/*
 * The layers, bottom first. A file calls only the layers below its own
 * (and its own): pool.c and marks.c; table.c; recalc.c; walk.c;
 * global.c, type.c, access.c, coalesce.c, dirty.c, audit.c; p2m.c on top.
 */

/* ---- layer 0: pool.c ---- */
/* A page for a table, from the domain's pool: INVALID_MFN if the pool is
 * empty. Not zeroed. */
mfn_t p2m_table_alloc(struct p2m_domain *p2m);
void p2m_table_free(struct p2m_domain *p2m, mfn_t m);

/* ---- layer 0: marks.c ---- */
void p2m_recalc_init(struct p2m_domain *p2m);
/* Mark the table entry in *slot with stamp, and count the mark. */
void p2m_recalc_mark(struct p2m_domain *p2m, p2m_pte_t *slot, uint64_t stamp);
/* One mark with this stamp more (add) or fewer. */
void p2m_recalc_count_mark(struct p2m_domain *p2m, uint64_t stamp, bool add);
/* Forget the logged changes no mark can still need (the tail). */
void p2m_recalc_advance_tail(struct p2m_domain *p2m);
/* A marked entry left the table (its subtree was freed). */
void p2m_recalc_forget(struct p2m_domain *p2m, p2m_pte_t pte);
/* The full stamp a mark's P2M_STAMP_BITS stand for. */
uint64_t p2m_recalc_stamp(const struct p2m_domain *p2m, p2m_pte_t pte);
/* t with the changes logged after stamp applied, in order. */
p2m_type_t p2m_recalc_type(const struct p2m_domain *p2m, uint64_t stamp, p2m_type_t t);
/* The stamp meaning "nothing pending" (no mark carries it). */
static inline uint64_t p2m_recalc_now(const struct p2m_domain *p2m)
{
    return p2m->changes->seq;
}

/* ---- layer 1: table.c ---- */
void p2m_flush(struct p2m_domain *p2m);
/* gfn .. gfn + 2^order - 1 is mapped now (max_mapped_gfn). */
void p2m_note_mapped(struct p2m_domain *p2m, uint64_t gfn, unsigned int order);
/* The leaf in *slot with type t (frame, access, accessed/dirty kept).
 * Counts it; returns whether a TLB holding the old one must be flushed. */
bool p2m_retype_leaf(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level, p2m_type_t t);
/* The leaf in *slot with access a (frame, type, accessed/dirty kept).
 * Returns whether a TLB holding the old one must be flushed. */
bool p2m_reaccess_leaf(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level, p2m_access_t a);
/* Put new in place of the table at *slot, freeing the table (break
 * before make). The references of the leaves below are dropped if
 * drop_refs, or carried into new (coalescing). Returns the RAM frames
 * the leaves below mapped; p2m_install reports them (p2m->ram_gone). */
uint64_t p2m_replace_subtree(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                             uint64_t gfn, bool drop_refs, p2m_pte_t new);
/* Free every table below table (level), forgetting its leaves and marks,
 * dropping the leaves' references if drop_refs. table itself stays.
 * gfn is any gfn the table covers (the references dropped name theirs).
 * Returns the RAM frames its leaves mapped. */
uint64_t p2m_free_below(struct p2m_domain *p2m, mfn_t table, unsigned int level, uint64_t gfn,
                        bool drop_refs);
/* Write new (a leaf, or 0) at *slot, the entry for gfn at level, whatever
 * is there (a leaf or a table); p2m->leaf_changed hears of it. */
void p2m_install(struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *slot, unsigned int level,
                 p2m_pte_t new);
/* The same for a 4K leaf, but the old leaf's reference (if its type holds
 * one) is not dropped: it becomes the caller's. */
void p2m_install_keeping_ref(struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *slot, p2m_pte_t new);
/* The leaf for [gfn, gfn + span of level) changed frame, type or access. */
static inline void p2m_note_leaf_changed(struct p2m_domain *p2m, uint64_t gfn, unsigned int level)
{
    if ( p2m->leaf_changed )
        p2m->leaf_changed(p2m, gfn & ~(level_span(level) - 1), level_order(level));
}
/* Every table sharing p2m's log but p2m itself: fn(table, arg) under
 * that table's lock (a view's, taken under the host's). */
void p2m_for_each_other_table(struct p2m_domain *p2m, void (*fn)(struct p2m_domain *t, void *arg),
                              void *arg);
/* An empty table for the empty *slot: 0 or -ENOMEM (pool empty). */
int p2m_add_table(struct p2m_domain *p2m, p2m_pte_t *slot);
int p2m_shatter(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level);
/* After a removal at gfn (level), free the tables above it left empty. */
void p2m_prune_empty(struct p2m_domain *p2m, uint64_t gfn, unsigned int level);

/* ---- layer 2: recalc.c ---- */
/* Push the mark on the table entry in *slot down one level. */
void p2m_recalc_push(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level);
/* Resolve every mark in the subtree of *slot (level), slot included. */
void p2m_recalc_subtree(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level);

/* ---- layer 3: walk.c ---- */
/* The slot for gfn at level, making the path down to it (if build).
 * NULL with *rc WALK_HOLE (nothing mapped and !build) or -ENOMEM. */
p2m_pte_t *p2m_walk_to(struct p2m_domain *p2m, uint64_t gfn, unsigned int level, bool build,
                       int *rc);
/* Where the walk for gfn ends (a leaf or an empty entry), resolving the
 * pending changes on the way; returns its level. */
unsigned int p2m_walk_resolving(struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t **slot);
/* The level at which the walk for gfn ends, the entry there, and the
 * oldest stamp of the marks met (resolves nothing, writes nothing). */
unsigned int p2m_find_leaf(const struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *found,
                           uint64_t *stamp);

#endif /* XEN_COMMON_P2M_PRIVATE_H */
