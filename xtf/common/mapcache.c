/*
 * mapcache.c - see xtf/mapcache.h. Touches only the controller's own
 * local gfns and the target frames it maps there.
 */
#include <xtf.h>
#include <xtf/mapcache.h>
#include <xtf/p2m.h>

#define UNUSED (~0ULL)

void xtf_mapcache_init(struct xtf_mapcache *mc, domid_t domid, uint64_t local_gfn, unsigned int nr)
{
    memset(mc, 0, sizeof(*mc));
    mc->domid = domid;
    mc->local_gfn = local_gfn;
    mc->nr = nr < XTF_MAPCACHE_MAX ? nr : XTF_MAPCACHE_MAX;
    for ( unsigned int i = 0; i < XTF_MAPCACHE_MAX; i++ )
        mc->gfn[i] = UNUSED;
}

static volatile uint64_t *local(const struct xtf_mapcache *mc, unsigned int i)
{
    return (volatile uint64_t *)(uintptr_t)((mc->local_gfn + i) << PAGE_SHIFT);
}

static int lookup(const struct xtf_mapcache *mc, uint64_t gfn)
{
    for ( unsigned int i = 0; i < mc->nr; i++ )
        if ( mc->gfn[i] == gfn )
            return (int)i;
    return -1;
}

/* Map gfn at the next entry, dropping what that entry held. */
static int fill(struct xtf_mapcache *mc, uint64_t gfn)
{
    unsigned int i = mc->next;

    mc->next = (mc->next + 1) % mc->nr;
    if ( mc->gfn[i] != UNUSED )
    {
        xtf_unmap_local(mc->local_gfn + i);
        mc->gfn[i] = UNUSED;
    }
    if ( xtf_map_foreign(mc->domid, gfn, mc->local_gfn + i) )
        return -1;
    mc->gfn[i] = gfn;
    return (int)i;
}

uint64_t xtf_mapcache_read(struct xtf_mapcache *mc, uint64_t gfn, bool *ok)
{
    int i = lookup(mc, gfn);

    if ( i >= 0 )
        mc->hits++;
    else
    {
        mc->misses++;
        i = fill(mc, gfn);
    }
    *ok = i >= 0;
    return i >= 0 ? *local(mc, (unsigned int)i) : 0;
}

long xtf_mapcache_invalidate(struct xtf_mapcache *mc)
{
    long first = 0;

    for ( unsigned int i = 0; i < mc->nr; i++ )
    {
        long rc;

        if ( mc->gfn[i] == UNUSED )
            continue;
        rc = xtf_unmap_local(mc->local_gfn + i);
        if ( rc && !first )
            first = rc;
        mc->gfn[i] = UNUSED;
    }
    mc->invalidations++;
    return first;
}
