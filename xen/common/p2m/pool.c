/*
 * p2m/pool.c - the pages a domain's p2m tables come from.
 *
 * The toolstack sizes the pool (XEN_DOMCTL_set_paging_mempool_size, or
 * shadow_op SET_ALLOCATION); the pages are taken from the allocator then,
 * so a guest that makes its p2m grow (scattered populates, shattering)
 * can use up its own pool and nothing else. Empty tables come back here.
 * Other memory the hypervisor keeps for the domain and allocates
 * elsewhere (the log-dirty bitmaps, which must be contiguous) is charged
 * to the pool: pages leave the free list while it lives.
 *
 * May not touch: table contents (p2m.c zeroes what it needs) or anything
 * outside the pool. Lock order: inside p2m->lock, outside the allocator.
 */
#include "private.h"

#include <xen/errno.h>
#include <xen/mm.h>

void p2m_pool_init(struct p2m_pool *pool)
{
    spin_lock_init(&pool->lock, LOCK_p2m_pool);
    pool->free_head = INVALID_MFN;
    pool->nr_free = pool->nr_used = pool->nr_charged = 0;
}

static void push_free(struct p2m_pool *pool, mfn_t m)
{
    *(uint64_t *)mfn_to_virt(m) = mfn_x(pool->free_head);
    pool->free_head = m;
    pool->nr_free++;
}

static mfn_t pop_free(struct p2m_pool *pool)
{
    mfn_t m = pool->free_head;

    if ( !mfn_valid_raw(m) )
        return m;
    pool->free_head = _mfn(*(uint64_t *)mfn_to_virt(m));
    pool->nr_free--;
    return m;
}

/* Take pages from the allocator until the pool holds want free ones. */
static int grow(struct p2m_pool *pool, uint64_t want_free)
{
    uint64_t added = 0;

    while ( pool->nr_free < want_free )
    {
        mfn_t m = alloc_pages(0);

        if ( !mfn_valid_raw(m) )
            break;
        push_free(pool, m);
        added++;
    }
    if ( pool->nr_free >= want_free )
        return 0;
    while ( added-- ) /* all or nothing */
        free_pages(pop_free(pool), 0);
    return -ENOMEM;
}

int p2m_pool_resize(struct p2m_pool *pool, uint64_t pages)
{
    int rc = 0;

    spin_lock(&pool->lock);
    if ( pages < pool->nr_used + pool->nr_charged )
        rc = -EBUSY;
    else if ( pages > pool->nr_used + pool->nr_charged + pool->nr_free )
        rc = grow(pool, pages - pool->nr_used - pool->nr_charged);
    else
        while ( pool->nr_used + pool->nr_charged + pool->nr_free > pages )
            free_pages(pop_free(pool), 0);
    spin_unlock(&pool->lock);
    return rc;
}

int p2m_pool_charge(struct p2m_pool *pool, uint64_t pages)
{
    int rc = 0;

    spin_lock(&pool->lock);
    if ( pool->nr_free < pages )
        rc = -ENOMEM;
    else
        for ( uint64_t i = 0; i < pages; i++ )
            free_pages(pop_free(pool), 0);
    if ( !rc )
        pool->nr_charged += pages;
    spin_unlock(&pool->lock);
    return rc;
}

void p2m_pool_uncharge(struct p2m_pool *pool, uint64_t pages)
{
    spin_lock(&pool->lock);
    ASSERT(pool->nr_charged >= pages);
    pool->nr_charged -= pages;
    /* Best effort: a page the allocator cannot give now shrinks the pool. */
    for ( uint64_t i = 0; i < pages; i++ )
    {
        mfn_t m = alloc_pages(0);

        if ( !mfn_valid_raw(m) )
            break;
        push_free(pool, m);
    }
    spin_unlock(&pool->lock);
}

uint64_t p2m_pool_size(struct p2m_pool *pool)
{
    uint64_t n;

    spin_lock(&pool->lock);
    n = pool->nr_used + pool->nr_free + pool->nr_charged;
    spin_unlock(&pool->lock);
    return n;
}

void p2m_pool_drain(struct p2m_pool *pool)
{
    spin_lock(&pool->lock);
    while ( pool->nr_free )
        free_pages(pop_free(pool), 0);
    spin_unlock(&pool->lock);
}

mfn_t p2m_table_alloc(struct p2m_domain *p2m)
{
    struct p2m_pool *pool = p2m->pool;
    mfn_t m;

    if ( !pool )
        return alloc_pages(0);
    spin_lock(&pool->lock);
    m = pop_free(pool);
    if ( mfn_valid_raw(m) )
        pool->nr_used++;
    spin_unlock(&pool->lock);
    return m;
}

void p2m_table_free(struct p2m_domain *p2m, mfn_t m)
{
    struct p2m_pool *pool = p2m->pool;

    if ( !pool )
    {
        free_pages(m, 0);
        return;
    }
    spin_lock(&pool->lock);
    pool->nr_used--;
    push_free(pool, m);
    spin_unlock(&pool->lock);
}
