/*
 * test-mem-sharing.c - memory sharing's reverse map and its steps on a
 * table (xen/common/mem_sharing_rmap.c, mem_sharing_p2m.c) over the real
 * p2m core, frame table and allocator, on both backends.
 *
 * Two "domains" A (test_p2m) and B (a second table), each with its own
 * pool and struct mem_sharing_domain; the put_frame hook is the
 * hypervisor's (msh_put_frame). Checked: nominate, share, add_physmap
 * and the unshares keep every frame's references equal to its map
 * entries and every entry naming a table that maps it (msh_audit, with
 * the tables as the oracle); a frame mapped elsewhere or not plain RAM
 * is refused; p2m_empty and teardown leave the map by the same hook;
 * nodes are charged one pool page per 128 and a full pool refuses the
 * mapping with the map unchanged; a shared gfn inside a superpage
 * shatters it and stays 4K; the audit finds a reference or an entry the
 * map does not account for. Touches nothing but what it sets up.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>
#include <xen/frame.h>
#include <xen/mem_sharing.h>
#include <public/xen.h>
#include <public/memory.h>

#include "arena.h"
#include "harness.h"
#include "p2m-util.h"
#include <asm/p2m-backends.h>

#define DOM_A 1
#define DOM_B 2
#define POOL  4 /* pages each pool holds for nodes */

static struct p2m_domain p2m_b;
static struct p2m_pool pool_a, pool_b;
static struct mem_sharing_domain msd_a, msd_b;

static void put_frame(struct p2m_domain *p2m, gfn_t gfn, mfn_t m, p2m_type_t t)
{
    CHECK(spin_is_locked(&p2m->lock));
    msh_put_frame(p2m->owner, p2m->view, gfn_x(gfn), m, t);
}

static void setup_one(struct p2m_domain *p2m, struct p2m_pool *pool, struct mem_sharing_domain *msd,
                      domid_t id)
{
    p2m_pool_init(pool);
    CHECK_EQ(p2m_pool_resize(pool, POOL), 0);
    mem_sharing_domain_init(msd, id, pool);
    p2m->owner = msd;
    p2m->view = 0;
    p2m->put_frame = put_frame;
}

static void setup(void)
{
    CHECK_EQ(p2m_init(&p2m_b, test_p2m.ops), 0);
    setup_one(&test_p2m, &pool_a, &msd_a, DOM_A);
    setup_one(&p2m_b, &pool_b, &msd_b, DOM_B);
}

/* A new frame of owner's, filled with val, mapped ram_rw at gfn. */
static mfn_t ram(struct p2m_domain *p2m, domid_t owner, uint64_t gfn, uint64_t val)
{
    mfn_t m = alloc_pages(0);

    CHECK(mfn_valid_raw(m));
    frames_assign(m, 0, owner);
    *(uint64_t *)mfn_to_virt(m) = val;
    CHECK_EQ(p2m_set_entry(p2m, _gfn(gfn), m, P2M_ORDER_4K, p2m_ram_rw, p2m_access_rwx), 0);
    return m;
}

static p2m_type_t b_type_of(uint64_t gfn)
{
    p2m_type_t t;

    p2m_lookup(&p2m_b, _gfn(gfn), &t, NULL, NULL);
    return t;
}

static uint64_t read_gfn(struct p2m_domain *p2m, uint64_t gfn)
{
    mfn_t m = p2m_lookup(p2m, _gfn(gfn), NULL, NULL, NULL);

    CHECK(mfn_valid_raw(m));
    return *(uint64_t *)mfn_to_virt(m);
}

/* The tables are the oracle: the entry must map the frame, shared. */
static bool maps(const struct msh_rmap_ref *ref, void *arg)
{
    struct p2m_domain *p2m = ref->domid == DOM_A ? &test_p2m : &p2m_b;
    p2m_type_t t;
    mfn_t m = p2m_lookup(p2m, _gfn(ref->gfn), &t, NULL, NULL);

    return ref->view == 0 && t == p2m_ram_shared && mfn_eq(m, ref->mfn);
}

/* Empty both tables, give back what A and B still own, check the map
 * and the pools are empty again. */
static void finish(void)
{
    CHECK_EQ(msh_audit(maps, NULL), 0);
    p2m_empty(&test_p2m);
    p2m_empty(&p2m_b);
    frames_release_owner(DOM_A);
    frames_release_owner(DOM_B);
    CHECK_EQ(msh_nr_shared_frames(), 0);
    CHECK_EQ(msh_nr_saved_frames(), 0);
    CHECK_EQ(msd_a.rmap_nodes + msd_b.rmap_nodes, 0);
    CHECK_EQ(pool_a.nr_charged + pool_b.nr_charged, 0);
    CHECK_EQ(msh_audit(maps, NULL), 0);
    p2m_teardown(&p2m_b);
    p2m_pool_drain(&pool_a);
    p2m_pool_drain(&pool_b);
    p2m_pool_resize(&pool_a, 0);
    p2m_pool_resize(&pool_b, 0);
    test_p2m.put_frame = NULL;
}

/* A's gfn 0x10 and B's gfn 0x20 shared onto A's frame. */
static mfn_t share_pair(uint64_t *ha)
{
    mfn_t a = ram(&test_p2m, DOM_A, 0x10, 0xa), b = ram(&p2m_b, DOM_B, 0x20, 0xb);
    uint64_t hb;
    bool is_new;
    unsigned long before;

    CHECK_EQ(msh_nominate(&msd_a, &test_p2m, _gfn(0x10), ha, &is_new), 0);
    CHECK(is_new && *ha);
    CHECK_EQ(msh_nominate(&msd_b, &p2m_b, _gfn(0x20), &hb, &is_new), 0);
    CHECK_EQ(msh_share(&msd_b, &p2m_b, _gfn(0x20), hb, a, *ha + 1),
             XENMEM_SHARING_OP_S_HANDLE_INVALID);
    CHECK_EQ(msh_share(&msd_b, &p2m_b, _gfn(0x20), hb + 7, a, *ha),
             XENMEM_SHARING_OP_C_HANDLE_INVALID);
    before = pages_free();
    CHECK_EQ(msh_share(&msd_b, &p2m_b, _gfn(0x20), hb, a, *ha), 0);
    CHECK_EQ(pages_free(), before + 1); /* b went back to the allocator */
    CHECK(!msh_rmap_lookup(b, NULL, NULL));
    CHECK_EQ(read_gfn(&p2m_b, 0x20), 0xa);
    CHECK_EQ(frame_ref_count(a), 2);
    CHECK_EQ(msh_nr_shared_frames(), 1);
    CHECK_EQ(msh_nr_saved_frames(), 1);
    CHECK_EQ(msh_audit(maps, NULL), 0);
    return a;
}

static void share_then_unshare(void)
{
    uint64_t ha;
    mfn_t a;
    unsigned long before;

    setup();
    a = share_pair(&ha);
    before = pages_free();
    CHECK_EQ(msh_unshare(&msd_b, &p2m_b, _gfn(0x20), false), -ENOMEM); /* no room: unchanged */
    CHECK(mfn_eq(p2m_lookup(&p2m_b, _gfn(0x20), NULL, NULL, NULL), a));
    CHECK_EQ(msh_unshare(&msd_b, &p2m_b, _gfn(0x20), true), MSH_COPIED);
    CHECK_EQ(type_of(0x10), p2m_ram_shared);
    CHECK_EQ(read_gfn(&p2m_b, 0x20), 0xa);
    CHECK_EQ(frame_ref_count(a), 1);
    CHECK_EQ(msh_unshare(&msd_a, &test_p2m, _gfn(0x10), false), MSH_TOOK_BACK);
    CHECK(frame_is_allocated_to(a, DOM_A));
    CHECK_EQ(pages_free(), before - 1); /* the one copy */
    CHECK_EQ(msh_unshare(&msd_a, &test_p2m, _gfn(0x10), true), MSH_NOT_SHARED);
    finish();
}
P2M_CASE(share_then_unshare)

static void add_physmap_and_refusals(void)
{
    uint64_t ha, h;
    bool is_new;
    mfn_t a;

    setup();
    a = share_pair(&ha);
    ram(&p2m_b, DOM_B, 0x21, 0xb1);
    CHECK_EQ(msh_add_physmap(&msd_b, &p2m_b, _gfn(0x21), a, ha),
             XENMEM_SHARING_OP_C_HANDLE_INVALID); /* not a hole */
    CHECK_EQ(msh_add_physmap(&msd_b, &p2m_b, _gfn(0x22), a, ha + 3),
             XENMEM_SHARING_OP_S_HANDLE_INVALID);
    CHECK_EQ(msh_add_physmap(&msd_b, &p2m_b, _gfn(0x22), a, ha), 0);
    CHECK_EQ(frame_ref_count(a), 3);
    /* A frame someone else holds, and a type that is not plain RAM. */
    CHECK(get_page(p2m_lookup(&p2m_b, _gfn(0x21), NULL, NULL, NULL), DOM_B));
    CHECK_EQ(msh_nominate(&msd_b, &p2m_b, _gfn(0x21), &h, &is_new), -E2BIG);
    put_page(p2m_lookup(&p2m_b, _gfn(0x21), NULL, NULL, NULL));
    CHECK_EQ(p2m_set_entry(&p2m_b, _gfn(0x23), _mfn(0x999), P2M_ORDER_4K, p2m_mmio_direct,
                           p2m_access_rw),
             0);
    CHECK_EQ(msh_nominate(&msd_b, &p2m_b, _gfn(0x23), &h, &is_new), -EINVAL);
    CHECK_EQ(msh_nominate(&msd_b, &p2m_b, _gfn(0x24), &h, &is_new), -EINVAL); /* a hole */
    /* Nominating a shared gfn gives its handle and changes nothing. */
    CHECK_EQ(msh_nominate(&msd_b, &p2m_b, _gfn(0x22), &h, &is_new), 0);
    CHECK(!is_new && h == ha);
    CHECK_EQ(msh_audit(maps, NULL), 0);
    finish();
}
P2M_CASE(add_physmap_and_refusals)

/* Every path that removes an entry leaves the map: an overwrite, and
 * p2m_empty of the table (a domain's death). */
static void removal_leaves_map(void)
{
    uint64_t ha;
    mfn_t a, other;

    setup();
    a = share_pair(&ha);
    other = alloc_pages(0);
    frames_assign(other, 0, DOM_B);
    CHECK_EQ(p2m_set_entry(&p2m_b, _gfn(0x20), other, P2M_ORDER_4K, p2m_ram_rw, p2m_access_rwx), 0);
    CHECK_EQ(frame_ref_count(a), 1);
    CHECK_EQ(msh_nr_saved_frames(), 0);
    CHECK_EQ(msd_b.rmap_nodes, 0);
    CHECK_EQ(msh_audit(maps, NULL), 0);
    CHECK_EQ(msh_add_physmap(&msd_b, &p2m_b, _gfn(0x30), a, ha), 0);
    p2m_empty(&test_p2m); /* A dies: B keeps the frame */
    CHECK_EQ(frame_ref_count(a), 1);
    CHECK_EQ(read_gfn(&p2m_b, 0x30), 0xa);
    CHECK_EQ(msh_audit(maps, NULL), 0);
    finish();
}
P2M_CASE(removal_leaves_map)

/* One pool page per 128 nodes; an empty pool refuses the mapping. */
static void nodes_are_charged(void)
{
    uint64_t ha;
    mfn_t a;
    uint64_t g;

    setup();
    a = share_pair(&ha);
    CHECK_EQ(pool_b.nr_charged, 1);
    for ( g = 0x100; g < 0x100 + 127; g++ )
        CHECK_EQ(msh_add_physmap(&msd_b, &p2m_b, _gfn(g), a, ha), 0);
    CHECK_EQ(pool_b.nr_charged, 1); /* 128 nodes */
    CHECK_EQ(msh_add_physmap(&msd_b, &p2m_b, _gfn(g++), a, ha), 0);
    CHECK_EQ(pool_b.nr_charged, 2);
    CHECK_EQ(p2m_pool_resize(&pool_b, pool_b.nr_charged), 0); /* no free page left */
    for ( ; msd_b.rmap_nodes % 128; g++ )
        CHECK_EQ(msh_add_physmap(&msd_b, &p2m_b, _gfn(g), a, ha), 0);
    CHECK_EQ(msh_add_physmap(&msd_b, &p2m_b, _gfn(g), a, ha), -ENOMEM);
    CHECK_EQ(b_type_of(g), p2m_invalid); /* refused: nothing mapped */
    CHECK_EQ(frame_ref_count(a), 1 + msd_b.rmap_nodes);
    CHECK_EQ(msh_audit(maps, NULL), 0);
    finish();
}
P2M_CASE(nodes_are_charged)

/* A gfn inside a superpage: only it becomes shared (4K), and the block
 * will not coalesce around it. */
static void superpage_shatters(void)
{
    mfn_t big = alloc_pages(P2M_ORDER_2M);
    uint64_t h;
    bool is_new;
    unsigned int order;

    setup();
    CHECK(mfn_valid_raw(big));
    frames_assign(big, P2M_ORDER_2M, DOM_A);
    CHECK_EQ(p2m_set_entry(&test_p2m, _gfn(0x200), big, P2M_ORDER_2M, p2m_ram_rw, p2m_access_rwx),
             0);
    CHECK_EQ(msh_nominate(&msd_a, &test_p2m, _gfn(0x205), &h, &is_new), 0);
    p2m_lookup(&test_p2m, _gfn(0x205), NULL, NULL, &order);
    CHECK_EQ(order, P2M_ORDER_4K);
    CHECK_EQ(type_of(0x205), p2m_ram_shared);
    CHECK_EQ(type_of(0x204), p2m_ram_rw);
    CHECK(!p2m_try_coalesce(&test_p2m, _gfn(0x200), P2M_ORDER_2M));
    CHECK_EQ(msh_unshare(&msd_a, &test_p2m, _gfn(0x205), false), MSH_TOOK_BACK);
    CHECK(p2m_try_coalesce(&test_p2m, _gfn(0x200), P2M_ORDER_2M));
    finish();
}
P2M_CASE(superpage_shatters)

/* The audit counts what the map does not account for: a reference no
 * entry holds, and an entry no table has. */
static void audit_finds_errors(void)
{
    uint64_t ha;
    mfn_t a;

    setup();
    a = share_pair(&ha);
    CHECK(get_page(a, DOMID_COW));
    CHECK_EQ(msh_audit(maps, NULL), 1);
    put_page(a);
    CHECK_EQ(msh_rmap_add(&msd_b, 0, 0x77, a), 0); /* B's gfn 0x77 maps nothing */
    CHECK_EQ(msh_audit(maps, NULL), 2);            /* count and entry both wrong */
    CHECK(msh_rmap_del(&msd_b, 0, 0x77, a));
    CHECK_EQ(msh_audit(maps, NULL), 0);
    finish();
}
P2M_CASE(audit_finds_errors)

static const struct test_case cases[] = {
    P2M_CASE_ENTRIES("sharing", share_then_unshare),
    P2M_CASE_ENTRIES("sharing", add_physmap_and_refusals),
    P2M_CASE_ENTRIES("sharing", removal_leaves_map),
    P2M_CASE_ENTRIES("sharing", nodes_are_charged),
    P2M_CASE_ENTRIES("sharing", superpage_shatters),
    P2M_CASE_ENTRIES("sharing", audit_finds_errors),
};

int main(void)
{
    int rc;

    arena_setup(ARENA_DEFAULT_BASE, 16UL << 20);
    rc = run_tests(cases, ARRAY_SIZE(cases));
    arena_release();
    return rc;
}
