/*
 * test-compat.c - the 32-bit (compat) ABI layouts and their translations
 * (public/arch-x86/compat.h, xen/common/compat_xlat.c).
 *
 * Layouts: each compat struct is checked against a second description of
 * the i386 layout written here the way a 32-bit compiler sees Xen's
 * headers ("unsigned long" and handles 32 bits, members packed to 4
 * bytes), so a wrong width or a wrong alignment in compat.h fails to
 * compile. Translations: a compat struct is built byte by byte at the
 * i386 offsets, converted, and every native field checked, including the
 * ones past a handle or a 64-bit member; the out-direction ones the same
 * way back.
 */
#include <string.h>
#include <xen/compat.h>
#include <xen/sched.h>
#include <xen/shared_layout.h>

#include "harness.h"

/* ---- the i386 layouts, described independently ------------------------ */

#pragma pack(push, 4)
struct i386_reservation
{
    uint32_t extent_start;
    uint32_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    uint16_t domid;
};
struct i386_add_to_physmap
{
    uint16_t domid, size;
    uint32_t space, idx, gpfn;
};
struct i386_batch
{
    uint16_t domid, space, size, foreign_domid;
    uint32_t idxs, gpfns, errs;
};
struct i386_poll
{
    uint32_t ports;
    uint32_t nr_ports;
    uint64_t timeout;
};
struct i386_singleshot
{
    uint64_t timeout_abs_ns;
    uint32_t flags;
};
struct i386_runstate
{
    int32_t state;
    uint64_t state_entry_time;
    uint64_t time[4];
};
struct i386_shared_info
{
    uint8_t vcpu_info[32][64];
    uint32_t evtchn_pending[32], evtchn_mask[32];
    uint32_t wc_version, wc_sec, wc_nsec;
    uint32_t arch[7];
};
struct i386_setup_table
{
    uint16_t dom;
    uint32_t nr_frames;
    int16_t status;
    uint32_t frame_list;
};
struct i386_copy
{
    struct
    {
        uint32_t ref_or_gmfn;
        uint16_t domid, offset;
    } source, dest;
    uint16_t len, flags;
    int16_t status;
};
struct i386_map
{
    uint64_t host_addr;
    uint32_t flags, ref;
    uint16_t dom;
    int16_t status;
    uint32_t handle;
    uint64_t dev_bus_addr;
};
struct i386_unmap
{
    uint64_t host_addr, dev_bus_addr;
    uint32_t handle;
    int16_t status;
};
struct i386_query_size
{
    uint16_t dom;
    uint32_t nr_frames, max_nr_frames;
    int16_t status;
};
#pragma pack(pop)

#define SAME_LAYOUT(a, b) _Static_assert(sizeof(a) == sizeof(b), #a " size")
#define SAME_OFFSET(a, b, f, g) \
    _Static_assert(offsetof(a, f) == offsetof(b, g), #a "." #f " offset")

SAME_LAYOUT(struct compat_memory_reservation, struct i386_reservation);
SAME_OFFSET(struct compat_memory_reservation, struct i386_reservation, domid, domid);
SAME_OFFSET(struct compat_memory_reservation, struct i386_reservation, nr_extents, nr_extents);
SAME_LAYOUT(struct compat_add_to_physmap, struct i386_add_to_physmap);
SAME_OFFSET(struct compat_add_to_physmap, struct i386_add_to_physmap, gpfn, gpfn);
SAME_LAYOUT(struct compat_add_to_physmap_batch, struct i386_batch);
SAME_OFFSET(struct compat_add_to_physmap_batch, struct i386_batch, gpfns, gpfns);
SAME_LAYOUT(struct compat_sched_poll, struct i386_poll);
SAME_OFFSET(struct compat_sched_poll, struct i386_poll, timeout, timeout);
SAME_LAYOUT(struct compat_vcpu_set_singleshot_timer, struct i386_singleshot);
SAME_LAYOUT(struct compat_vcpu_runstate_info, struct i386_runstate);
SAME_OFFSET(struct compat_vcpu_runstate_info, struct i386_runstate, time, time);
SAME_LAYOUT(struct compat_gnttab_setup_table, struct i386_setup_table);
SAME_OFFSET(struct compat_gnttab_setup_table, struct i386_setup_table, frame_list, frame_list);
SAME_LAYOUT(struct compat_gnttab_copy, struct i386_copy);
SAME_OFFSET(struct compat_gnttab_copy, struct i386_copy, status, status);
SAME_LAYOUT(struct compat_shared_info, struct i386_shared_info);

/* grant_table_op structs passed through unchanged: the native (x86-64)
 * layout must be the i386 one. */
SAME_LAYOUT(struct gnttab_map_grant_ref, struct i386_map);
SAME_OFFSET(struct gnttab_map_grant_ref, struct i386_map, handle, handle);
SAME_OFFSET(struct gnttab_map_grant_ref, struct i386_map, dev_bus_addr, dev_bus_addr);
SAME_LAYOUT(struct gnttab_unmap_grant_ref, struct i386_unmap);
SAME_OFFSET(struct gnttab_unmap_grant_ref, struct i386_unmap, status, status);
SAME_LAYOUT(struct gnttab_query_size, struct i386_query_size);
SAME_OFFSET(struct gnttab_query_size, struct i386_query_size, status, status);
SAME_OFFSET(struct compat_shared_info, struct i386_shared_info, evtchn_mask, evtchn_mask);
SAME_OFFSET(struct compat_shared_info, struct i386_shared_info, arch, arch);

/* And the native layouts the translations produce (x86-64). */
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "native reservation");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16, "native add_to_physmap");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "native poll");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "native singleshot");

/* ---- bytes at i386 offsets --------------------------------------------- */

static uint8_t buf[64];

static void put32(size_t off, uint32_t v)
{
    memcpy(buf + off, &v, 4);
}

static void put16(size_t off, uint16_t v)
{
    memcpy(buf + off, &v, 2);
}

static void put64(size_t off, uint64_t v)
{
    memcpy(buf + off, &v, 8);
}

static uint64_t get64(size_t off)
{
    uint64_t v;
    memcpy(&v, buf + off, 8);
    return v;
}

static void start_bytes(void)
{
    memset(buf, 0xee, sizeof(buf)); /* padding a guest left dirty */
}

static void reservation(void)
{
    struct compat_memory_reservation c;
    struct xen_memory_reservation n;
    start_bytes();
    put32(0, 0x00123000); /* extent_start */
    put32(4, 3);          /* nr_extents */
    put32(8, 9);          /* extent_order */
    put32(12, 0);         /* mem_flags */
    put16(16, DOMID_SELF);
    memcpy(&c, buf, sizeof(c));
    compat_to_native_reservation(&c, 0xabc0000000ULL, 2, &n);
    CHECK_EQ(n.extent_start, 0xabc0000000ULL);
    CHECK_EQ(n.nr_extents, 2);
    CHECK_EQ(n.extent_order, 9);
    CHECK_EQ(n.mem_flags, 0);
    CHECK_EQ(n.domid, DOMID_SELF);
    CHECK(!n.pad[0] && !n.pad[1] && !n.pad[2]);
}

static void add_to_physmap(void)
{
    struct compat_add_to_physmap c;
    struct xen_add_to_physmap n;
    start_bytes();
    put16(0, 7);
    put16(2, 4);
    put32(4, XENMAPSPACE_shared_info);
    put32(8, 0xfffffffe);  /* idx: zero-extended, not sign-extended */
    put32(12, 0x000fedcb); /* gpfn */
    memcpy(&c, buf, sizeof(c));
    compat_to_native_add_to_physmap(&c, &n);
    CHECK_EQ(n.domid, 7);
    CHECK_EQ(n.size, 4);
    CHECK_EQ(n.space, XENMAPSPACE_shared_info);
    CHECK_EQ(n.idx, 0xfffffffeULL);
    CHECK_EQ(n.gpfn, 0xfedcb);
}

static void batch(void)
{
    struct compat_add_to_physmap_batch c;
    struct xen_add_to_physmap_batch n;
    start_bytes();
    put16(0, DOMID_SELF);
    put16(2, XENMAPSPACE_gmfn_foreign);
    put16(4, 100);
    put16(6, 3);       /* foreign domid */
    put32(8, 0x1000);  /* idxs */
    put32(12, 0x2000); /* gpfns */
    put32(16, 0x3000); /* errs */
    memcpy(&c, buf, sizeof(c));
    compat_to_native_batch(&c, 36, 0xa, 0xb, c.errs + 64 * 4, &n);
    CHECK_EQ(n.domid, DOMID_SELF);
    CHECK_EQ(n.space, XENMAPSPACE_gmfn_foreign);
    CHECK_EQ(n.size, 36);
    CHECK_EQ(n.u.foreign_domid, 3);
    CHECK_EQ(n.idxs, 0xa);
    CHECK_EQ(n.gpfns, 0xb);
    CHECK_EQ(n.errs, 0x3100);
}

static void remove_and_map(void)
{
    struct compat_remove_from_physmap cr;
    struct xen_remove_from_physmap nr;
    struct compat_memory_map cm;
    struct xen_memory_map nm;
    start_bytes();
    put16(0, 5);
    put32(4, 0x80000);
    memcpy(&cr, buf, sizeof(cr));
    compat_to_native_remove_from_physmap(&cr, &nr);
    CHECK_EQ(nr.domid, 5);
    CHECK_EQ(nr.gpfn, 0x80000);
    CHECK(!nr.pad[0] && !nr.pad[1] && !nr.pad[2]);
    start_bytes();
    put32(0, 12);
    put32(4, 0x7000);
    memcpy(&cm, buf, sizeof(cm));
    compat_to_native_memory_map(&cm, &nm);
    CHECK_EQ(nm.nr_entries, 12);
    CHECK_EQ(nm.buffer, 0x7000);
    CHECK_EQ(nm.pad, 0);
    nm.nr_entries = 4;
    native_to_compat_memory_map(&nm, &cm);
    CHECK_EQ(cm.nr_entries, 4);
    CHECK_EQ(cm.buffer, 0x7000);
}

static void out_direction(void)
{
    struct xen_platform_parameters np = { .virt_start = 0xffff8000f5800000ULL };
    struct compat_platform_parameters cp;
    struct vcpu_runstate_info nr = { .state = RUNSTATE_blocked,
                                     .state_entry_time = 0x1122334455667788ULL,
                                     .time = { 1, 2, 0x100000000ULL, 4 } };
    struct compat_vcpu_runstate_info cr;
    native_to_compat_platform_parameters(&np, &cp);
    CHECK_EQ(cp.virt_start, 0xf5800000U);
    memset(&cr, 0xee, sizeof(cr));
    native_to_compat_runstate(&nr, &cr);
    memcpy(buf, &cr, sizeof(cr));
    CHECK_EQ(buf[0], RUNSTATE_blocked);
    CHECK_EQ(get64(4), 0x1122334455667788ULL);
    CHECK_EQ(get64(12 + 2 * 8), 0x100000000ULL);
    CHECK_EQ(get64(12 + 3 * 8), 4);
}

static void vcpu_and_sched(void)
{
    struct compat_sched_poll cp;
    struct sched_poll np;
    struct compat_vcpu_set_singleshot_timer cs;
    struct vcpu_set_singleshot_timer ns;
    struct compat_vcpu_register_memory_area ca;
    uint64_t addr;
    start_bytes();
    put32(0, 0x4000);
    put32(4, 2);
    put64(8, 0x0000000500000007ULL); /* timeout, 4-aligned */
    memcpy(&cp, buf, sizeof(cp));
    compat_to_native_sched_poll(&cp, &np);
    CHECK_EQ(np.ports, 0x4000);
    CHECK_EQ(np.nr_ports, 2);
    CHECK_EQ(np.timeout, 0x0000000500000007ULL);
    start_bytes();
    put64(0, 123456789012ULL);
    put32(8, VCPU_SSHOTTMR_future);
    memcpy(&cs, buf, sizeof(cs));
    compat_to_native_singleshot(&cs, &ns);
    CHECK_EQ(ns.timeout_abs_ns, 123456789012ULL);
    CHECK_EQ(ns.flags, VCPU_SSHOTTMR_future);
    CHECK_EQ(ns.pad, 0);
    start_bytes(); /* the upper half of the area's handle is 0xeeeeeeee */
    put32(0, 0x9000);
    memcpy(&ca, buf, sizeof(ca));
    compat_to_native_memory_area(&ca, &addr);
    CHECK_EQ(addr, 0x9000);
}

static void arrays(void)
{
    const uint32_t in[5] = { 0, 1, 0x80000000U, 0xffffffffU, 42 };
    uint64_t out[5];
    struct compat_dm_op_buf cb[2] = { { 0x1000, 24 }, { 0x2000, 0xffffffffU } };
    struct xen_dm_op_buf nb[2];
    compat_widen(in, 5, out);
    CHECK_EQ(out[2], 0x80000000ULL);
    CHECK_EQ(out[3], 0xffffffffULL);
    CHECK_EQ(out[4], 42);
    compat_to_native_dm_bufs(cb, 2, nb);
    CHECK_EQ(nb[0].h, 0x1000);
    CHECK_EQ(nb[0].size, 24);
    CHECK_EQ(nb[1].h, 0x2000);
    CHECK_EQ(nb[1].size, 0xffffffffULL);
}

static void gnttab(void)
{
    struct compat_gnttab_setup_table cs;
    struct gnttab_setup_table ns;
    struct compat_gnttab_copy cc;
    struct gnttab_copy nc;
    const uint64_t frames[3] = { 0x1234, ~0ULL, 0xfffff };
    uint32_t narrow[3];
    start_bytes();
    put16(0, DOMID_SELF);
    put32(4, 3);
    put16(8, 0x7777); /* status: IN garbage */
    put32(12, 0x5000);
    memcpy(&cs, buf, sizeof(cs));
    compat_to_native_setup_table(&cs, 0xabc, &ns);
    CHECK_EQ(ns.dom, DOMID_SELF);
    CHECK_EQ(ns.nr_frames, 3);
    CHECK_EQ(ns.frame_list, 0xabc);
    ns.status = GNTST_bad_domain;
    native_to_compat_setup_table(&ns, &cs);
    memcpy(buf, &cs, sizeof(cs));
    CHECK_EQ((uint16_t)(buf[8] | buf[9] << 8), (uint16_t)GNTST_bad_domain);
    CHECK_EQ(cs.frame_list, 0x5000);
    compat_narrow(frames, 3, narrow);
    CHECK_EQ(narrow[0], 0x1234);
    CHECK_EQ(narrow[1], 0xffffffffU);
    CHECK_EQ(narrow[2], 0xfffff);
    start_bytes();
    put32(0, 0x00abcdef); /* source gmfn */
    put16(4, DOMID_SELF);
    put16(6, 100);
    put32(8, 42); /* dest gref */
    put16(12, 3);
    put16(14, 8);
    put16(16, 512);
    put16(18, GNTCOPY_dest_gref);
    memcpy(&cc, buf, sizeof(cc));
    compat_to_native_gnttab_copy(&cc, &nc);
    CHECK_EQ(nc.source.u.gmfn, 0xabcdef);
    CHECK_EQ(nc.source.domid, DOMID_SELF);
    CHECK_EQ(nc.source.offset, 100);
    CHECK_EQ(nc.dest.u.ref, 42);
    CHECK_EQ(nc.dest.u.gmfn, 42); /* the upper half is zero, not the guest's padding */
    CHECK_EQ(nc.dest.domid, 3);
    CHECK_EQ(nc.dest.offset, 8);
    CHECK_EQ(nc.len, 512);
    CHECK_EQ(nc.flags, GNTCOPY_dest_gref);
}

/* ---- the shared_info layouts and the latch ----------------------------- */

static void shinfo_layouts(void)
{
    const struct shinfo_layout *n = &shinfo_layout_native, *c = &shinfo_layout_compat;
    CHECK_EQ(n->evtchn_pending, 2048);
    CHECK_EQ(n->evtchn_mask, 2560);
    CHECK_EQ(n->nr_ports, 4096);
    CHECK_EQ(n->sel_offset, 8);
    CHECK_EQ(n->sel_ports, 64);
    CHECK_EQ(n->wc_version, 3072);
    CHECK_EQ(n->wc_sec_hi, 3084);
    CHECK_EQ(c->evtchn_pending, 2048);
    CHECK_EQ(c->evtchn_mask, 2176);
    CHECK_EQ(c->nr_ports, 1024);
    CHECK_EQ(c->sel_offset, 4);
    CHECK_EQ(c->sel_ports, 32);
    CHECK_EQ(c->wc_version, 2304);
    CHECK_EQ(c->wc_nsec, 2312);
    CHECK_EQ(c->wc_sec_hi, 2316 + 24);
}

static union
{
    struct shared_info native;
    struct compat_shared_info compat;
    uint8_t bytes[4096];
} page;

static void shinfo_accessors(void)
{
    struct domain d;
    uint32_t bit, *w;
    memset(&d, 0, sizeof(d));
    memset(&page, 0, sizeof(page));
    CHECK(shinfo_layout(&d) == &shinfo_layout_native);
    w = shinfo_mask_word(&d, &page, 100, &bit);
    *w |= bit;
    CHECK_EQ(page.native.evtchn_mask[1], 1ULL << 36);
    w = vcpu_info_sel_word(&d, &page.native.vcpu_info[3], 100, &bit);
    *w |= bit;
    CHECK_EQ(page.native.vcpu_info[3].evtchn_pending_sel, 2);
    CHECK(shinfo_latch(&d, true));
    CHECK(!shinfo_latch(&d, true)); /* no change the second time */
    CHECK(shinfo_layout(&d) == &shinfo_layout_compat);
    memset(&page, 0, sizeof(page));
    w = shinfo_mask_word(&d, &page, 100, &bit);
    *w |= bit;
    CHECK_EQ(page.compat.evtchn_mask[3], 1U << 4);
    w = shinfo_pending_word(&d, &page, 1023, &bit);
    *w |= bit;
    CHECK_EQ(page.compat.evtchn_pending[31], 1U << 31);
    w = vcpu_info_sel_word(&d, &page.compat.vcpu_info[3], 100, &bit);
    *w |= bit;
    CHECK_EQ(page.compat.vcpu_info[3].evtchn_pending_sel, 1U << 3);
    CHECK_EQ(page.bytes[3 * 64 + 4], 8); /* at offset 4 of the 32-bit vcpu_info */
    CHECK(shinfo_latch(&d, false));
    CHECK(shinfo_layout(&d) == &shinfo_layout_native);
}

/* register_vcpu_info's "every selector bit": 64 bits at 8 natively, 32
 * at 4 for a 32-bit guest, whose arch.cr2 at 8 is left alone. */
static void shinfo_sel_fill(void)
{
    struct domain d;
    memset(&d, 0, sizeof(d));
    memset(&page, 0, sizeof(page));
    vcpu_info_sel_fill(&d, &page.native.vcpu_info[1]);
    CHECK_EQ(page.native.vcpu_info[1].evtchn_pending_sel, ~0ULL);
    CHECK_EQ(page.bytes[64 + 4], 0);
    CHECK_EQ(page.bytes[64 + 16], 0);
    shinfo_latch(&d, true);
    memset(&page, 0, sizeof(page));
    page.compat.vcpu_info[1].arch.cr2 = 0x1234;
    vcpu_info_sel_fill(&d, &page.compat.vcpu_info[1]);
    CHECK_EQ(page.compat.vcpu_info[1].evtchn_pending_sel, ~0U);
    CHECK_EQ(page.compat.vcpu_info[1].arch.cr2, 0x1234);
    CHECK_EQ(page.bytes[64 + 3], 0);
}

/* The runstate area: 48 bytes natively, 44 (entry time at 4, times at
 * 12) for a domain with the 32-bit layout. */
static void runstate_images(void)
{
    struct vcpu_runstate_info r = { .state = RUNSTATE_runnable,
                                    .state_entry_time = 0x1122334455667788ULL,
                                    .time = { 1, 2, 0x100000003ULL, 4 } };
    struct runstate_image img;
    struct domain d;
    uint8_t *b = (uint8_t *)&img.u;
    memset(&d, 0, sizeof(d));
    runstate_image(&d, &r, &img);
    CHECK_EQ(img.size, 48);
    CHECK_EQ(img.entry_offset, 8);
    CHECK(memcmp(&img.u.native, &r, sizeof(r)) == 0);
    shinfo_latch(&d, true);
    runstate_image(&d, &r, &img);
    CHECK_EQ(img.size, 44);
    CHECK_EQ(img.entry_offset, 4);
    CHECK_EQ(b[0], RUNSTATE_runnable);
    CHECK_EQ(b[4], 0x88);
    CHECK_EQ(b[11], 0x11);
    CHECK_EQ(b[12], 1);
    CHECK_EQ(b[12 + 2 * 8], 3);
    CHECK_EQ(b[12 + 2 * 8 + 4], 1);
    CHECK_EQ(b[12 + 3 * 8], 4);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "compat.reservation", reservation },
        { "compat.add_to_physmap", add_to_physmap },
        { "compat.add_to_physmap_batch", batch },
        { "compat.remove_from_physmap_memory_map", remove_and_map },
        { "compat.out_direction", out_direction },
        { "compat.vcpu_and_sched", vcpu_and_sched },
        { "compat.arrays", arrays },
        { "compat.gnttab", gnttab },
        { "compat.shinfo_layouts", shinfo_layouts },
        { "compat.shinfo_accessors", shinfo_accessors },
        { "compat.shinfo_sel_fill", shinfo_sel_fill },
        { "compat.runstate_images", runstate_images },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
