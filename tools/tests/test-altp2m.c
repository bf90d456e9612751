/*
 * test-altp2m.c - altp2m views over the p2m core, on the host: the real
 * view code (xen/common/altp2m*.c) and the real core, on both backends,
 * with the CPU's walk modelled (p2m-hw.c) and the lock-order checker on.
 *
 * Cases: a view fault copies the host entry (rule 2); a host set_entry,
 * a type change, a removal reach every view before they return and no
 * view's walk ever reaches the old frame (rule 3/4); a global change
 * marks every view and p2m_finish_pending finishes them; a write to a
 * log-dirty copy goes to the host on its own gfn, to a remap's on the
 * source gfn; own entries keep their access across a host change;
 * remaps follow their source gfn and ignore their own; every table
 * audits clean after each step; destroy and disable give every page
 * back to the pool; a view's lock taken before the host's panics.
 *
 * May not touch: anything but the altp2m files and the core; the vCPU
 * flush and domain_crash are stubbed here.
 */
#include <xen/sched.h>
#include <xen/altp2m.h>
#include <xen/mm.h>
#include <xen/errno.h>
#include <xen/frame.h>
#include <asm/p2m-backends.h>

#include <string.h>

#include "arena.h"
#include "harness.h"
#include "p2m-hw.h"

/* ---- what the view code calls, stubbed ---- */

static unsigned int flushes, crashes;

void arch_flush_guest_tlbs(struct domain *d)
{
    flushes++;
}

void domain_crash(struct domain *d, const char *why)
{
    crashes++;
}

static uint64_t marked[8];
static unsigned int nr_marked;

void logdirty_mark_vcpu(struct vcpu *v, uint64_t gfn, unsigned int order)
{
    if ( nr_marked < ARRAY_SIZE(marked) )
        marked[nr_marked++] = gfn;
}

/* The reverse map (part sharing) as the views see it: a node count, and
 * an answer the case chooses. */
static int rmap_add_rc;
static int rmap_nodes;

int mem_sharing_rmap_add(struct domain *d, uint16_t view, gfn_t gfn, mfn_t mfn)
{
    rmap_nodes += !rmap_add_rc;
    return rmap_add_rc;
}

void mem_sharing_rmap_del(struct domain *d, uint16_t view, gfn_t gfn, mfn_t mfn)
{
    rmap_nodes--;
}

static void count_flush(struct p2m_domain *p2m)
{
    CHECK(spin_is_locked(&p2m->lock));
    flushes++;
}

/* ---- one domain, one vCPU, RAM at gfn 0..NR ---- */

#define NR      2048ULL
#define MFN0    0x40000ULL /* frames nobody touches: no reference types here */
#define MFN_NEW 0x50000ULL
#define POOL    512

static struct domain dom;
static struct vcpu vcpu0, *vcpus[1] = { &vcpu0 };

static void setup(const struct p2m_pte_ops *ops)
{
    memset(&dom, 0, sizeof(dom));
    memset(&vcpu0, 0, sizeof(vcpu0));
    p2m_pool_init(&dom.p2m_pool);
    CHECK_EQ(p2m_pool_resize(&dom.p2m_pool, POOL), 0);
    CHECK_EQ(p2m_init(&dom.p2m, ops), 0);
    p2m_changes_init(&dom.p2m_changes);
    p2m_use_changes(&dom.p2m, &dom.p2m_changes);
    dom.p2m.pool = &dom.p2m_pool;
    dom.p2m.flush_tlbs = count_flush;
    dom.p2m.flush_arg = &dom;
    altp2m_domain_init(&dom);
    dom.max_vcpus = 1;
    dom.vcpu = vcpus;
    vcpu0.domain = &dom;
    altp2m_vcpu_init(&vcpu0);
    CHECK_EQ(p2m_set_range(&dom.p2m, _gfn(0), _mfn(MFN0), NR, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(altp2m_set_active(&dom, true), 0);
}

static struct p2m_domain *view(uint16_t idx)
{
    CHECK(dom.altp2m.views[idx]);
    return &dom.altp2m.views[idx]->p2m;
}

static void audit_all(void)
{
    char why[256];

    CHECK_MSG(!p2m_audit(&dom.p2m, why, sizeof(why)), "host: %s", why);
    for ( uint16_t i = 1; i < MAX_ALTP2M; i++ )
        if ( dom.altp2m.views[i] )
            CHECK_MSG(!p2m_audit(view(i), why, sizeof(why)), "view %u: %s", i, why);
}

/* A guest access at gfn on view idx, as npf.c makes it: the source gfn
 * the host would handle, or ~0 when the view code handled it. */
static uint64_t fault(uint16_t idx, uint64_t gfn, unsigned int kind)
{
    uint64_t src;

    vcpu0.altp2m.idx = idx;
    if ( altp2m_npf(&vcpu0, gfn, kind, &src) == ALTP2M_NPF_RETRY )
        src = ~0ULL;
    vcpu0.altp2m.idx = 0;
    return src;
}

/* What the CPU does at gfn on a table: the frame, or INVALID_MFN. */
static mfn_t hw_frame(struct p2m_domain *p2m, uint64_t gfn, unsigned int *rights)
{
    struct hw_xlat x;

    if ( hw_walk(p2m, gfn, &x) != HW_OK )
        return INVALID_MFN;
    if ( rights )
        *rights = x.rights;
    return x.mfn;
}

static void check_entry(struct p2m_domain *p2m, uint64_t gfn, uint64_t mfn, p2m_type_t t,
                        p2m_access_t a)
{
    p2m_type_t gt;
    p2m_access_t ga;
    mfn_t m = p2m_lookup(p2m, _gfn(gfn), &gt, &ga, NULL);

    CHECK_EQ(mfn_x(m), mfn);
    CHECK_EQ(gt, t);
    CHECK_EQ(ga, a);
}

static void check_no_entry(struct p2m_domain *p2m, uint64_t gfn)
{
    p2m_type_t t;

    CHECK(!mfn_valid_raw(p2m_lookup(p2m, _gfn(gfn), &t, NULL, NULL)));
    CHECK(!mfn_valid_raw(hw_frame(p2m, gfn, NULL)));
}

/* Every page back: the views' tables and bookkeeping to the pool, the
 * pool's charges gone, the roots freed. */
static void teardown(unsigned long before)
{
    altp2m_domain_destroy(&dom);
    CHECK_EQ(dom.p2m_pool.nr_charged, 0);
    CHECK_EQ(dom.p2m_pool.nr_used, 0 + dom.p2m.stats.tables);
    p2m_teardown(&dom.p2m);
    p2m_pool_drain(&dom.p2m_pool);
    CHECK_MSG(pages_free() == before, "%ld pages not given back", (long)(before - pages_free()));
}

static void run(const struct p2m_pte_ops *ops, void (*body)(void))
{
    unsigned long before = pages_free();
    uint16_t idx;

    setup(ops);
    CHECK_EQ(altp2m_view_create(&dom, p2m_access_rwx, &idx), 0);
    CHECK_EQ(idx, 1);
    CHECK_EQ(altp2m_view_create(&dom, p2m_access_rwx, &idx), 0);
    CHECK_EQ(idx, 2);
    body();
    audit_all();
    teardown(before);
}

#define VIEW_CASE(body)          \
    static void ept_##body(void) \
    {                            \
        run(&ept_pte_ops, body); \
    }                            \
    static void npt_##body(void) \
    {                            \
        run(&npt_pte_ops, body); \
    }
#define VIEW_ENTRIES(body)               \
    { "altp2m.ept." #body, ept_##body }, \
    {                                    \
        "altp2m.npt." #body, npt_##body  \
    }

/* ---- cases ---- */

#define G 0x123ULL
#define A 0x200ULL
#define O 0x300ULL

static void fill_copies_host(void)
{
    check_no_entry(view(1), G);
    CHECK_EQ(fault(1, G, p2m_access_r), ~0ULL);
    check_entry(view(1), G, MFN0 + G, p2m_ram_rw, p2m_access_rwx);
    CHECK_EQ(mfn_x(hw_frame(view(1), G, NULL)), MFN0 + G);
    check_no_entry(view(2), G); /* only the view that faulted */
    CHECK_EQ(dom.altp2m.fills, 1);
    audit_all();
}
VIEW_CASE(fill_copies_host)

/* Both views copied G; the host maps a new frame there. */
static void host_set_entry_reaches_views(void)
{
    fault(1, G, p2m_access_r);
    fault(2, G, p2m_access_r);
    CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), _mfn(MFN_NEW), 0, p2m_ram_rw, p2m_access_rwx), 0);
    for ( uint16_t i = 1; i <= 2; i++ )
    {
        CHECK(mfn_x(hw_frame(view(i), G, NULL)) != MFN0 + G); /* never the old frame */
        fault(i, G, p2m_access_r);
        check_entry(view(i), G, MFN_NEW, p2m_ram_rw, p2m_access_rwx);
    }
    audit_all();
}
VIEW_CASE(host_set_entry_reaches_views)

static void host_type_change_and_remove(void)
{
    fault(1, G, p2m_access_r);
    CHECK_EQ(p2m_change_type_one(&dom.p2m, _gfn(G), p2m_ram_rw, p2m_ram_ro), 1);
    check_no_entry(view(1), G);
    fault(1, G, p2m_access_r);
    check_entry(view(1), G, MFN0 + G, p2m_ram_ro, p2m_access_rwx);
    CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), INVALID_MFN, 0, p2m_invalid, p2m_access_n), 0);
    check_no_entry(view(1), G);
    CHECK_EQ(fault(1, G, p2m_access_r), G); /* nothing to copy: the host's fault */
    check_no_entry(view(1), G);
    audit_all();
}
VIEW_CASE(host_type_change_and_remove)

/* A global change marks every view; finishing the host finishes them. */
static void global_change_reaches_views(void)
{
    fault(1, G, p2m_access_r);
    fault(2, A, p2m_access_r);
    CHECK_EQ(p2m_begin_global_change(&dom.p2m, p2m_ram_rw, p2m_ram_logdirty), 0);
    check_entry(view(1), G, MFN0 + G, p2m_ram_logdirty, p2m_access_rwx);
    check_entry(view(2), A, MFN0 + A, p2m_ram_logdirty, p2m_access_rwx);
    CHECK(!mfn_valid_raw(hw_frame(view(1), G, NULL))); /* marked: the walk stops */
    CHECK(view(1)->stats.recalc_pending);
    audit_all();
    CHECK_EQ(p2m_finish_pending(&dom.p2m, 1000), 0);
    CHECK_EQ(view(1)->stats.recalc_pending, 0);
    CHECK_EQ(view(2)->stats.recalc_pending, 0);
    CHECK_EQ(dom.p2m_changes.tail, dom.p2m_changes.seq);
    audit_all();
}
VIEW_CASE(global_change_reaches_views)

/* Log-dirty by write-protection: a write on a view's copy is the host's
 * fault on the same gfn, a write through a remap on its source. */
static void logdirty_writes_go_to_the_source(void)
{
    unsigned int rights = 0;

    CHECK_EQ(altp2m_change_gfn(&dom, 1, O, A), 0);
    CHECK_EQ(p2m_begin_global_change(&dom.p2m, p2m_ram_rw, p2m_ram_logdirty), 0);
    fault(1, G, p2m_access_r);
    fault(1, O, p2m_access_r);
    check_entry(view(1), O, MFN0 + A, p2m_ram_logdirty, p2m_access_rwx);
    CHECK_EQ(fault(1, G, p2m_access_w), G);
    CHECK_EQ(fault(1, O, p2m_access_w), A);
    /* The host logs A and makes it writable: the view's remap follows. */
    CHECK_EQ(p2m_change_type_one(&dom.p2m, _gfn(A), p2m_ram_logdirty, p2m_ram_rw), 1);
    check_no_entry(view(1), O);
    fault(1, O, p2m_access_w);
    CHECK_EQ(mfn_x(hw_frame(view(1), O, &rights)), MFN0 + A);
    CHECK(rights & p2m_access_w);
    audit_all();
}
VIEW_CASE(logdirty_writes_go_to_the_source)

/* Rule 5 under PML or dirty flags (the host stays ram_rw): a remap is
 * write-protected; its write logs the source and opens it until the next
 * re-arm; a copy is writable and never faults. */
static void remap_write_logs_its_source(void)
{
    unsigned int rights = 0;

    nr_marked = 0;
    dom.logdirty.enabled = true;
    CHECK_EQ(altp2m_change_gfn(&dom, 1, O, A), 0);
    fault(1, O, p2m_access_r);
    check_entry(view(1), O, MFN0 + A, p2m_ram_logdirty, p2m_access_rwx);
    fault(1, G, p2m_access_r);
    check_entry(view(1), G, MFN0 + G, p2m_ram_rw, p2m_access_rwx);
    CHECK_EQ(fault(1, O, p2m_access_w), ~0ULL);
    CHECK_EQ(nr_marked, 1);
    CHECK_EQ(marked[0], A);
    fault(1, O, p2m_access_w);
    CHECK_EQ(mfn_x(hw_frame(view(1), O, &rights)), MFN0 + A);
    CHECK(rights & p2m_access_w);
    altp2m_logdirty_rearm(&dom);
    check_no_entry(view(1), O);
    fault(1, O, p2m_access_r);
    check_entry(view(1), O, MFN0 + A, p2m_ram_logdirty, p2m_access_rwx);
    dom.logdirty.enabled = false;
    audit_all();
}
VIEW_CASE(remap_write_logs_its_source)

static void own_access_survives_host_change(void)
{
    uint8_t acc;

    CHECK_EQ(altp2m_set_access(&dom, 1, G, p2m_access_rx), 0);
    fault(1, G, p2m_access_r);
    check_entry(view(1), G, MFN0 + G, p2m_ram_rw, p2m_access_rx);
    CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), _mfn(MFN_NEW), 0, p2m_ram_rw, p2m_access_rwx), 0);
    fault(1, G, p2m_access_r);
    check_entry(view(1), G, MFN_NEW, p2m_ram_rw, p2m_access_rx);
    CHECK_EQ(altp2m_get_access(&dom, 0, G, &acc), 0);
    CHECK_EQ(acc, p2m_access_rwx);
    /* A write is the view's violation; nobody listens: back to rwx. */
    CHECK_EQ(fault(1, G, p2m_access_w), ~0ULL);
    CHECK_EQ(dom.altp2m.access_resets, 1);
    CHECK_EQ(altp2m_get_access(&dom, 1, G, &acc), 0);
    CHECK_EQ(acc, p2m_access_rwx);
    audit_all();
}
VIEW_CASE(own_access_survives_host_change)

static void remap_follows_its_source(void)
{
    CHECK_EQ(altp2m_change_gfn(&dom, 1, O, A), 0);
    fault(1, O, p2m_access_r);
    check_entry(view(1), O, MFN0 + A, p2m_ram_rw, p2m_access_rwx);
    /* A change of O itself leaves the remap alone... */
    CHECK_EQ(p2m_change_type_one(&dom.p2m, _gfn(O), p2m_ram_rw, p2m_ram_ro), 1);
    check_entry(view(1), O, MFN0 + A, p2m_ram_rw, p2m_access_rwx);
    /* ... a change of A reaches it, and the old frame is gone. */
    CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(A), _mfn(MFN_NEW), 0, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK(mfn_x(hw_frame(view(1), O, NULL)) != MFN0 + A);
    fault(1, O, p2m_access_r);
    check_entry(view(1), O, MFN_NEW, p2m_ram_rw, p2m_access_rwx);
    CHECK_EQ(altp2m_change_gfn(&dom, 1, O, INVALID_GFN_RAW), 0);
    fault(1, O, p2m_access_r);
    check_entry(view(1), O, MFN0 + O, p2m_ram_ro, p2m_access_rwx);
    audit_all();
}
VIEW_CASE(remap_follows_its_source)

/* View 0's access is the host entry's: changing it on an entry that
 * holds a reference (a grant map, a foreign map, a shared frame) must
 * keep that reference. A rewrite through set_entry dropped it while the
 * entry still mapped the frame (review13: a guest in mixed mode could
 * free a frame it still maps). Exactly one put when the entry goes. */
static unsigned int puts;

static void count_put(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, p2m_type_t t)
{
    CHECK_EQ(gfn_x(gfn), G);
    CHECK_EQ(mfn_x(mfn), MFN_NEW);
    puts++;
}

static void host_access_keeps_references(void)
{
    static const p2m_type_t held[] = { p2m_grant_map_rw, p2m_map_foreign, p2m_ram_shared };
    uint8_t acc;

    dom.p2m.put_frame = count_put;
    for ( unsigned int i = 0; i < ARRAY_SIZE(held); i++ )
    {
        puts = 0;
        CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), _mfn(MFN_NEW), 0, held[i], p2m_access_rwx), 0);
        CHECK_EQ(altp2m_set_access(&dom, 0, G, p2m_access_r), 0);
        CHECK_EQ(puts, 0);
        check_entry(&dom.p2m, G, MFN_NEW, held[i], p2m_access_r);
        CHECK_EQ(altp2m_get_access(&dom, 0, G, &acc), 0);
        CHECK_EQ(acc, p2m_access_r);
        CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), INVALID_MFN, 0, p2m_invalid, p2m_access_rwx), 0);
        CHECK_EQ(puts, 1);
    }
    CHECK_EQ(altp2m_set_access(&dom, 0, G, p2m_access_r), -ESRCH); /* a hole */
    CHECK_EQ(altp2m_set_access(&dom, 0, P2M_GFN_LIMIT, p2m_access_r), -EINVAL);
    dom.p2m.put_frame = NULL;
}
VIEW_CASE(host_access_keeps_references)

/* The #VE page's reference is dropped when altp2m goes off (and when the
 * domain dies, which turns it off): a notify that decoded while altp2m
 * was on but runs after it went off must not take one, or nobody drops
 * it and the domain stays a zombie (review13). */
static void ve_page_after_altp2m_off(void)
{
    mfn_t m = alloc_pages(0);

    CHECK(mfn_valid_raw(m));
    frames_assign(m, 0, dom.domain_id);
    CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), m, 0, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(altp2m_set_ve_info(&vcpu0, G), 0);
    CHECK_EQ(frame_ref_count(m), 2);
    CHECK_EQ(altp2m_set_active(&dom, false), 0);
    CHECK_EQ(frame_ref_count(m), 1);
    CHECK_EQ(altp2m_set_ve_info(&vcpu0, G), -EOPNOTSUPP);
    CHECK_EQ(frame_ref_count(m), 1);
    CHECK_EQ(vcpu0.altp2m.ve_mfn, INVALID_MFN_RAW);
    CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), _mfn(MFN0 + G), 0, p2m_ram_rw, p2m_access_rwx), 0);
    frame_release(m);
    CHECK_EQ(altp2m_set_active(&dom, true), 0);
    CHECK_EQ(altp2m_view_create(&dom, p2m_access_rwx, &(uint16_t){ 0 }), 0);
}
VIEW_CASE(ve_page_after_altp2m_off)

/* A view copy of a shared host entry that the reverse map refuses
 * (-ENOMEM: the domain's pool has no page for the node) is not made, and
 * the reference the fill took is dropped once. The entry used to be
 * written, then removed (its put_frame dropping the reference), and the
 * fill dropped it again (review13). */
static void shared_put(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, p2m_type_t t)
{
    if ( t == p2m_ram_shared && p2m->view )
        rmap_nodes--;
    put_page(mfn);
}

static void shared_copy_refused(void)
{
    mfn_t m = alloc_pages(0);

    CHECK(mfn_valid_raw(m));
    frames_assign(m, 0, dom.domain_id);
    CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), m, 0, p2m_ram_shared, p2m_access_rwx), 0);
    dom.p2m.put_frame = view(1)->put_frame = shared_put;
    rmap_add_rc = -ENOMEM;
    crashes = rmap_nodes = 0;
    CHECK_EQ(fault(1, G, p2m_access_r), ~0ULL);
    CHECK_EQ(crashes, 1); /* no pool page: the domain is crashed */
    CHECK_EQ(frame_ref_count(m), 1);
    CHECK_EQ(rmap_nodes, 0);
    check_no_entry(view(1), G);
    rmap_add_rc = 0;
    CHECK_EQ(fault(1, G, p2m_access_r), ~0ULL);
    check_entry(view(1), G, mfn_x(m), p2m_ram_shared, p2m_access_rwx);
    CHECK_EQ(frame_ref_count(m), 2);
    CHECK_EQ(rmap_nodes, 1);
    CHECK_EQ(p2m_set_entry(view(1), _gfn(G), INVALID_MFN, 0, p2m_invalid, p2m_access_n), 0);
    CHECK_EQ(frame_ref_count(m), 1);
    CHECK_EQ(rmap_nodes, 0);
    dom.p2m.put_frame = view(1)->put_frame = NULL;
    CHECK_EQ(p2m_set_entry(&dom.p2m, _gfn(G), _mfn(MFN0 + G), 0, p2m_ram_rw, p2m_access_rwx), 0);
    frame_release(m);
    crashes = 0;
}
VIEW_CASE(shared_copy_refused)

/* Many own settings (the array grows over pages), then destroy: every
 * page back to the pool (run() checks after disable too). */
static void destroy_gives_pages_back(void)
{
    uint64_t charged;

    for ( uint64_t g = 0; g < 600; g++ )
    {
        CHECK_EQ(altp2m_set_access(&dom, 2, g, p2m_access_r), 0);
        fault(2, g, p2m_access_r);
    }
    CHECK(dom.altp2m.views[2]->own_order >= 2);
    charged = dom.p2m_pool.nr_charged;
    CHECK_EQ(altp2m_view_destroy(&dom, 2), 0);
    CHECK(dom.p2m_pool.nr_charged < charged);
    CHECK_EQ(altp2m_view_destroy(&dom, 2), -EBUSY);
    vcpu0.altp2m.idx = 1;
    CHECK_EQ(altp2m_view_destroy(&dom, 1), -EBUSY); /* active */
    vcpu0.altp2m.idx = 0;
    audit_all();
}
VIEW_CASE(destroy_gives_pages_back)

/* A domain's death tears its views down whatever altp2m's state; after
 * that no view and no re-enable may come (a hypercall that decoded
 * before the death must not leave a view nobody frees). */
static void dying_domain_gets_no_views(void)
{
    uint16_t idx;

    fault(1, G, p2m_access_r);
    altp2m_domain_destroy(&dom);
    CHECK(!dom.altp2m.views[1] && !dom.altp2m.views[2] && !dom.altp2m.active);
    CHECK_EQ(dom.p2m_pool.nr_charged, 0);
    CHECK_EQ(altp2m_view_create(&dom, p2m_access_rwx, &idx), -EOPNOTSUPP);
    dom.is_dying = true;
    CHECK_EQ(altp2m_set_active(&dom, true), -ESRCH);
    CHECK_EQ(dom.p2m_pool.nr_charged, 0);
    dom.is_dying = false;
}
VIEW_CASE(dying_domain_gets_no_views)

/* Host before view, always: the other way round panics. */
static void view_before_host_panics(void)
{
    struct p2m_domain *v1 = view(1);

    spin_lock(&v1->lock);
    EXPECT_PANIC(spin_lock(&dom.p2m.lock));
    CHECK(strstr(panic_message, "p2m_view"));
}

static void lock_order(void)
{
    unsigned long before = pages_free();
    uint16_t idx;

    setup(&ept_pte_ops);
    CHECK_EQ(altp2m_view_create(&dom, p2m_access_rwx, &idx), 0);
    view_before_host_panics();
    teardown(before);
}

static const struct test_case cases[] = {
    VIEW_ENTRIES(fill_copies_host),
    VIEW_ENTRIES(host_set_entry_reaches_views),
    VIEW_ENTRIES(host_type_change_and_remove),
    VIEW_ENTRIES(global_change_reaches_views),
    VIEW_ENTRIES(logdirty_writes_go_to_the_source),
    VIEW_ENTRIES(remap_write_logs_its_source),
    VIEW_ENTRIES(own_access_survives_host_change),
    VIEW_ENTRIES(remap_follows_its_source),
    VIEW_ENTRIES(host_access_keeps_references),
    VIEW_ENTRIES(ve_page_after_altp2m_off),
    VIEW_ENTRIES(shared_copy_refused),
    VIEW_ENTRIES(destroy_gives_pages_back),
    VIEW_ENTRIES(dying_domain_gets_no_views),
    { "altp2m.lock_order.view_before_host_panics", lock_order },
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 64UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
