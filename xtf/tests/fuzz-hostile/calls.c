/*
 * calls.c - the hostile guest's call table: every hypercall and sub-op
 * Wren implements, each with generators for its argument types (domids,
 * gfns, orders, counts, guest pointers) that favour boundary values.
 *
 * What it may not do to its own domain: decrease, remove or map over the
 * frames its code, stacks, page tables, scratch buffers and status page
 * live in (gfn_range_allowed); write through a pointer into them (output
 * pointers come from out_ptr(), which never aims there); take vCPU 0 or
 * 1 down, shut itself down, block, or enable event upcalls (the runtime
 * has no handler for them). Everything else is fair game.
 *
 * Gfns are drawn from the guest's own map: RAM from XTF_RAM_BASE to
 * ram_end_gfn, the architecture's hole (FUZZ_HOLE_*), the console ring
 * the builder announced; never x86's numbers where Arm's differ. Calls an
 * architecture does not have are issued anyway: there the oracle is the
 * refusal Xen's build for it gives (fuzz_arch_absent_*).
 */
#include "hostile.h"
#include <public/memory.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/hvm/dm_op.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/grant_table.h>

#define PICK(rng, tbl) ((tbl)[fuzz_below(rng, ARRAY_SIZE(tbl))])

/* ---- argument generators ---------------------------------------------- */

static domid_t gen_domid(uint64_t *r)
{
    const domid_t t[] = {
        DOMID_SELF, DOMID_SELF, 0,          PEER_DOMID, TWIN_DOMID, DOMID_INVALID,
        DOMID_XEN,  DOMID_IO,   DOMID_IDLE, 0x7fff,     0xffff,     77,
    };
    domid_t d = PICK(r, t);

    if ( fuzz_below(r, 4) == 0 )
        return xtf_domid;
    return fuzz_below(r, 16) == 0 ? (domid_t)fuzz_next(r) : d;
}

static uint64_t gen_gfn(uint64_t *r)
{
    switch ( fuzz_below(r, 16) )
    {
    case 0:
        return PICK(r, ((const uint64_t[]){ 0, 1, FUZZ_HOLE_GFN - 3, FUZZ_HOLE_GFN - 1,
                                            FUZZ_HOLE_GFN, FUZZ_HOLE_GFN + FUZZ_HOLE_NR - 1,
                                            FUZZ_HOLE_GFN + FUZZ_HOLE_NR }));
    case 1: return ram_end_gfn - 1 + fuzz_below(r, 3);
    case 2: return GFN_LIMIT - 1 + fuzz_below(r, 3);
    case 3:
        return PICK(r,
                    ((const uint64_t[]){ 1ULL << 18, 1ULL << 27, 1ULL << 40, ~0ULL, ~0ULL >> 12 }));
    case 4: return shinfo_gfn != NO_GFN ? shinfo_gfn : console_gfn;
    case 5: return console_gfn;
    case 6: return FUZZ_HOLE_GFN + fuzz_below(r, FUZZ_HOLE_NR);
    case 7: /* 2M-aligned, RAM or past it */
        return FUZZ_GFN(fuzz_below(r, 2 * (ram_end_gfn - FUZZ_GFN(0))) & ~0x1ffULL);
    case 8:
    case 9: return FUZZ_CHURN_B_GFN + fuzz_below(r, FUZZ_CHURN_NR);
    case 10: return fuzz_below(r, GFN_LIMIT);
    case 11: return fuzz_next(r);
    default: return FUZZ_GFN(0x200) + fuzz_below(r, ram_end_gfn - FUZZ_GFN(0x200)); /* RAM */
    }
}

static unsigned int gen_order(uint64_t *r)
{
    const unsigned int t[] = { 0, 0, 0, 0, 9, 9, 18, 19, 1, 8, 10, 31, 32, 63, 64, 0xffffffffU };

    return fuzz_below(r, 16) ? PICK(r, t) : (unsigned int)fuzz_next(r);
}

/* A gfn a destructive call may use, aligned to order most of the time. */
static uint64_t gen_dgfn(uint64_t *r, unsigned int order)
{
    for ( unsigned int i = 0; i < 4; i++ )
    {
        uint64_t g = gen_gfn(r);

        if ( order < 40 && fuzz_below(r, 8) )
            g &= ~((1ULL << order) - 1);
        if ( gfn_range_allowed(g, order) )
            return g;
    }
    return ram_end_gfn + 0x1000;
}

static uint64_t gen_count(uint64_t *r)
{
    const uint64_t t[] = { 0, 1, 1, 1, 1, 2, 3, 7, 16, 255, 256, 257, 513, 1ULL << 32, ~0ULL };

    return PICK(r, t);
}

/*
 * A guest pointer the hypervisor will write through: good scratch, across
 * a 4K or a 2M line (into the list area: it is reset afterwards), NULL,
 * holes in the p2m, unmapped or non-canonical addresses, read-only, and
 * (with special) shared_info and the console ring. Never our own data.
 */
static uint64_t out_ptr(uint64_t *r)
{
    uint64_t k = fuzz_below(r, 64);

    switch ( fuzz_below(r, 14) )
    {
    case 0:
    case 1:
    case 2: return OUT_AREA + fuzz_below(r, 64) * 8;
    case 3: return OUT_AREA + PAGE_SIZE - 8 - k;                                  /* across 4K */
    case 4: list_dirty = true; return (FUZZ_SCRATCH_GFN + 4) * PAGE_SIZE - 8 - k; /* across 2M */
    case 5: return k;                                                             /* NULL page */
    case 6: return FUZZ_HOLE_EDGE_GPA(ram_end_gfn << PAGE_SHIFT) - 8 - k * 8; /* RAM into a hole */
    case 7: return (ram_end_gfn << PAGE_SHIFT) - 8 - k;                       /* RAM into nothing */
    case 8:
        return PICK(r, ((const uint64_t[]){ 1ULL << 32, 1ULL << 47, 0xffff800000000000ULL,
                                            ~0ULL - k, 0x0000800000000000ULL - 4 }));
    case 9: return (FUZZ_RO_GFN << PAGE_SHIFT) + k * 8;         /* read-only */
    case 10: return ((FUZZ_HOLE_GFN + 0x20) << PAGE_SHIFT) + k; /* hole */
    case 11:
        if ( special && shinfo_gfn != NO_GFN )
            return (shinfo_gfn << PAGE_SHIFT) + k * 8;
        return 0x200000000ULL + k;
    case 12:
        if ( special )
            return (console_gfn << PAGE_SHIFT) + k * 16;
        return k << 40;
    default: return fuzz_next(r) | (1ULL << 63);
    }
}

/*
 * A gfn list we did not fill: the pre-filled list area, the read-only
 * page (random words), or pointers that cannot be read. Never memory
 * whose words someone else writes: the hypervisor's outputs in our
 * scratch, shared_info's event bits, the console ring's indices. A
 * decrease that read 0x100 from such a place once took our own code.
 */
static uint64_t list_ptr(uint64_t *r)
{
    uint64_t k = fuzz_below(r, 64);

    switch ( fuzz_below(r, 8) )
    {
    case 0:
    case 1:
    case 2: return LIST_AREA + fuzz_below(r, LIST_ENTRIES) * 8;
    case 3: return (FUZZ_RO_GFN << PAGE_SHIFT) + k * 8;
    case 4: return k;                                              /* NULL page */
    case 5: return ((FUZZ_HOLE_GFN + 0x20) << PAGE_SHIFT) + k * 8; /* hole */
    case 6: return (ram_end_gfn << PAGE_SHIFT) + k;                /* above RAM */
    default: return fuzz_next(r) | (1ULL << 63);
    }
}

/* in_ptr() put the caller's struct where the hypervisor will read it
 * (oracles about the struct's contents only apply then). */
static bool placed;

/* Where to put an input struct of size sz (copied there), or a bad pointer. */
static uint64_t in_ptr(uint64_t *r, const void *s, size_t sz)
{
    uint64_t p;

    placed = false;
    switch ( fuzz_below(r, 10) )
    {
    case 0: return out_ptr(r); /* whatever is there (or nothing) */
    case 1: p = ARG_AREA + PAGE_SIZE - 1 - fuzz_below(r, sz); break; /* across 4K */
    case 2: return (FUZZ_RO_GFN << PAGE_SHIFT) + fuzz_below(r, 64);  /* random data */
    default: p = ARG_AREA + fuzz_below(r, 32) * 8; break;
    }
    memcpy((void *)(uintptr_t)p, s, sz);
    placed = true;
    return p;
}

/* Fill the gfn list with n entries from gen (destructive: gen_dgfn). */
static uint64_t fill_list(uint64_t *r, uint64_t n, unsigned int order, bool destructive,
                          uint64_t *first)
{
    uint64_t off = fuzz_below(r, 2) ? 0 : (2 * PAGE_SIZE / 8) - fuzz_below(r, 8);
    uint64_t *l = (uint64_t *)(uintptr_t)LIST_AREA + off;

    n = MIN(n, 16);
    for ( uint64_t i = 0; i < n; i++ )
        l[i] = destructive ? gen_dgfn(r, order) : gen_gfn(r);
    *first = n ? l[0] : NO_GFN;
    list_dirty = true;
    return (uint64_t)(uintptr_t)l;
}

/* ---- oracles shared by several kinds ---------------------------------- */

static bool foreign(domid_t d)
{
    return d != DOMID_SELF && d != xtf_domid;
}

static void expect_refused(const struct fuzz_call *c, domid_t d, const char *what)
{
    if ( placed && foreign(d) && c->rc >= 0 )
        finding(c, "%s on d%u succeeded (%ld) for a domU", what, d, (long)c->rc);
}

/* ---- memory_op --------------------------------------------------------- */

static void k_reservation(uint64_t *r, struct fuzz_call *c, unsigned int op)
{
    struct xen_memory_reservation m = { 0 };
    uint64_t first = NO_GFN, nr = gen_count(r), cmd = op;
    unsigned int before = 0xffff;
    bool destructive = op == XENMEM_decrease_reservation, locked;

    m.extent_order = gen_order(r);
    m.domid = gen_domid(r);
    m.nr_extents = nr;
    if ( fuzz_below(r, 8) )
        m.extent_start = fill_list(r, nr, m.extent_order, destructive, &first);
    else
        m.extent_start = list_ptr(r);
    if ( !fuzz_below(r, 16) )
        m.mem_flags = (uint32_t)fuzz_next(r);
    if ( !fuzz_below(r, 16) )
        cmd |= fuzz_below(r, 600) << MEMOP_EXTENT_SHIFT;
    locked = destructive && first != NO_GFN && !foreign(m.domid);
    if ( locked )
    {
        shinfo_lock();
        before = mem_type(first);
    }
    c->arg[0] = cmd;
    c->arg[1] = m.domid;
    c->arg[2] = first;
    c->arg[3] = nr << 8 | (m.extent_order & 0xff);
    c->rc = hypercall_memory_op((unsigned int)cmd, (void *)(uintptr_t)in_ptr(r, &m, sizeof(m)));
    /* As in Xen, a refusal is a count: nothing done past the resume point. */
    if ( placed && foreign(m.domid) && c->rc > (long)(cmd >> MEMOP_EXTENT_SHIFT) )
        finding(c, "%s on d%u did %ld extents for a domU",
                op == XENMEM_populate_physmap ? "populate_physmap" : "decrease_reservation",
                m.domid, (long)c->rc);
    if ( placed && before == HVMMEM_ram_rw && c->rc <= 0 && cmd == op && m.extent_order <= 9 &&
         (first < FUZZ_CHURN_B_GFN || first >= FUZZ_CHURN_B_GFN + FUZZ_CHURN_NR) &&
         mem_type(first) != HVMMEM_ram_rw )
    {
        if ( first == shinfo_gfn || first == console_gfn )
            finding(c, "decrease_reservation of %s failed (%ld) yet gfn %#lx is gone",
                    first == shinfo_gfn ? "shared_info" : "the console ring", (long)c->rc,
                    (unsigned long)first);
        else
            finding(c, "decrease_reservation failed (%ld) yet gfn %#lx is gone", (long)c->rc,
                    (unsigned long)first);
    }
    if ( locked )
        shinfo_unlock();
}

static void k_populate(uint64_t *r, struct fuzz_call *c)
{
    k_reservation(r, c, XENMEM_populate_physmap);
}
static void k_decrease(uint64_t *r, struct fuzz_call *c)
{
    k_reservation(r, c, XENMEM_decrease_reservation);
}

static void k_add_shinfo(uint64_t *r, struct fuzz_call *c)
{
    struct xen_add_to_physmap x = {
        .domid = gen_domid(r),
        .size = (uint16_t)gen_count(r),
        .space = fuzz_below(r, 4) ? XENMAPSPACE_shared_info : (uint32_t)fuzz_below(r, 8),
        .idx = fuzz_below(r, 4) ? 0 : gen_count(r),
        .gpfn = gen_dgfn(r, 0),
    };

    if ( !special && x.gpfn >= FUZZ_CHURN_B_GFN && x.gpfn < FUZZ_CHURN_B_GFN + FUZZ_CHURN_NR )
        x.gpfn = ram_end_gfn + 0x10;
    c->arg[0] = x.space;
    c->arg[1] = x.domid;
    c->arg[2] = x.gpfn;
    c->arg[3] = x.idx;
    c->rc = hypercall_memory_op(XENMEM_add_to_physmap, (void *)(uintptr_t)in_ptr(r, &x, sizeof(x)));
    expect_refused(c, x.domid, "add_to_physmap");
    if ( placed && !c->rc && x.space == XENMAPSPACE_shared_info && !foreign(x.domid) )
        shinfo_gfn = x.gpfn;
}

static void k_remove(uint64_t *r, struct fuzz_call *c)
{
    struct xen_remove_from_physmap x = { .domid = gen_domid(r), .gpfn = gen_dgfn(r, 0) };

    c->arg[1] = x.domid;
    c->arg[2] = x.gpfn;
    c->rc = hypercall_memory_op(XENMEM_remove_from_physmap,
                                (void *)(uintptr_t)in_ptr(r, &x, sizeof(x)));
    expect_refused(c, x.domid, "remove_from_physmap");
    if ( placed && !c->rc && x.gpfn == shinfo_gfn && !foreign(x.domid) )
        shinfo_gfn = NO_GFN;
}

static void k_batch(uint64_t *r, struct fuzz_call *c)
{
    struct xen_add_to_physmap_batch b = {
        .domid = gen_domid(r),
        .space = (uint16_t)fuzz_below(r, 7),
        .size = (uint16_t)gen_count(r),
        .u.foreign_domid = gen_domid(r),
        .idxs = out_ptr(r),
        .gpfns = out_ptr(r),
        .errs = out_ptr(r),
    };

    c->arg[0] = b.space;
    c->arg[1] = b.domid;
    c->arg[2] = b.u.foreign_domid;
    c->arg[3] = b.size;
    c->rc = hypercall_memory_op(XENMEM_add_to_physmap_batch,
                                (void *)(uintptr_t)in_ptr(r, &b, sizeof(b)));
    if ( c->rc >= 0 )
        finding(c, "add_to_physmap_batch from a domU returned %ld", (long)c->rc);
}

static void k_memquery(uint64_t *r, struct fuzz_call *c)
{
    const unsigned int ops[] = { XENMEM_current_reservation,
                                 XENMEM_maximum_reservation,
                                 XENMEM_maximum_gpfn,
                                 XENMEM_maximum_ram_page,
                                 XENMEM_increase_reservation,
                                 XENMEM_machphys_mfn_list,
                                 XENMEM_exchange,
                                 XENMEM_acquire_resource,
                                 40,
                                 0x3f };
    domid_t d = gen_domid(r);
    unsigned int op = PICK(r, ops);

    c->arg[0] = op;
    c->arg[1] = d;
    c->rc = hypercall_memory_op(op, (void *)(uintptr_t)in_ptr(r, &d, sizeof(d)));
    if ( op <= XENMEM_maximum_reservation || op == XENMEM_maximum_gpfn )
        expect_refused(c, d, "memory_op query");
}

static void k_memmap(uint64_t *r, struct fuzz_call *c)
{
    struct xen_memory_map m = { .nr_entries = (uint32_t)gen_count(r), .buffer = out_ptr(r) };

    c->arg[0] = m.nr_entries;
    c->arg[1] = m.buffer;
    c->rc = hypercall_memory_op(XENMEM_memory_map, (void *)(uintptr_t)in_ptr(r, &m, sizeof(m)));
    if ( !XTF_HAS_MEMORY_MAP && c->rc != -XEN_ENOSYS )
        finding(c, "memory_map, which this architecture lacks, returned %ld, not -ENOSYS",
                (long)c->rc);
}

/* ---- hvm_op, xen_version, console_io ------------------------------------ */

static void k_hvm_param(uint64_t *r, struct fuzz_call *c)
{
    struct xen_hvm_param p = {
        .domid = gen_domid(r),
        .index = (uint32_t)fuzz_below(r, 48),
        .value = fuzz_below(r, 2) ? fuzz_below(r, 16) : fuzz_next(r) & ~(0xffULL << 56),
    };
    unsigned int op = fuzz_below(r, 2) ? HVMOP_get_param : HVMOP_set_param;

    if ( fuzz_below(r, 8) == 0 )
        p.index = (uint32_t)fuzz_next(r);
    c->arg[0] = op;
    c->arg[1] = p.domid;
    c->arg[2] = p.index;
    c->arg[3] = p.value;
    c->rc = hypercall_hvm_op(op, (void *)(uintptr_t)in_ptr(r, &p, sizeof(p)));
    if ( op == HVMOP_set_param )
        expect_refused(c, p.domid, "HVMOP_set_param");
}

static void k_mem_type(uint64_t *r, struct fuzz_call *c)
{
    struct xen_hvm_get_mem_type m = { .domid = gen_domid(r), .pfn = gen_gfn(r) };

    c->arg[1] = m.domid;
    c->arg[2] = m.pfn;
    c->rc = hypercall_hvm_op(HVMOP_get_mem_type, (void *)(uintptr_t)in_ptr(r, &m, sizeof(m)));
    expect_refused(c, m.domid, "HVMOP_get_mem_type");
}

static void k_hvm_other(uint64_t *r, struct fuzz_call *c)
{
    unsigned int op = 2 + (unsigned int)fuzz_below(r, 40);

    c->arg[0] = op;
    c->rc = hypercall_hvm_op(op, (void *)(uintptr_t)out_ptr(r));
    if ( fuzz_arch_absent_hvmop(op) && c->rc != -XEN_ENOSYS )
        finding(c, "HVMOP %u, which this architecture lacks, returned %ld, not -ENOSYS", op,
                (long)c->rc);
}

static void k_version(uint64_t *r, struct fuzz_call *c)
{
    unsigned int cmd =
        fuzz_below(r, 8) ? (unsigned int)fuzz_below(r, 12) : (unsigned int)fuzz_next(r);
    uint64_t p = out_ptr(r);

    c->arg[0] = cmd;
    c->arg[1] = p;
    c->rc = hypercall_xen_version(cmd, (void *)(uintptr_t)p);
}

/* Valid writes are left out: they would only fill the log. */
static void k_console(uint64_t *r, struct fuzz_call *c)
{
    unsigned int cmd = (unsigned int)fuzz_below(r, 3);
    uint64_t count = gen_count(r), p = out_ptr(r);

    if ( cmd == CONSOLEIO_write && p >= OUT_AREA && p < ARG_AREA + 2 * PAGE_SIZE )
        count = fuzz_below(r, 2) ? 0 : 1ULL << 20;
    c->arg[0] = cmd;
    c->arg[1] = count;
    c->arg[2] = p;
    c->rc = hypercall_console_io(cmd, count, (void *)(uintptr_t)p);
}

/* ---- event channels, vCPUs, scheduler ----------------------------------- */

static uint32_t gen_port(uint64_t *r)
{
    const uint32_t t[] = { 0, 1, 2, 3, 4, 5, 31, 63, 64, 1023, 1024, 4095, 4096, ~0U };

    return PICK(r, t);
}

static void k_evtchn(uint64_t *r, struct fuzz_call *c)
{
    unsigned int cmd =
        fuzz_below(r, 8) ? (unsigned int)fuzz_below(r, 15) : (unsigned int)fuzz_below(r, 64);
    uint32_t s[8];

    s[0] = gen_domid(r) | (uint32_t)gen_domid(r) << 16;
    for ( unsigned int i = 1; i < ARRAY_SIZE(s); i++ )
        s[i] = fuzz_below(r, 2) ? gen_port(r) : (uint32_t)fuzz_below(r, 4);
    if ( cmd == EVTCHNOP_bind_virq && s[0] == 0 )
        s[0] = 1; /* no VIRQ_TIMER: no handler for its upcalls */
    c->arg[0] = cmd;
    c->arg[1] = s[0];
    c->arg[2] = s[1];
    c->arg[3] = s[2];
    c->rc = hypercall_event_channel_op(cmd, (void *)(uintptr_t)in_ptr(r, s, sizeof(s)));
}

static void k_vcpu(uint64_t *r, struct fuzz_call *c)
{
    const unsigned int safe_ids[] = { 2, 3, 7, 8, 31, 32, 128, 0xffff, ~0U };
    unsigned int cmd =
        fuzz_below(r, 4) ? (unsigned int)fuzz_below(r, 4) : (unsigned int)fuzz_below(r, 20);
    unsigned int id = PICK(r, safe_ids);
    uint8_t ctx[256];

    if ( cmd == VCPUOP_is_up ||
         ((cmd == VCPUOP_up || cmd == VCPUOP_initialise) && fuzz_below(r, 2)) )
        id = (unsigned int)fuzz_below(r, 2); /* ours: up already, so refused */
    for ( unsigned int i = 0; i < sizeof(ctx); i++ )
        ctx[i] = (uint8_t)fuzz_next(r);
    c->arg[0] = cmd;
    c->arg[1] = id;
    c->rc = hypercall_vcpu_op(cmd, id, (void *)(uintptr_t)in_ptr(r, ctx, sizeof(ctx)));
}

static void k_sched(uint64_t *r, struct fuzz_call *c)
{
    unsigned int cmd = PICK(
        r, ((const unsigned int[]){ SCHEDOP_yield, SCHEDOP_shutdown, SCHEDOP_poll,
                                    SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code, 8, 9, 63 }));
    uint32_t s[4] = { PEER_DOMID, SHUTDOWN_poweroff, 0, 0 };
    uint64_t p;

    if ( cmd == SCHEDOP_remote_shutdown || cmd == SCHEDOP_shutdown_code )
    {
        s[0] = fuzz_below(r, 2) ? PEER_DOMID : 0;
        s[1] = (uint32_t)fuzz_below(r, 8);
        p = cmd == SCHEDOP_shutdown_code ? out_ptr(r) : in_ptr(r, s, sizeof(s));
    }
    else
        p = cmd == SCHEDOP_yield ? out_ptr(r) : (fuzz_next(r) | 1ULL << 63); /* bad: never acts */
    c->arg[0] = cmd;
    c->arg[1] = p;
    c->rc = hypercall_sched_op(cmd, (void *)(uintptr_t)p);
    if ( cmd == SCHEDOP_remote_shutdown && placed && c->rc >= 0 )
        finding(c, "SCHEDOP_remote_shutdown from a domU returned %ld", (long)c->rc);
}

/* ---- the control domain's calls: all -EPERM ------------------------------ */

static void k_privileged(uint64_t *r, struct fuzz_call *c)
{
    const uint32_t domctls[] = { XEN_DOMCTL_getdomaininfo,
                                 XEN_DOMCTL_pausedomain,
                                 XEN_DOMCTL_destroydomain,
                                 XEN_DOMCTL_max_mem,
                                 XEN_DOMCTL_wren_p2m,
                                 XEN_DOMCTL_shadow_op,
                                 0x6fff };
    uint8_t buf[160];
    unsigned int which = (unsigned int)fuzz_below(r, 3);
    uint64_t nr = which == 0   ? __HYPERVISOR_domctl
                  : which == 1 ? __HYPERVISOR_sysctl
                               : __HYPERVISOR_dm_op;

    for ( unsigned int i = 0; i < sizeof(buf); i++ )
        buf[i] = (uint8_t)fuzz_next(r);
    if ( which == 0 )
    {
        struct xen_domctl *d = (void *)buf;
        d->cmd = PICK(r, domctls);
        d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
        d->domain = fuzz_below(r, 2) ? PEER_DOMID : gen_domid(r);
    }
    else if ( which == 1 )
    {
        struct xen_sysctl *s = (void *)buf;
        s->cmd = XEN_SYSCTL_physinfo;
        s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    }
    c->arg[0] = nr;
    c->arg[1] = buf[0];
    c->rc = xtf_hypercall(nr, which == 2 ? gen_domid(r) : in_ptr(r, buf, sizeof(buf)),
                          which == 2 ? 1 : 0, which == 2 ? in_ptr(r, buf, 16) : 0, 0, 0);
    if ( c->rc != -XEN_EPERM )
        finding(c, "privileged hypercall %lu from a domU returned %ld, not -EPERM",
                (unsigned long)nr, (long)c->rc);
}

/* Numbers Wren does not implement, with junk arguments: -ENOSYS expected. */
static void k_unknown(uint64_t *r, struct fuzz_call *c)
{
    const uint64_t nrs[] = { 0,  1,  2,  3,  5,  7,   13,  14,  21,  26,     33,        38,
                             42, 47, 48, 55, 63, 100, 127, 128, 255, 0x1000, 1ULL << 32 };
    uint64_t nr = PICK(r, nrs);

    c->arg[0] = nr;
    c->rc = xtf_hypercall(nr, out_ptr(r), fuzz_next(r), out_ptr(r), fuzz_next(r), out_ptr(r));
    if ( c->rc >= 0 )
        finding(c, "hypercall %#lx, which Wren lacks, returned %ld", (unsigned long)nr,
                (long)c->rc);
    else if ( fuzz_arch_absent_call(nr) && c->rc != -XEN_ENOSYS )
        finding(c, "hypercall %#lx, which this architecture lacks, returned %ld, not -ENOSYS",
                (unsigned long)nr, (long)c->rc);
}

/* ---- grant_table_op ------------------------------------------------------- */

static uint32_t gen_ref(uint64_t *r)
{
    const uint32_t t[] = { 0, 1, 7, 511, 512, 513, 32767, 32768, 0x7fffffff, ~0U };

    return fuzz_below(r, 8) ? PICK(r, t) : (uint32_t)fuzz_next(r);
}

static uint16_t gen_off(uint64_t *r)
{
    const uint16_t t[] = { 0, 1, 8, 2048, 4088, 4095, 4096, 0xffff };

    return PICK(r, t);
}

/* A gfn a grant op may write (map over, copy into): destructive rules, and
 * clear of vCPU 1's range B unless special (as add_to_physmap). */
static uint64_t gnt_dgfn(uint64_t *r)
{
    uint64_t g = gen_dgfn(r, 0);

    if ( !special && g >= FUZZ_CHURN_B_GFN && g < FUZZ_CHURN_B_GFN + FUZZ_CHURN_NR )
        g = ram_end_gfn + 0x10;
    return g;
}

static void gnt_copy_ptr(uint64_t *r, struct gnttab_copy_ptr *p, bool gref, bool dest)
{
    p->domid = gen_domid(r);
    p->offset = gen_off(r);
    if ( gref )
        p->u.ref = gen_ref(r);
    else
        p->u.gmfn = dest ? gnt_dgfn(r) : gen_gfn(r);
}

/* One struct of cmd's type at p, its fields from the generators. */
static void gnt_fill(uint64_t *r, unsigned int cmd, void *p)
{
    switch ( cmd )
    {
    case GNTTABOP_map_grant_ref:
        *(struct gnttab_map_grant_ref *)p = (struct gnttab_map_grant_ref){
            .host_addr = gnt_dgfn(r) << PAGE_SHIFT | fuzz_below(r, 2) * fuzz_below(r, PAGE_SIZE),
            .flags = fuzz_below(r, 4) ? GNTMAP_host_map | (uint32_t)fuzz_below(r, 2) << 2
                                      : (uint32_t)fuzz_below(r, 32),
            .ref = gen_ref(r),
            .dom = gen_domid(r),
        };
        break;
    case GNTTABOP_unmap_grant_ref:
        *(struct gnttab_unmap_grant_ref *)p = (struct gnttab_unmap_grant_ref){
            .host_addr = fuzz_below(r, 4) ? gnt_dgfn(r) << PAGE_SHIFT : 0,
            .dev_bus_addr = fuzz_below(r, 4) ? 0 : fuzz_next(r),
            .handle = gen_ref(r),
        };
        break;
    case GNTTABOP_copy:
    {
        struct gnttab_copy *op = p;
        uint16_t flags = (uint16_t)fuzz_below(r, 4);

        gnt_copy_ptr(r, &op->source, flags & GNTCOPY_source_gref, false);
        gnt_copy_ptr(r, &op->dest, flags & GNTCOPY_dest_gref, true);
        op->len = gen_off(r);
        op->flags = flags;
        break;
    }
    case GNTTABOP_setup_table:
        *(struct gnttab_setup_table *)p = (struct gnttab_setup_table){
            .dom = gen_domid(r),
            .nr_frames = (uint32_t)PICK(r, ((const uint64_t[]){ 0, 1, 2, 64, 65, ~0U })),
            .frame_list = out_ptr(r),
        };
        break;
    default:
        for ( unsigned int i = 0; i < 5; i++ )
            ((uint64_t *)p)[i] =
                fuzz_below(r, 2) ? (uint64_t)gen_domid(r) | fuzz_below(r, 4) << 32 : fuzz_next(r);
        break;
    }
}

/* The size of cmd's struct: the stride of a batch. */
static size_t gnt_size(unsigned int cmd)
{
    switch ( cmd )
    {
    case GNTTABOP_map_grant_ref: return sizeof(struct gnttab_map_grant_ref);
    case GNTTABOP_unmap_grant_ref: return sizeof(struct gnttab_unmap_grant_ref);
    case GNTTABOP_setup_table: return sizeof(struct gnttab_setup_table);
    default: return sizeof(struct gnttab_copy); /* the largest */
    }
}

/*
 * Every sub-op (and numbers past them), mostly with 1-4 generated structs
 * in the argument area (40 bytes each at most: the batch and what the
 * hypervisor writes back stay inside it), sometimes with a count the
 * hypervisor must refuse before reading any; otherwise a wild count with
 * a pointer that cannot be read, or random read-only data. Maps go over
 * destructive gfns only; copies into our own frames too; setup_table's
 * list is an out_ptr(). Nobody grants this domain anything, so the calls
 * exercise the checks and the error statuses.
 */
static void k_gnttab(uint64_t *r, struct fuzz_call *c)
{
    unsigned int cmd =
        fuzz_below(r, 8) ? (unsigned int)fuzz_below(r, 13) : (unsigned int)fuzz_below(r, 64);
    uint64_t count = 1 + fuzz_below(r, 4), uop = ARG_AREA + fuzz_below(r, 32) * 8;

    if ( fuzz_below(r, 8) )
    {
        for ( uint64_t i = 0; i < count; i++ )
            gnt_fill(r, cmd, (void *)(uintptr_t)(uop + i * gnt_size(cmd)));
        if ( fuzz_below(r, 8) == 0 )
            count = PICK(r, ((const uint64_t[]){ 0, 0x80000000, 1ULL << 32, ~0ULL }));
    }
    else
    {
        count = gen_count(r);
        uop =
            PICK(r, ((const uint64_t[]){ 0, 8, 1ULL << 47, ~0ULL - 7, FUZZ_RO_GFN << PAGE_SHIFT }));
    }
    c->arg[0] = cmd;
    c->arg[1] = uop;
    c->arg[2] = count;
    c->rc = xtf_hypercall(__HYPERVISOR_grant_table_op, cmd, uop, count, 0, 0);
}

/* ---- the table ------------------------------------------------------------ */

struct kind
{
    void (*fn)(uint64_t *r, struct fuzz_call *c);
    unsigned int weight;
};

static const struct kind kinds[FK_NR] = {
    [FK_POPULATE] = { k_populate, 8 },
    [FK_DECREASE] = { k_decrease, 8 },
    [FK_ADD_TO_PHYSMAP] = { k_add_shinfo, 4 },
    [FK_REMOVE] = { k_remove, 4 },
    [FK_BATCH] = { k_batch, 2 },
    [FK_MEMQUERY] = { k_memquery, 3 },
    [FK_MEMMAP] = { k_memmap, 2 },
    [FK_HVM_PARAM] = { k_hvm_param, 3 },
    [FK_MEM_TYPE] = { k_mem_type, 3 },
    [FK_HVM_OTHER] = { k_hvm_other, 1 },
    [FK_VERSION] = { k_version, 2 },
    [FK_CONSOLE] = { k_console, 2 },
    [FK_EVTCHN] = { k_evtchn, 4 },
    [FK_VCPU] = { k_vcpu, 2 },
    [FK_SCHED] = { k_sched, 2 },
    [FK_PRIVILEGED] = { k_privileged, 3 },
    [FK_UNKNOWN] = { k_unknown, 2 },
    [FK_GNTTAB] = { k_gnttab, 4 },
};
_Static_assert(FK_NR <= FUZZ_KINDS, "kinds fit the status page");

unsigned int fuzz_pick_kind(uint64_t *rng)
{
    unsigned int total = 0, x;

    for ( unsigned int i = 0; i < ARRAY_SIZE(kinds); i++ )
        total += kinds[i].weight;
    x = (unsigned int)fuzz_below(rng, total);
    for ( unsigned int i = 0; i < ARRAY_SIZE(kinds); i++ )
    {
        if ( x < kinds[i].weight )
            return i;
        x -= kinds[i].weight;
    }
    return 0;
}

void fuzz_issue(unsigned int kind, uint64_t *rng, struct fuzz_call *c)
{
    kinds[kind].fn(rng, c);
}
