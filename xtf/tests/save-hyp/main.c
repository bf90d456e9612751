/*
 * save-hyp - the hypervisor side of save/restore, driven by hand from an
 * XTF dom0: a running domU (save-hyp-target) is moved to a new domain and
 * carries on without knowing.
 *
 * dom0 waits until d1 counts, marks d1's SAVE_HYP_BROKEN_GFN broken
 * (XEN_DOMCTL_set_broken_page_p2m), reads getpageframeinfo3 over d1's
 * RAM and beyond (NOTAB for RAM, BROKEN for that frame, XTAB past the
 * end; 1025 entries are -E2BIG), pauses d1 and takes its HVM context,
 * TSC info and HVM params. It creates a new domain, populates the NOTAB
 * frames and copies each through two foreign mappings, marks the broken
 * frame broken there too, and first offers it a context whose LAPIC
 * record is bad: refused (-EINVAL), and the new domain's context still
 * has no vCPU up. Then the real context, TSC info and params; d1 is
 * destroyed and the new domain unpaused. Through its status page the
 * guest must then show: its counter past the saved value and rising,
 * LAPIC timer ticks rising, the TSC never went backwards, its pattern
 * intact, its LSTAR, KERNEL_GS_BASE, FS base, XMM5, PAT and first
 * variable MTRR as it set them, and (where AVX is offered) its XCR0 and
 * all of YMM7, which only the CPU_XSAVE record carries,
 * and HVMOP_get_mem_type reading the broken frame as HVMMEM_broken. The new domain's context carries the VCPUOP singleshot
 * deadline the guest armed before the move.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/move.h>
#include <xtf/p2m.h>
#include <xtf/save-hyp.h>
#include <xtf/time.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

const char test_title[] = "save/restore, hypervisor side: a running domU moved to a new domain";

#define OLD          1
#define LOCAL_STATUS 0x7f100UL /* our frames for foreign mappings */
#define LOCAL_FROM   0x7f101UL
#define LOCAL_TO     0x7f102UL
#define SCAN_END     0x2000UL /* 32 MiB: past the target's 16 */
#define CTX_MAX      XTF_HVM_CTX_SAVED_MAX(1)
#define WAIT_NS      20000000000ULL /* 20 s of system time: Bochs is slow */

static uint8_t ctx_buf[CTX_MAX];
static struct xtf_move_state st = { .ctx = ctx_buf, .ctx_max = CTX_MAX };
static xen_pfn_t types[SCAN_END];

static long domctl_pfn(uint32_t cmd, domid_t d, uint64_t pfn)
{
    struct xen_domctl op = { .cmd = cmd, .domain = d };

    op.u.set_broken_page_p2m.pfn = pfn;
    return hypercall_domctl(&op);
}

static long pfinfo(domid_t d, xen_pfn_t *arr, uint64_t num)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_getpageframeinfo3, .domain = d };

    op.u.getpageframeinfo3.num = num;
    set_xen_guest_handle(op.u.getpageframeinfo3.array, arr);
    return hypercall_domctl(&op);
}

/* Wait (yielding, at most WAIT_NS) until the status moves past the
 * values given. */
static bool progress(volatile struct save_hyp_status *s, uint64_t counter, uint64_t ticks,
                     uint64_t checks)
{
    uint64_t end = xtf_now() + WAIT_NS;

    while ( xtf_now() < end )
    {
        if ( s->counter > counter && s->ticks > ticks + 2 && s->checks > checks + 2 )
            return true;
        hypercall_yield();
    }
    return false;
}

/* getpageframeinfo3 over [0, SCAN_END) of d1: the types it must have. */
static bool scan_types(uint64_t ram_end_gfn)
{
    static xen_pfn_t big[1025];
    unsigned long ram = 0;

    for ( uint64_t g = 0; g < SCAN_END; g++ )
        types[g] = g;
    for ( uint64_t g = 0; g < SCAN_END; g += 1024 )
        if ( pfinfo(OLD, types + g, 1024) )
            return xtf_failure("getpageframeinfo3 at gfn %#lx failed", (unsigned long)g), false;
    if ( pfinfo(OLD, big, ARRAY_SIZE(big)) != -XEN_E2BIG )
        xtf_failure("getpageframeinfo3 of 1025 entries was not -E2BIG");
    for ( uint64_t g = 0; g < SCAN_END; g++ )
    {
        uint32_t t = types[g] & XEN_DOMCTL_PFINFO_LTAB_MASK;

        if ( (types[g] & ~(xen_pfn_t)XEN_DOMCTL_PFINFO_LTAB_MASK) != g )
            return xtf_failure("entry %#lx lost its gfn", (unsigned long)g), false;
        if ( g == SAVE_HYP_BROKEN_GFN && t != XEN_DOMCTL_PFINFO_BROKEN )
            return xtf_failure("broken gfn reads type %#x", t), false;
        if ( g >= ram_end_gfn && t != XEN_DOMCTL_PFINFO_XTAB )
            return xtf_failure("gfn %#lx past RAM reads %#x", (unsigned long)g, t), false;
        if ( g >= SAVE_HYP_PATTERN_GFN && g < SAVE_HYP_PATTERN_GFN + SAVE_HYP_PATTERN_NR &&
             t != XEN_DOMCTL_PFINFO_NOTAB )
            return xtf_failure("pattern gfn %#lx reads %#x", (unsigned long)g, t), false;
        ram += t == XEN_DOMCTL_PFINFO_NOTAB;
    }
    printf("getpageframeinfo3: %lu RAM frames below %#lx\n", ram, (unsigned long)ram_end_gfn);
    return true;
}

static bool copy_memory(domid_t to)
{
    for ( uint64_t g = 0; g < SCAN_END; g++ )
    {
        uint32_t t = types[g] & XEN_DOMCTL_PFINFO_LTAB_MASK;
        long rc = 0;

        if ( t == XEN_DOMCTL_PFINFO_BROKEN )
            rc = domctl_pfn(XEN_DOMCTL_set_broken_page_p2m, to, g);
        else if ( t == XEN_DOMCTL_PFINFO_NOTAB )
            rc = xtf_populate(to, g, 0, 1) == 1
                     ? xtf_move_copy_frame(OLD, to, g, LOCAL_FROM, LOCAL_TO)
                     : -XEN_ENOMEM;
        if ( rc )
            return xtf_failure("gfn %#lx (type %#x): %ld", (unsigned long)g, t, rc), false;
    }
    return true;
}

static bool save_old(void)
{
    long rc = xtf_move_save(OLD, &st);

    if ( rc )
        return xtf_failure("saving d%u: %ld", OLD, rc), false;
    printf("saved: context %u bytes, TSC %u kHz at %lu ns, incarnation %u\n", st.ctx_size,
           st.tsc.gtsc_khz, (unsigned long)st.tsc.elapsed_nsec, st.tsc.incarnation);
    return st.ctx_size == XTF_HVM_CTX_SAVED(1) ||
           (xtf_failure("context of %u bytes", st.ctx_size), false);
}

/* A context whose LAPIC record is bad changes nothing. */
static bool bad_context_refused(domid_t to)
{
    static uint8_t bad[CTX_MAX];
    struct hvm_hw_lapic *l;
    uint32_t size = 0;
    long rc;

    memcpy(bad, st.ctx, st.ctx_size);
    l = (void *)xtf_hvm_find_record(bad, st.ctx_size, HVM_SAVE_CODE(LAPIC));
    if ( !l )
        return xtf_failure("no LAPIC record in the context"), false;
    l->timer_divisor = 3;
    rc = xtf_sethvmcontext(to, bad, st.ctx_size);
    if ( rc != -XEN_EINVAL )
        return xtf_failure("bad LAPIC record: rc %ld, expected -EINVAL", rc), false;
    rc = xtf_gethvmcontext(to, NULL, &size);
    if ( rc || size != 2 * 8 + HVM_SAVE_LENGTH_HEADER )
        return xtf_failure("after the refusal: rc %ld, size %u (a vCPU came up)", rc, size), false;
    return true;
}

static bool restore_new(domid_t to)
{
    long rc = xtf_move_set_params(to, &st);

    if ( rc )
        return xtf_failure("setting params: %ld", rc), false;
    if ( (rc = xtf_tscinfo(XEN_DOMCTL_settscinfo, to, &st.tsc)) )
        return xtf_failure("settscinfo: %ld", rc), false;
    if ( !bad_context_refused(to) )
        return false;
    if ( (rc = xtf_sethvmcontext(to, st.ctx, st.ctx_size)) )
        return xtf_failure("sethvmcontext: %ld", rc), false;
    return true;
}

static bool move(domid_t *to)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    long rc = xtf_createdomain(0, &c, to);

    if ( rc )
        return xtf_failure("createdomain: %ld", rc), false;
    if ( (rc = xtf_set_max_mem(*to, 64 * 1024)) || (rc = xtf_set_paging_pool(*to, 4UL << 20)) )
        return xtf_failure("sizing d%u: %ld", *to, rc), false;
    if ( !copy_memory(*to) || !restore_new(*to) )
        return false;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, OLD)) )
        return xtf_failure("destroying d%u: %ld", OLD, rc), false;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_unpausedomain, *to)) )
        return xtf_failure("unpausing d%u: %ld", *to, rc), false;
    printf("d%u moved to d%u and unpaused\n", OLD, *to);
    return true;
}

/* The new domain's context still has the singleshot the guest armed. */
static void timers_carried(domid_t to, uint64_t sshot_at)
{
    static uint8_t now[CTX_MAX];
    uint32_t size = sizeof(now);
    const struct hvm_wren_vcpu_timers *t;

    if ( xtf_gethvmcontext(to, now, &size) ||
         !(t = (const void *)xtf_hvm_find_record(now, size, HVM_SAVE_CODE(WREN_VCPU_TIMERS))) )
        return xtf_failure("no timers record in the new domain's context");
    if ( t->singleshot != sshot_at )
        xtf_failure("singleshot deadline %#lx after the move, armed for %#lx",
                    (unsigned long)t->singleshot, (unsigned long)sshot_at);
}

static void check_after(volatile struct save_hyp_status *s, uint64_t counter, uint64_t ticks,
                        uint64_t checks)
{
    if ( !progress(s, counter, ticks, checks) )
        return xtf_failure("after the move: counter %lu (saved %lu), ticks %lu (saved %lu), "
                           "checks %lu (saved %lu)",
                           (unsigned long)s->counter, (unsigned long)counter,
                           (unsigned long)s->ticks, (unsigned long)ticks, (unsigned long)s->checks,
                           (unsigned long)checks);
    printf("after the move: counter %lu -> %lu, ticks %lu -> %lu\n", (unsigned long)counter,
           (unsigned long)s->counter, (unsigned long)ticks, (unsigned long)s->ticks);
    if ( s->tsc_back )
        xtf_failure("the guest saw its TSC go backwards %lu times", (unsigned long)s->tsc_back);
    if ( s->pattern_bad )
        xtf_failure("%lu pattern words changed", (unsigned long)s->pattern_bad);
    if ( s->state_bad )
        xtf_failure("%lu checks found LSTAR, KERNEL_GS_BASE, FS base, XMM5, PAT, MTRR 0%s changed",
                    (unsigned long)s->state_bad, s->avx ? ", XCR0 or YMM7" : "");
    if ( s->broken_type != HVMMEM_broken )
        xtf_failure("the guest reads the broken frame as type %lu (rc %ld)",
                    (unsigned long)s->broken_type, (long)s->mem_type_rc);
}

void test_main(void)
{
    volatile struct save_hyp_status *s =
        xtf_map_status(OLD, SAVE_HYP_STATUS_GFN, LOCAL_STATUS, SAVE_HYP_MAGIC);
    uint64_t counter, ticks, checks, sshot_at;
    domid_t to;

    if ( !s )
        return xtf_error("d%u never published its status", OLD);
    if ( domctl_pfn(XEN_DOMCTL_set_broken_page_p2m, OLD, SAVE_HYP_BROKEN_GFN) )
        return xtf_failure("set_broken_page_p2m on d%u", OLD);
    if ( !progress(s, s->counter, s->ticks, s->checks) )
        return xtf_failure("d%u does not count or tick before the move", OLD);
    if ( s->state_bad )
        return xtf_failure("d%u loses its own MSRs, XMM5 or YMM7 before the move", OLD);
    printf("d%u keeps AVX state (XCR0, YMM7): %s\n", OLD, s->avx ? "yes" : "no AVX offered");
    if ( s->broken_type != HVMMEM_broken )
        return xtf_failure("d%u reads its broken frame as type %lu", OLD,
                           (unsigned long)s->broken_type);
    if ( !scan_types(s->ram_end >> PAGE_SHIFT) || !save_old() )
        return;
    counter = s->counter;
    ticks = s->ticks;
    checks = s->checks;
    sshot_at = s->sshot_at;
    if ( !move(&to) )
        return;
    if ( !(s = xtf_map_status(to, SAVE_HYP_STATUS_GFN, LOCAL_STATUS, SAVE_HYP_MAGIC)) )
        return xtf_failure("d%u's status page is not there", to);
    check_after(s, counter, ticks, checks);
    timers_carried(to, sshot_at);
    xtf_success(NULL);
}
