/*
 * gnttab - grant tables, version 1, between dom0 and a domU (d1, the
 * gnttab-peer helper, driven through the mailbox).
 *
 *  - table: query_size, get/set_version (2 is -ENOSYS, as Xen without
 *    v2), setup_table and its errors, XENMAPSPACE_grant_table (growing the
 *    table, over a RAM page that goes back, bad indexes), an unprivileged
 *    query of another domain, growth paid from the domain's p2m pool;
 *  - dom0 grants, d1 maps and copies: dom0 writes entries through the
 *    grant frame it mapped over its RAM; d1 reads dom0's page through its
 *    mapping and writes into it; GTF_reading/GTF_writing come and go;
 *  - d1 grants, dom0 maps: content both ways, a read-only map whose write
 *    is a #GP and changes nothing, p2m types, batches with per-op status,
 *    copies both ways, and every error status (bad ref, bad domain, not
 *    granted to us, read-only entry mapped writable, bad handle, unmap at
 *    the wrong address, read-only copy destination, copy past the page,
 *    copy by frame of another domain, copy from a hole), and batches of
 *    150 maps and unmaps, which the hypervisor continues part way;
 *  - lifetime: d1 gives a granted frame back while dom0 maps it, then
 *    churns memory: dom0 still reads the old contents, and the host's free
 *    pages rise by exactly one when dom0 unmaps; d1 is destroyed while it
 *    maps dom0's grant and dom0 maps one of d1's: d1's map is dropped (the
 *    flags on dom0's entry clear), dom0's still reads d1's data after the
 *    allocator was churned, and its unmap frees what is left.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <xtf/store.h>
#include <public/memory.h>
#include <public/grant_table.h>
#include "../gnttab-peer/gnttab-peer.h"

const char test_title[] = "Grant tables v1";

#define PEER       1
#define MB_GFN     0x7f100UL /* d1's mailbox in our physmap */
#define GT_GFN     0x7f300UL /* our grant frame 0 */
#define GT3_GFN    0x7f303UL /* our grant frame 3 */
#define MAP_A      0x7f200UL /* our slots for d1's grants */
#define MAP_B      0x7f201UL
#define MAP_C      0x7f202UL
#define MAP_D      0x7f203UL
#define MAP_E      0x7f204UL
#define HOLE_GFN   0x7e000UL /* nothing there */
#define BATCH_GFN  0x7d000UL /* BATCH_NR slots for one long batch */
#define BATCH_NR   150       /* more than the hypervisor does before continuing */
#define PEER_SLOT  0x7f400UL /* d1's slots for our grants */
#define PEER_SLOT2 0x7f401UL
#define PEER_DATA  XTF_GFN(0x300) /* d1's frames it grants (RAM) */
#define PEER_RO    XTF_GFN(0x301)
#define PEER_COPY  XTF_GFN(0x302)
#define PEER_GIVEN XTF_GFN(0x310)
#define PEER_KEPT  XTF_GFN(0x311)
#define CHURN      XTF_GFN(0x400)
#define CHURN_NR   64UL
#define PUSH_GFN   XTF_GFN(0x40000) /* 1 GiB above RAM's start: free */
#define PUSH_NR    512UL

/* Our refs: frame 1 (over RAM) holds 512 onwards. */
#define OUR_RW 512
#define OUR_RO 513

static xtf_mb_t *mb;
static uint8_t dom0_rw[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t dom0_ro[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t dom0_buf[PAGE_SIZE] __aligned(PAGE_SIZE);
static volatile struct grant_entry_v1 *our_gt; /* frame 1, over a RAM page */

static volatile uint64_t *at(uint64_t gfn)
{
    return (volatile uint64_t *)(uintptr_t)(gfn << PAGE_SHIFT);
}

static uint64_t gfn_of(const void *p)
{
    return (uintptr_t)p >> PAGE_SHIFT;
}

static bool expect(long got, long want, const char *what)
{
    if ( got != want )
        xtf_failure("%s: %ld, expected %ld", what, got, want);
    return got == want;
}

static long peer(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    mb->arg[0] = a0;
    mb->arg[1] = a1;
    mb->arg[2] = a2;
    mb->arg[3] = a3;
    return xtf_mb_call(mb, op, 0);
}

static long peer_frames(uint32_t op, uint64_t gfn, uint64_t val)
{
    mb->gfn[0] = gfn;
    mb->val[0] = val;
    return xtf_mb_call(mb, op, 1);
}

static uint64_t peer_read(uint64_t gfn)
{
    return peer_frames(XTF_MB_READ, gfn, 0) ? ~0ULL : mb->out[0];
}

static long gnttab(unsigned int cmd, void *op, unsigned int n)
{
    return hypercall_grant_table_op(cmd, op, n);
}

static long map_frame(uint64_t idx, uint64_t gfn)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = idx, .gpfn = gfn
    };

    return hypercall_memory_op(XENMEM_add_to_physmap, &x);
}

/* map_grant_ref of d1's ref at our gfn; the status, *h the handle. */
static int16_t map(uint64_t gfn, uint32_t flags, grant_ref_t ref, domid_t dom, grant_handle_t *h)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = gfn << PAGE_SHIFT, .flags = flags, .ref = ref, .dom = dom
    };
    long rc = gnttab(GNTTABOP_map_grant_ref, &op, 1);

    if ( rc )
        return xtf_failure("map_grant_ref returned %ld", rc), GNTST_general_error;
    if ( h )
        *h = op.handle;
    return op.status;
}

static int16_t unmap(uint64_t gfn, grant_handle_t h)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = gfn << PAGE_SHIFT, .handle = h };
    long rc = gnttab(GNTTABOP_unmap_grant_ref, &op, 1);

    if ( rc )
        return xtf_failure("unmap_grant_ref returned %ld", rc), GNTST_general_error;
    return op.status;
}

static int16_t copy(struct gnttab_copy *op)
{
    long rc = gnttab(GNTTABOP_copy, op, 1);

    if ( rc )
        return xtf_failure("copy returned %ld", rc), GNTST_general_error;
    return op->status;
}

static unsigned int p2m_type(uint64_t gfn)
{
    unsigned int t = 0, order;

    return xtf_p2m_lookup(0, gfn, &t, &order) ? ~0U : t;
}

/* ---- table operations ------------------------------------------------ */

static bool versions(void)
{
    struct gnttab_set_version sv = { .version = 1 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    bool ok = expect(gnttab(GNTTABOP_set_version, &sv, 1), 0, "set_version(1)") &&
              expect(sv.version, 1, "set_version(1) reports") &&
              expect(gnttab(GNTTABOP_get_version, &gv, 1), 0, "get_version") &&
              expect(gv.version, 1, "get_version reports");

    sv.version = 2;
    ok = ok && expect(gnttab(GNTTABOP_set_version, &sv, 1), -XEN_ENOSYS, "set_version(2)");
    sv.version = 3;
    ok = ok && expect(gnttab(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL, "set_version(3)");
    return ok && expect(gnttab(GNTTABOP_get_version, &gv, 2), -XEN_EINVAL, "get_version count 2");
}

static bool sizes(uint32_t want_nr)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };

    return expect(gnttab(GNTTABOP_query_size, &q, 1), 0, "query_size") &&
           expect(q.status, GNTST_okay, "query_size status") &&
           expect(q.nr_frames, want_nr, "query_size nr_frames") &&
           expect(q.max_nr_frames, 64, "query_size max_nr_frames");
}

static bool setup_tables(void)
{
    xen_pfn_t frames[2] = { 0, 0 };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    bool ok;

    set_xen_guest_handle(st.frame_list, frames);
    ok = expect(gnttab(GNTTABOP_setup_table, &st, 1), 0, "setup_table") &&
         expect(st.status, GNTST_okay, "setup_table status") &&
         expect((long)frames[0], GT_GFN, "setup_table frame 0 (its gfn)");
    st.nr_frames = 65;
    ok = ok && expect(gnttab(GNTTABOP_setup_table, &st, 1), 0, "setup_table(65)") &&
         expect(st.status, GNTST_general_error, "setup_table(65) status");
    st.nr_frames = 1;
    st.dom = 77;
    ok = ok && expect(gnttab(GNTTABOP_setup_table, &st, 1), 0, "setup_table(d77)") &&
         expect(st.status, GNTST_bad_domain, "setup_table(d77) status");
    return ok;
}

/* Frame 1 goes over our last RAM page, which goes back to the host. */
static bool frame_over_ram(void)
{
    uint64_t gfn = (xtf_ram_end() >> PAGE_SHIFT) - 1;
    domid_t self = DOMID_SELF;
    long before = hypercall_memory_op(XENMEM_current_reservation, &self), after;

    if ( !expect(map_frame(1, gfn), 0, "grant frame 1 over RAM") )
        return false;
    after = hypercall_memory_op(XENMEM_current_reservation, &self);
    if ( !expect(after, before - 1, "reservation after a grant frame replaced RAM") )
        return false;
    our_gt = (volatile struct grant_entry_v1 *)(uintptr_t)(gfn << PAGE_SHIFT);
    if ( our_gt[0].flags || our_gt[0].frame )
        return xtf_failure("grant frame 1 is not blank"), false;
    return true;
}

/* d1 pays for its table's growth from its p2m pool: on a pool with 12
 * free pages, 63 more frames (5 pages each) are -ENOMEM with nothing
 * changed, 2 more are fine. */
static bool growth_paid(void)
{
    uint64_t pool = 0, used = 0;
    bool ok;

    if ( xtf_p2m_pool(PEER, &pool, &used, NULL) ||
         xtf_set_paging_pool(PEER, (used + 12) << PAGE_SHIFT) )
        return xtf_error("cannot shrink d1's pool"), false;
    ok = expect(peer(PEER_SETUP, 63, 0, 0, 0), -XEN_ENOMEM, "d1 grows to 64 frames, small pool") &&
         expect(peer(PEER_QUERY, DOMID_SELF, 0, 0, 0), 0, "d1 query_size") &&
         expect((long)mb->out[1], 1, "d1's frames after the refused growth") &&
         expect(peer(PEER_SETUP, 2, 0, 0, 0), 0, "d1 grows to 3 frames, small pool") &&
         expect(peer(PEER_QUERY, DOMID_SELF, 0, 0, 0), 0, "d1 query_size") &&
         expect((long)mb->out[1], 3, "d1's frames after growing");
    if ( xtf_set_paging_pool(PEER, pool << PAGE_SHIFT) )
        return xtf_error("cannot restore d1's pool"), false;
    return ok;
}

static bool table_ops(void)
{
    bool ok = versions() && sizes(1) && expect(map_frame(0, GT_GFN), 0, "grant frame 0") &&
              setup_tables() && frame_over_ram() && sizes(2) &&
              expect(map_frame(3, GT3_GFN), 0, "grant frame 3 (grows the table)") && sizes(4) &&
              expect(map_frame(64, GT3_GFN + 1), -XEN_EINVAL, "grant frame 64") &&
              expect(map_frame(XENMAPIDX_grant_table_status, GT3_GFN + 1), -XEN_EINVAL,
                     "status frame 0 (v2 only)");

    ok = ok && expect(peer(PEER_QUERY, 0, 0, 0, 0), 0, "d1 query_size(d0)") &&
         expect((int16_t)mb->out[0], GNTST_permission_denied, "d1 query_size(d0) status") &&
         expect(peer(PEER_SETUP_TABLE, 0, 0, 0, 0), 0, "d1 setup_table(d0)") &&
         expect((int16_t)mb->out[0], GNTST_permission_denied, "d1 setup_table(d0) status") &&
         expect(peer(PEER_GET_VERSION, 0, 0, 0, 0), -XEN_EPERM, "d1 get_version(d0)") &&
         expect(peer(PEER_GET_VERSION, 77, 0, 0, 0), -XEN_ESRCH, "d1 get_version(d77)") &&
         expect(peer(PEER_GET_VERSION, DOMID_SELF, 0, 0, 0), 0, "d1 get_version(self)") &&
         expect((long)mb->out[0], 1, "d1's version") &&
         expect(peer(PEER_QUERY, DOMID_SELF, 0, 0, 0), 0, "d1 query_size(self)") &&
         expect((int16_t)mb->out[0], GNTST_okay, "d1 query_size(self) status") &&
         expect(peer(PEER_SETUP, 0, 0, 0, 0), 0, "d1 maps its grant frame") && growth_paid();
    if ( ok )
        printf("Table operations: as Xen's\n");
    return ok;
}

/* ---- dom0 grants, d1 maps --------------------------------------------- */

static void our_grant(grant_ref_t ref, domid_t to, uint64_t gfn, uint16_t flags)
{
    our_gt[ref - OUR_RW].frame = (uint32_t)gfn;
    our_gt[ref - OUR_RW].domid = to;
    smp_wmb();
    our_gt[ref - OUR_RW].flags = flags;
}

static bool d1_maps_ours(void)
{
    uint16_t f;
    grant_handle_t h;
    bool ok;

    *(volatile uint64_t *)dom0_rw = 0xd0d0d0d0d0d0d0d0ULL;
    *(volatile uint64_t *)dom0_ro = 0x0d0d0d0d0d0d0d0dULL;
    our_grant(OUR_RW, PEER, gfn_of(dom0_rw), GTF_permit_access);
    our_grant(OUR_RO, PEER, gfn_of(dom0_ro), GTF_permit_access | GTF_readonly);

    ok = expect(peer(PEER_MAP, PEER_SLOT, GNTMAP_host_map, OUR_RW, 0), 0, "d1 map") &&
         expect((int16_t)mb->out[0], GNTST_okay, "d1 map status");
    h = (grant_handle_t)mb->out[1];
    f = our_gt[0].flags;
    ok = ok && expect(f, GTF_permit_access | GTF_reading | GTF_writing, "our entry while mapped");
    ok = ok && expect((long)peer_read(PEER_SLOT), (long)0xd0d0d0d0d0d0d0d0ULL, "d1 reads our page");
    ok = ok && expect(peer_frames(XTF_MB_FILL, PEER_SLOT, 0x1111222233334444ULL), 0, "d1 writes");
    ok = ok && expect((long)*(volatile uint64_t *)dom0_rw, 0x1111222233334444L,
                      "our page after d1's write");
    ok = ok && expect(peer(PEER_UNMAP, h, PEER_SLOT, 0, 0), 0, "d1 unmap") &&
         expect((int16_t)mb->out[0], GNTST_okay, "d1 unmap status") &&
         expect(our_gt[0].flags, GTF_permit_access, "our entry after unmap");
    /* d1 copies from our read-only grant into its own frame */
    mb->gfn[0] = PEER_COPY;
    ok = ok && expect(peer(PEER_COPY_IN, 0, OUR_RO, 8, 0), 0, "d1 copy") &&
         expect((int16_t)mb->out[0], GNTST_okay, "d1 copy status") &&
         expect((long)peer_read(PEER_COPY), 0x0d0d0d0d0d0d0d0dL, "d1's copy of our page") &&
         expect(our_gt[1].flags, GTF_permit_access | GTF_readonly, "our ro entry after copy");
    /* and keeps a mapping of it across its death (lifetime below) */
    ok = ok &&
         expect(peer(PEER_MAP, PEER_SLOT2, GNTMAP_host_map | GNTMAP_readonly, OUR_RO, 0), 0,
                "d1 map ro") &&
         expect((int16_t)mb->out[0], GNTST_okay, "d1 map ro status") &&
         expect(our_gt[1].flags, GTF_permit_access | GTF_readonly | GTF_reading,
                "our ro entry while mapped");
    if ( ok )
        printf("dom0 grants, d1 maps and copies: contents both ways, flags as Xen's\n");
    return ok;
}

/* ---- d1 grants, dom0 maps ---------------------------------------------- */

static bool d1_grants(void)
{
    return !peer_frames(XTF_MB_FILL, PEER_DATA, 0xaaaa0000000000a1ULL) &&
           !peer_frames(XTF_MB_FILL, PEER_RO, 0xbbbb0000000000b2ULL) &&
           !peer_frames(XTF_MB_FILL, PEER_GIVEN, 0xcccc0000000000c3ULL) &&
           !peer_frames(XTF_MB_FILL, PEER_KEPT, 0xdddd0000000000d4ULL) &&
           !peer(PEER_GRANT, 1, 0, PEER_DATA, GTF_permit_access) &&
           !peer(PEER_GRANT, 2, 0, PEER_RO, GTF_permit_access | GTF_readonly) &&
           !peer(PEER_GRANT, 3, 5, PEER_DATA, GTF_permit_access) &&
           !peer(PEER_GRANT, 4, 0, PEER_DATA, GTF_invalid) &&
           !peer(PEER_GRANT, 5, 0, PEER_GIVEN, GTF_permit_access) &&
           !peer(PEER_GRANT, 6, 0, PEER_KEPT, GTF_permit_access);
}

static grant_handle_t h_a;

static bool we_map_rw(void)
{
    bool ok = expect(map(MAP_A, GNTMAP_host_map, 1, PEER, &h_a), GNTST_okay, "map rw") &&
              expect(p2m_type(MAP_A), 10, "p2m type of the rw map (grant_map_rw)") &&
              expect((long)*at(MAP_A), (long)0xaaaa0000000000a1ULL, "we read d1's page") &&
              expect(peer(PEER_ENTRY, 1, 0, 0, 0), GTF_permit_access | GTF_reading | GTF_writing,
                     "d1's entry while we map it");

    *at(MAP_A) = 0x5555666677778888ULL;
    return ok && expect((long)peer_read(PEER_DATA), 0x5555666677778888L, "d1 reads our write");
}

static bool we_map_ro(void)
{
    grant_handle_t h;
    uint64_t ex;
    bool ok =
        expect(map(MAP_B, GNTMAP_host_map | GNTMAP_readonly, 2, PEER, &h), GNTST_okay, "map ro") &&
        expect(p2m_type(MAP_B), 11, "p2m type of the ro map (grant_map_ro)") &&
        expect((long)*at(MAP_B), (long)0xbbbb0000000000b2ULL, "we read d1's ro page") &&
        expect(peer(PEER_ENTRY, 2, 0, 0, 0), GTF_permit_access | GTF_readonly | GTF_reading,
               "d1's ro entry while we map it");

    if ( !ok )
        return false;
    ex = xtf_try_store64(at(MAP_B), 0x1234);
    ok = expect((long)ex, (long)XTF_RO_WRITE_FAULT,
                "our write to the ro map (" XTF_RO_WRITE_FAULT_NAME ")") &&
         expect((long)peer_read(PEER_RO), (long)0xbbbb0000000000b2ULL, "d1's ro page after it");
    return ok && expect(unmap(MAP_B, h), GNTST_okay, "unmap ro") &&
           expect(peer(PEER_ENTRY, 2, 0, 0, 0), GTF_permit_access | GTF_readonly,
                  "d1's ro entry after unmap");
}

static bool map_errors(void)
{
    struct gnttab_map_grant_ref b[2] = {
        { .host_addr = MAP_C << PAGE_SHIFT,
          .flags = GNTMAP_host_map | GNTMAP_readonly,
          .ref = 1,
          .dom = PEER },
        { .host_addr = MAP_D << PAGE_SHIFT, .flags = GNTMAP_host_map, .ref = 100000, .dom = PEER },
    };
    bool ok =
        expect(map(MAP_C, GNTMAP_host_map, 100000, PEER, NULL), GNTST_bad_gntref, "bad ref") &&
        expect(map(MAP_C, GNTMAP_host_map, 1, 99, NULL), GNTST_bad_domain, "bad domain") &&
        expect(map(MAP_C, GNTMAP_host_map, 3, PEER, NULL), GNTST_general_error,
               "entry for another domain") &&
        expect(map(MAP_C, GNTMAP_host_map, 4, PEER, NULL), GNTST_general_error, "invalid entry") &&
        expect(map(MAP_C, GNTMAP_host_map, 2, PEER, NULL), GNTST_general_error,
               "ro entry mapped rw") &&
        expect(map(MAP_C, 0, 1, PEER, NULL), GNTST_bad_gntref, "no host_map flag") &&
        expect(map(MAP_A, GNTMAP_host_map, 1, PEER, NULL), GNTST_general_error,
               "over an existing grant map") &&
        expect(p2m_type(MAP_C), 1 /* invalid */, "nothing mapped by the failures") &&
        expect(peer(PEER_ENTRY, 2, 0, 0, 0), GTF_permit_access | GTF_readonly,
               "ro entry after the failed rw map");

    ok = ok && expect(gnttab(GNTTABOP_map_grant_ref, b, 2), 0, "batch of 2") &&
         expect(b[0].status, GNTST_okay, "batch op 0") &&
         expect(b[1].status, GNTST_bad_gntref, "batch op 1") &&
         expect((long)*at(MAP_C), 0x5555666677778888L, "batch op 0's map reads");
    ok = ok && expect(unmap(MAP_C, 12345), GNTST_bad_handle, "unmap bad handle") &&
         expect(unmap(MAP_D, b[0].handle), GNTST_general_error, "unmap at the wrong gfn") &&
         expect(unmap(MAP_C, b[0].handle), GNTST_okay, "unmap batch op 0") &&
         expect(unmap(MAP_C, b[0].handle), GNTST_bad_handle, "unmap twice");
    return ok;
}

/* One call of BATCH_NR maps and one of as many unmaps: the hypervisor
 * continues the call part way (every 64 ops) and every op gets its own
 * status and handle. */
static bool long_batch(void)
{
    static struct gnttab_map_grant_ref m[BATCH_NR];
    static struct gnttab_unmap_grant_ref u[BATCH_NR];
    bool ok = true;

    for ( unsigned int i = 0; i < BATCH_NR; i++ )
        m[i] = (struct gnttab_map_grant_ref){ .host_addr = (BATCH_GFN + i) << PAGE_SHIFT,
                                              .flags = GNTMAP_host_map | GNTMAP_readonly,
                                              .ref = 1,
                                              .dom = PEER,
                                              .status = 99 };
    if ( !expect(gnttab(GNTTABOP_map_grant_ref, m, BATCH_NR), 0, "long map batch") )
        return false;
    for ( unsigned int i = 0; ok && i < BATCH_NR; i++ )
        ok = expect(m[i].status, GNTST_okay, "long batch map status") &&
             expect((long)*at(BATCH_GFN + i), 0x5555666677778888L, "long batch map reads") &&
             (!i || expect(m[i].handle != m[i - 1].handle, 1, "long batch handles differ"));
    for ( unsigned int i = 0; i < BATCH_NR; i++ )
        u[i] = (struct gnttab_unmap_grant_ref){ .host_addr = (BATCH_GFN + i) << PAGE_SHIFT,
                                                .handle = m[i].handle,
                                                .status = 99 };
    ok = ok && expect(gnttab(GNTTABOP_unmap_grant_ref, u, BATCH_NR), 0, "long unmap batch");
    for ( unsigned int i = 0; ok && i < BATCH_NR; i++ )
        ok = expect(u[i].status, GNTST_okay, "long batch unmap status");
    return ok && expect(p2m_type(BATCH_GFN + BATCH_NR - 1), 1, "long batch's last slot after") &&
           expect(peer(PEER_ENTRY, 1, 0, 0, 0), GTF_permit_access | GTF_reading | GTF_writing,
                  "d1's entry after the long batch (our rw map stays)");
}

static bool copies(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = 1, .domid = PEER },
        .dest = { .u.gmfn = gfn_of(dom0_buf), .domid = DOMID_SELF, .offset = 8 },
        .len = 8,
        .flags = GNTCOPY_source_gref,
    };
    bool ok = expect(copy(&c), GNTST_okay, "copy from d1's grant") &&
              expect((long)((volatile uint64_t *)dom0_buf)[1], 0x5555666677778888L,
                     "what the copy brought");

    ((volatile uint64_t *)dom0_buf)[2] = 0x9999aaaabbbbccccULL;
    c = (struct gnttab_copy){
        .source = { .u.gmfn = gfn_of(dom0_buf), .domid = DOMID_SELF, .offset = 16 },
        .dest = { .u.ref = 1, .domid = PEER },
        .len = 8,
        .flags = GNTCOPY_dest_gref,
    };
    ok = ok && expect(copy(&c), GNTST_okay, "copy to d1's grant") &&
         expect((long)peer_read(PEER_DATA), (long)0x9999aaaabbbbccccULL, "d1 reads the copy");
    c.dest.u.ref = 2;
    ok = ok && expect(copy(&c), GNTST_general_error, "copy to a ro grant");
    c.dest.u.ref = 1;
    c.dest.offset = 4000;
    c.len = 200;
    ok = ok && expect(copy(&c), GNTST_bad_copy_arg, "copy past the page");
    c.dest.offset = 0;
    c.len = 8;
    c.source.domid = PEER;
    ok = ok && expect(copy(&c), GNTST_permission_denied, "copy by frame from d1");
    c.source.domid = DOMID_SELF;
    c.source.u.gmfn = HOLE_GFN;
    ok = ok && expect(copy(&c), GNTST_bad_page, "copy from a hole");
    c.source.u.gmfn = gfn_of(dom0_buf);
    c.dest.domid = 99;
    ok = ok && expect(copy(&c), GNTST_bad_domain, "copy to a missing domain") &&
         expect(peer(PEER_ENTRY, 2, 0, 0, 0), GTF_permit_access | GTF_readonly,
                "ro entry after the refused copy");
    return ok;
}

static bool we_map_theirs(void)
{
    bool ok = d1_grants() || (xtf_error("d1 could not set up its grants"), false);

    ok = ok && we_map_rw() && we_map_ro() && map_errors() && long_batch() && copies();
    ok = ok && expect(unmap(MAP_A, h_a), GNTST_okay, "unmap rw") &&
         expect(p2m_type(MAP_A), 1, "p2m type after unmap") &&
         expect(peer(PEER_ENTRY, 1, 0, 0, 0), GTF_permit_access, "d1's entry after unmap");
    if ( ok )
        printf("d1 grants, dom0 maps and copies: contents, #GP on ro, every status as Xen's\n");
    return ok;
}

/* ---- lifetime ------------------------------------------------------------ */

static bool churn(void)
{
    for ( uint64_t i = 0; i < CHURN_NR; i++ )
        mb->gfn[i] = CHURN + i;
    if ( xtf_mb_call(mb, XTF_MB_DECREASE, CHURN_NR) || xtf_mb_call(mb, XTF_MB_POPULATE, CHURN_NR) )
        return xtf_error("d1 could not churn its memory"), false;
    for ( uint64_t i = 0; i < CHURN_NR; i++ )
        mb->val[i] = 0x1111000000000000ULL;
    return !xtf_mb_call(mb, XTF_MB_FILL, CHURN_NR) || (xtf_error("d1 fill failed"), false);
}

static bool given_back(void)
{
    grant_handle_t h;
    uint64_t before, after;

    if ( !expect(map(MAP_D, GNTMAP_host_map, 5, PEER, &h), GNTST_okay, "map the frame to go") ||
         !expect(peer_frames(XTF_MB_DECREASE, PEER_GIVEN, 0), 0, "d1 gives it back") ||
         !expect(peer_frames(XTF_MB_POPULATE, PEER_GIVEN, 0), 0, "d1 populates it again") ||
         !expect(peer_frames(XTF_MB_FILL, PEER_GIVEN, 0x2222ULL), 0, "d1 fills the new frame") ||
         !churn() )
        return false;
    if ( !expect((long)*at(MAP_D), (long)0xcccc0000000000c3ULL, "our map of the given-back frame") )
        return false;
    before = xtf_free_pages();
    if ( !expect(unmap(MAP_D, h), GNTST_okay, "unmap the given-back frame") )
        return false;
    after = xtf_free_pages();
    if ( !expect((long)(after - before), 1, "frames freed by that unmap") )
        return false;
    printf("Given-back frame: kept under the grant map, freed with it\n");
    return true;
}

/* dom0 takes and fills memory of its own, so the allocator hands out what
 * was freed last; then gives it back. */
static bool push(void)
{
    static xen_pfn_t pfns[PUSH_NR];
    struct xen_memory_reservation r = { .nr_extents = PUSH_NR, .domid = DOMID_SELF };
    struct xen_domctl mm = { .cmd = XEN_DOMCTL_max_mem, .domain = xtf_domid };
    struct xen_domctl_getdomaininfo info;
    long rc;

    if ( xtf_getdomaininfo(xtf_domid, &info) )
        return xtf_error("getdomaininfo(self) failed"), false;
    mm.u.max_mem.max_memkb = (info.tot_pages + PUSH_NR) * 4;
    if ( hypercall_domctl(&mm) )
        return xtf_error("max_mem(self) failed"), false;
    for ( uint64_t i = 0; i < PUSH_NR; i++ )
        pfns[i] = PUSH_GFN + i;
    set_xen_guest_handle(r.extent_start, pfns);
    rc = hypercall_memory_op(XENMEM_populate_physmap, &r);
    for ( long i = 0; i < rc; i++ )
        *at(PUSH_GFN + (uint64_t)i) = 0x3333000000000000ULL;
    if ( rc > 0 )
    {
        r.nr_extents = (xen_ulong_t)rc;
        hypercall_memory_op(XENMEM_decrease_reservation, &r);
    }
    return rc == (long)PUSH_NR || (xtf_error("dom0 populated %ld frames", rc), false);
}

/* d1 is destroyed while it maps our grant and we map its: its map goes
 * (our entry's flags clear), its memory and pool come back at once but
 * for the frame we map, which keeps d1's data through an allocator churn
 * and goes back (with the rest of d1's grant table) when we unmap it. */
#define TABLE_HELD (3 + 2 * 5)

static bool peer_destroyed(void)
{
    grant_handle_t h;
    uint64_t pool = 0, owned = 0, before, after;

    if ( !expect(map(MAP_E, GNTMAP_host_map, 6, PEER, &h), GNTST_okay, "map across d1's death") )
        return false;
    if ( xtf_p2m_pool(PEER, &pool, NULL, &owned) )
        return xtf_error("WREN_P2M_POOL on d1 failed"), false;
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_unmap_local(MB_GFN);
    before = xtf_free_pages();
    if ( !expect(xtf_domctl_simple(XEN_DOMCTL_destroydomain, PEER), 0, "destroy d1") )
        return false;
    after = xtf_free_pages();
    printf("Destroy freed %lu frames (d1 owned %lu, pool %lu)\n", (unsigned long)(after - before),
           (unsigned long)owned, (unsigned long)pool);
    /* All but the frame we map and d1's grant table, which waits for our
     * unmap: its 3 frames (d1 owns them) and the 2 x 5 pages its growth
     * charged to the pool (growth_paid). */
    if ( after - before < owned - 1 + pool - TABLE_HELD )
        return xtf_failure("destroy gave back %lu frames, expected at least %lu",
                           (unsigned long)(after - before),
                           (unsigned long)(owned - 1 + pool - TABLE_HELD)),
               false;
    if ( !expect(our_gt[1].flags, GTF_permit_access | GTF_readonly,
                 "our entry after its dead grantee's maps went") ||
         !push() )
        return false;
    if ( !expect((long)*at(MAP_E), (long)0xdddd0000000000d4ULL, "our map of dead d1's frame") )
        return false;
    before = xtf_free_pages();
    if ( !expect(unmap(MAP_E, h), GNTST_okay, "unmap dead d1's frame") )
        return false;
    after = xtf_free_pages();
    printf("Unmapping dead d1's last grant freed %lu frames (the frame, d1's grant table)\n",
           (unsigned long)(after - before));
    if ( after <= before || after - before > 32 )
        return xtf_failure("the last unmap freed %lu frames, expected 1 to 32",
                           (unsigned long)(after - before)),
               false;
    printf("Dead granter's frame: kept under the grant map, freed with it\n");
    return true;
}

void test_main(void)
{
    mb = xtf_mb_attach(PEER, MB_GFN);
    if ( !mb )
        return xtf_error("no mailbox");
    if ( !table_ops() || !d1_maps_ours() || !we_map_theirs() || !given_back() || !peer_destroyed() )
        return;
    xtf_success(NULL);
}
