/*
 * grant_table.c - grant tables, version 1: a domain shares its frames
 * with another domain by writing entries into its grant table; the other
 * domain maps them into its physmap (map/unmap_grant_ref) or has the
 * hypervisor copy to and from them (GNTTABOP_copy).
 *
 * What it keeps (xen/grant_table.h says who holds which reference):
 *  - the shared entries: pages the hypervisor shares with the granter
 *    (frame_share_with_guest), which the granter maps with
 *    XENMAPSPACE_grant_table. The guest may rewrite them at any moment, so
 *    an entry is read once, and GTF_reading/GTF_writing are set and
 *    cleared only by compare-and-exchange on its flags and domid;
 *  - one active record per entry: the grantee and frame while the entry
 *    is pinned, and how many maps and copies use it for reading or writing;
 *  - the maptrack: one record per mapping this domain made, found by its
 *    handle.
 *
 * Every request is checked with the locks held before anything changes;
 * a failure is a GNTST_* status in that operation only. This file changes
 * p2m entries only for grant mappings and grant frames, and another
 * domain's state only through that domain's grant table, under its lock.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/logdirty.h>
#include <xen/grant_table.h>
#include <xen/grant_entry.h>
#include <public/grant_table.h>
#include <public/memory.h>

#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))

/* Maptrack records come in chunks of a page; at most this many chunks
 * (131072 mappings per domain). */
#define MAPTRACK_PER_CHUNK (PAGE_SIZE / sizeof(struct maptrack))
#define MAPTRACK_CHUNKS    GNTTAB_MAX_MAPTRACK
#define MAPTRACK_NONE      UINT32_MAX

/* Operations of one call done before the call is continued. */
#define GNTTAB_SLICE 64U

struct maptrack
{
    struct grant_table *rgt; /* the granter's table (a reference); NULL: free */
    grant_ref_t ref;
    uint32_t next_free; /* free list, while free */
    uint32_t flags;     /* GNTMAP_host_map, GNTMAP_readonly */
    gfn_t gfn;          /* where it is mapped in this domain */
    mfn_t mfn;
};

struct grant_table
{
    spinlock_t lock;
    uint32_t refcnt;      /* atomic: the owner's, and one per mapping of its grants */
    struct domain *owner; /* NULL once the owner is freed (lock held to change) */
    unsigned int nr_frames;
    struct grant_entry_v1 *shared[GNTTAB_MAX_FRAMES];
    struct active_grant *active[GNTTAB_MAX_FRAMES];
    gfn_t frame_gfn[GNTTAB_MAX_FRAMES]; /* last place mapped; checked, not trusted */
    struct maptrack *maptrack[MAPTRACK_CHUNKS];
    unsigned int maptrack_chunks;
    uint32_t maptrack_free;
    unsigned int max_frames; /* createdomain's limits, at most the arrays' */
    unsigned int max_maptrack;
};

/* ---- the table ------------------------------------------------------- */

static struct grant_entry_v1 *shared_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->shared[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

static struct active_grant *active_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

static uint32_t nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * ENTRIES_PER_FRAME;
}

/*
 * What the table takes beyond its first frame is the domain's to pay for
 * (docs/designs/isolation.md): each frame, its active records and each
 * maptrack chunk is charged to the domain's p2m pool first (-ENOMEM when
 * the pool has no free page for it). The first frame is part of every
 * domain, like its vCPUs; nothing is uncharged, as a table never shrinks:
 * the charged pages go back to the host when the table is freed.
 */
static int charge(struct domain *d, uint64_t pages)
{
    return p2m_pool_charge(&d->p2m_pool, pages);
}

static void uncharge(struct domain *d, uint64_t pages)
{
    p2m_pool_uncharge(&d->p2m_pool, pages);
}

/* One frame's active records, in whole pages of their own. */
#define ACTIVE_ORDER 2
BUILD_BUG_ON(ENTRIES_PER_FRAME * sizeof(struct active_grant) > (PAGE_SIZE << ACTIVE_ORDER));
#define FRAME_COST (1U + (1U << ACTIVE_ORDER))

/* Add frame i (lock held, paid for): -ENOMEM with nothing changed. */
static int add_frame(struct domain *d, unsigned int i)
{
    struct grant_table *gt = d->grant_table;
    mfn_t page = alloc_zeroed_pages(0), act = alloc_zeroed_pages(ACTIVE_ORDER);
    if ( !mfn_valid_raw(page) || !mfn_valid_raw(act) )
    {
        if ( mfn_valid_raw(page) )
            free_pages(page, 0);
        if ( mfn_valid_raw(act) )
            free_pages(act, ACTIVE_ORDER);
        return -ENOMEM;
    }
    frame_share_with_guest(page, d->domain_id);
    gt->shared[i] = mfn_to_virt(page);
    gt->active[i] = mfn_to_virt(act);
    gt->frame_gfn[i] = INVALID_GFN;
    gt->nr_frames = i + 1;
    return 0;
}

/* Frames [from, nr) that must be paid for. */
static uint64_t frames_cost(unsigned int from, unsigned int nr)
{
    from = MAX(from, GNTTAB_INITIAL_FRAMES);
    return nr > from ? (uint64_t)(nr - from) * FRAME_COST : 0;
}

/* Grow to nr frames (lock held). Paid for up front: a pool that cannot
 * pay is -ENOMEM with nothing changed; only the host running out of
 * memory part way leaves the frames added so far. */
static int grow_table(struct domain *d, unsigned int nr)
{
    struct grant_table *gt = d->grant_table;
    uint64_t cost = frames_cost(gt->nr_frames, nr);
    if ( cost && charge(d, cost) )
        return -ENOMEM;
    while ( gt->nr_frames < nr )
        if ( add_frame(d, gt->nr_frames) )
        {
            uncharge(d, frames_cost(gt->nr_frames, nr));
            return -ENOMEM;
        }
    return 0;
}

int grant_table_init(struct domain *d)
{
    struct grant_table *gt = xzalloc(struct grant_table);
    if ( !gt )
        return -ENOMEM;
    spin_lock_init(&gt->lock, LOCK_grant);
    gt->refcnt = 1;
    gt->owner = d;
    gt->maptrack_free = MAPTRACK_NONE;
    gt->max_frames = GNTTAB_MAX_FRAMES;
    gt->max_maptrack = MAPTRACK_CHUNKS;
    d->grant_table = gt;
    return grow_table(d, GNTTAB_INITIAL_FRAMES);
}

void grant_table_set_limits(struct domain *d, unsigned int frames, unsigned int maptrack)
{
    struct grant_table *gt = d->grant_table;
    spin_lock(&gt->lock);
    gt->max_frames = MAX(gt->nr_frames, MIN(frames, GNTTAB_MAX_FRAMES));
    gt->max_maptrack = MIN(maptrack, MAPTRACK_CHUNKS);
    spin_unlock(&gt->lock);
}

static void get_table(struct grant_table *gt)
{
    __atomic_fetch_add(&gt->refcnt, 1, __ATOMIC_ACQ_REL);
}

/* The last reference frees the entry frames (the hypervisor's references
 * on them: a foreign mapping may keep one a while) and the records. */
static void put_table(struct grant_table *gt)
{
    if ( __atomic_sub_fetch(&gt->refcnt, 1, __ATOMIC_ACQ_REL) )
        return;
    for ( unsigned int i = 0; i < gt->nr_frames; i++ )
    {
        frame_unshare(virt_to_mfn(gt->shared[i]));
        free_pages(virt_to_mfn(gt->active[i]), ACTIVE_ORDER);
    }
    for ( unsigned int i = 0; i < gt->maptrack_chunks; i++ )
        free_page_ptr(gt->maptrack[i]);
    xfree(gt);
}

/* The owner goes; its table stays while another domain maps its grants. */
void grant_table_free(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    if ( !gt )
        return;
    spin_lock(&gt->lock);
    gt->owner = NULL;
    spin_unlock(&gt->lock);
    d->grant_table = NULL;
    put_table(gt);
}

/* Both tables' locks, lower address first (the class nests by address). */
static void lock_two(struct grant_table *a, struct grant_table *b)
{
    if ( a == b )
    {
        spin_lock(&a->lock);
        return;
    }
    if ( (uintptr_t)a > (uintptr_t)b )
    {
        struct grant_table *t = a;
        a = b;
        b = t;
    }
    spin_lock(&a->lock);
    spin_lock(&b->lock);
}

static void unlock_two(struct grant_table *a, struct grant_table *b)
{
    spin_unlock(&a->lock);
    if ( a != b )
        spin_unlock(&b->lock);
}

/* ---- maptrack -------------------------------------------------------- */

static struct maptrack *maptrack_entry(struct grant_table *gt, grant_handle_t h)
{
    if ( h >= gt->maptrack_chunks * MAPTRACK_PER_CHUNK )
        return NULL;
    return &gt->maptrack[h / MAPTRACK_PER_CHUNK][h % MAPTRACK_PER_CHUNK];
}

/* One more chunk on d's free list (lock held). false: none left, or no
 * pool page to pay for it. */
static bool maptrack_grow(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    unsigned int c = gt->maptrack_chunks;
    struct maptrack *chunk;
    if ( c >= gt->max_maptrack || charge(d, 1) )
        return false;
    chunk = alloc_page_zeroed();
    if ( !chunk )
    {
        uncharge(d, 1);
        return false;
    }
    for ( unsigned int i = 0; i < MAPTRACK_PER_CHUNK; i++ )
        chunk[i].next_free =
            i + 1 < MAPTRACK_PER_CHUNK ? c * MAPTRACK_PER_CHUNK + i + 1 : gt->maptrack_free;
    gt->maptrack[c] = chunk;
    gt->maptrack_free = c * MAPTRACK_PER_CHUNK;
    gt->maptrack_chunks = c + 1;
    return true;
}

/* A free handle, still on the free list (lock held); MAPTRACK_NONE if
 * there is none and none can be made. */
static uint32_t maptrack_peek(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    if ( gt->maptrack_free == MAPTRACK_NONE && !maptrack_grow(d) )
        return MAPTRACK_NONE;
    return gt->maptrack_free;
}

static void maptrack_put(struct grant_table *gt, grant_handle_t h)
{
    struct maptrack *m = maptrack_entry(gt, h);
    memset(m, 0, sizeof(*m));
    m->next_free = gt->maptrack_free;
    gt->maptrack_free = h;
}

/* ---- pinning an entry -------------------------------------------------- */

static bool get_granted(mfn_t m, void *rd)
{
    return get_page(m, ((struct domain *)rd)->domain_id);
}

/* The granter's frame behind gfn, with a reference: RAM only; written
 * only if its type allows. */
static int16_t lookup_granted(struct domain *rd, uint64_t gfn, mfn_t *mfn, bool *writable)
{
    p2m_type_t t;
    if ( !domain_gfn_ok(rd, gfn) )
        return GNTST_general_error;
    *mfn = p2m_lookup_get(&rd->p2m, _gfn(gfn), &t, get_granted, rd);
    if ( !mfn_valid_raw(*mfn) )
        return GNTST_general_error;
    *writable = t == p2m_ram_rw || t == p2m_ram_logdirty;
    if ( t == p2m_ram_ro || *writable )
        return GNTST_okay;
    put_page(*mfn);
    return GNTST_general_error;
}

/*
 * Pin rd's entry ref for ld (rd's lock held) and take a reference on its
 * frame for the caller: the mapping or the copy holds it. Checks first;
 * on any failure the entry and the active record are as before.
 */
static int16_t pin_grant(struct domain *rd, grant_ref_t ref, domid_t ld, bool ro, mfn_t *mfn)
{
    struct grant_table *gt = rd->grant_table;
    struct active_grant *act;
    struct grant_entry_v1 *e;
    bool first, writable;
    int16_t rc;
    if ( ref >= nr_entries(gt) )
        return GNTST_bad_gntref;
    act = active_entry(gt, ref);
    e = shared_entry(gt, ref);
    rc = grant_pin_begin(act, e, ld, ro, &first);
    if ( rc )
        return rc;
    if ( first )
    {
        uint64_t gfn = __atomic_load_n(&e->frame, __ATOMIC_SEQ_CST);
        rc = lookup_granted(rd, gfn, mfn, &writable);
        if ( !rc && !ro && !writable )
        {
            put_page(*mfn);
            rc = GNTST_general_error;
        }
        if ( !rc )
        {
            act->domid = ld;
            act->gfn = gfn;
            act->mfn = *mfn;
            act->writable = writable;
        }
    }
    else if ( !get_page(act->mfn, rd->domain_id) )
    {
        rc = GNTST_general_error; /* the granter gave the frame back */
    }
    if ( rc )
    {
        grant_pin_abort(act, e, ro, first);
        return rc;
    }
    *mfn = act->mfn;
    grant_pin_commit(act, ro);
    return GNTST_okay;
}

/* Undo one pin (the table's lock held); the caller drops its frame
 * reference. */
static void unpin_grant(struct grant_table *gt, grant_ref_t ref, bool ro)
{
    grant_unpin(active_entry(gt, ref), shared_entry(gt, ref), ro);
}

/* ---- map and unmap ------------------------------------------------------ */

/* May a grant mapping go at gfn of ld? A hole, or RAM (which stays ld's,
 * unmapped, as in Xen); never over another mapping. */
static bool map_slot_ok(struct domain *ld, gfn_t gfn)
{
    p2m_type_t t;
    p2m_lookup(&ld->p2m, gfn, &t, NULL, NULL);
    return t == p2m_invalid || t == p2m_ram_rw || t == p2m_ram_logdirty;
}

/* Both locks held, request checked, handle h peeked: pins, maps, and
 * then h is used. */
static int16_t map_locked(struct domain *ld, struct domain *rd, struct gnttab_map_grant_ref *op,
                          uint32_t h)
{
    struct grant_table *lgt = ld->grant_table;
    bool ro = op->flags & GNTMAP_readonly;
    gfn_t gfn = _gfn(op->host_addr >> PAGE_SHIFT);
    struct maptrack *m;
    mfn_t mfn;
    int16_t rc = pin_grant(rd, op->ref, ld->domain_id, ro, &mfn);
    if ( rc )
        return rc;
    /* The reference taken by the pin becomes the p2m entry's. A writable
     * one is rd's log-dirty business too: ld's writes bypass rd's p2m. */
    if ( (!ro && logdirty_foreign_mapped(rd, active_entry(rd->grant_table, op->ref)->gfn)) ||
         p2m_set_entry(&ld->p2m, gfn, mfn, P2M_ORDER_4K, ro ? p2m_grant_map_ro : p2m_grant_map_rw,
                       ro ? p2m_access_r : p2m_access_rw) )
    {
        put_page(mfn);
        unpin_grant(rd->grant_table, op->ref, ro);
        return GNTST_general_error;
    }
    lgt->maptrack_free = maptrack_entry(lgt, h)->next_free;
    m = maptrack_entry(lgt, h);
    m->rgt = rd->grant_table;
    get_table(m->rgt);
    m->ref = op->ref;
    m->flags = GNTMAP_host_map | (ro ? GNTMAP_readonly : 0);
    m->gfn = gfn;
    m->mfn = mfn;
    op->handle = h;
    return GNTST_okay;
}

static int16_t map_checked(struct domain *ld, struct domain *rd, struct gnttab_map_grant_ref *op)
{
    uint32_t h;
    int16_t rc;
    lock_two(ld->grant_table, rd->grant_table);
    if ( op->ref >= nr_entries(rd->grant_table) )
        rc = GNTST_bad_gntref;
    else if ( !map_slot_ok(ld, _gfn(op->host_addr >> PAGE_SHIFT)) )
        rc = GNTST_general_error;
    else if ( (h = maptrack_peek(ld)) == MAPTRACK_NONE )
        rc = GNTST_no_device_space;
    else
        rc = map_locked(ld, rd, op, h);
    unlock_two(ld->grant_table, rd->grant_table);
    return rc;
}

static int16_t map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
    struct domain *rd;
    int16_t rc;
    op->handle = UINT32_MAX;
    op->dev_bus_addr = 0;
    if ( !(op->flags & (GNTMAP_host_map | GNTMAP_device_map)) )
        return GNTST_bad_gntref; /* Xen's answer */
    if ( op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte) )
        return GNTST_general_error; /* none of these for a translated guest */
    if ( !domain_gfn_ok(ld, op->host_addr >> PAGE_SHIFT) )
        return GNTST_general_error;
    rd = domain_get_by_id(op->dom);
    if ( !rd )
        return GNTST_bad_domain;
    rc = map_checked(ld, rd, op);
    put_domain(rd);
    return rc;
}

/* The granter's table of handle h, with a reference; NULL if h maps
 * nothing. */
static struct grant_table *handle_table(struct grant_table *lgt, grant_handle_t h)
{
    struct maptrack *m;
    struct grant_table *rgt = NULL;
    spin_lock(&lgt->lock);
    m = maptrack_entry(lgt, h);
    if ( m && m->rgt )
    {
        rgt = m->rgt;
        get_table(rgt);
    }
    spin_unlock(&lgt->lock);
    return rgt;
}

/*
 * Undo mapping m of ld (both locks held): entry, pin, record. The entry
 * goes first (the p2m drops its frame reference); if it cannot (no pool
 * page to split a superpage the p2m merged it into), nothing changes and
 * the grantee keeps its mapping and handle - unless ld is dying (force):
 * its p2m is emptied next anyway.
 */
static int16_t unmap_locked(struct domain *ld, struct maptrack *m, grant_handle_t h, bool force)
{
    bool ro = m->flags & GNTMAP_readonly;
    p2m_type_t t;
    mfn_t cur = p2m_lookup(&ld->p2m, m->gfn, &t, NULL, NULL);
    /* Only this file makes or removes grant entries, under this lock, so
     * the entry is still there. */
    if ( (t == p2m_grant_map_rw || t == p2m_grant_map_ro) && mfn_eq(cur, m->mfn) &&
         p2m_set_entry(&ld->p2m, m->gfn, INVALID_MFN, P2M_ORDER_4K, p2m_invalid, p2m_access_n) &&
         !force )
        return GNTST_general_error;
    if ( !ro && m->rgt->owner ) /* the grantee's writes bypassed the granter's log */
        logdirty_note_hypervisor_write(m->rgt->owner, active_entry(m->rgt, m->ref)->gfn);
    unpin_grant(m->rgt, m->ref, ro);
    maptrack_put(ld->grant_table, h);
    return GNTST_okay;
}

static int16_t unmap_one(struct domain *ld, const struct gnttab_unmap_grant_ref *op)
{
    struct grant_table *lgt = ld->grant_table;
    struct grant_table *rgt = handle_table(lgt, op->handle);
    struct maptrack *m;
    int16_t rc = GNTST_okay;
    if ( !rgt )
        return GNTST_bad_handle;
    lock_two(lgt, rgt);
    m = maptrack_entry(lgt, op->handle);
    if ( m->rgt != rgt )
        rc = GNTST_bad_handle; /* unmapped meanwhile */
    else if ( op->dev_bus_addr )
        rc = GNTST_bad_dev_addr; /* no device mappings exist */
    else if ( op->host_addr && (op->host_addr >> PAGE_SHIFT) != gfn_x(m->gfn) )
        rc = GNTST_general_error;
    else if ( op->host_addr )
        rc = unmap_locked(ld, m, op->handle, false);
    /* host_addr 0: nothing unmapped, as in Xen */
    unlock_two(lgt, rgt);
    if ( rc == GNTST_okay && op->host_addr )
        put_table(rgt); /* the mapping's */
    put_table(rgt);
    return rc;
}

void grant_table_relinquish(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    if ( !gt )
        return;
    for ( grant_handle_t h = 0; h < gt->maptrack_chunks * MAPTRACK_PER_CHUNK; h++ )
    {
        struct grant_table *rgt = handle_table(gt, h);
        struct maptrack *m;
        bool undone = false;
        if ( !rgt )
            continue;
        lock_two(gt, rgt);
        m = maptrack_entry(gt, h);
        if ( m->rgt == rgt )
        {
            unmap_locked(d, m, h, true);
            undone = true;
        }
        unlock_two(gt, rgt);
        if ( undone )
            put_table(rgt);
        put_table(rgt);
    }
}

/* ---- copy ---------------------------------------------------------------- */

/* One side of a copy, while it is held. */
struct copy_buf
{
    struct domain *d; /* a reference */
    bool pinned;      /* through a grant (else a gfn of the caller) */
    grant_ref_t ref;
    mfn_t mfn; /* a reference */
    uint64_t gfn;
};

static int16_t copy_domain(const struct gnttab_copy_ptr *p, bool gref, struct copy_buf *b)
{
    struct domain *cur = current->domain;
    if ( !gref && p->domid != DOMID_SELF )
        return GNTST_permission_denied; /* only our own frames by gfn */
    if ( p->domid == DOMID_SELF || p->domid == cur->domain_id )
    {
        get_domain(cur);
        b->d = cur;
        return GNTST_okay;
    }
    b->d = domain_get_by_id(p->domid);
    return b->d ? GNTST_okay : GNTST_bad_domain;
}

static int16_t claim_local(struct copy_buf *b, uint64_t gfn, bool write)
{
    bool writable;
    if ( lookup_granted(b->d, gfn, &b->mfn, &writable) )
        return GNTST_bad_page;
    if ( write && !writable )
    {
        put_page(b->mfn);
        return GNTST_bad_page;
    }
    b->gfn = gfn;
    return GNTST_okay;
}

static int16_t claim_buf(const struct gnttab_copy_ptr *p, bool gref, bool write, struct copy_buf *b)
{
    struct grant_table *gt;
    int16_t rc = copy_domain(p, gref, b);
    if ( rc )
        return rc;
    if ( !gref )
        return claim_local(b, p->u.gmfn, write);
    gt = b->d->grant_table;
    spin_lock(&gt->lock);
    rc = pin_grant(b->d, p->u.ref, current->domain->domain_id, !write, &b->mfn);
    if ( !rc )
    {
        b->pinned = true;
        b->ref = p->u.ref;
        b->gfn = active_entry(gt, p->u.ref)->gfn;
    }
    spin_unlock(&gt->lock);
    return rc;
}

static void release_buf(struct copy_buf *b, bool write)
{
    if ( !b->d )
        return;
    if ( mfn_valid_raw(b->mfn) )
    {
        if ( write )
            logdirty_note_hypervisor_write(b->d, b->gfn);
        if ( b->pinned )
        {
            spin_lock(&b->d->grant_table->lock);
            unpin_grant(b->d->grant_table, b->ref, !write);
            spin_unlock(&b->d->grant_table->lock);
        }
        put_page(b->mfn);
    }
    put_domain(b->d);
}

static int16_t copy_one(const struct gnttab_copy *op)
{
    struct copy_buf src = { .mfn = INVALID_MFN }, dst = { .mfn = INVALID_MFN };
    int16_t rc;
    if ( op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE )
        return GNTST_bad_copy_arg;
    rc = claim_buf(&op->source, op->flags & GNTCOPY_source_gref, false, &src);
    if ( !rc )
        rc = claim_buf(&op->dest, op->flags & GNTCOPY_dest_gref, true, &dst);
    if ( !rc )
        memmove((uint8_t *)mfn_to_virt(dst.mfn) + op->dest.offset,
                (const uint8_t *)mfn_to_virt(src.mfn) + op->source.offset, op->len);
    release_buf(&dst, true);
    release_buf(&src, false);
    return rc;
}

/* ---- table setup and queries ---------------------------------------------- */

/* The domain a setup/query names: Xen looks it up (bad_domain) before it
 * asks whether the caller may act on it (permission_denied). */
static int16_t table_domain(domid_t id, struct domain **out)
{
    struct domain *cur = current->domain;
    if ( id == DOMID_SELF || id == cur->domain_id )
    {
        get_domain(cur);
        *out = cur;
        return GNTST_okay;
    }
    *out = domain_get_by_id(id);
    if ( !*out )
        return GNTST_bad_domain;
    if ( cur->is_privileged )
        return GNTST_okay;
    put_domain(*out);
    *out = NULL;
    return GNTST_permission_denied;
}

/* Where frame i of d is mapped in d's physmap, or ~0 (never a machine
 * frame: the guest is translated). Lock held. */
static xen_pfn_t frame_gfn(struct domain *d, unsigned int i)
{
    struct grant_table *gt = d->grant_table;
    gfn_t g = gt->frame_gfn[i];
    mfn_t m = virt_to_mfn(gt->shared[i]);
    if ( gfn_x(g) < P2M_GFN_LIMIT && mfn_eq(p2m_lookup(&d->p2m, g, NULL, NULL, NULL), m) )
        return gfn_x(g);
    return ~(xen_pfn_t)0;
}

static long setup_table(uint64_t uop)
{
    struct gnttab_setup_table op;
    struct domain *d = NULL;
    xen_pfn_t gfns[GNTTAB_MAX_FRAMES];
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    op.status = op.nr_frames > GNTTAB_MAX_FRAMES ? GNTST_general_error : table_domain(op.dom, &d);
    if ( op.status == GNTST_okay && op.nr_frames > d->grant_table->max_frames )
        op.status = GNTST_general_error;
    if ( op.status == GNTST_okay )
    {
        spin_lock(&d->grant_table->lock);
        if ( grow_table(d, op.nr_frames) )
            op.status = GNTST_general_error;
        for ( unsigned int i = 0; !op.status && i < op.nr_frames; i++ )
            gfns[i] = frame_gfn(d, i);
        spin_unlock(&d->grant_table->lock);
        if ( !op.status && op.nr_frames &&
             copy_to_guest(op.frame_list, gfns, op.nr_frames * sizeof(gfns[0])) )
            op.status = GNTST_bad_virt_addr;
    }
    if ( d )
        put_domain(d);
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long query_size(uint64_t uop)
{
    struct gnttab_query_size op;
    struct domain *d;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    op.status = table_domain(op.dom, &d);
    if ( op.status == GNTST_okay )
    {
        op.nr_frames = d->grant_table->nr_frames;
        op.max_nr_frames = d->grant_table->max_frames;
        put_domain(d);
    }
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Only version 1 exists: 2 is what Xen answers when version 2 is
 * disabled (-ENOSYS), anything else -EINVAL. */
static long set_version(uint64_t uop)
{
    struct gnttab_set_version op;
    long rc = 0;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( op.version == 2 )
        rc = -ENOSYS;
    else if ( op.version != 1 )
        rc = -EINVAL;
    op.version = 1;
    if ( copy_to_guest(uop, &op, sizeof(op)) )
        return -EFAULT;
    return rc;
}

static long get_version(uint64_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;
    long rc;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    /* Looked up before the permission check, as Xen does. */
    rc = table_domain(op.dom, &d);
    if ( rc )
        return rc == GNTST_bad_domain ? -ESRCH : -EPERM;
    put_domain(d);
    op.version = 1;
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* ---- XENMAPSPACE_grant_table ------------------------------------------------ */

/* What is at gpfn of d may be replaced by a grant frame: a hole, d's RAM
 * (*give_back: it goes back, as Xen frees it) or a page the hypervisor
 * shares with d (shared_info, a grant frame: just unhooked). */
static int replaceable(struct domain *d, uint64_t gpfn, bool *give_back)
{
    p2m_type_t t;
    mfn_t m = p2m_lookup(&d->p2m, _gfn(gpfn), &t, NULL, NULL);
    *give_back = false;
    if ( t == p2m_invalid )
        return 0;
    if ( t != p2m_ram_rw && t != p2m_ram_logdirty )
        return -EBUSY;
    *give_back = frame_is_allocated_to(m, d->domain_id);
    return 0;
}

/* d->lock and the table's lock held; idx checked and present. */
static int map_frame_locked(struct domain *d, unsigned int idx, uint64_t gpfn)
{
    struct grant_table *gt = d->grant_table;
    mfn_t mfn = virt_to_mfn(gt->shared[idx]), old;
    gfn_t prev = gt->frame_gfn[idx];
    bool give_back;
    int rc = replaceable(d, gpfn, &give_back);
    if ( rc )
        return rc;
    old = p2m_lookup(&d->p2m, _gfn(gpfn), NULL, NULL, NULL);
    rc = p2m_set_entry(&d->p2m, _gfn(gpfn), mfn, P2M_ORDER_4K, p2m_ram_rw, p2m_access_rw);
    if ( rc )
        return rc;
    if ( give_back && frame_release(old) )
        d->tot_pages--;
    if ( gfn_x(prev) != gpfn && gfn_x(prev) < P2M_GFN_LIMIT &&
         mfn_eq(p2m_lookup(&d->p2m, prev, NULL, NULL, NULL), mfn) )
        p2m_set_entry(&d->p2m, prev, INVALID_MFN, P2M_ORDER_4K, p2m_invalid, p2m_access_n);
    gt->frame_gfn[idx] = _gfn(gpfn);
    return 0;
}

int grant_table_map_frame(struct domain *d, uint64_t idx, uint64_t gpfn)
{
    int rc;
    if ( idx >= d->grant_table->max_frames || !domain_gfn_ok(d, gpfn) )
        return -EINVAL; /* a status frame (XENMAPIDX_grant_table_status) is v2's */
    spin_lock(&d->lock);
    spin_lock(&d->grant_table->lock);
    rc = d->is_dying ? -ESRCH : grow_table(d, (unsigned int)idx + 1);
    if ( !rc )
        rc = map_frame_locked(d, (unsigned int)idx, gpfn);
    spin_unlock(&d->grant_table->lock);
    spin_unlock(&d->lock);
    return rc;
}

/* ---- the hypercall ---------------------------------------------------------- */

static long map_batch(uint64_t uop, unsigned int n)
{
    struct gnttab_map_grant_ref op;
    for ( unsigned int i = 0; i < n; i++, uop += sizeof(op) )
    {
        if ( copy_from_guest(&op, uop, sizeof(op)) )
            return -EFAULT;
        op.status = map_one(current->domain, &op);
        if ( copy_to_guest(uop, &op, sizeof(op)) )
            return -EFAULT; /* a mapping made stays; its handle is lost to the guest */
    }
    return 0;
}

static long unmap_batch(uint64_t uop, unsigned int n)
{
    struct gnttab_unmap_grant_ref op;
    for ( unsigned int i = 0; i < n; i++, uop += sizeof(op) )
    {
        if ( copy_from_guest(&op, uop, sizeof(op)) )
            return -EFAULT;
        op.status = unmap_one(current->domain, &op);
        if ( copy_to_guest(uop + offsetof(struct gnttab_unmap_grant_ref, status), &op.status,
                           sizeof(op.status)) )
            return -EFAULT;
    }
    return 0;
}

static long copy_batch(uint64_t uop, unsigned int n)
{
    struct gnttab_copy op;
    for ( unsigned int i = 0; i < n; i++, uop += sizeof(op) )
    {
        if ( copy_from_guest(&op, uop, sizeof(op)) )
            return -EFAULT;
        op.status = copy_one(&op);
        if ( copy_to_guest(uop + offsetof(struct gnttab_copy, status), &op.status,
                           sizeof(op.status)) )
            return -EFAULT;
    }
    return 0;
}

/* A batched sub-op: GNTTAB_SLICE operations, then a continuation with
 * the arguments moved past them. */
static long batched(uint64_t cmd, uint64_t uop, uint64_t count, size_t size,
                    long (*fn)(uint64_t uop, unsigned int n))
{
    unsigned int n = count > GNTTAB_SLICE ? GNTTAB_SLICE : (unsigned int)count;
    long rc = fn(uop, n);
    if ( rc || n == count )
        return rc;
    hypercall_set_arg(1, uop + n * size);
    hypercall_set_arg(2, count - n);
    return -ERESTART;
}

long do_grant_table_op(uint64_t cmd, uint64_t uop, uint64_t count)
{
    if ( (int32_t)count < 0 || count > UINT32_MAX )
        return -EINVAL;
    switch ( cmd )
    {
    case GNTTABOP_map_grant_ref:
        return batched(cmd, uop, count, sizeof(struct gnttab_map_grant_ref), map_batch);
    case GNTTABOP_unmap_grant_ref:
        return batched(cmd, uop, count, sizeof(struct gnttab_unmap_grant_ref), unmap_batch);
    case GNTTABOP_copy: return batched(cmd, uop, count, sizeof(struct gnttab_copy), copy_batch);
    case GNTTABOP_setup_table: return count == 1 ? setup_table(uop) : -EINVAL;
    case GNTTABOP_query_size: return count == 1 ? query_size(uop) : -EINVAL;
    case GNTTABOP_set_version: return count == 1 ? set_version(uop) : -EINVAL;
    case GNTTABOP_get_version: return count == 1 ? get_version(uop) : -EINVAL;
    default: return -ENOSYS;
    }
}
