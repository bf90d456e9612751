/*
 * ring.c - the controller's side of the dirty-ring tests:
 * XEN_DOMCTL_wren_dirty_ring wrappers on the target (domain 1,
 * logdirty-target) and draining rings into bitmaps.
 *
 * Not a test of its own (no test.cfg): dirty-ring and dirty-ring-errors
 * include it after ../logdirty-lib/ctl.c. It may not change the target's
 * log-dirty state: the tests do that themselves.
 */
#include <public/wren.h>

#define DR_LIB     static __attribute__((unused))
#define DR_NO_VCPU WREN_DIRTY_RING_NO_VCPU
#define DR_BUF     1024 /* entries one HARVEST takes at most */

static struct xen_wren_dirty_entry dr_buf[DR_BUF];

/* One call on domain domid; *r in, and out as the hypervisor left it. */
DR_LIB long dr_call_on(domid_t domid, struct xen_domctl_wren_dirty_ring *r)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_wren_dirty_ring, .domain = domid };
    long rc;

    _Static_assert(sizeof(*r) <= sizeof(d.u), "fits the domctl union");
    memcpy(&d.u, r, sizeof(*r));
    rc = hypercall_domctl(&d);
    memcpy(r, &d.u, sizeof(*r));
    return rc;
}

DR_LIB long dr_call(struct xen_domctl_wren_dirty_ring *r)
{
    return dr_call_on(LD_TARGET, r);
}

DR_LIB long dr_enable(uint32_t entries)
{
    struct xen_domctl_wren_dirty_ring r = { .op = WREN_DIRTY_RING_ENABLE, .entries = entries };

    return dr_call(&r);
}

DR_LIB long dr_disable(void)
{
    struct xen_domctl_wren_dirty_ring r = { .op = WREN_DIRTY_RING_DISABLE };

    return dr_call(&r);
}

DR_LIB long dr_status(uint32_t vcpu, struct xen_domctl_wren_dirty_ring *out)
{
    *out = (struct xen_domctl_wren_dirty_ring){ .op = WREN_DIRTY_RING_STATUS, .vcpu = vcpu };
    return dr_call(out);
}

DR_LIB long dr_harvest(uint32_t vcpu, void *buf, uint32_t max,
                       struct xen_domctl_wren_dirty_ring *out)
{
    *out = (struct xen_domctl_wren_dirty_ring){
        .op = WREN_DIRTY_RING_HARVEST,
        .vcpu = vcpu,
        .max = max,
        .buffer = (uint64_t)(uintptr_t)buf,
    };
    return dr_call(out);
}

/* What draining rings found: each entry's frames set in bm; a frame of
 * the data range set twice is counted in dups (the first such in
 * first_dup). */
struct dr_take
{
    uint64_t entries, dups, first_dup;
};

static void dr_note(uint64_t *bm, const struct xen_wren_dirty_entry *e, struct dr_take *t)
{
    for ( uint64_t g = e->gfn; g < e->gfn + (1ULL << e->order) && g < LD_MAX_GFNS; g++ )
    {
        if ( bitmap_test(bm, g) && g >= LD_DATA_FIRST && !t->dups++ )
            t->first_dup = g;
        bitmap_set(bm, g);
    }
}

/* Harvest ring vcpu until it is empty, into bm (not cleared first). */
DR_LIB bool dr_drain(uint32_t vcpu, uint64_t *bm, struct dr_take *t)
{
    struct xen_domctl_wren_dirty_ring r;

    do
    {
        long rc = dr_harvest(vcpu, dr_buf, DR_BUF, &r);

        if ( rc )
        {
            xtf_error("HARVEST of ring %#x: %ld", vcpu, rc);
            return false;
        }
        for ( uint32_t i = 0; i < r.count; i++ )
            dr_note(bm, &dr_buf[i], t);
        t->entries += r.count;
    } while ( r.count == DR_BUF );
    return true;
}

/* Empty every ring of the target, forgetting what was there. */
DR_LIB bool dr_drain_all(unsigned int nr_vcpus)
{
    static ld_bits_t junk;
    struct dr_take t = { 0 };
    bool ok = dr_drain(DR_NO_VCPU, junk, &t);

    for ( unsigned int v = 0; v < nr_vcpus; v++ )
        ok &= dr_drain(v, junk, &t);
    return ok;
}
