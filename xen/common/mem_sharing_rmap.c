/*
 * mem_sharing_rmap.c - the reverse map of shared frames: for each frame
 * owned by DOMID_COW, its handle and every (domain, view, gfn) whose p2m
 * entry maps it. The frame's reference count must equal its number of
 * entries (msh_audit checks it), because each entry holds one reference
 * and the p2m's put_frame hook removes the entry here whenever the entry
 * leaves its table, by any path.
 *
 * One lock (rmap_lock, class sharing_rmap) covers the whole map: it is
 * taken under a p2m or p2m_view lock, and takes nothing but the pool,
 * heap and allocator locks. Nodes are charged to the mapping domain's
 * p2m pool, one pool page per NODES_PER_PAGE nodes, so a domain that
 * maps many shared frames pays for its map; a frame's record is the
 * hypervisor's (as Xen's page sharing info is).
 *
 * May not touch: p2m tables (it only hears of entries), domains (it knows
 * struct mem_sharing_domain only), frames other than through frame.h.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/spinlock.h>
#include <xen/frame.h>
#include <xen/mem_sharing.h>
#include <public/xen.h>

struct rmap_node
{
    struct rmap_node *next;
    struct mem_sharing_domain *msd;
    uint64_t gfn;
    uint16_t view;
};

struct shared_frame
{
    struct shared_frame *next; /* in its hash bucket */
    mfn_t mfn;
    uint64_t handle;
    struct rmap_node *nodes;
    uint32_t nr;
};

#define NODES_PER_PAGE (PAGE_SIZE / sizeof(struct rmap_node))
#define RMAP_BUCKETS   1024

static spinlock_t rmap_lock = SPIN_LOCK_UNLOCKED(LOCK_sharing_rmap);
static struct shared_frame *buckets[RMAP_BUCKETS];
static uint64_t nr_frames, nr_entries, nr_lost, next_handle = 1;

void mem_sharing_domain_init(struct mem_sharing_domain *msd, domid_t id, struct p2m_pool *pool)
{
    memset(msd, 0, sizeof(*msd));
    msd->domid = id;
    msd->pool = pool;
}

static struct shared_frame **bucket(mfn_t mfn)
{
    return &buckets[(mfn_x(mfn) * 0x9e3779b97f4a7c15ULL) >> 54];
}

static struct shared_frame *find(mfn_t mfn)
{
    struct shared_frame *f = *bucket(mfn);

    while ( f && !mfn_eq(f->mfn, mfn) )
        f = f->next;
    return f;
}

/* A node for msd, charged to its pool: NULL if the pool has no page. */
static struct rmap_node *node_alloc(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn)
{
    struct rmap_node *n;

    if ( !(msd->rmap_nodes % NODES_PER_PAGE) && msd->pool )
    {
        if ( p2m_pool_charge(msd->pool, 1) )
            return NULL;
        msd->charged++;
    }
    n = xzalloc(struct rmap_node);
    if ( !n )
    {
        if ( !(msd->rmap_nodes % NODES_PER_PAGE) && msd->pool )
        {
            p2m_pool_uncharge(msd->pool, 1);
            msd->charged--;
        }
        return NULL;
    }
    n->msd = msd;
    n->view = (uint16_t)view;
    n->gfn = gfn;
    msd->rmap_nodes++;
    return n;
}

static void node_free(struct rmap_node *n)
{
    struct mem_sharing_domain *msd = n->msd;

    msd->rmap_nodes--;
    if ( !(msd->rmap_nodes % NODES_PER_PAGE) && msd->pool )
    {
        p2m_pool_uncharge(msd->pool, 1);
        msd->charged--;
    }
    xfree(n);
}

static void frame_unlink(struct shared_frame *f)
{
    struct shared_frame **pp = bucket(f->mfn);

    while ( *pp != f )
        pp = &(*pp)->next;
    *pp = f->next;
    nr_frames--;
    xfree(f);
}

int msh_rmap_new(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn,
                 uint64_t *handle)
{
    struct shared_frame *f = xzalloc(struct shared_frame);
    int rc = -ENOMEM;

    if ( !f )
        return rc;
    spin_lock(&rmap_lock);
    if ( find(mfn) )
        rc = -EEXIST;
    else if ( (f->nodes = node_alloc(msd, view, gfn)) )
    {
        f->mfn = mfn;
        f->nr = 1;
        f->handle = *handle = next_handle++;
        f->next = *bucket(mfn);
        *bucket(mfn) = f;
        nr_frames++;
        nr_entries++;
        rc = 0;
    }
    spin_unlock(&rmap_lock);
    if ( rc )
        xfree(f);
    return rc;
}

int msh_rmap_add(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn)
{
    struct shared_frame *f;
    struct rmap_node *n;
    int rc = 0;

    spin_lock(&rmap_lock);
    f = find(mfn);
    if ( !f )
        rc = -ENOENT;
    else if ( !(n = node_alloc(msd, view, gfn)) )
        rc = -ENOMEM;
    else
    {
        n->next = f->nodes;
        f->nodes = n;
        f->nr++;
        nr_entries++;
    }
    spin_unlock(&rmap_lock);
    return rc;
}

/* Unlink (msd, view, gfn) from f; its record goes with its last node. */
static bool del_locked(struct shared_frame *f, struct mem_sharing_domain *msd, unsigned int view,
                       uint64_t gfn)
{
    struct rmap_node **pp = &f->nodes, *n;

    while ( *pp && ((*pp)->msd != msd || (*pp)->view != view || (*pp)->gfn != gfn) )
        pp = &(*pp)->next;
    if ( !(n = *pp) )
        return false;
    *pp = n->next;
    node_free(n);
    f->nr--;
    nr_entries--;
    if ( !f->nr )
        frame_unlink(f);
    return true;
}

bool msh_rmap_del(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn)
{
    struct shared_frame *f;
    bool found = false;

    spin_lock(&rmap_lock);
    if ( (f = find(mfn)) )
        found = del_locked(f, msd, view, gfn);
    if ( !found )
        nr_lost++;
    spin_unlock(&rmap_lock);
    return found;
}

bool msh_rmap_lookup(mfn_t mfn, uint64_t *handle, uint32_t *entries)
{
    struct shared_frame *f;

    spin_lock(&rmap_lock);
    f = find(mfn);
    if ( f && handle )
        *handle = f->handle;
    if ( f && entries )
        *entries = f->nr;
    spin_unlock(&rmap_lock);
    return f;
}

bool msh_rmap_take_last(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn,
                        bool (*take)(mfn_t mfn, void *arg), void *arg)
{
    struct shared_frame *f;
    bool taken = false;

    spin_lock(&rmap_lock);
    f = find(mfn);
    if ( f && f->nr == 1 && f->nodes->msd == msd && f->nodes->view == view &&
         f->nodes->gfn == gfn && take(mfn, arg) )
        taken = del_locked(f, msd, view, gfn);
    spin_unlock(&rmap_lock);
    return taken;
}

void msh_put_frame(struct mem_sharing_domain *msd, unsigned int view, uint64_t gfn, mfn_t mfn,
                   p2m_type_t t)
{
    if ( t == p2m_ram_shared )
        msh_rmap_del(msd, view, gfn, mfn);
    put_page(mfn);
}

uint64_t msh_nr_shared_frames(void)
{
    return ACCESS_ONCE(nr_frames);
}

uint64_t msh_nr_saved_frames(void)
{
    uint64_t saved;

    spin_lock(&rmap_lock);
    saved = nr_entries - nr_frames;
    spin_unlock(&rmap_lock);
    return saved;
}

uint64_t msh_nr_lost_entries(void)
{
    return ACCESS_ONCE(nr_lost);
}

/* ---- audit ---- */

/* Copy up to max entries into refs; count the frames whose references
 * are not their entries. Returns the entries there are (even if > max). */
static uint64_t snapshot_locked(struct msh_rmap_ref *refs, uint64_t max, long *errors)
{
    uint64_t n = 0;

    for ( unsigned int b = 0; b < RMAP_BUCKETS; b++ )
        for ( struct shared_frame *f = buckets[b]; f; f = f->next )
        {
            uint32_t refs_now = frame_ref_count(f->mfn);

            if ( refs_now != f->nr )
            {
                printk("sharing audit: mfn %#llx has %u references, %u map entries\n",
                       (unsigned long long)mfn_x(f->mfn), refs_now, f->nr);
                ++*errors;
            }
            for ( struct rmap_node *e = f->nodes; e; e = e->next, n++ )
                if ( n < max )
                    refs[n] = (struct msh_rmap_ref){ e->msd->domid, e->view, e->gfn, f->mfn };
        }
    return n;
}

/* Entries, frame records and counters agree (under the lock). */
static long counters_locked(void)
{
    uint64_t frames = 0, entries = 0;

    for ( unsigned int b = 0; b < RMAP_BUCKETS; b++ )
        for ( struct shared_frame *f = buckets[b]; f; f = f->next, frames++ )
            entries += f->nr;
    if ( frames == nr_frames && entries == nr_entries )
        return 0;
    printk("sharing audit: counters say %llu frames %llu entries, the map %llu and %llu\n",
           (unsigned long long)nr_frames, (unsigned long long)nr_entries,
           (unsigned long long)frames, (unsigned long long)entries);
    return 1;
}

long msh_audit(bool (*maps)(const struct msh_rmap_ref *ref, void *arg), void *arg)
{
    uint64_t max = ACCESS_ONCE(nr_entries) + 16, n;
    struct msh_rmap_ref *refs = xzalloc_array(struct msh_rmap_ref, max);
    long errors = 0;

    if ( !refs )
        return -ENOMEM;
    spin_lock(&rmap_lock);
    n = snapshot_locked(refs, max, &errors);
    errors += counters_locked() + (long)nr_lost;
    spin_unlock(&rmap_lock);
    if ( n > max )
        errors += (long)(n - max); /* grew meanwhile: not quiet, not exact */
    /* The tables are checked without the map's lock (a p2m lock may not
     * be taken under it): the caller keeps the domains still. */
    for ( uint64_t i = 0; i < MIN(n, max); i++ )
        if ( !maps(&refs[i], arg) )
        {
            printk("sharing audit: d%u view %u gfn %#llx does not map mfn %#llx shared\n",
                   refs[i].domid, refs[i].view, (unsigned long long)refs[i].gfn,
                   (unsigned long long)mfn_x(refs[i].mfn));
            errors++;
        }
    xfree(refs);
    return errors;
}
