/*
 * tsc-move - a running domU moved by hand to a new domain on the same
 * host, with an X86_TSC_INFO doctored as if the new host's TSC ran 25 %
 * faster and it had booted long before: the rate 5/4 of the old one and
 * the elapsed time TSC_MOVE_AHEAD_NS ahead. Before Wren's per-domain
 * time, settscinfo refused both.
 *
 * dom0 waits until d1 (tsc-move-target) has measured its TSC rate and
 * taken TSC-deadline interrupts, pauses it, takes its HVM context, TSC
 * info and params, creates a new domain, copies its RAM through foreign
 * mappings, offers it nonsense TSC infos (padding, mode always-emulate
 * and 3, rates 0, 999 kHz, 17 times and a 17th of the host's, 2^63 ns
 * elapsed: each refused, its rate still the host's), sets the doctored
 * TSC info, the context and the params, maps
 * the new domain's shared_info where the guest had its own, bumps the
 * status page's generation, destroys d1 and unpauses the new domain.
 * Then: settscinfo of the running domain is -EBUSY; gettscinfo reports
 * the new rate and a clock at or past the doctored time; the guest's TSC and pvclock never went backwards; its
 * clock carries on from the doctored time and runs at dom0's pace (to
 * 5 %); its TSC carried on from the saved value (it moved at most
 * TSC_MOVE_STEP_MS' worth between the guest's last read before the move
 * and its first after); its TSC measured against its pvclock runs at the new rate, as
 * CPUID's time leaf says it (to 1 %); its TSC-deadline interrupts keep
 * coming and never early; its VCPUOP singleshot deadline is still in its
 * context (to 1 ms, in the guest's own time).
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/move.h>
#include <xtf/p2m.h>
#include <xtf/tsc-move.h>
#include <xtf/time.h>
#include <xtf/evtchn.h>
#include <public/memory.h>
#include <public/hvm/params.h>

const char test_title[] = "a running domU moved to a domain with another TSC rate, clock ahead";

#define OLD          1
#define LOCAL_STATUS 0x7f100UL /* our frames for foreign mappings */
#define LOCAL_FROM   0x7f101UL
#define LOCAL_TO     0x7f102UL
#define CTX_MAX      XTF_HVM_CTX_SAVED_MAX(1)
#define WAIT_NS      30000000000ULL /* 30 s of system time: Bochs is slow */
#define PACE_NS      500000000ULL   /* dom0's time over which the pace is taken */

static uint8_t ctx_buf[CTX_MAX];
static struct xtf_move_state st = { .ctx = ctx_buf, .ctx_max = CTX_MAX };
static xen_pfn_t types[1024];
static uint32_t host_khz; /* d1's rate: a new domain's on this host */

/* Wait (yielding, at most WAIT_NS) until the guest made more than two
 * rate measurements and took more than three interrupts since these. */
static bool progress(volatile struct tsc_move_status *s, uint64_t windows, uint64_t fires)
{
    uint64_t end = xtf_now() + WAIT_NS;

    while ( xtf_now() < end )
    {
        if ( s->windows > windows + 2 && s->fires > fires + 3 )
            return true;
        hypercall_yield();
    }
    return false;
}

/* Every RAM frame of d1 below ram_end, 1024 at a time. */
static bool copy_memory(domid_t to, uint64_t ram_end_gfn)
{
    for ( uint64_t base = 0; base < ram_end_gfn; base += ARRAY_SIZE(types) )
    {
        struct xen_domctl op = { .cmd = XEN_DOMCTL_getpageframeinfo3, .domain = OLD };

        for ( unsigned int i = 0; i < ARRAY_SIZE(types); i++ )
            types[i] = base + i;
        op.u.getpageframeinfo3.num = ARRAY_SIZE(types);
        set_xen_guest_handle(op.u.getpageframeinfo3.array, types);
        if ( hypercall_domctl(&op) )
            return xtf_failure("getpageframeinfo3 at %#lx", (unsigned long)base), false;
        for ( unsigned int i = 0; i < ARRAY_SIZE(types) && base + i < ram_end_gfn; i++ )
        {
            long rc = 0;

            if ( (types[i] & XEN_DOMCTL_PFINFO_LTAB_MASK) == XEN_DOMCTL_PFINFO_NOTAB )
                rc = xtf_populate(to, base + i, 0, 1) == 1
                         ? xtf_move_copy_frame(OLD, to, base + i, LOCAL_FROM, LOCAL_TO)
                         : -XEN_ENOMEM;
            if ( rc )
                return xtf_failure("gfn %#lx: %ld", (unsigned long)(base + i), rc), false;
        }
    }
    return true;
}

static bool save_old(void)
{
    long rc = xtf_move_save(OLD, &st);

    if ( rc )
        return xtf_failure("saving d%u: %ld", OLD, rc), false;
    printf("saved: TSC %u kHz at %lu ns\n", st.tsc.gtsc_khz, (unsigned long)st.tsc.elapsed_nsec);
    host_khz = st.tsc.gtsc_khz;
    return true;
}

/* The stream a host 25 % faster and booted TSC_MOVE_AHEAD_NS earlier
 * would carry. */
static void doctor(void)
{
    st.tsc.gtsc_khz = st.tsc.gtsc_khz / 4 * 5;
    st.tsc.elapsed_nsec += TSC_MOVE_AHEAD_NS;
    printf("doctored: TSC %u kHz at %lu ns\n", st.tsc.gtsc_khz, (unsigned long)st.tsc.elapsed_nsec);
}

/* One settscinfo of t that must be refused with want. */
static bool refused(domid_t to, struct xen_domctl_tsc_info t, long want, const char *what)
{
    long rc = xtf_tscinfo(XEN_DOMCTL_settscinfo, to, &t);

    if ( rc != want )
        return xtf_failure("settscinfo with %s: rc %ld, expected %ld", what, rc, want), false;
    return true;
}

/* Nonsense is refused before anything changes: the new domain's rate
 * is still the host's afterwards. */
static bool refusals(domid_t to)
{
    struct xen_domctl_tsc_info t = st.tsc, after = { 0 };
    bool ok = true;

    t.pad = 1;
    ok &= refused(to, t, -XEN_EINVAL, "padding");
    t = st.tsc;
    t.tsc_mode = XEN_TSC_MODE_ALWAYS_EMULATE;
    ok &= refused(to, t, -XEN_EOPNOTSUPP, "mode always-emulate");
    t.tsc_mode = 3;
    ok &= refused(to, t, -XEN_EINVAL, "mode 3");
    t = st.tsc;
    t.gtsc_khz = 0;
    ok &= refused(to, t, -XEN_EINVAL, "rate 0");
    t.gtsc_khz = 999;
    ok &= refused(to, t, -XEN_EINVAL, "rate 999 kHz");
    t.gtsc_khz = host_khz * 17;
    ok &= refused(to, t, -XEN_EINVAL, "17 times the rate");
    t.gtsc_khz = host_khz / 17;
    ok &= refused(to, t, -XEN_EINVAL, "a 17th of the rate");
    t = st.tsc;
    t.elapsed_nsec = 1ULL << 63;
    ok &= refused(to, t, -XEN_EINVAL, "2^63 ns elapsed");
    if ( ok && (xtf_tscinfo(XEN_DOMCTL_gettscinfo, to, &after) || after.gtsc_khz != host_khz) )
        return xtf_failure("after the refusals d%u runs at %u kHz", to, after.gtsc_khz), false;
    return ok;
}

static bool restore_new(domid_t to, uint64_t shinfo_gfn)
{
    struct xen_add_to_physmap x = { .domid = to,
                                    .space = XENMAPSPACE_shared_info,
                                    .gpfn = shinfo_gfn };
    long rc = xtf_move_set_params(to, &st);

    if ( !rc && !refusals(to) )
        return false;
    if ( !rc && (rc = xtf_tscinfo(XEN_DOMCTL_settscinfo, to, &st.tsc)) )
        return xtf_failure("settscinfo of the doctored info: %ld", rc), false;
    if ( !rc && (rc = xtf_sethvmcontext(to, st.ctx, st.ctx_size)) )
        return xtf_failure("sethvmcontext: %ld", rc), false;
    if ( !rc && (rc = hypercall_memory_op(XENMEM_add_to_physmap, &x)) )
        return xtf_failure("mapping d%u's shared_info: %ld", to, rc), false;
    return !rc || (xtf_failure("setting params: %ld", rc), false);
}

static bool move(domid_t *to, volatile struct tsc_move_status *s)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    uint64_t shinfo_gfn = s->shinfo_gfn, ram_end = s->ram_end;
    long rc = xtf_createdomain(0, &c, to);

    if ( rc )
        return xtf_failure("createdomain: %ld", rc), false;
    if ( (rc = xtf_set_max_mem(*to, 64 * 1024)) || (rc = xtf_set_paging_pool(*to, 4UL << 20)) )
        return xtf_failure("sizing d%u: %ld", *to, rc), false;
    doctor();
    if ( !copy_memory(*to, ram_end >> PAGE_SHIFT) || !restore_new(*to, shinfo_gfn) )
        return false;
    if ( !(s = xtf_map_status(*to, TSC_MOVE_STATUS_GFN, LOCAL_STATUS, TSC_MOVE_MAGIC)) )
        return xtf_failure("d%u's status page is not there", *to), false;
    s->generation++;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, OLD)) )
        return xtf_failure("destroying d%u: %ld", OLD, rc), false;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_unpausedomain, *to)) )
        return xtf_failure("unpausing d%u: %ld", *to, rc), false;
    printf("d%u moved to d%u and unpaused\n", OLD, *to);
    return true;
}

/* gettscinfo of the new domain: its own rate and clock. */
static void info_after(domid_t to)
{
    struct xen_domctl_tsc_info now = { 0 };
    long rc = xtf_tscinfo(XEN_DOMCTL_gettscinfo, to, &now);

    if ( rc )
        return xtf_failure("gettscinfo of d%u: %ld", to, rc);
    rc = xtf_tscinfo(XEN_DOMCTL_settscinfo, to, &now);
    if ( rc != -XEN_EBUSY )
        xtf_failure("settscinfo of the running d%u: rc %ld, expected -EBUSY", to, rc);
    if ( now.gtsc_khz != st.tsc.gtsc_khz )
        xtf_failure("gettscinfo: %u kHz, set %u", now.gtsc_khz, st.tsc.gtsc_khz);
    if ( now.elapsed_nsec < st.tsc.elapsed_nsec )
        xtf_failure("gettscinfo: clock %lu ns, before the %lu set", (unsigned long)now.elapsed_nsec,
                    (unsigned long)st.tsc.elapsed_nsec);
}

/* The singleshot the guest armed, in its own time, to 1 ms. */
static void sshot_carried(domid_t to, uint64_t armed)
{
    static uint8_t now[CTX_MAX];
    uint32_t size = sizeof(now);
    const struct hvm_wren_vcpu_timers *t;
    uint64_t off;

    if ( xtf_gethvmcontext(to, now, &size) ||
         !(t = (const void *)xtf_hvm_find_record(now, size, HVM_SAVE_CODE(WREN_VCPU_TIMERS))) )
        return xtf_failure("no timers record in the new domain's context");
    off = t->singleshot > armed ? t->singleshot - armed : armed - t->singleshot;
    if ( off > 1000000 )
        xtf_failure("singleshot deadline %#lx after the move, armed for %#lx",
                    (unsigned long)t->singleshot, (unsigned long)armed);
}

/* The guest's clock against dom0's over PACE_NS: the same pace, to 5 %. */
static void pace(volatile struct tsc_move_status *s)
{
    uint64_t g0 = s->last_ns, h0 = xtf_now(), g1, h1;

    while ( xtf_now() - h0 < PACE_NS )
        hypercall_yield();
    g1 = s->last_ns;
    h1 = xtf_now();
    printf("pace: guest %lu ns in dom0's %lu ns\n", (unsigned long)(g1 - g0),
           (unsigned long)(h1 - h0));
    if ( (g1 - g0) * 100 < (h1 - h0) * 95 || (g1 - g0) * 100 > (h1 - h0) * 105 )
        xtf_failure("the guest's clock ran %lu ns in dom0's %lu", (unsigned long)(g1 - g0),
                    (unsigned long)(h1 - h0));
}

static void check_after(volatile struct tsc_move_status *s, uint64_t windows, uint64_t fires)
{
    if ( !progress(s, windows, fires) )
        return xtf_failure("after the move: %lu rate windows (%lu before), %lu interrupts "
                           "(%lu before)",
                           (unsigned long)s->windows, (unsigned long)windows,
                           (unsigned long)s->fires, (unsigned long)fires);
    printf("after the move: TSC %lu kHz against its pvclock, CPUID says %lu; %lu interrupts, "
           "clock at %lu ns; TSC moved %lu ticks across the move\n",
           (unsigned long)s->rate_khz, (unsigned long)s->cpuid_khz, (unsigned long)s->fires,
           (unsigned long)s->last_ns, (unsigned long)s->move_step);
    if ( s->cpuid_khz != st.tsc.gtsc_khz )
        xtf_failure("CPUID's time leaf says %lu kHz, the domain's rate is %u",
                    (unsigned long)s->cpuid_khz, st.tsc.gtsc_khz);
    if ( s->rate_bad )
        xtf_failure("%lu rate windows more than 1 %% off CPUID's rate (last %lu kHz)",
                    (unsigned long)s->rate_bad, (unsigned long)s->rate_khz);
    if ( s->tsc_back || s->clock_back )
        xtf_failure("the guest saw its TSC go back %lu times, its pvclock %lu times",
                    (unsigned long)s->tsc_back, (unsigned long)s->clock_back);
    if ( s->early )
        xtf_failure("%lu TSC-deadline interrupts came early", (unsigned long)s->early);
    if ( s->move_step > st.tsc.gtsc_khz * TSC_MOVE_STEP_MS )
        xtf_failure("the guest's TSC moved %lu ticks across the move (at most %lu ms' worth)",
                    (unsigned long)s->move_step, (unsigned long)TSC_MOVE_STEP_MS);
    if ( s->last_ns < st.tsc.elapsed_nsec )
        xtf_failure("the guest's clock reads %lu ns, before the %lu it was given",
                    (unsigned long)s->last_ns, (unsigned long)st.tsc.elapsed_nsec);
    pace(s);
}

void test_main(void)
{
    volatile struct tsc_move_status *s =
        xtf_map_status(OLD, TSC_MOVE_STATUS_GFN, LOCAL_STATUS, TSC_MOVE_MAGIC);
    uint64_t windows, fires, sshot_at;
    domid_t to;

    if ( !s )
        return xtf_error("d%u never published its status", OLD);
    if ( !progress(s, s->windows, s->fires) )
        return xtf_failure("d%u does not measure or tick before the move", OLD);
    printf("before the move: TSC %lu kHz against its pvclock, CPUID says %lu\n",
           (unsigned long)s->rate_khz, (unsigned long)s->cpuid_khz);
    if ( s->rate_bad || s->tsc_back || s->clock_back || s->early )
        return xtf_failure("d%u before the move: rate %lu bad, TSC back %lu, clock back %lu, "
                           "early %lu",
                           OLD, (unsigned long)s->rate_bad, (unsigned long)s->tsc_back,
                           (unsigned long)s->clock_back, (unsigned long)s->early);
    if ( !save_old() )
        return;
    windows = s->windows;
    fires = s->fires;
    sshot_at = s->sshot_at;
    if ( !move(&to, s) )
        return;
    info_after(to);
    check_after(s, windows, fires);
    sshot_carried(to, sshot_at);
    xtf_success(NULL);
}
