/*
 * p2m.c - wrappers for the hypercalls p2m controller tests use
 * (include/xtf/p2m.h). Thin on purpose: a test sees the raw return code.
 */
#include <xtf.h>
#include <xtf/p2m.h>
#include <public/memory.h>
#include <public/hvm/hvm_op.h>

const char *xtf_p2m_type_name(unsigned int t)
{
    static const char *const names[] = {
        "ram_rw",     "invalid",       "ram_logdirty",       "ram_ro",
        "mmio_dm",    "mmio_direct",   "populate_on_demand", "ram_paging_out",
        "ram_paged",  "ram_paging_in", "grant_map_rw",       "grant_map_ro",
        "ram_shared", "ram_broken",    "map_foreign",        "ioreq_server",
    };

    return t < ARRAY_SIZE(names) ? names[t] : "?";
}

long xtf_dm_op(domid_t domid, struct xen_dm_op *op)
{
    struct xen_dm_op_buf buf = { .size = sizeof(*op) };

    set_xen_guest_handle(buf.h, op);
    return hypercall_dm_op(domid, 1, &buf);
}

long xtf_dm_set_mem_type(domid_t domid, uint64_t first_pfn, uint32_t nr, uint16_t mem_type)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_set_mem_type,
        .u.set_mem_type = {
            .first_pfn = first_pfn, .nr = nr, .mem_type = mem_type,
        },
    };

    return xtf_dm_op(domid, &op);
}

long xtf_get_mem_type(domid_t domid, uint64_t pfn, uint16_t *mem_type)
{
    struct xen_hvm_get_mem_type m = { .domid = domid, .pfn = pfn };
    long rc = hypercall_hvm_op(HVMOP_get_mem_type, &m);

    if ( !rc )
        *mem_type = m.mem_type;
    return rc;
}

long xtf_wren_p2m(domid_t domid, uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2,
                  struct xen_domctl_wren_p2m *out)
{
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_wren_p2m,
        .domain = domid,
        .u.wren_p2m = { .op = op, .arg = { a0, a1, a2 } },
    };
    long rc = hypercall_domctl(&d);

    if ( !rc && out )
        *out = d.u.wren_p2m;
    return rc;
}

long xtf_p2m_lookup(domid_t domid, uint64_t gfn, unsigned int *type, unsigned int *order)
{
    struct xen_domctl_wren_p2m r;
    long rc = xtf_wren_p2m(domid, WREN_P2M_LOOKUP, gfn, 0, 0, &r);

    if ( rc )
        return rc;
    if ( type )
        *type = (unsigned int)r.arg[1];
    if ( order )
        *order = (unsigned int)r.arg[2];
    return 0;
}

unsigned int xtf_p2m_type_of(domid_t domid, uint64_t gfn)
{
    unsigned int t = ~0U;

    if ( xtf_p2m_lookup(domid, gfn, &t, NULL) )
        xtf_error("LOOKUP %#lx failed", (unsigned long)gfn);
    return t;
}

void xtf_p2m_expect_type(domid_t domid, const char *what, uint64_t gfn, unsigned int t)
{
    unsigned int now = xtf_p2m_type_of(domid, gfn);

    if ( now != t )
        xtf_failure("%s: gfn %#lx is %s (%u), expected %s (%u)", what, (unsigned long)gfn,
                    xtf_p2m_type_name(now), now, xtf_p2m_type_name(t), t);
}

long xtf_p2m_fault_counts(domid_t domid, uint64_t *ro_dropped, uint64_t *logdirty)
{
    struct xen_domctl_wren_p2m r;
    long rc = xtf_wren_p2m(domid, WREN_P2M_FAULT_COUNTS, 0, 0, 0, &r);

    if ( rc )
        return rc;
    if ( ro_dropped )
        *ro_dropped = r.arg[0];
    if ( logdirty )
        *logdirty = r.arg[1];
    return 0;
}

long xtf_p2m_pool(domid_t domid, uint64_t *pool, uint64_t *used, uint64_t *owned)
{
    struct xen_domctl_wren_p2m r;
    long rc = xtf_wren_p2m(domid, WREN_P2M_POOL, 0, 0, 0, &r);

    if ( rc )
        return rc;
    if ( pool )
        *pool = r.arg[0];
    if ( used )
        *used = r.arg[1];
    if ( owned )
        *owned = r.arg[2];
    return 0;
}

long xtf_get_paging_pool(domid_t domid, uint64_t *bytes)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_get_paging_mempool_size, .domain = domid };
    long rc = hypercall_domctl(&op);

    if ( !rc )
        *bytes = op.u.paging_mempool.size;
    return rc;
}

long xtf_set_paging_pool(domid_t domid, uint64_t bytes)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_set_paging_mempool_size, .domain = domid };

    op.u.paging_mempool.size = bytes;
    return hypercall_domctl(&op);
}

long xtf_map_foreign(domid_t foreign_domid, uint64_t gfn, uint64_t local_gfn)
{
    return xtf_map_foreign_space(XENMAPSPACE_gmfn_foreign, foreign_domid, gfn, local_gfn);
}

long xtf_map_foreign_space(unsigned int space, domid_t foreign_domid, uint64_t gfn,
                           uint64_t local_gfn)
{
    xen_ulong_t idx = gfn;
    xen_pfn_t gpfn = local_gfn;
    int err = -1;
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF,
        .space = space,
        .size = 1,
        .u.foreign_domid = foreign_domid,
    };
    long rc;

    set_xen_guest_handle(b.idxs, &idx);
    set_xen_guest_handle(b.gpfns, &gpfn);
    set_xen_guest_handle(b.errs, &err);
    rc = hypercall_memory_op(XENMEM_add_to_physmap_batch, &b);
    return rc ? rc : err;
}

long xtf_unmap_local(uint64_t local_gfn)
{
    struct xen_remove_from_physmap rm = {
        .domid = DOMID_SELF,
        .gpfn = local_gfn,
    };

    return hypercall_memory_op(XENMEM_remove_from_physmap, &rm);
}

bool xtf_p2m_stats(domid_t domid, struct xen_domctl_wren_p2m *s)
{
    long rc = xtf_wren_p2m(domid, WREN_P2M_GET_STATS, 0, 0, 0, s);

    if ( rc )
        xtf_failure("d%u WREN_P2M_GET_STATS: %ld", domid, rc);
    return !rc;
}

bool xtf_p2m_audit(domid_t domid, const char *phase)
{
    struct xen_domctl_wren_p2m s;
    long rc = xtf_wren_p2m(domid, WREN_P2M_AUDIT, 0, 0, 0, &s);

    if ( rc || s.audit_rc )
        xtf_failure("d%u p2m audit %s: rc %ld, audit_rc %d", domid, phase, rc, s.audit_rc);
    return !rc && !s.audit_rc;
}
