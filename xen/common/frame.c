/*
 * frame.c - references on machine frames (the frame table's records are
 * laid out by page_alloc.c; what they mean is decided here).
 *
 * A guest frame is alive while its count is non-zero. Its owner's
 * allocation holds one reference (FRAME_ALLOCATED); a page the hypervisor
 * shares with a domain (shared_info, console ring) holds the hypervisor's
 * one instead (FRAME_XEN_REF). Every other mapping - a foreign entry in
 * another p2m, a hypervisor copy in progress - takes its own with
 * get_page and drops it with put_page. The last put frees the frame.
 *
 * May not touch: p2m tables or domain structures; it knows frames only.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/frame.h>
#include <public/xen.h>

/* The hypervisor holds this page for a domain (FRAME_XEN_REF). */
#define FRAME_XEN_REF 0x2

static struct page_info *frame_or_panic(mfn_t m)
{
    struct page_info *pi = mfn_to_page(m);

    if ( !pi )
        panic("frame: mfn %#llx is not a frame the allocator manages",
              (unsigned long long)mfn_x(m));
    return pi;
}

static uint64_t load(const struct page_info *pi)
{
    return __atomic_load_n(&pi->raw, __ATOMIC_ACQUIRE);
}

static bool swap(struct page_info *pi, uint64_t old, uint64_t new)
{
    return __atomic_compare_exchange_n(&pi->raw, &old, new, false, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE);
}

/* Replace a record, keeping FRAME_BROKEN: a machine check may mark the
 * frame at any moment, and that mark must survive. */
static void store_keeping_broken(struct page_info *pi, struct page_info rec)
{
    struct page_info old;

    do
    {
        old.raw = load(pi);
        rec.flags = (uint8_t)((rec.flags & ~FRAME_BROKEN) | (old.flags & FRAME_BROKEN));
    } while ( !swap(pi, old.raw, rec.raw) );
}

void frames_assign(mfn_t m, unsigned int order, uint16_t owner)
{
    struct page_info rec = {
        .count = 1, .owner = owner, .use = FRAME_GUEST, .flags = FRAME_ALLOCATED
    };

    for ( uint64_t i = 0; i < (1ULL << order); i++ )
        store_keeping_broken(frame_or_panic(_mfn(mfn_x(m) + i)), rec);
}

void frame_share_with_guest(mfn_t m, uint16_t owner)
{
    struct page_info rec = {
        .count = 1, .owner = owner, .use = FRAME_GUEST, .flags = FRAME_XEN_REF
    };

    store_keeping_broken(frame_or_panic(m), rec);
}

bool frame_mark_broken(mfn_t m, struct page_info *was)
{
    struct page_info *pi = mfn_to_page(m);
    struct page_info old, new;

    if ( !pi )
        return false;
    do
    {
        old.raw = load(pi);
        new = old;
        new.flags |= FRAME_BROKEN;
    } while ( !swap(pi, old.raw, new.raw) );
    *was = old;
    return true;
}

bool frame_has_broken_flag(mfn_t m)
{
    struct page_info *pi = mfn_to_page(m);
    struct page_info p;

    if ( !pi )
        return false;
    p.raw = load(pi);
    return p.flags & FRAME_BROKEN;
}

/* A broken frame takes no new mapping: whoever asks (a foreign mapper,
 * a hypervisor copy) is refused as if the page were gone. */
static bool mappable(const struct page_info *p, uint16_t owner)
{
    return p->use == FRAME_GUEST && p->owner == owner && p->count && !(p->flags & FRAME_BROKEN) &&
           (p->flags & (FRAME_ALLOCATED | FRAME_XEN_REF | FRAME_SHARED)) && p->count < UINT32_MAX;
}

bool get_page(mfn_t m, uint16_t owner)
{
    struct page_info *pi = mfn_to_page(m);
    struct page_info old, new;

    if ( !pi )
        return false;
    do
    {
        old.raw = load(pi);
        if ( !mappable(&old, owner) )
            return false;
        new = old;
        new.count++;
    } while ( !swap(pi, old.raw, new.raw) );
    return true;
}

/* Drop one reference and, with it, the flags in clear; free at zero. */
static void drop(struct page_info *pi, mfn_t m, uint8_t clear)
{
    struct page_info old, new;

    do
    {
        old.raw = load(pi);
        if ( !old.count || old.use != FRAME_GUEST )
            panic("frame: put on mfn %#llx with no reference (use %u count %u)",
                  (unsigned long long)mfn_x(m), old.use, old.count);
        new = old;
        new.count--;
        new.flags &= (uint8_t)~clear;
        if ( !new.count )
            new = (struct page_info){ .owner = DOMID_XEN,
                                      .use = FRAME_XEN,
                                      .flags = (uint8_t)(old.flags & FRAME_BROKEN) };
    } while ( !swap(pi, old.raw, new.raw) );
    if ( !new.count )
        free_pages(m, 0);
}

void put_page(mfn_t m)
{
    drop(frame_or_panic(m), m, 0);
}

/* Drop the reference that flag stands for, if it is still held. */
static bool drop_flagged(mfn_t m, uint8_t flag)
{
    struct page_info *pi = frame_or_panic(m);
    struct page_info old, new;

    do
    {
        old.raw = load(pi);
        if ( old.use != FRAME_GUEST || !(old.flags & flag) )
            return false;
        new = old;
        new.flags &= (uint8_t)~flag;
    } while ( !swap(pi, old.raw, new.raw) );
    /* The flag is ours now: exactly one caller drops its reference. */
    put_page(m);
    return true;
}

bool frame_release(mfn_t m)
{
    return drop_flagged(m, FRAME_ALLOCATED);
}

void frame_unshare(mfn_t m)
{
    if ( !drop_flagged(m, FRAME_XEN_REF) )
        panic("frame: mfn %#llx is not a page shared by the hypervisor",
              (unsigned long long)mfn_x(m));
}

int frame_make_shared(mfn_t m, uint16_t owner)
{
    struct page_info *pi = mfn_to_page(m);
    struct page_info old,
        new = { .count = 1, .owner = DOMID_COW, .use = FRAME_GUEST, .flags = FRAME_SHARED };

    if ( !pi )
        return -EINVAL;
    do
    {
        old.raw = load(pi);
        if ( old.use != FRAME_GUEST || old.owner != owner || old.flags != FRAME_ALLOCATED )
            return -EINVAL; /* not plain allocated RAM of owner's, or broken */
        if ( old.count != 1 )
            return -E2BIG;
    } while ( !swap(pi, old.raw, new.raw) );
    return 0;
}

bool frame_make_private(mfn_t m, uint16_t owner)
{
    struct page_info *pi = mfn_to_page(m);
    struct page_info old,
        new = { .count = 1, .owner = owner, .use = FRAME_GUEST, .flags = FRAME_ALLOCATED };

    if ( !pi )
        return false;
    do
    {
        old.raw = load(pi);
        if ( old.use != FRAME_GUEST || old.owner != DOMID_COW || old.flags != FRAME_SHARED ||
             old.count != 1 )
            return false;
    } while ( !swap(pi, old.raw, new.raw) );
    return true;
}

uint32_t frame_ref_count(mfn_t m)
{
    struct page_info *pi = mfn_to_page(m);
    struct page_info p;

    if ( !pi )
        return 0;
    p.raw = load(pi);
    return p.use == FRAME_GUEST ? p.count : 0;
}

bool frame_is_allocated_to(mfn_t m, uint16_t owner)
{
    struct page_info *pi = mfn_to_page(m);
    struct page_info p;

    if ( !pi )
        return false;
    p.raw = load(pi);
    return p.use == FRAME_GUEST && p.owner == owner && (p.flags & FRAME_ALLOCATED);
}

bool frame_held_by_others(mfn_t m, uint16_t owner)
{
    struct page_info *pi = mfn_to_page(m);
    struct page_info p;

    if ( !pi )
        return false;
    p.raw = load(pi);
    return p.use == FRAME_GUEST && p.owner == owner && (p.flags & FRAME_ALLOCATED) && p.count > 1;
}

struct owner_scan
{
    uint16_t owner;
    bool release;
    bool orphans_only; /* count only frames kept alive by mappings alone */
    uint64_t n;
};

static void scan_range(void *arg, mfn_t first, struct page_info *pi, uint64_t nr)
{
    struct owner_scan *s = arg;

    for ( uint64_t i = 0; i < nr; i++ )
    {
        struct page_info p = { .raw = load(&pi[i]) };
        mfn_t m = _mfn(mfn_x(first) + i);

        if ( p.use != FRAME_GUEST || p.owner != s->owner )
            continue;
        if ( s->orphans_only && (p.flags & (FRAME_ALLOCATED | FRAME_XEN_REF)) )
            continue;
        if ( !s->release || frame_release(m) )
            s->n++;
    }
}

uint64_t frames_release_owner(uint16_t owner)
{
    struct owner_scan s = { owner, true, false, 0 };

    frame_table_for_each(scan_range, &s);
    return s.n;
}

uint64_t frames_count_owner(uint16_t owner)
{
    struct owner_scan s = { owner, false, false, 0 };

    frame_table_for_each(scan_range, &s);
    return s.n;
}

uint64_t frames_count_orphans(uint16_t owner)
{
    struct owner_scan s = { owner, false, true, 0 };

    frame_table_for_each(scan_range, &s);
    return s.n;
}
