/*
 * p2m/table.c - the bottom layer of the p2m core: entry writes, the leaf
 * counters, tables taken from and given back to the pool, superpages
 * split, and empty tables pruned. Break-before-make and TLB flushes are
 * decided here.
 *
 * Entries the hardware may be walking change by single 64-bit stores. A
 * change that removes or narrows a translation is followed by
 * p2m->flush_tlbs; a change of page size (shatter, coalesce, a superpage
 * over a table) is break-before-make: clear, flush, then write, and old
 * tables are freed only after the flush. Leaves of a type that holds a
 * frame reference drop it when they go (p2m->put_frame); RAM leaves that
 * stop mapping their frames are reported once per update (p2m->ram_gone).
 *
 * May call: pool.c, marks.c (forgetting a marked entry). Nothing above.
 * Every function expects p2m->lock held.
 */
#include "private.h"

#include <xen/errno.h>

void p2m_flush(struct p2m_domain *p2m)
{
    if ( p2m->flush_tlbs )
        p2m->flush_tlbs(p2m);
}

/* ---- counters ---- */

static void count_leaves(struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level, uint64_t n,
                         bool add)
{
    uint64_t delta = add ? n : -n; /* unsigned wrap-around subtracts */

    if ( !p2m->ops->is_leaf(pte, level) )
        return;
    p2m->stats.entries_by_order[level - 1] += delta;
    p2m->stats.entries_by_type[p2m->ops->type(pte)] += delta;
    p2m->stats.frames_by_type[p2m->ops->type(pte)] += delta * level_span(level);
}

void p2m_note_mapped(struct p2m_domain *p2m, uint64_t gfn, unsigned int order)
{
    p2m->max_mapped_gfn = MAX(p2m->max_mapped_gfn, gfn + (1ULL << order) - 1);
}

/* ---- changing entries ---- */

/* What the guest could do through this leaf; 0 if it is not a mapping. */
static unsigned int granted(const struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;

    if ( !ops->is_leaf(pte, level) || !mfn_valid_raw(ops->mfn(pte)) )
        return 0;
    return p2m_type_rights(ops->type(pte)) & ops->access(pte);
}

/* Would a TLB that cached old let the guest do something new forbids?
 * Pure widening (a log-dirty page made writable) needs no flush: the
 * stale entry can only fault. The backends map mmio_direct uncached, so
 * moving in or out of it changes the memory type a TLB may hold. */
static bool narrows(const struct p2m_domain *p2m, p2m_pte_t old, p2m_pte_t new, unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    unsigned int before = granted(p2m, old, level), after = granted(p2m, new, level);
    bool was_uc = ops->type(old) == p2m_mmio_direct, is_uc = ops->type(new) == p2m_mmio_direct;

    return before &&
           ((before & ~after) || was_uc != is_uc || !mfn_eq(ops->mfn(old), ops->mfn(new)));
}

/* Does replacing old by new (one leaf's place, same size) need the
 * entry broken first? Only where the backend says so, and only when the
 * hardware may use both and they differ in frame or memory type. */
static bool needs_bbm(const struct p2m_domain *p2m, p2m_pte_t old, p2m_pte_t new,
                      unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;

    if ( !ops->remap_needs_bbm || !granted(p2m, old, level) || !granted(p2m, new, level) )
        return false;
    return !mfn_eq(ops->mfn(old), ops->mfn(new)) ||
           (ops->type(old) == p2m_mmio_direct) != (ops->type(new) == p2m_mmio_direct);
}

static void break_before_make(struct p2m_domain *p2m, p2m_pte_t *slot, p2m_pte_t new)
{
    write_pte(p2m, slot, p2m->ops->empty);
    p2m_flush(p2m);
    write_pte(p2m, slot, new);
}

/* The leaf at gfn stops mapping its frames: drop the references it held,
 * telling the hook which table and gfn each one leaves (a shared frame's
 * reverse map names them). */
static void drop_leaf_refs(struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level, uint64_t gfn)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_type_t t;
    mfn_t m;

    if ( !p2m->put_frame || !ops->is_leaf(pte, level) || !p2m_holds_ref(ops->type(pte)) )
        return;
    m = ops->mfn(pte);
    t = ops->type(pte);
    if ( !mfn_valid_raw(m) )
        return;
    gfn &= ~(level_span(level) - 1);
    for ( uint64_t i = 0; i < level_span(level); i++ )
        p2m->put_frame(p2m, _gfn(gfn + i), mfn_plus(m, i), t);
}

/* The RAM frames a leaf maps (0 for anything else). */
static uint64_t ram_frames(const struct p2m_domain *p2m, p2m_pte_t pte, unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;

    if ( !ops->is_leaf(pte, level) || !p2m_is_ram(ops->type(pte)) || !mfn_valid_raw(ops->mfn(pte)) )
        return 0;
    return level_span(level);
}

/* The RAM frames old maps that new, written in its place, does not: a
 * type change on the same frames loses none. */
static uint64_t ram_lost(const struct p2m_domain *p2m, p2m_pte_t old, p2m_pte_t new,
                         unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;

    if ( ops->is_leaf(new, level) && mfn_eq(ops->mfn(old), ops->mfn(new)) )
        return 0;
    return ram_frames(p2m, old, level);
}

/* Once per update: a device model may still map the frames that went. */
static void note_ram_gone(struct p2m_domain *p2m, uint64_t frames)
{
    if ( !frames )
        return;
    p2m->stats.ram_frames_gone += frames;
    if ( p2m->ram_gone )
        p2m->ram_gone(p2m, frames);
}

/* Free everything below a table, forgetting the leaves and marks it held
 * (and dropping the leaves' references if drop_refs). */
uint64_t p2m_free_below(struct p2m_domain *p2m, mfn_t table, unsigned int level, uint64_t gfn,
                        bool drop_refs)
{
    p2m_pte_t *t = table_va(table);
    uint64_t ram = 0;
    unsigned int i;

    gfn &= ~(level_span(level + 1) - 1); /* the first gfn the table covers */
    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
    {
        p2m_pte_t pte = read_pte(&t[i]);
        uint64_t g = gfn + i * level_span(level);

        if ( is_table(p2m, pte, level) )
        {
            p2m_recalc_forget(p2m, pte);
            ram += p2m_free_below(p2m, p2m->ops->mfn(pte), level - 1, g, drop_refs);
            p2m_table_free(p2m, p2m->ops->mfn(pte));
            p2m->stats.tables--;
            continue;
        }
        count_leaves(p2m, pte, level, 1, false);
        ram += ram_frames(p2m, pte, level);
        if ( drop_refs )
            drop_leaf_refs(p2m, pte, level, g);
    }
    return ram;
}

/*
 * Same page size: one atomic exchange, then a flush if the translation
 * narrowed; or, where the backend needs it (needs_bbm), an exchange with
 * an empty entry, a flush, and the new entry. If the frame stays the
 * same, accessed/dirty bits the hardware set up to the exchange are
 * carried into the new entry, so log-dirty's A/D harvest and PML never
 * lose a write to a retyped page.
 */
static void replace_leaf(struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *slot, unsigned int level,
                         p2m_pte_t new, bool drop_refs)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    bool bbm = needs_bbm(p2m, read_pte(slot), new, level);
    p2m_pte_t old = exchange_pte(p2m, slot, bbm ? 0 : new);
    p2m_pte_t carried = keep_hw(ops, old, new) & ~new;

    if ( !ops->is_valid(new) || !mfn_eq(ops->mfn(old), ops->mfn(new)) )
        carried = 0;
    if ( bbm )
    {
        p2m_flush(p2m);
        write_pte(p2m, slot, new | carried);
    }
    else if ( carried )
        __atomic_fetch_or(slot, carried, __ATOMIC_SEQ_CST);
    count_leaves(p2m, old, level, 1, false);
    count_leaves(p2m, new, level, 1, true);
    if ( !bbm && narrows(p2m, old, new, level) )
        p2m_flush(p2m);
    if ( old != new )
        p2m_note_leaf_changed(p2m, gfn, level); /* views let go of old first */
    if ( drop_refs )
        drop_leaf_refs(p2m, old, level, gfn); /* after the flush: no TLB holds it */
    note_ram_gone(p2m, ram_lost(p2m, old, new, level));
}

/* A retype that changes the memory type of a live leaf, where the
 * backend wants that broken first: empty, flush, then the new entry. */
static p2m_pte_t retype_bbm(struct p2m_domain *p2m, p2m_pte_t *slot, p2m_pte_t made)
{
    p2m_pte_t old = exchange_pte(p2m, slot, 0);

    p2m_flush(p2m);
    write_pte(p2m, slot, keep_hw(p2m->ops, old, made));
    return old;
}

bool p2m_retype_leaf(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level, p2m_type_t t)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t old = read_pte(slot), new;
    p2m_pte_t made = ops->make_leaf(ops->mfn(old), level, t, ops->access(old));

    if ( needs_bbm(p2m, old, made, level) )
    {
        old = retype_bbm(p2m, slot, made);
        count_leaves(p2m, old, level, 1, false);
        count_leaves(p2m, made, level, 1, true);
        return false; /* flushed already */
    }
    /* Recompute from what is there until no hardware A/D update slipped
     * in between the read and the store. */
    do
    {
        old = read_pte(slot);
        new = keep_hw(ops, old, made);
    } while ( !cmpxchg_pte(p2m, slot, old, new) );
    count_leaves(p2m, old, level, 1, false);
    count_leaves(p2m, new, level, 1, true);
    return narrows(p2m, old, new, level);
}

bool p2m_reaccess_leaf(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level, p2m_access_t a)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    p2m_pte_t old, new;

    /* As p2m_retype_leaf: no A/D update of the hardware's is lost, and
     * it is carried by keep_hw, where the new leaf can hold it: on stage
     * 2 the dirty flag is the write permission itself, which a leaf that
     * loses write must not keep. The counters count types, which stay. */
    do
    {
        old = read_pte(slot);
        new = keep_hw(ops, old, ops->make_leaf(ops->mfn(old), level, ops->type(old), a));
    } while ( !cmpxchg_pte(p2m, slot, old, new) );
    return narrows(p2m, old, new, level);
}

uint64_t p2m_replace_subtree(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level,
                             uint64_t gfn, bool drop_refs, p2m_pte_t new)
{
    p2m_pte_t old = read_pte(slot);
    mfn_t old_table = p2m->ops->mfn(old);
    uint64_t ram;

    write_pte(p2m, slot, p2m->ops->empty);
    p2m_flush(p2m);
    p2m_recalc_forget(p2m, old);
    ram = p2m_free_below(p2m, old_table, level - 1, gfn, drop_refs);
    p2m_table_free(p2m, old_table);
    p2m->stats.tables--;
    write_pte(p2m, slot, new);
    count_leaves(p2m, new, level, 1, true);
    return ram;
}

void p2m_install(struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *slot, unsigned int level,
                 p2m_pte_t new)
{
    /* A superpage written over a table reports every RAM frame below,
     * even one it maps again at the same place: a spare invalidation is
     * harmless, a lost one is not. The views hold references of their
     * own on what they copied, so hearing of it after the table's went
     * frees nothing they map. */
    if ( is_table(p2m, read_pte(slot), level) )
    {
        note_ram_gone(p2m, p2m_replace_subtree(p2m, slot, level, gfn, true, new));
        p2m_note_leaf_changed(p2m, gfn, level);
    }
    else
        replace_leaf(p2m, gfn, slot, level, new, true);
}

void p2m_install_keeping_ref(struct p2m_domain *p2m, uint64_t gfn, p2m_pte_t *slot, p2m_pte_t new)
{
    replace_leaf(p2m, gfn, slot, 1, new, false);
}

/* ---- walking down ---- */

int p2m_add_table(struct p2m_domain *p2m, p2m_pte_t *slot)
{
    mfn_t table = p2m_table_alloc(p2m);

    if ( !mfn_valid_raw(table) )
        return -ENOMEM;
    p2m_fill_empty(p2m->ops, table_va(table));
    write_pte(p2m, slot, p2m->ops->make_table(table)); /* was empty: no flush */
    p2m->stats.tables++;
    return 0;
}

/* Children saying what parent said, accessed/dirty included: a dirty
 * superpage makes 512 dirty children, so no dirty page is lost. */
static void fill_children(struct p2m_domain *p2m, p2m_pte_t *table, p2m_pte_t parent,
                          unsigned int level)
{
    const struct p2m_pte_ops *ops = p2m->ops;
    unsigned int i;

    for ( i = 0; i < ENTRIES_PER_TABLE; i++ )
        write_pte(p2m, &table[i],
                  keep_hw(ops, parent,
                          ops->make_leaf(mfn_plus(ops->mfn(parent), i * level_span(level)), level,
                                         ops->type(parent), ops->access(parent))));
}

/* Split the superpage leaf in *slot into a table of 512 smaller leaves.
 * Leaves are never marked (recalc.c): the split copies a current type. */
int p2m_shatter(struct p2m_domain *p2m, p2m_pte_t *slot, unsigned int level)
{
    p2m_pte_t old = read_pte(slot);
    mfn_t table = p2m_table_alloc(p2m);

    if ( !mfn_valid_raw(table) )
        return -ENOMEM;
    fill_children(p2m, table_va(table), old, level - 1);
    break_before_make(p2m, slot, p2m->ops->make_table(table));
    count_leaves(p2m, old, level, 1, false);
    count_leaves(p2m, table_va(table)[0], level - 1, ENTRIES_PER_TABLE, true);
    p2m->stats.tables++;
    p2m->stats.shatters++;
    return 0;
}

/* Is every entry of this table empty? */
static bool table_empty(const struct p2m_domain *p2m, const p2m_pte_t *t)
{
    for ( unsigned int i = 0; i < ENTRIES_PER_TABLE; i++ )
        if ( read_pte(&t[i]) != p2m->ops->empty )
            return false;
    return true;
}

/* After a removal at gfn: unhook the tables on its path that now map
 * nothing (lowest first; the root stays), flush once so no walk can still
 * reach them, then give them back to the pool. */
void p2m_prune_empty(struct p2m_domain *p2m, uint64_t gfn, unsigned int level)
{
    p2m_pte_t *slots[P2M_LEVELS + 1];
    mfn_t unhooked[P2M_LEVELS];
    p2m_pte_t *table = table_va(p2m->root);
    unsigned int l, n = 0;

    for ( l = P2M_LEVELS; l > level; l-- )
    {
        slots[l] = &table[slot_index(gfn, l)];
        if ( !is_table(p2m, read_pte(slots[l]), l) )
            return;
        table = table_va(p2m->ops->mfn(read_pte(slots[l])));
    }
    for ( l = level + 1; l <= P2M_LEVELS; l++ )
    {
        p2m_pte_t old = read_pte(slots[l]);

        if ( !table_empty(p2m, table_va(p2m->ops->mfn(old))) )
            break;
        write_pte(p2m, slots[l], p2m->ops->empty);
        p2m_recalc_forget(p2m, old);
        unhooked[n++] = p2m->ops->mfn(old);
    }
    if ( !n )
        return;
    p2m_flush(p2m);
    while ( n-- )
    {
        p2m_table_free(p2m, unhooked[n]);
        p2m->stats.tables--;
    }
}
