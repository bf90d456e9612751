/*
 * memory.c - the memory_op hypercall: a domain's view of its own
 * guest-physical address space, and the control domain's way to map
 * another domain's frames (XENMAPSPACE_gmfn_foreign).
 *
 * A shared gfn (p2m_ram_shared) is unshared before it is mapped, as
 * Xen's P2M_UNSHARE lookups do (mem_sharing_unshare_gfn).
 *
 * A foreign mapping holds a reference on the frame it maps (taken here,
 * dropped by the p2m when the entry goes, xen/frame.h): when the foreign
 * domain gives the frame back or dies, the frame stays out of the
 * allocator's hands until the mapping is removed. A writable one is
 * reported to the foreign domain's log-dirty (logdirty-foreign.c): its
 * writes bypass that domain's p2m.
 *
 * This file changes p2m entries only through p2m_set_entry and only for
 * the shared_info frame and foreign mappings (another domain's frames,
 * and an ioreq server's pages by XENMEM_acquire_resource); RAM is the
 * builder's.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/memory.h>
#include <public/wren.h>
#include <xen/reservation.h>
#include <xen/frame.h>
#include <xen/grant_table.h>
#include <xen/logdirty.h>
#include <xen/ioreq.h>
#include <xen/mem_fork.h>

/*
 * memory_op's cmd carries a resume point above the sub-op for the calls
 * that can be preempted (a Xen convention, so the bits are not free for
 * other uses). Only the RESUMABLE rows of WREN_MEMORY_OPS (reservation.c)
 * take one; none of the calls in this file is preempted yet. The split
 * is public/memory.h's MEMOP_EXTENT_SHIFT and MEMOP_CMD_MASK.
 */

/* Entries of an add_to_physmap_batch processed per guest copy. */
#define BATCH_CHUNK 32

/* ---- small queries ---------------------------------------------------- */

/* Under d->lock: the toolstack may replace the map meanwhile. */
long memop_memory_map(unsigned int op, uint64_t start, uint64_t arg)
{
    struct domain *d = current->domain;
    struct xen_memory_map map;
    long rc = 0;
    if ( copy_from_guest(&map, arg, sizeof(map)) )
        return -EFAULT;
    spin_lock(&d->lock);
    if ( !d->nr_memmap )
        rc = -ENOSYS; /* Xen's answer when no map was set */
    map.nr_entries = MIN(map.nr_entries, d->nr_memmap);
    if ( !rc && copy_to_guest(map.buffer, d->memmap, map.nr_entries * sizeof(d->memmap[0])) )
        rc = -EFAULT;
    spin_unlock(&d->lock);
    if ( !rc && copy_to_guest(arg, &map, sizeof(map)) )
        rc = -EFAULT;
    return rc;
}

/* Xen's E820MAX: the most entries a map set for a domain may have. */
#define SET_MEMMAP_MAX 128

/* XENMEM_set_memory_map (privileged, its row says): the map domid's own
 * XENMEM_memory_map returns from now on, replaced whole. */
long memop_set_memory_map(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_foreign_memory_map fm;
    struct xen_e820_entry *map, *old;
    struct domain *d;
    int rc;
    if ( copy_from_guest(&fm, arg, sizeof(fm)) )
        return -EFAULT;
    if ( fm.map.nr_entries > SET_MEMMAP_MAX )
        return -EINVAL;
    map = xzalloc_array(struct xen_e820_entry, MAX(fm.map.nr_entries, 1U));
    if ( !map )
        return -ENOMEM;
    if ( copy_from_guest(map, fm.map.buffer, fm.map.nr_entries * sizeof(*map)) )
        rc = -EFAULT;
    else
        rc = domain_for_caller(fm.domid, &d);
    if ( rc )
    {
        xfree(map);
        return rc;
    }
    spin_lock(&d->lock);
    old = d->memmap;
    d->memmap = map;
    d->nr_memmap = fm.map.nr_entries;
    spin_unlock(&d->lock);
    put_domain(d);
    xfree(old);
    return 0;
}

/* current_reservation, maximum_reservation, maximum_gpfn: arg is a domid_t. */
long memop_domain_count(unsigned int op, uint64_t start, uint64_t arg)
{
    struct domain *d;
    domid_t id;
    int rc;
    if ( copy_from_guest(&id, arg, sizeof(id)) )
        return -EFAULT;
    long val;
    rc = domain_for_caller(id, &d);
    if ( rc )
        return rc;
    switch ( op )
    {
    case XENMEM_current_reservation: val = (long)d->tot_pages; break;
    case XENMEM_maximum_reservation: val = (long)d->max_pages; break;
    default: val = (long)d->p2m.max_mapped_gfn; break;
    }
    put_domain(d);
    return val;
}

/* ---- add_to_physmap: shared_info ------------------------------------ */

/* Does gfn of d map exactly mfn? */
static bool maps(struct domain *d, gfn_t gfn, mfn_t mfn)
{
    return gfn_x(gfn) < P2M_GFN_LIMIT && mfn_eq(p2m_lookup(&d->p2m, gfn, NULL, NULL, NULL), mfn);
}

/*
 * Map d's shared_info page at gpfn, moving it if it was elsewhere. What
 * was at gpfn is replaced (guests commonly give up a page of their RAM
 * for it; that RAM stays allocated to d until it dies). Only RAM or a hole
 * may be replaced, so a foreign or MMIO mapping is not lost silently.
 */
static long map_shared_info(struct domain *d, uint64_t idx, uint64_t gpfn)
{
    mfn_t mfn = virt_to_mfn(d->shared_info);
    gfn_t old = d->shared_info_gfn;
    p2m_type_t t;
    int rc;
    if ( idx != 0 || !domain_gfn_ok(d, gpfn) || !d->shared_info )
        return -EINVAL;
    p2m_lookup(&d->p2m, _gfn(gpfn), &t, NULL, NULL);
    if ( t != p2m_invalid && !p2m_is_ram(t) )
        return -EBUSY;
    rc = p2m_set_entry(&d->p2m, _gfn(gpfn), mfn, P2M_ORDER_4K, p2m_ram_rw, p2m_access_rw);
    if ( rc )
        return rc;
    /* The old location is checked against the p2m, not trusted: a domain
     * that never mapped shared_info has no old location to clear. */
    if ( gfn_x(old) != gpfn && maps(d, old, mfn) )
        p2m_set_entry(&d->p2m, old, INVALID_MFN, P2M_ORDER_4K, p2m_invalid, p2m_access_n);
    d->shared_info_gfn = _gfn(gpfn);
    return 0;
}

long memop_add_to_physmap(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_add_to_physmap x;
    struct domain *d;
    int rc;
    if ( copy_from_guest(&x, arg, sizeof(x)) )
        return -EFAULT;
    if ( x.space == XENMAPSPACE_gmfn_foreign )
        return -ENOSYS; /* as in Xen: only through the batch call */
    switch ( x.space )
    {
    case XENMAPSPACE_shared_info:
    case XENMAPSPACE_grant_table: break;
    case XENMAPSPACE_gmfn:
    case XENMAPSPACE_gmfn_range: return -ENOSYS; /* not implemented yet */
    default: return -EINVAL;
    }
    rc = domain_for_caller(x.domid, &d);
    if ( rc )
        return rc;
    if ( x.space == XENMAPSPACE_grant_table )
    {
        rc = grant_table_map_frame(d, x.idx, x.gpfn); /* grant_table.c */
        put_domain(d);
        return rc;
    }
    spin_lock(&d->lock); /* one shared_info move at a time */
    rc = (int)map_shared_info(d, x.idx, x.gpfn);
    spin_unlock(&d->lock);
    put_domain(d);
    return rc;
}

/* ---- add_to_physmap_batch: foreign frames ----------------------------- */

/*
 * Which foreign types may be mapped, and with what access. Writes through
 * a foreign mapping bypass the foreign domain's p2m, so read-only RAM is
 * mapped read-only, and shared pages (which a write would have to unshare
 * first) are refused.
 */
static int foreign_access(p2m_type_t t, p2m_access_t *a)
{
    switch ( t )
    {
    case p2m_ram_rw:
    case p2m_ram_logdirty: /* writes logged by logdirty_foreign_mapped */
    case p2m_ioreq_server: *a = p2m_access_rw; return 0;
    case p2m_ram_ro: *a = p2m_access_r; return 0;
    default: return -EINVAL;
    }
}

/*
 * Map frame idx of fd at gpfn of cd. Refused with -EBUSY if gpfn holds
 * anything but a hole or an earlier foreign mapping: a control domain that
 * maps over its own RAM or devices has made a mistake, and the RAM frame
 * would be lost to it until it dies.
 */
static bool get_foreign(mfn_t m, void *fd)
{
    return get_page(m, ((struct domain *)fd)->domain_id);
}

/* The reference taken with the lookup becomes the entry's; if the entry
 * is not made, it is dropped here. */
static int map_one_foreign(struct domain *cd, struct domain *fd, uint64_t idx, uint64_t gpfn,
                           bool ro)
{
    p2m_type_t ft, ct;
    p2m_access_t a;
    mfn_t mfn;
    int rc;
    if ( !domain_gfn_ok(fd, idx) || !domain_gfn_ok(cd, gpfn) )
        return -EINVAL;
    p2m_lookup(&cd->p2m, _gfn(gpfn), &ct, NULL, NULL);
    if ( ct != p2m_invalid && ct != p2m_map_foreign )
        return -EBUSY;
    mfn = p2m_lookup_get(&fd->p2m, _gfn(idx), &ft, get_foreign, fd);
    if ( ft == p2m_invalid && !mem_fork_populate(fd, _gfn(idx)) ) /* a fork's first touch */
        mfn = p2m_lookup_get(&fd->p2m, _gfn(idx), &ft, get_foreign, fd);
    if ( ft == p2m_ram_shared ) /* a private copy first, as Xen */
    {
        rc = mem_sharing_unshare_gfn(fd, _gfn(idx));
        if ( rc )
            return rc;
        mfn = p2m_lookup_get(&fd->p2m, _gfn(idx), &ft, get_foreign, fd);
    }
    if ( !mfn_valid_raw(mfn) )
        return -EINVAL;
    rc = foreign_access(ft, &a);
    if ( ro )
        a = p2m_access_r;
    if ( !rc && (a & p2m_access_w) )
        rc = logdirty_foreign_mapped(fd, idx);
    if ( !rc )
        rc = p2m_set_entry(&cd->p2m, _gfn(gpfn), mfn, P2M_ORDER_4K, p2m_map_foreign, a);
    if ( rc )
        put_page(mfn);
    return rc;
}

/* Every page of [va, va + len) may be read (write: written). */
static int check_guest_array(uint64_t va, uint64_t len, bool write)
{
    uint8_t buf[256];
    for ( uint64_t off = 0; off < len; off += sizeof(buf) )
    {
        size_t n = MIN((uint64_t)sizeof(buf), len - off);
        if ( write )
        {
            memset(buf, 0, n); /* errs[] is output: clearing it first is harmless */
            if ( copy_to_guest(va + off, buf, n) )
                return -EFAULT;
        }
        else if ( copy_from_guest(buf, va + off, n) )
        {
            return -EFAULT;
        }
    }
    return 0;
}

static long foreign_batch(struct domain *cd, struct domain *fd,
                          const struct xen_add_to_physmap_batch *b)
{
    xen_ulong_t idxs[BATCH_CHUNK];
    xen_pfn_t gpfns[BATCH_CHUNK];
    int32_t errs[BATCH_CHUNK];
    for ( unsigned int done = 0; done < b->size; )
    {
        unsigned int n = MIN((unsigned int)BATCH_CHUNK, b->size - done);
        if ( copy_from_guest(idxs, b->idxs + done * sizeof(idxs[0]), n * sizeof(idxs[0])) ||
             copy_from_guest(gpfns, b->gpfns + done * sizeof(gpfns[0]), n * sizeof(gpfns[0])) )
            return -EFAULT;
        for ( unsigned int i = 0; i < n; i++ )
            errs[i] = map_one_foreign(cd, fd, idxs[i], gpfns[i],
                                      b->space == WREN_MAPSPACE_gmfn_foreign_ro);
        if ( copy_to_guest(b->errs + done * sizeof(errs[0]), errs, n * sizeof(errs[0])) )
            return -EFAULT;
        done += n;
    }
    return 0;
}

/*
 * Decode: the caller is privileged, maps into itself, from a live domain
 * other than itself, and all three arrays are reachable. Invoke: each
 * entry is checked and mapped on its own; its result goes to errs[i], and
 * the call itself returns 0. Up to 65535 entries run without preemption.
 */
long memop_add_to_physmap_batch(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_add_to_physmap_batch b;
    struct domain *cd = current->domain, *fd;
    long rc;
    if ( copy_from_guest(&b, arg, sizeof(b)) )
        return -EFAULT;
    if ( b.space == XENMAPSPACE_gmfn_range )
        return -EOPNOTSUPP; /* Xen refuses this space here too */
    if ( b.space != XENMAPSPACE_gmfn_foreign && b.space != WREN_MAPSPACE_gmfn_foreign_ro )
        return b.space <= XENMAPSPACE_dev_mmio ? -ENOSYS : -EINVAL;
    if ( !cd->is_privileged )
        return -EPERM;
    if ( b.domid != DOMID_SELF && b.domid != cd->domain_id )
        return -EINVAL; /* into the caller's own physmap only */
    if ( b.u.foreign_domid == DOMID_SELF || b.u.foreign_domid == cd->domain_id )
        return -EINVAL;
    if ( check_guest_array(b.idxs, (uint64_t)b.size * sizeof(xen_ulong_t), false) ||
         check_guest_array(b.gpfns, (uint64_t)b.size * sizeof(xen_pfn_t), false) ||
         check_guest_array(b.errs, (uint64_t)b.size * sizeof(int32_t), true) )
        return -EFAULT;
    fd = domain_get_by_id(b.u.foreign_domid);
    if ( !fd )
        return -ESRCH;
    rc = foreign_batch(cd, fd, &b);
    put_domain(fd);
    return rc;
}

/* Undo a shared_info or foreign mapping. RAM is not given back this way
 * (decrease_reservation will do that), and a hole is -ENOENT. */
long memop_remove_from_physmap(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_remove_from_physmap r;
    struct domain *d;
    p2m_type_t t;
    mfn_t mfn;
    bool is_shared_info;
    int rc;
    if ( copy_from_guest(&r, arg, sizeof(r)) )
        return -EFAULT;
    if ( r.gpfn >= P2M_GFN_LIMIT )
        return -EINVAL;
    rc = domain_for_caller(r.domid, &d);
    if ( rc )
        return rc;
    spin_lock(&d->lock);
    mfn = p2m_lookup(&d->p2m, _gfn(r.gpfn), &t, NULL, NULL);
    is_shared_info = d->shared_info && mfn_eq(mfn, virt_to_mfn(d->shared_info));
    if ( t == p2m_invalid )
        rc = -ENOENT;
    else if ( t != p2m_map_foreign && !is_shared_info )
        rc = -EOPNOTSUPP;
    else
        rc = p2m_set_entry(&d->p2m, _gfn(r.gpfn), INVALID_MFN, P2M_ORDER_4K, p2m_invalid,
                           p2m_access_n);
    if ( !rc && is_shared_info )
        d->shared_info_gfn = INVALID_GFN;
    spin_unlock(&d->lock);
    put_domain(d);
    return rc;
}

/*
 * Sub-ops come from WREN_MEMORY_OPS (xen/hypercall-defs.h). Only the
 * RESUMABLE ones may carry a resume point: any other command with one,
 * listed or not, is -EINVAL.
 */
long do_memory_op(uint64_t cmd, uint64_t arg)
{
    unsigned int op = cmd & MEMOP_CMD_MASK;
    uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;
    const struct memory_op_subop *sub = memory_op_subop_find(op);
    long rc;
    if ( start && !(sub && (sub->flags & HC_RESUMABLE)) )
        return -EINVAL;
    if ( !sub )
        return -ENOSYS;
    rc = hypercall_permit(sub->callers, current->domain, NULL);
    return rc ? rc : sub->fn(op, start, arg);
}

/* ---- acquire_resource: an ioreq server's pages ---------------------------- */

/* An ioreq server has two frames: the ring's page and the slots' page. */
#define IOREQ_RESOURCE_FRAMES 2

/* Map one frame (its reference already taken, and kept by the entry) at
 * gpfn of cd, over a hole or an earlier foreign mapping only. */
static int map_resource_frame(struct domain *cd, mfn_t mfn, uint64_t gpfn)
{
    p2m_type_t ct;
    int rc = -EINVAL;
    if ( domain_gfn_ok(cd, gpfn) )
    {
        p2m_lookup(&cd->p2m, _gfn(gpfn), &ct, NULL, NULL);
        rc = ct != p2m_invalid && ct != p2m_map_foreign
                 ? -EBUSY
                 : p2m_set_entry(&cd->p2m, _gfn(gpfn), mfn, P2M_ORDER_4K, p2m_map_foreign,
                                 p2m_access_rw);
    }
    if ( rc )
        put_page(mfn);
    return rc;
}

static long acquire_ioreq_frames(struct domain *cd, struct domain *d,
                                 const struct xen_mem_acquire_resource *r)
{
    xen_pfn_t gfns[IOREQ_RESOURCE_FRAMES];
    mfn_t mfns[IOREQ_RESOURCE_FRAMES];
    long rc;
    if ( copy_from_guest(gfns, r->frame_list, r->nr_frames * sizeof(gfns[0])) )
        return -EFAULT;
    rc = r->id > 0xffff
             ? -ENOENT
             : ioreq_acquire_resource(d, (ioservid_t)r->id, r->frame, r->nr_frames, mfns);
    for ( uint32_t i = 0; !rc && i < r->nr_frames; i++ )
    {
        rc = map_resource_frame(cd, mfns[i], gfns[i]);
        while ( rc && ++i < r->nr_frames )
            put_page(mfns[i]);
    }
    return rc;
}

/*
 * XENMEM_acquire_resource for a translated caller (the device model):
 * frame_list holds the caller's gfns, where the frames are mapped as
 * foreign mappings, each holding a reference. nr_frames 0 with no list
 * asks how many frames there are. Only ioreq servers' frames, and only
 * for the server's creator (ioreq.c checks that: -EPERM).
 */
long memop_acquire_resource(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_mem_acquire_resource r;
    struct domain *cd = current->domain, *d;
    long rc;
    if ( copy_from_guest(&r, arg, sizeof(r)) )
        return -EFAULT;
    if ( r.flags )
        return -EINVAL;
    if ( r.type != XENMEM_resource_ioreq_server )
        return -EOPNOTSUPP;
    if ( !cd->is_privileged )
        return -EPERM;
    if ( r.domid == DOMID_SELF || r.domid == cd->domain_id )
        return -EINVAL;
    if ( !r.nr_frames && !r.frame_list )
    {
        r.nr_frames = IOREQ_RESOURCE_FRAMES;
        return copy_to_guest(arg, &r, sizeof(r)) ? -EFAULT : 0;
    }
    if ( !r.nr_frames || r.nr_frames > IOREQ_RESOURCE_FRAMES )
        return -EINVAL;
    d = domain_get_by_id(r.domid);
    if ( !d )
        return -ESRCH;
    rc = acquire_ioreq_frames(cd, d, &r);
    put_domain(d);
    return rc;
}
