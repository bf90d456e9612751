/*
 * compat-32-shinfo - a 32-bit guest (protected mode, paging off) finds
 * everything the hypervisor writes into shared memory in Xen's 32-bit
 * layout (public/arch-x86/compat.h), not the 64-bit one:
 *  - the wallclock at wc_version 2304, wc_sec 2308, wc_nsec 2312 and
 *    arch.wc_sec_hi 2340, version even and the time plausible;
 *  - a send on an IPI port in the second 32-port word: the pending bit
 *    in the 32-bit word, selector bit port/32 in the 32-bit
 *    evtchn_pending_sel at offset 4 of vcpu_info, upcall_pending; the
 *    4 bytes after the selector (arch.cr2) untouched;
 *  - masking at the 32-bit mask offset (2176): a masked send sets only
 *    the pending bit, EVTCHNOP_unmask then the selector and
 *    upcall_pending;
 *  - the 2-level port limit of a 32-bit guest: ports stop at 1023 even
 *    though the hypervisor offers 4096 (evtchn_ports=4096);
 *  - VCPUOP_register_vcpu_info: the new area gets all 32 selector bits
 *    at offset 4 and nothing at 8..15, and later events go there;
 *  - VCPUOP_register_runstate_memory_area (8-byte handle, low half):
 *    the area is the 44-byte compat_vcpu_runstate_info (state 0 =
 *    running at 0, state_entry_time at 4, time[] at 12), the canary at
 *    44 kept, refreshed after a yield;
 *  - set_timer_op's 64-bit deadline in two registers: 1 + 2^40 ns (far
 *    ahead; low half alone would be in the past) raises nothing, a
 *    deadline of 1 ns raises VIRQ_TIMER; vm_assist's runstate flag.
 * The guest never enables interrupts and keeps evtchn_upcall_mask set;
 * no callback is registered, so nothing is injected.
 *
 * Guest code only: public headers and the 32-bit runtime.
 */
#include "xtf32.h"
#include <public/errno.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/event_channel.h>
#include <public/arch-x86/compat.h>

const char *test_title = "compat-32-shinfo: the 32-bit shared_info, vcpu_info and runstate layouts";

#define PAGE   4096
#define CANARY 0xc0ffee11U

static uint8_t shinfo_page[PAGE] __aligned(PAGE);
static uint8_t vi_page[PAGE] __aligned(PAGE);
static struct
{
    struct compat_vcpu_runstate_info r;
    uint32_t canary;
} rs;

static volatile uint32_t *u32_at(void *base, unsigned int offset)
{
    return (volatile uint32_t *)((uint8_t *)base + offset);
}

static volatile uint8_t *u8_at(void *base, unsigned int offset)
{
    return (volatile uint8_t *)((uint8_t *)base + offset);
}

static void expect(bool ok, const char *what, long rc)
{
    if ( !ok )
        xtf_failure("%s (rc %ld)", what, rc);
}

static bool bit(void *base, unsigned int offset, unsigned int nr)
{
    return *u32_at(base, offset + (nr / 32) * 4) & (1U << (nr % 32));
}

static void set_bit32(void *base, unsigned int offset, unsigned int nr, bool on)
{
    volatile uint32_t *w = u32_at(base, offset + (nr / 32) * 4);
    if ( on )
        __atomic_fetch_or(w, 1U << (nr % 32), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(w, ~(1U << (nr % 32)), __ATOMIC_SEQ_CST);
}

#define PENDING 2048
#define MASK    2176
#define SEL     4

static void map_shared_info(void)
{
    struct compat_add_to_physmap atp = { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
                                         PTR(shinfo_page) >> 12 };
    long rc = hc32_2(memory_op, XENMEM_add_to_physmap, PTR(&atp));
    expect(rc == 0, "add_to_physmap(shared_info)", rc);
    *u8_at(shinfo_page, 1) = 1; /* vcpu_info[0].evtchn_upcall_mask */
}

static void test_wallclock(void)
{
    uint32_t v, sec, hi, nsec;
    do
    {
        v = *u32_at(shinfo_page, 2304);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        sec = *u32_at(shinfo_page, 2308);
        nsec = *u32_at(shinfo_page, 2312);
        hi = *u32_at(shinfo_page, 2340);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    } while ( (v & 1) || v != *u32_at(shinfo_page, 2304) );
    printf("wallclock (32-bit offsets): version %u sec %u hi %u nsec %u\n", v, sec, hi, nsec);
    if ( v == 0 || hi != 0 || sec < 1577836800U || sec > 4102444800U )
        xtf_failure("wallclock at the 32-bit offsets: version %u, %u s (hi %u) not 2020..2100", v,
                    sec, hi);
    if ( nsec >= 1000000000U )
        xtf_failure("wc_nsec %u is a second or more", nsec);
}

static long send(unsigned int port)
{
    return hc32_2(event_channel_op, EVTCHNOP_send, PTR(&(struct evtchn_send){ .port = port }));
}

/* An IPI port in the second 32-port word (its 64-bit selector bit would
 * be 0, its 32-bit one 1). */
static unsigned int bind_high_ipi(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };
    long rc;
    do
    {
        rc = hc32_2(event_channel_op, EVTCHNOP_bind_ipi, PTR(&ipi));
        expect(rc == 0, "bind_ipi", rc);
    } while ( rc == 0 && ipi.port < 40 );
    printf("IPI port %u\n", ipi.port);
    return rc ? 0 : ipi.port;
}

static void clear_delivery(void *vi, unsigned int port)
{
    set_bit32(shinfo_page, PENDING, port, false);
    *u32_at(vi, SEL) = 0;
    *u8_at(vi, 0) = 0;
}

static void check_delivered(void *vi, unsigned int port, const char *what)
{
    if ( !bit(shinfo_page, PENDING, port) )
        xtf_failure("%s: port %u not pending in the 32-bit bitmap", what, port);
    if ( *u32_at(vi, SEL) != (1U << (port / 32)) )
        xtf_failure("%s: selector %#x at offset 4, want %#x", what, *u32_at(vi, SEL),
                    1U << (port / 32));
    if ( *u8_at(vi, 0) != 1 )
        xtf_failure("%s: evtchn_upcall_pending %u", what, *u8_at(vi, 0));
    if ( *u32_at(vi, 8) != 0 || *u32_at(vi, 12) != 0 )
        xtf_failure("%s: arch.cr2/pad written (%#x %#x)", what, *u32_at(vi, 8), *u32_at(vi, 12));
}

static void test_events(void *vi, unsigned int port, const char *what)
{
    long rc;
    clear_delivery(vi, port);
    rc = send(port);
    expect(rc == 0, "send", rc);
    check_delivered(vi, port, what);

    clear_delivery(vi, port);
    set_bit32(shinfo_page, MASK, port, true);
    rc = send(port);
    expect(rc == 0, "send (masked)", rc);
    if ( !bit(shinfo_page, PENDING, port) )
        xtf_failure("%s: masked port %u not pending", what, port);
    if ( *u32_at(vi, SEL) || *u8_at(vi, 0) )
        xtf_failure("%s: masked at 2176 but delivered (selector %#x, upcall %u)", what,
                    *u32_at(vi, SEL), *u8_at(vi, 0));
    rc = hc32_2(event_channel_op, EVTCHNOP_unmask, PTR(&(struct evtchn_unmask){ .port = port }));
    expect(rc == 0, "unmask", rc);
    if ( bit(shinfo_page, MASK, port) )
        xtf_failure("%s: unmask left the 32-bit mask bit", what);
    check_delivered(vi, port, "after unmask");
}

static void test_port_limit(void)
{
    struct evtchn_alloc_unbound un = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    unsigned int highest = 0, n = 0;
    long rc;
    while ( n++ < 5000 )
    {
        un.port = 0;
        rc = hc32_2(event_channel_op, EVTCHNOP_alloc_unbound, PTR(&un));
        if ( rc )
            break;
        highest = MAX(highest, un.port);
    }
    printf("alloc_unbound: highest port %u, then rc %ld\n", highest, rc);
    if ( rc != -XEN_ENOSPC || highest != 1023 )
        xtf_failure("2-level port limit: highest %u (want 1023), last rc %ld", highest, rc);
    for ( unsigned int p = 41; p <= highest; p++ )
        hc32_2(event_channel_op, EVTCHNOP_close, PTR(&(struct evtchn_close){ .port = p }));
}

static void test_register_vcpu_info(unsigned int port)
{
    struct vcpu_register_vcpu_info r = { .mfn = PTR(vi_page) >> 12, .offset = 128 };
    void *vi = vi_page + 128;
    long rc;
    memset(vi_page, 0, sizeof(vi_page));
    *u32_at(shinfo_page, 8) = 0; /* the old arch.cr2: copied over */
    rc = hc32_3(vcpu_op, VCPUOP_register_vcpu_info, 0, PTR(&r));
    expect(rc == 0, "register_vcpu_info", rc);
    if ( rc )
        return;
    if ( *u32_at(vi, SEL) != ~0U )
        xtf_failure("register_vcpu_info: selector %#x at offset 4, want all 32 bits",
                    *u32_at(vi, SEL));
    if ( *u32_at(vi, 8) != 0 || *u32_at(vi, 12) != 0 )
        xtf_failure("register_vcpu_info: %#x %#x written after the 32-bit selector", *u32_at(vi, 8),
                    *u32_at(vi, 12));
    if ( *u32_at(vi, 64) != 0 )
        xtf_failure("register_vcpu_info wrote past its 64 bytes");
    /* vcpu_time_info is the same in both layouts: version, then
     * tsc_to_system_mul at 24. */
    if ( (*u32_at(vi, 32) & 1) || !*u32_at(vi, 32 + 24) )
        xtf_failure("register_vcpu_info: no time record at offset 32 (version %u, mul %#x)",
                    *u32_at(vi, 32), *u32_at(vi, 32 + 24));
    *u8_at(vi, 1) = 1;
    test_events(vi, port, "registered vcpu_info");
}

static void check_runstate(const char *what)
{
    uint64_t total = rs.r.time[0] + rs.r.time[1] + rs.r.time[2] + rs.r.time[3];
    printf("%s: state %d entry %llu running %llu\n", what, rs.r.state,
           (unsigned long long)rs.r.state_entry_time, (unsigned long long)rs.r.time[0]);
    if ( rs.r.state != RUNSTATE_running )
        xtf_failure("%s: state %d at offset 0, want running", what, rs.r.state);
    if ( !rs.r.state_entry_time || (rs.r.state_entry_time >> 63) )
        xtf_failure("%s: state_entry_time %#llx at offset 4", what,
                    (unsigned long long)rs.r.state_entry_time);
    if ( !total || total > rs.r.state_entry_time + 1000000000ULL )
        xtf_failure("%s: time[] at 12 implausible (sum %llu)", what, (unsigned long long)total);
    if ( rs.canary != CANARY )
        xtf_failure("%s: wrote past the 44-byte layout (%#x)", what, rs.canary);
}

static void test_runstate(void)
{
    struct compat_vcpu_register_memory_area a = { PTR(&rs), 0 };
    uint64_t first;
    long rc;
    memset(&rs, 0, sizeof(rs));
    rs.canary = CANARY;
    rc = hc32_3(vcpu_op, VCPUOP_register_runstate_memory_area, 0, PTR(&a));
    expect(rc == 0, "register_runstate_memory_area", rc);
    if ( rc )
        return;
    check_runstate("runstate area");
    first = rs.r.state_entry_time;
    for ( unsigned int i = 0; i < 20; i++ )
        hc32_2(sched_op, SCHEDOP_yield, 0);
    check_runstate("after yields");
    if ( rs.r.state_entry_time < first )
        xtf_failure("runstate: state_entry_time went back (%llu < %llu)",
                    (unsigned long long)rs.r.state_entry_time, (unsigned long long)first);
}

static void test_timer_op(void)
{
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    long rc = hc32_2(event_channel_op, EVTCHNOP_bind_virq, PTR(&bv));
    unsigned int i;

    expect(rc == 0, "bind VIRQ_TIMER", rc);
    if ( rc )
        return;
    set_bit32(shinfo_page, PENDING, bv.port, false);
    rc = hypercall32(__HYPERVISOR_set_timer_op, 1, 0x100, 0, 0, 0);
    expect(rc == 0, "set_timer_op(1 + 2^40 ns)", rc);
    for ( i = 0; i < 2000000 && !bit(shinfo_page, PENDING, bv.port); i++ )
        ;
    expect(!bit(shinfo_page, PENDING, bv.port), "no VIRQ_TIMER from a deadline 2^40 ns ahead", 0);
    rc = hypercall32(__HYPERVISOR_set_timer_op, 1, 0, 0, 0, 0);
    expect(rc == 0, "set_timer_op(1 ns)", rc);
    for ( i = 0; i < 200000000 && !bit(shinfo_page, PENDING, bv.port); i++ )
        ;
    expect(bit(shinfo_page, PENDING, bv.port), "VIRQ_TIMER from a past deadline", 0);
    rc = hc32_2(vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag);
    expect(rc == 0, "vm_assist(enable, runstate_update_flag)", rc);
}

void test_main(void)
{
    unsigned int port;
    map_shared_info();
    test_wallclock();
    port = bind_high_ipi();
    if ( port )
        test_events(shinfo_page, port, "shared_info vcpu_info[0]");
    test_port_limit();
    if ( port )
        test_register_vcpu_info(port);
    test_runstate();
    test_timer_op();
    xtf_success(NULL);
}
