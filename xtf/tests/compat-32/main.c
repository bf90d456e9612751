/*
 * compat-32 - a 32-bit guest (protected mode, paging off) gets Xen's
 * 32-bit ABI: hypercall arguments in EBX ECX EDX ESI EDI and every
 * struct in its 32-bit layout (public/arch-x86/compat.h).
 *
 * Each struct is laid out as a 32-bit compiler does and followed by a
 * canary, so that a hypervisor reading or writing the 64-bit layout is
 * caught: it would take a handle from the wrong offset (a fault, or a
 * write through a canary), or write past the struct's end. Checked:
 *  - xen_version: version, get_features, platform_parameters (4 bytes
 *    written, the canary after them kept);
 *  - memory_op: memory_map (count back at offset 0, entries in the
 *    buffer), current_reservation, decrease_reservation and
 *    populate_physmap of 2 frames and of 520 frames (more than one
 *    translation slice: the call continues), the same with a frame list
 *    that runs from RAM into a hole (2 done), add_to_physmap of
 *    shared_info (idx and gpfn at their 32-bit offsets), then
 *    remove_from_physmap;
 *  - event_channel_op: bind_ipi, alloc_unbound, status, send (the pending
 *    bit in shared_info), close;
 *  - hvm_op: set_param/get_param of a value with its upper half set;
 *  - vcpu_op: is_up, and initialise refusing a bad context;
 *  - grant_table_op: set_version, get_version, query_size, setup_table
 *    (frames written as 32-bit numbers), and 20 copies between our own
 *    frames (more than the layer's slice of 16: the call continues);
 *  - sched_op: yield (shutdown ends the test); console_io carries all
 *    the output;
 *  - every translated op given a struct or an array where there is no
 *    RAM: -EFAULT, nothing else happens (populate_physmap and
 *    decrease_reservation answer 0 extents done instead, as Xen does);
 *  - then with paging on (32-bit, 4 MiB pages), pointers that are virtual
 *    aliases of our memory: memory_map, platform_parameters and a
 *    reservation round trip still land in the right place, and an
 *    unmapped pointer is -EFAULT.
 */
#include "xtf32.h"
#include <public/errno.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/arch-x86/compat.h>

/*
 * grant_table.h does not compile under -m32 (its x86-64 layouts rely on
 * 8-byte alignment), so the numbers and the 32-bit layouts of the structs
 * that are the same in both modes are written here.
 */
#define GNTTABOP_setup_table 2
#define GNTTABOP_copy        5
#define GNTTABOP_query_size  6
#define GNTTABOP_set_version 8
#define GNTTABOP_get_version 10
#define GNTST_okay           0

struct gnttab32_query_size
{
    domid_t dom;
    uint32_t nr_frames, max_nr_frames;
    int16_t status;
};
struct gnttab32_version
{
    domid_t dom;
    uint16_t pad;
    uint32_t version;
};

const char *test_title = "compat-32: the 32-bit hypercall ABI";

#define CANARY 0xc0ffee11U
#define BIG    520
#define PAGE   4096

static uint8_t small_pages[2][PAGE] __aligned(PAGE);
static uint8_t big_pages[BIG][PAGE] __aligned(PAGE);
static uint8_t shinfo_page[PAGE] __aligned(PAGE);
static uint8_t copy_src[PAGE] __aligned(PAGE), copy_dst[PAGE] __aligned(PAGE);
static uint32_t frames[BIG];
static uint32_t high_ram_end; /* end of the RAM entry holding 1 MiB */

static void expect(bool ok, const char *what, long rc)
{
    if ( !ok )
        xtf_failure("%s (rc %ld)", what, rc);
}

static void test_version(void)
{
    struct
    {
        struct compat_platform_parameters p;
        uint32_t canary;
    } pp = { { 0xffffffffU }, CANARY };
    struct xen_feature_info fi = { .submap_idx = 0 };
    long rc = hc32_2(xen_version, XENVER_version, 0);
    expect(rc > 0, "XENVER_version", rc);
    rc = hc32_2(xen_version, XENVER_get_features, PTR(&fi));
    expect(rc == 0, "XENVER_get_features", rc);
    rc = hc32_2(xen_version, XENVER_platform_parameters, PTR(&pp));
    expect(rc == 0 && pp.p.virt_start == 0, "platform_parameters: virt_start", rc);
    expect(pp.canary == CANARY, "platform_parameters wrote past its 4 bytes", rc);
}

static void test_memory_map(void)
{
    struct
    {
        struct compat_memory_map m;
        uint32_t canary[2];
    } mm;
    struct xen_e820_entry e[16];
    bool image_in_ram = false;
    long rc;
    memset(e, 0xff, sizeof(e));
    mm = (typeof(mm)){ { ARRAY_SIZE(e), PTR(e) }, { CANARY, CANARY } };
    rc = hc32_2(memory_op, XENMEM_memory_map, PTR(&mm));
    expect(rc == 0, "memory_map", rc);
    expect(mm.m.nr_entries >= 1 && mm.m.nr_entries <= ARRAY_SIZE(e), "memory_map: count", rc);
    expect(mm.m.buffer == PTR(e) && mm.canary[0] == CANARY && mm.canary[1] == CANARY,
           "memory_map: struct written past its 8 bytes", rc);
    for ( uint32_t i = 0; rc == 0 && i < mm.m.nr_entries && i < ARRAY_SIZE(e); i++ )
        if ( e[i].type == E820_RAM && e[i].addr <= 0x100000 && e[i].addr + e[i].size > 0x100000 )
        {
            image_in_ram = true;
            high_ram_end = (uint32_t)(e[i].addr + e[i].size);
        }
    expect(image_in_ram, "memory_map: no RAM entry holds 1 MiB", rc);
}

static long reservation(unsigned int op, uint32_t *list, uint32_t nr)
{
    struct
    {
        struct compat_memory_reservation r;
        uint32_t canary;
    } res = { { PTR(list), nr, 0, 0, DOMID_SELF, 0 }, CANARY };
    long rc = hc32_2(memory_op, op, PTR(&res));
    expect(res.canary == CANARY, "reservation: struct changed past its end", rc);
    return rc;
}

static long current_pages(void)
{
    domid_t self = DOMID_SELF;
    return hc32_2(memory_op, XENMEM_current_reservation, PTR(&self));
}

/* Give n frames back and take them again; the count moves both ways. */
static void round_trip(uint8_t (*pages)[PAGE], uint32_t n, const char *what)
{
    long before = current_pages(), rc;
    for ( uint32_t i = 0; i < n; i++ )
        frames[i] = PTR(pages[i]) >> 12;
    rc = reservation(XENMEM_decrease_reservation, frames, n);
    if ( rc != (long)n )
        xtf_failure("%s: decrease_reservation did %ld of %u", what, rc, n);
    rc = current_pages();
    if ( rc != before - (long)n )
        xtf_failure("%s: %ld pages after giving back %u of %ld", what, rc, n, before);
    rc = reservation(XENMEM_populate_physmap, frames, n);
    if ( rc != (long)n )
        xtf_failure("%s: populate_physmap did %ld of %u", what, rc, n);
    rc = current_pages();
    if ( rc != before )
        xtf_failure("%s: %ld pages after populating, %ld before", what, rc, before);
    pages[n - 1][5] = 0x5a; /* the frame is back and writable */
}

/*
 * A frame list whose first two entries are the last 8 bytes of RAM and
 * whose rest is in the hole after it: the layer reads what it can, the
 * call does those two and says so (2), as for a 64-bit caller; a list
 * that faults at its first entry does 0 (Xen's count, never -EFAULT).
 */
static void test_list_into_hole(void)
{
    uint32_t *list = (uint32_t *)(uintptr_t)(high_ram_end - 8);
    long before = current_pages(), rc;
    if ( !high_ram_end || high_ram_end >= 0xf0000000U )
    {
        xtf_error("no RAM end below the hole to test with");
        return;
    }
    list[0] = PTR(small_pages[0]) >> 12;
    list[1] = PTR(small_pages[1]) >> 12;
    rc = reservation(XENMEM_decrease_reservation, list, 5);
    expect(rc == 2, "decrease_reservation with a list running into a hole", rc);
    expect(current_pages() == before - 2, "decrease_reservation: 2 frames given back", rc);
    rc = reservation(XENMEM_populate_physmap, list, 5);
    expect(rc == 2, "populate_physmap with a list running into a hole", rc);
    expect(current_pages() == before, "populate_physmap: 2 frames back", rc);
    rc = reservation(XENMEM_populate_physmap, list + 2, 3);
    expect(rc == 0, "populate_physmap with its list in the hole", rc);
}

static void test_shared_info(void)
{
    struct
    {
        struct compat_add_to_physmap x;
        uint32_t canary;
    } atp = { { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0, PTR(shinfo_page) >> 12 }, CANARY };
    unsigned int same = 0;
    long rc;
    memset(shinfo_page, 0x5a, sizeof(shinfo_page));
    rc = hc32_2(memory_op, XENMEM_add_to_physmap, PTR(&atp));
    expect(rc == 0, "add_to_physmap(shared_info)", rc);
    for ( unsigned int i = 0; i < sizeof(shinfo_page); i++ )
        same += shinfo_page[i] == 0x5a;
    if ( same > sizeof(shinfo_page) / 2 )
        xtf_failure("add_to_physmap: the page is still ours (%u bytes unchanged)", same);
}

static void test_shared_info_gone(void)
{
    struct compat_remove_from_physmap rm = { DOMID_SELF, 0, PTR(shinfo_page) >> 12 };
    long rc = hc32_2(memory_op, XENMEM_remove_from_physmap, PTR(&rm));
    expect(rc == 0, "remove_from_physmap(shared_info)", rc);
}

static bool port_pending(unsigned int port)
{
    const volatile uint32_t *pending = (const void *)(shinfo_page + 2048);
    return pending[port / 32] & (1U << (port % 32));
}

static long status_of(unsigned int port, struct evtchn_status *st)
{
    *st = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
    return hc32_2(event_channel_op, EVTCHNOP_status, PTR(st));
}

static void test_evtchn(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };
    struct evtchn_alloc_unbound un = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_status st;
    long rc = hc32_2(event_channel_op, EVTCHNOP_bind_ipi, PTR(&ipi));
    expect(rc == 0 && ipi.port > 0, "bind_ipi", rc);
    rc = status_of(ipi.port, &st);
    expect(rc == 0 && st.status == EVTCHNSTAT_ipi && st.vcpu == 0, "status(ipi)", rc);
    rc = hc32_2(event_channel_op, EVTCHNOP_send, PTR(&(struct evtchn_send){ .port = ipi.port }));
    expect(rc == 0 && port_pending(ipi.port), "send(ipi): pending in shared_info", rc);
    rc = hc32_2(event_channel_op, EVTCHNOP_alloc_unbound, PTR(&un));
    expect(rc == 0 && un.port > 0 && un.port != ipi.port, "alloc_unbound", rc);
    rc = status_of(un.port, &st);
    expect(rc == 0 && st.status == EVTCHNSTAT_unbound, "status(unbound)", rc);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        evtchn_port_t p = i ? un.port : ipi.port;
        rc = hc32_2(event_channel_op, EVTCHNOP_close, PTR(&(struct evtchn_close){ .port = p }));
        expect(rc == 0, "close", rc);
        rc = status_of(p, &st);
        expect(rc == 0 && st.status == EVTCHNSTAT_closed, "status after close", rc);
    }
}

static void test_hvm_param(void)
{
    const uint64_t vec = (2ULL << 56) | 0xf3; /* type vector: the upper half matters */
    struct xen_hvm_param p = { DOMID_SELF, 0, HVM_PARAM_CALLBACK_IRQ, vec };
    long rc = hc32_2(hvm_op, HVMOP_set_param, PTR(&p));
    expect(rc == 0, "set_param(CALLBACK_IRQ)", rc);
    p.value = 0;
    rc = hc32_2(hvm_op, HVMOP_get_param, PTR(&p));
    expect(rc == 0 && p.value == vec, "get_param(CALLBACK_IRQ) gives back the value", rc);
    p.value = 0;
    rc = hc32_2(hvm_op, HVMOP_set_param, PTR(&p));
    expect(rc == 0, "set_param(CALLBACK_IRQ, 0)", rc);
}

static void test_vcpu_sched(void)
{
    struct vcpu_hvm_context bad = { .mode = 7 };
    long rc = hc32_3(vcpu_op, VCPUOP_is_up, 0, 0);
    expect(rc == 1, "is_up(0)", rc);
    rc = hc32_3(vcpu_op, VCPUOP_is_up, 1, 0);
    expect(rc == 0, "is_up(1)", rc);
    rc = hc32_3(vcpu_op, VCPUOP_initialise, 1, PTR(&bad));
    expect(rc == -XEN_EINVAL, "initialise(1, bad mode)", rc);
    rc = hc32_2(sched_op, SCHEDOP_yield, 0);
    expect(rc == 0, "yield", rc);
}

#define NR_COPIES 20

static void test_gnttab_copy(void)
{
    static struct
    {
        struct compat_gnttab_copy op[NR_COPIES];
        uint32_t canary;
    } c;
    long rc;
    for ( unsigned int i = 0; i < PAGE; i++ )
        copy_src[i] = (uint8_t)(i * 7 + 1);
    memset(copy_dst, 0, sizeof(copy_dst));
    for ( unsigned int i = 0; i < NR_COPIES; i++ )
        c.op[i] = (struct compat_gnttab_copy){
            .source = { .u.gmfn = PTR(copy_src) >> 12, .domid = DOMID_SELF, .offset = 100 + i * 8 },
            .dest = { .u.gmfn = PTR(copy_dst) >> 12, .domid = DOMID_SELF, .offset = 8 + i * 8 },
            .len = 8,
            .status = 99,
        };
    c.canary = CANARY;
    rc = hc32_3(grant_table_op, GNTTABOP_copy, PTR(c.op), NR_COPIES);
    expect(rc == 0, "grant copy x20", rc);
    for ( unsigned int i = 0; i < NR_COPIES; i++ )
        if ( c.op[i].status != GNTST_okay )
            xtf_failure("grant copy %u: status %d", i, c.op[i].status);
    if ( memcmp(copy_dst + 8, copy_src + 100, NR_COPIES * 8) || copy_dst[7] || copy_dst[8 + 160] )
        xtf_failure("grant copy: the bytes did not land where the 32-bit ops said");
    expect(c.canary == CANARY, "grant copy: written past the array", rc);
}

static void test_gnttab(void)
{
    uint32_t set_version = 1; /* struct gnttab_set_version: the version alone */
    struct gnttab32_version v;
    struct gnttab32_query_size q = { .dom = DOMID_SELF, .status = 99 };
    struct
    {
        struct compat_gnttab_setup_table s;
        uint32_t canary;
    } st = { { DOMID_SELF, 0, 1, 99, 0, 0 }, CANARY };
    uint32_t frames[2] = { 0, CANARY };
    long rc = hc32_3(grant_table_op, GNTTABOP_set_version, PTR(&set_version), 1);
    expect(rc == 0 && set_version == 1, "gnttab set_version(1)", rc);
    v = (struct gnttab32_version){ .dom = DOMID_SELF };
    rc = hc32_3(grant_table_op, GNTTABOP_get_version, PTR(&v), 1);
    expect(rc == 0 && v.version == 1, "gnttab get_version", rc);
    st.s.frame_list = PTR(frames);
    rc = hc32_3(grant_table_op, GNTTABOP_setup_table, PTR(&st), 1);
    expect(rc == 0 && st.s.status == GNTST_okay, "gnttab setup_table(1 frame)", rc);
    expect(st.s.frame_list == PTR(frames) && st.canary == CANARY,
           "setup_table: struct written past its 16 bytes", rc);
    expect(frames[0] != 0 && frames[1] == CANARY, "setup_table: one 32-bit frame number", rc);
    rc = hc32_3(grant_table_op, GNTTABOP_query_size, PTR(&q), 1);
    expect(rc == 0 && q.status == GNTST_okay && q.nr_frames >= 1 && q.max_nr_frames >= q.nr_frames,
           "gnttab query_size", rc);
    test_gnttab_copy();
}

/* Below 4 GiB, above the guest's RAM, not the local APIC: no RAM here. */
#define NO_RAM 0xf0000000U

static void test_bad_pointers(void)
{
    struct compat_memory_reservation r = { NO_RAM, 1, 0, 0, DOMID_SELF, 0 };
    struct compat_memory_map m = { 4, NO_RAM };
    static const struct
    {
        unsigned int nr, cmd;
        const char *what;
    } calls[] = {
        { __HYPERVISOR_memory_op, XENMEM_populate_physmap, "populate_physmap" },
        { __HYPERVISOR_memory_op, XENMEM_decrease_reservation, "decrease_reservation" },
        { __HYPERVISOR_memory_op, XENMEM_add_to_physmap, "add_to_physmap" },
        { __HYPERVISOR_memory_op, XENMEM_remove_from_physmap, "remove_from_physmap" },
        { __HYPERVISOR_memory_op, XENMEM_memory_map, "memory_map" },
        { __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, "add_to_physmap_batch" },
        { __HYPERVISOR_xen_version, XENVER_platform_parameters, "platform_parameters" },
        { __HYPERVISOR_sched_op, SCHEDOP_poll, "poll" },
        { __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, "gnttab setup_table" },
    };
    long before = current_pages(), rc;
    for ( unsigned int i = 0; i < ARRAY_SIZE(calls); i++ )
    {
        bool counts =
            calls[i].nr == __HYPERVISOR_memory_op && (calls[i].cmd == XENMEM_populate_physmap ||
                                                      calls[i].cmd == XENMEM_decrease_reservation);
        rc = hypercall32(calls[i].nr, calls[i].cmd, NO_RAM, 1, 0, 0); /* count 1 for gnttab */
        if ( counts ? rc != 0
                    : rc != -XEN_EFAULT && !(rc == -XEN_ENOSYS && calls[i].cmd == SCHEDOP_poll) )
            xtf_failure("%s with its struct in a hole: rc %ld", calls[i].what, rc);
    }
    rc = hc32_2(memory_op, XENMEM_populate_physmap, PTR(&r));
    expect(rc == 0, "populate_physmap with its list in a hole", rc);
    rc = hc32_2(memory_op, XENMEM_memory_map, PTR(&m));
    expect(rc == -XEN_EFAULT, "memory_map with its buffer in a hole", rc);
    rc = hc32_3(vcpu_op, VCPUOP_set_singleshot_timer, 0, NO_RAM);
    expect(rc == -XEN_EFAULT || rc == -XEN_ENOSYS, "set_singleshot_timer in a hole", rc);
    rc = current_pages();
    expect(rc == before, "bad pointers changed the reservation", rc);
}

/* ---- with paging on -------------------------------------------------- */

#define ALIAS_BASE 0x80000000U /* virtual alias of physical [0, 64 MiB) */
#define UNMAPPED   0xffc00000U /* its 4 MiB page is not present */
#define PDE_4M     0x83U       /* present, writable, 4 MiB page */
#define CR0_PG     (1U << 31)
#define CR4_PSE    (1U << 4)

static uint32_t page_dir[1024] __aligned(PAGE);

static void *alias(void *p)
{
    return (void *)(uintptr_t)(PTR(p) + ALIAS_BASE);
}

/* Identity for everything but [ALIAS_BASE, +64 MiB), which maps the low
 * 64 MiB again, and the top 4 MiB, which is absent. */
static void paging_on(void)
{
    uint32_t cr;
    for ( uint32_t i = 0; i < 1024; i++ )
        page_dir[i] = (i << 22) | PDE_4M;
    for ( uint32_t i = 0; i < 16; i++ )
        page_dir[(ALIAS_BASE >> 22) + i] = (i << 22) | PDE_4M;
    page_dir[UNMAPPED >> 22] = 0;
    __asm__ volatile("mov %0, %%cr3" ::"r"(PTR(page_dir)) : "memory");
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr));
    __asm__ volatile("mov %0, %%cr4" ::"r"(cr | CR4_PSE));
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr));
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr | CR0_PG) : "memory");
}

static struct compat_memory_map paged_mm;
static struct compat_platform_parameters paged_pp = { 7 };

static void test_paged(void)
{
    struct compat_memory_map *mm = alias(&paged_mm);
    struct compat_platform_parameters *pp = alias(&paged_pp);
    static struct xen_e820_entry e[8];
    long before, rc;
    paging_on();
    *mm = (struct compat_memory_map){ ARRAY_SIZE(e), PTR(alias(e)) };
    rc = hc32_2(memory_op, XENMEM_memory_map, PTR(mm));
    expect(rc == 0 && mm->nr_entries >= 1 && e[0].size, "paged: memory_map through an alias", rc);
    rc = hc32_2(xen_version, XENVER_platform_parameters, PTR(pp));
    expect(rc == 0 && pp->virt_start == 0, "paged: platform_parameters through an alias", rc);
    before = current_pages();
    frames[0] = PTR(small_pages[0]) >> 12;
    rc = reservation(XENMEM_decrease_reservation, alias(frames), 1);
    expect(rc == 1 && current_pages() == before - 1, "paged: decrease_reservation", rc);
    rc = reservation(XENMEM_populate_physmap, alias(frames), 1);
    expect(rc == 1 && current_pages() == before, "paged: populate_physmap", rc);
    rc = hc32_2(memory_op, XENMEM_memory_map, UNMAPPED);
    expect(rc == -XEN_EFAULT, "paged: memory_map at an unmapped address", rc);
}

void test_main(void)
{
    test_version();
    test_memory_map();
    round_trip(small_pages, 2, "2 frames");
    round_trip(big_pages, BIG, "520 frames");
    test_list_into_hole();
    test_shared_info();
    test_evtchn();
    test_shared_info_gone();
    test_hvm_param();
    test_vcpu_sched();
    test_gnttab();
    test_bad_pointers();
    test_paged();
    xtf_success(NULL);
}
