/*
 * p2m-ro - XEN_DMOP_set_mem_type between ram_rw and ram_ro, seen from
 * both sides.
 *
 * dom0 controller; domain 1 runs p2m-target (32 MiB), which reads and
 * writes its own frames on command through the mailbox page, so every
 * access goes through d1's own p2m. Frames [4M, 32M) start inside 2 MiB
 * superpages, each filled with a known value. Checks, with a clean
 * WREN_P2M_AUDIT after every phase:
 *  - marking a few frames of one superpage ram_ro shatters exactly that
 *    superpage; WREN_P2M_LOOKUP says ram_ro order 0 for them (ram_rw
 *    order 0 for their neighbours), HVMOP_get_mem_type says HVMMEM_ram_ro;
 *  - d1's writes to them are dropped: it reads back the old value, no
 *    fault reaches it, and the ram_ro-writes-dropped count rises by
 *    exactly the number of write instructions; writes to the neighbours
 *    land; reads always work;
 *  - back to ram_rw, d1's writes stick and nothing more is dropped;
 *    WREN_P2M_COALESCE makes the superpage again (2M count as at start);
 *  - a range larger than one continuation slice (7168 frames) changes
 *    both ways with every superpage kept whole;
 *  - bad input (bad mem_type, nr 0, a range over a hole (xtf/ram-base.h) or past
 *    the end of RAM, nonzero pad, a huge pfn, the caller itself, a
 *    missing domain, an unknown op) is refused and writes no p2m entry;
 *  - dm_op from the domU itself is -EPERM.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <public/hvm/hvm_op.h>

const char test_title[] = "p2m: set_mem_type ram_ro / ram_rw";

#define TARGET    1
#define MB_GFN    0x7f100UL      /* our slot for d1's mailbox */
#define DATA_GFN  XTF_GFN(0x400) /* 4 MiB */
#define BLOCK_GFN XTF_GFN(0x600) /* the superpage we shatter */
#define OLD(g)    (0x0a1d000000000000ULL + (g))
#define NEW(g, n) (0x0e30000000000000ULL + ((uint64_t)(n) << 32) + (g))

static xtf_mb_t *mb;
static uint64_t data_end; /* first gfn past d1's RAM */

/* Marked ram_ro: four in a row and the superpage's last frame. */
static const uint64_t ro_gfns[] = { XTF_GFN(0x640), XTF_GFN(0x641), XTF_GFN(0x642), XTF_GFN(0x643),
                                    XTF_GFN(0x7ff) };
static const uint64_t neighbours[] = { XTF_GFN(0x63f), XTF_GFN(0x644), BLOCK_GFN };

static void expect_type(uint64_t gfn, unsigned int type, unsigned int order, const char *phase)
{
    unsigned int t, o;
    long rc = xtf_p2m_lookup(TARGET, gfn, &t, &o);

    if ( rc )
        xtf_failure("%s: LOOKUP %#lx: %ld", phase, (unsigned long)gfn, rc);
    else if ( t != type || o != order )
        xtf_failure("%s: gfn %#lx is %s order %u, expected %s order %u", phase, (unsigned long)gfn,
                    xtf_p2m_type_name(t), o, xtf_p2m_type_name(type), order);
}

static void expect_mem_type(uint64_t gfn, uint16_t want, const char *phase)
{
    uint16_t mt = 0xffff;
    long rc = xtf_get_mem_type(TARGET, gfn, &mt);

    if ( rc || mt != want )
        xtf_failure("%s: HVMOP_get_mem_type(%#lx): rc %ld, type %u, "
                    "expected %u",
                    phase, (unsigned long)gfn, rc, mt, want);
}

static uint64_t dropped(void)
{
    uint64_t n = 0;

    if ( xtf_p2m_fault_counts(TARGET, &n, NULL) )
        xtf_failure("WREN_P2M_FAULT_COUNTS failed");
    return n;
}

static long set_type(uint64_t gfn, uint32_t nr, uint16_t mt)
{
    long rc = xtf_dm_set_mem_type(TARGET, gfn, nr, mt);

    if ( rc )
        xtf_failure("set_mem_type(%#lx, %u, %u): %ld", (unsigned long)gfn, nr, mt, rc);
    return rc;
}

/* d1 writes val[i] to gfn[i] (or only reads, if val is NULL); false if
 * the mailbox failed. out[] is left in mb->out. */
static bool target_access(const uint64_t *gfn, const uint64_t *val, unsigned int n)
{
    long rc;

    for ( unsigned int i = 0; i < n; i++ )
    {
        mb->gfn[i] = gfn[i];
        mb->val[i] = val ? val[i] : 0;
    }
    rc = xtf_mb_call(mb, val ? XTF_MB_WRITE : XTF_MB_READ, n);
    if ( rc )
        xtf_mb_report(mb, val ? "write command" : "read command", rc);
    return !rc;
}

static void expect_read(unsigned int i, uint64_t gfn, uint64_t want, const char *phase)
{
    if ( mb->out[i] != want )
        xtf_failure("%s: d%u read %#lx from gfn %#lx, expected %#lx", phase, TARGET,
                    (unsigned long)mb->out[i], (unsigned long)gfn, (unsigned long)want);
}

/* ro_gfns[] as two calls: the run of four, then the last frame. */
static bool set_ro_gfns(uint16_t mt)
{
    return !set_type(ro_gfns[0], 4, mt) && !set_type(ro_gfns[4], 1, mt);
}

static bool mark_ro(const struct xen_domctl_wren_p2m *start)
{
    struct xen_domctl_wren_p2m s;

    if ( !set_ro_gfns(HVMMEM_ram_ro) )
        return false;
    if ( !xtf_p2m_stats(TARGET, &s) )
        return false;
    printf("Marked 5 frames ram_ro: shatters %lu -> %lu, "
           "2M leaves %lu -> %lu\n",
           (unsigned long)start->shatters, (unsigned long)s.shatters,
           (unsigned long)start->entries_2m, (unsigned long)s.entries_2m);
    if ( s.shatters != start->shatters + 1 || s.entries_2m != start->entries_2m - 1 )
        xtf_failure("mark ro: expected exactly one superpage shattered");
    for ( unsigned int i = 0; i < ARRAY_SIZE(ro_gfns); i++ )
    {
        expect_type(ro_gfns[i], XTF_P2M_RAM_RO, 0, "mark ro");
        expect_mem_type(ro_gfns[i], HVMMEM_ram_ro, "mark ro");
    }
    for ( unsigned int i = 0; i < ARRAY_SIZE(neighbours); i++ )
    {
        expect_type(neighbours[i], XTF_P2M_RAM_RW, 0, "mark ro");
        expect_mem_type(neighbours[i], HVMMEM_ram_rw, "mark ro");
    }
    xtf_p2m_audit(TARGET, "mark ro");
    return true;
}

/* Writes to ram_ro frames vanish; writes beside them land. */
static bool writes_dropped(void)
{
    uint64_t g[ARRAY_SIZE(ro_gfns) + ARRAY_SIZE(neighbours) + 1];
    uint64_t v[ARRAY_SIZE(g)];
    unsigned int n = 0, nro = ARRAY_SIZE(ro_gfns) + 1;
    uint64_t before = dropped(), after;

    for ( unsigned int i = 0; i < ARRAY_SIZE(ro_gfns); i++ )
        g[n++] = ro_gfns[i];
    g[n++] = ro_gfns[0]; /* the same frame twice: two drops */
    for ( unsigned int i = 0; i < ARRAY_SIZE(neighbours); i++ )
        g[n++] = neighbours[i];
    for ( unsigned int i = 0; i < n; i++ )
        v[i] = NEW(g[i], 1);
    if ( !target_access(g, v, n) )
        return false;
    after = dropped();
    printf("d%u wrote %u ram_ro frames: %lu write(s) dropped\n", TARGET, nro,
           (unsigned long)(after - before));
    for ( unsigned int i = 0; i < n; i++ )
        expect_read(i, g[i], i < nro ? OLD(g[i]) : v[i], "write to ram_ro");
    if ( after - before != nro )
        xtf_failure("write to ram_ro: %lu writes dropped, expected %u",
                    (unsigned long)(after - before), nro);

    if ( !target_access(ro_gfns, NULL, ARRAY_SIZE(ro_gfns)) )
        return false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(ro_gfns); i++ )
    {
        expect_read(i, ro_gfns[i], OLD(ro_gfns[i]), "read ram_ro");
        expect_type(ro_gfns[i], XTF_P2M_RAM_RO, 0, "after writes");
    }
    xtf_p2m_audit(TARGET, "write to ram_ro");
    return true;
}

static bool back_to_rw(void)
{
    uint64_t v[ARRAY_SIZE(ro_gfns)], before;

    if ( !set_ro_gfns(HVMMEM_ram_rw) )
        return false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(ro_gfns); i++ )
    {
        expect_type(ro_gfns[i], XTF_P2M_RAM_RW, 0, "back to rw");
        expect_mem_type(ro_gfns[i], HVMMEM_ram_rw, "back to rw");
        v[i] = NEW(ro_gfns[i], 2);
    }
    before = dropped();
    if ( !target_access(ro_gfns, v, ARRAY_SIZE(ro_gfns)) )
        return false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(ro_gfns); i++ )
        expect_read(i, ro_gfns[i], v[i], "write to ram_rw again");
    if ( dropped() != before )
        xtf_failure("back to rw: writes to ram_rw frames were dropped");
    xtf_p2m_audit(TARGET, "back to rw");
    return true;
}

static bool coalesce(const struct xen_domctl_wren_p2m *start)
{
    struct xen_domctl_wren_p2m s;
    long rc = xtf_wren_p2m(TARGET, WREN_P2M_COALESCE, BLOCK_GFN, 9, 0, &s);

    if ( rc || s.arg[2] != 1 )
    {
        xtf_failure("COALESCE(%#lx, 9): rc %ld, merged %lu", BLOCK_GFN, rc,
                    (unsigned long)s.arg[2]);
        return false;
    }
    printf("Coalesced: 2M leaves %lu (at start %lu), coalesces %lu\n", (unsigned long)s.entries_2m,
           (unsigned long)start->entries_2m, (unsigned long)s.coalesces);
    if ( s.entries_2m != start->entries_2m || s.coalesces != start->coalesces + 1 )
        xtf_failure("coalesce: the superpage count is not back to the start");
    expect_type(ro_gfns[0], XTF_P2M_RAM_RW, 9, "coalesce");
    if ( !target_access(ro_gfns, NULL, ARRAY_SIZE(ro_gfns)) )
        return false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(ro_gfns); i++ )
        expect_read(i, ro_gfns[i], NEW(ro_gfns[i], 2), "after coalesce");
    xtf_p2m_audit(TARGET, "coalesce");
    return true;
}

/* More than one continuation slice: superpages inside stay whole. */
static bool big_range(void)
{
    uint32_t nr = (uint32_t)(data_end - DATA_GFN);
    uint64_t g[XTF_MB_MAX] = { 0 }, v[XTF_MB_MAX], was[XTF_MB_MAX], before;
    struct xen_domctl_wren_p2m s0, s;
    unsigned int n = 0;

    for ( uint64_t b = DATA_GFN; b < data_end && n < XTF_MB_MAX; b += 0x200 )
    {
        g[n] = b + 0x1ff; /* last frame of each superpage */
        v[n] = NEW(g[n], 3);
        n++;
    }
    if ( !target_access(g, NULL, n) )
        return false;
    for ( unsigned int i = 0; i < n; i++ )
        was[i] = mb->out[i];
    if ( !xtf_p2m_stats(TARGET, &s0) || set_type(DATA_GFN, nr, HVMMEM_ram_ro) ||
         !xtf_p2m_stats(TARGET, &s) )
        return false;
    printf("Marked %u frames ram_ro in one call: shatters %lu -> %lu\n", nr,
           (unsigned long)s0.shatters, (unsigned long)s.shatters);
    if ( s.shatters != s0.shatters || s.entries_2m != s0.entries_2m )
        xtf_failure("big range: superpages were split (2M leaves %lu -> %lu)",
                    (unsigned long)s0.entries_2m, (unsigned long)s.entries_2m);
    for ( uint64_t b = DATA_GFN; b < data_end; b += 0x200 )
        expect_type(b, XTF_P2M_RAM_RO, 9, "big range ro");
    expect_mem_type(data_end - 1, HVMMEM_ram_ro, "big range ro");
    before = dropped();
    if ( !target_access(g, v, n) )
        return false;
    for ( unsigned int i = 0; i < n; i++ )
        expect_read(i, g[i], was[i], "big range ro");
    if ( dropped() - before != n )
        xtf_failure("big range: %lu writes dropped, expected %u",
                    (unsigned long)(dropped() - before), n);
    xtf_p2m_audit(TARGET, "big range ro");

    if ( set_type(DATA_GFN, nr, HVMMEM_ram_rw) )
        return false;
    for ( uint64_t b = DATA_GFN; b < data_end; b += 0x200 )
        expect_type(b, XTF_P2M_RAM_RW, 9, "big range rw");
    if ( !target_access(g, v, n) )
        return false;
    for ( unsigned int i = 0; i < n; i++ )
        expect_read(i, g[i], v[i], "big range rw");
    xtf_p2m_audit(TARGET, "big range rw");
    return true;
}

static void expect_refused(const char *what, long rc, long want)
{
    if ( rc != want )
        xtf_failure("bad input (%s): rc %ld, expected %ld", what, rc, want);
}

static void bad_input(void)
{
    struct xen_domctl_wren_p2m s0, s1;
    struct xen_dm_op op = {
        .op = XEN_DMOP_set_mem_type,
        .u.set_mem_type = { .first_pfn = DATA_GFN, .nr = 1, .mem_type = HVMMEM_ram_ro, .pad = 1 },
    };

    if ( !xtf_p2m_stats(TARGET, &s0) )
        return;
    expect_refused("mem_type mmio_dm", xtf_dm_set_mem_type(TARGET, DATA_GFN, 1, HVMMEM_mmio_dm),
                   -XEN_EINVAL);
    expect_refused("mem_type 0x1234", xtf_dm_set_mem_type(TARGET, DATA_GFN, 1, 0x1234),
                   -XEN_EINVAL);
    expect_refused("nr 0", xtf_dm_set_mem_type(TARGET, DATA_GFN, 0, HVMMEM_ram_ro), -XEN_EINVAL);
    expect_refused("over a hole", xtf_dm_set_mem_type(TARGET, XTF_HOLE_EDGE_GFN, 8, HVMMEM_ram_ro),
                   -XEN_EINVAL);
    expect_refused("past the end of RAM",
                   xtf_dm_set_mem_type(TARGET, data_end - 0x10, 0x20, HVMMEM_ram_ro), -XEN_EINVAL);
    expect_refused("pfn 2^40", xtf_dm_set_mem_type(TARGET, 1ULL << 40, 1, HVMMEM_ram_ro),
                   -XEN_EINVAL);
    expect_refused("nonzero pad", xtf_dm_op(TARGET, &op), -XEN_EINVAL);
    op.u.set_mem_type.pad = 0;
    op.op = 999;
    expect_refused("unknown op", xtf_dm_op(TARGET, &op), -XEN_EOPNOTSUPP);
    expect_refused("the caller itself", xtf_dm_set_mem_type(0, XTF_GFN(0x3000), 1, HVMMEM_ram_ro),
                   -XEN_EINVAL);
    expect_refused("missing domain", xtf_dm_set_mem_type(0x7000, DATA_GFN, 1, HVMMEM_ram_ro),
                   -XEN_ESRCH);

    expect_type(XTF_HOLE_EDGE_RAM_GFN, XTF_P2M_RAM_RW, XTF_HOLE_EDGE_RAM_ORDER, "bad input");
    expect_type(data_end - 0x10, XTF_P2M_RAM_RW, 9, "bad input");
    expect_type(DATA_GFN, XTF_P2M_RAM_RW, 9, "bad input");
    if ( xtf_p2m_stats(TARGET, &s1) &&
         (s1.entries_written != s0.entries_written || s1.shatters != s0.shatters) )
        xtf_failure("bad input: p2m entries written %lu -> %lu, shatters "
                    "%lu -> %lu: a refused call changed the table",
                    (unsigned long)s0.entries_written, (unsigned long)s1.entries_written,
                    (unsigned long)s0.shatters, (unsigned long)s1.shatters);
    xtf_p2m_audit(TARGET, "bad input");
    printf("Bad input refused, nothing written\n");
}

/* The domU itself may not use dm_op, on anyone. */
static void domu_eperm(void)
{
    static const domid_t victims[] = { 0, TARGET };
    long rc;

    for ( unsigned int i = 0; i < ARRAY_SIZE(victims); i++ )
    {
        mb->arg[0] = victims[i];
        mb->arg[1] = victims[i] ? DATA_GFN : XTF_GFN(0x3000);
        mb->arg[2] = 1;
        mb->arg[3] = HVMMEM_ram_ro;
        rc = xtf_mb_call(mb, XTF_MB_DM_OP, 0);
        printf("d%u: dm_op(d%u) -> %ld\n", TARGET, victims[i], rc);
        if ( rc != -XEN_EPERM )
            xtf_failure("d%u's own dm_op on d%u: %ld, expected -EPERM", TARGET, victims[i], rc);
    }
    expect_type(DATA_GFN, XTF_P2M_RAM_RW, 9, "domU dm_op");
}

static bool setup(struct xen_domctl_wren_p2m *start)
{
    struct xen_domctl_getdomaininfo info;
    long rc;

    if ( xtf_getdomaininfo(TARGET, &info) )
    {
        xtf_error("d%u (p2m-target) does not exist", TARGET);
        return false;
    }
    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
    {
        xtf_error("no mailbox with d%u", TARGET);
        return false;
    }
    data_end = mb->ram_end >> PAGE_SHIFT;
    if ( data_end < DATA_GFN + 0x1000 )
    {
        xtf_error("d%u has %#lx bytes of RAM, this test wants 32M", TARGET,
                  (unsigned long)mb->ram_end);
        return false;
    }
    mb->arg[0] = DATA_GFN;
    mb->arg[1] = data_end - DATA_GFN;
    mb->arg[2] = OLD(0);
    rc = xtf_mb_call(mb, XTF_MB_FILL, 0);
    if ( rc )
    {
        xtf_mb_report(mb, "fill", rc);
        return false;
    }
    if ( !xtf_p2m_stats(TARGET, start) )
        return false;
    printf("d%u: %lu 4K, %lu 2M, %lu 1G leaves; data in [%#lx, %#lx)\n", TARGET,
           (unsigned long)start->entries_4k, (unsigned long)start->entries_2m,
           (unsigned long)start->entries_1g, DATA_GFN, (unsigned long)data_end);
    xtf_p2m_audit(TARGET, "start");
    if ( !start->entries_2m )
    {
        xtf_error("d%u has no 2M superpage to shatter", TARGET);
        return false;
    }
    expect_type(BLOCK_GFN, XTF_P2M_RAM_RW, 9, "start");
    return xtf_current_result() <= XTF_SUCCESS;
}

void test_main(void)
{
    struct xen_domctl_wren_p2m start;

    if ( !setup(&start) )
        return;
    if ( mark_ro(&start) && writes_dropped() && back_to_rw() && coalesce(&start) && big_range() )
    {
        bad_input();
        domu_eperm();
    }
    xtf_p2m_audit(TARGET, "end");
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_unmap_local(MB_GFN);
    xtf_success(NULL);
}
