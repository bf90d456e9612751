/*
 * p2m-global - lazy global type changes while the guest keeps running.
 *
 * dom0 controller; domain 1 runs p2m-target (16 MiB, 2 vCPUs). d1's
 * vCPU 1 writes and reads back 64 frames in a loop the whole time and
 * counts reads that do not return what it wrote; dom0 asks vCPU 0 (via
 * the mailbox) to read and write other frames. Checks:
 *  - WREN_P2M_BEGIN_GLOBAL ram_rw -> ram_logdirty (d1 paused around the
 *    begin only, to measure it): global_changes + 1, at most 512 p2m
 *    entries written, marks pending; LOOKUP already says ram_logdirty
 *    for frames nobody touched;
 *  - d1 keeps running: its writes fault as log-dirty writes, land, and
 *    make the frame ram_rw (each written frame counted exactly once);
 *    reads land and leave the frame ram_logdirty; vCPU 1 never reads
 *    back a wrong value;
 *  - WREN_P2M_FINISH leaves nothing pending and changes no type a lookup
 *    sees;
 *  - log-dirty off (ram_logdirty -> ram_rw, lazily): writes no longer
 *    fault;
 *  - a range made ram_ro drops d1's writes; a global ram_ro -> ram_rw
 *    begun while d1 runs makes it writable again;
 *  - with vCPU 1 writing one frame flat out, no write lands once
 *    set_mem_type(ram_ro) on it has returned (dom0 watches the frame
 *    through its own mapping): the flush waited for every vCPU;
 *  - WREN_P2M_AUDIT is clean after every phase.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <public/hvm/hvm_op.h>

const char test_title[] = "p2m: lazy global type changes under a running guest";

#define TARGET     1
#define MB_GFN     0x7f100UL
#define DATA_GFN   XTF_GFN(0x400) /* 4 MiB */
#define BG_GFN     XTF_GFN(0x400) /* vCPU 1's 64 frames */
#define BG_NR      64
#define RO_GFN     XTF_GFN(0x9f0) /* 32 frames over a 2M boundary */
#define RO_NR      32
#define NR_PROBE   16             /* frames vCPU 0 reads and writes */
#define RACE_GFN   XTF_GFN(0x440) /* vCPU 1's one frame at the end */
#define RACE_LOCAL 0x7f200UL      /* where we map it */
#define RACE_WAIT  2000           /* yields we watch it for */
#define OLD(g)     (0x0a1d000000000000ULL + (g))
#define NEW(g, n)  (0x0e30000000000000ULL + ((uint64_t)(n) << 32) + (g))

static xtf_mb_t *mb;
static uint64_t data_end;
static uint64_t probe[NR_PROBE]; /* spread over [0x600, data_end) */

static unsigned int type_of(uint64_t gfn)
{
    unsigned int t = ~0U;

    if ( xtf_p2m_lookup(TARGET, gfn, &t, NULL) )
        xtf_failure("LOOKUP %#lx failed", (unsigned long)gfn);
    return t;
}

static void expect_type(uint64_t gfn, unsigned int type, const char *phase)
{
    unsigned int t = type_of(gfn);

    if ( t != type )
        xtf_failure("%s: gfn %#lx is %s, expected %s", phase, (unsigned long)gfn,
                    xtf_p2m_type_name(t), xtf_p2m_type_name(type));
}

static void fault_counts(uint64_t *ro, uint64_t *ld)
{
    if ( xtf_p2m_fault_counts(TARGET, ro, ld) )
        xtf_failure("WREN_P2M_FAULT_COUNTS failed");
}

static bool pause_target(bool pause)
{
    long rc = xtf_domctl_simple(pause ? XEN_DOMCTL_pausedomain : XEN_DOMCTL_unpausedomain, TARGET);

    if ( rc )
        xtf_error("%spausedomain(d%u): %ld", pause ? "" : "un", TARGET, rc);
    return !rc;
}

/* d1 writes val[i] to gfn[i] (reads only if val is NULL). */
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

static unsigned int count_reads(const uint64_t *gfn, const uint64_t *want, unsigned int n,
                                const char *phase)
{
    unsigned int bad = 0;

    for ( unsigned int i = 0; i < n; i++ )
        if ( mb->out[i] != want[i] && !bad++ )
            xtf_failure("%s: d%u read %#lx from gfn %#lx, expected %#lx", phase, TARGET,
                        (unsigned long)mb->out[i], (unsigned long)gfn[i], (unsigned long)want[i]);
    return bad;
}

/* Let vCPU 1 complete 'more' whole passes; false if it is stuck. */
static bool bg_progress(uint64_t more, const char *phase)
{
    uint64_t start = mb->bg_passes;

    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( mb->bg_passes >= start + more )
            break;
        if ( !(i % 64) && xtf_mb_target_gone(mb, NULL) )
        {
            xtf_mb_report(mb, phase, -XEN_ESRCH);
            return false;
        }
        hypercall_yield();
    }
    if ( mb->bg_passes < start + more )
    {
        xtf_failure("%s: d%u vCPU 1 stuck at pass %lu", phase, TARGET,
                    (unsigned long)mb->bg_passes);
        return false;
    }
    if ( mb->bg_mismatches )
    {
        xtf_failure("%s: d%u vCPU 1 read back wrong values %lu times "
                    "(last at gfn %#lx)",
                    phase, TARGET, (unsigned long)mb->bg_mismatches, (unsigned long)mb->bg_bad_gfn);
        return false;
    }
    return true;
}

/* Begin old -> new with d1 paused around the begin alone, and check
 * that the begin itself wrote no more than one table's worth. */
static bool begin_measured(unsigned int old, unsigned int new, struct xen_domctl_wren_p2m *after)
{
    struct xen_domctl_wren_p2m s0;
    long rc;

    if ( !pause_target(true) )
        return false;
    if ( !xtf_p2m_stats(TARGET, &s0) )
        rc = -1;
    else if ( (rc = xtf_wren_p2m(TARGET, WREN_P2M_BEGIN_GLOBAL, old, new, 0, after)) )
        xtf_failure("BEGIN_GLOBAL %s -> %s: %ld", xtf_p2m_type_name(old), xtf_p2m_type_name(new),
                    rc);
    if ( !pause_target(false) || rc )
        return false;
    printf("Begin %s -> %s: %lu entries written, %lu marks pending, "
           "global changes %lu -> %lu\n",
           xtf_p2m_type_name(old), xtf_p2m_type_name(new),
           (unsigned long)(after->entries_written - s0.entries_written),
           (unsigned long)after->recalc_pending, (unsigned long)s0.global_changes,
           (unsigned long)after->global_changes);
    if ( after->global_changes != s0.global_changes + 1 )
        xtf_failure("begin %s -> %s: global_changes %lu -> %lu, expected +1",
                    xtf_p2m_type_name(old), xtf_p2m_type_name(new),
                    (unsigned long)s0.global_changes, (unsigned long)after->global_changes);
    if ( after->entries_written - s0.entries_written > 512 )
        xtf_failure("begin %s -> %s wrote %lu entries (at most 512)", xtf_p2m_type_name(old),
                    xtf_p2m_type_name(new),
                    (unsigned long)after->entries_written - (unsigned long)s0.entries_written);
    if ( !after->recalc_pending )
        xtf_failure("begin %s -> %s left nothing pending: not lazy", xtf_p2m_type_name(old),
                    xtf_p2m_type_name(new));
    return true;
}

static bool logdirty_on(void)
{
    struct xen_domctl_wren_p2m s;
    uint64_t val[NR_PROBE], old[NR_PROBE], ld0, ld1, ld2;
    long rc;

    fault_counts(NULL, &ld0);
    if ( !begin_measured(XTF_P2M_RAM_RW, XTF_P2M_RAM_LOGDIRTY, &s) )
        return false;
    for ( unsigned int i = 0; i < NR_PROBE; i++ )
        expect_type(probe[i], XTF_P2M_RAM_LOGDIRTY, "log-dirty begun");

    /* vCPU 1 keeps going: every frame of its range faults once. */
    if ( !bg_progress(2, "log-dirty on") )
        return false;
    fault_counts(NULL, &ld1);
    printf("vCPU 1 ran 2 passes under log-dirty: %lu log-dirty faults\n",
           (unsigned long)(ld1 - ld0));
    if ( ld1 - ld0 < BG_NR )
        xtf_failure("log-dirty on: %lu log-dirty faults for %u frames written",
                    (unsigned long)(ld1 - ld0), BG_NR);
    for ( unsigned int i = 0; i < BG_NR; i += 7 )
        expect_type(BG_GFN + i, XTF_P2M_RAM_RW, "written under log-dirty");

    /* Reads work and change nothing. */
    for ( unsigned int i = 0; i < NR_PROBE; i++ )
        old[i] = OLD(probe[i]);
    if ( !target_access(probe, NULL, NR_PROBE) )
        return false;
    count_reads(probe, old, NR_PROBE, "read under log-dirty");
    for ( unsigned int i = 0; i < NR_PROBE; i++ )
        expect_type(probe[i], XTF_P2M_RAM_LOGDIRTY, "read under log-dirty");

    /* Writes land, each counted once, and the frame becomes ram_rw. The
     * target's own pages are ram_rw by now: the read above and its idle
     * loop wrote them. */
    if ( (rc = xtf_mb_settle(mb)) )
    {
        xtf_mb_report(mb, "settle", rc);
        return false;
    }
    fault_counts(NULL, &ld1);
    for ( unsigned int i = 0; i < NR_PROBE; i++ )
        val[i] = NEW(probe[i], 1);
    if ( !target_access(probe, val, NR_PROBE) )
        return false;
    fault_counts(NULL, &ld2);
    printf("d%u wrote %u log-dirty frames: %lu log-dirty faults\n", TARGET, NR_PROBE,
           (unsigned long)(ld2 - ld1));
    count_reads(probe, val, NR_PROBE, "write under log-dirty");
    if ( ld2 - ld1 != NR_PROBE )
        xtf_failure("write under log-dirty: %lu faults for %u frames", (unsigned long)(ld2 - ld1),
                    NR_PROBE);
    for ( unsigned int i = 0; i < NR_PROBE; i++ )
        expect_type(probe[i], XTF_P2M_RAM_RW, "write under log-dirty");
    xtf_p2m_audit(TARGET, "log-dirty on");
    return true;
}

/* FINISH moves work, never changes what a lookup says. */
static bool finish(const char *phase)
{
    static unsigned int before[0x1000 / 16];
    struct xen_domctl_wren_p2m s;
    unsigned int n = 0, diff = 0;
    long rc;

    if ( !pause_target(true) )
        return false;
    for ( uint64_t g = XTF_GFN(0); g < data_end && n < ARRAY_SIZE(before); g += 16 )
        before[n++] = type_of(g);
    rc = xtf_wren_p2m(TARGET, WREN_P2M_FINISH, 0, 0, 0, &s);
    n = 0;
    for ( uint64_t g = XTF_GFN(0); g < data_end && n < ARRAY_SIZE(before); g += 16 )
        if ( type_of(g) != before[n++] && !diff++ )
            xtf_failure("%s: FINISH changed gfn %#lx from %s to %s", phase, (unsigned long)g,
                        xtf_p2m_type_name(before[n - 1]), xtf_p2m_type_name(type_of(g)));
    if ( !pause_target(false) )
        return false;
    printf("%s: FINISH rc %ld, %lu marks pending, %u of %u sampled types "
           "changed\n",
           phase, rc, (unsigned long)s.recalc_pending, diff, n);
    if ( rc || s.recalc_pending )
        xtf_failure("%s: FINISH rc %ld left %lu marks", phase, rc, (unsigned long)s.recalc_pending);
    xtf_p2m_audit(TARGET, phase);
    return !rc;
}

static bool logdirty_off(void)
{
    struct xen_domctl_wren_p2m s;
    uint64_t val[NR_PROBE], ld0, ld1;

    if ( !begin_measured(XTF_P2M_RAM_LOGDIRTY, XTF_P2M_RAM_RW, &s) )
        return false;
    for ( uint64_t g = DATA_GFN; g < data_end; g += 0x80 )
        expect_type(g, XTF_P2M_RAM_RW, "log-dirty off");
    if ( !bg_progress(2, "log-dirty off") )
        return false;
    fault_counts(NULL, &ld0);
    for ( unsigned int i = 0; i < NR_PROBE; i++ )
        val[i] = NEW(probe[i] + 1, 2);
    for ( unsigned int i = 0; i < NR_PROBE; i++ )
        probe[i]++; /* frames still ram_logdirty before */
    if ( !target_access(probe, val, NR_PROBE) )
        return false;
    fault_counts(NULL, &ld1);
    count_reads(probe, val, NR_PROBE, "write after log-dirty off");
    if ( ld1 != ld0 )
        xtf_failure("log-dirty off: %lu log-dirty faults after it ended",
                    (unsigned long)(ld1 - ld0));
    xtf_p2m_audit(TARGET, "log-dirty off");
    return true;
}

static bool ro_then_global_rw(void)
{
    struct xen_domctl_wren_p2m s;
    uint64_t g[RO_NR], val[RO_NR], old[RO_NR], ro0, ro1;
    long rc;

    for ( unsigned int i = 0; i < RO_NR; i++ )
    {
        g[i] = RO_GFN + i;
        old[i] = OLD(g[i]);
        val[i] = NEW(g[i], 3);
    }
    rc = xtf_dm_set_mem_type(TARGET, RO_GFN, RO_NR, HVMMEM_ram_ro);
    if ( rc )
    {
        xtf_failure("set_mem_type(%#lx, %u, ram_ro): %ld", RO_GFN, RO_NR, rc);
        return false;
    }
    for ( unsigned int i = 0; i < RO_NR; i++ )
        expect_type(g[i], XTF_P2M_RAM_RO, "range ro");
    fault_counts(&ro0, NULL);
    if ( !target_access(g, val, RO_NR) )
        return false;
    fault_counts(&ro1, NULL);
    count_reads(g, old, RO_NR, "write to ram_ro range");
    if ( ro1 - ro0 != RO_NR )
        xtf_failure("range ro: %lu writes dropped, expected %u", (unsigned long)(ro1 - ro0), RO_NR);
    xtf_p2m_audit(TARGET, "range ro");

    /* The global change begins with d1 running. */
    rc = xtf_wren_p2m(TARGET, WREN_P2M_BEGIN_GLOBAL, XTF_P2M_RAM_RO, XTF_P2M_RAM_RW, 0, &s);
    if ( rc )
    {
        xtf_failure("BEGIN_GLOBAL ram_ro -> ram_rw: %ld", rc);
        return false;
    }
    for ( unsigned int i = 0; i < RO_NR; i++ )
        expect_type(g[i], XTF_P2M_RAM_RW, "global ram_ro -> ram_rw");
    if ( !target_access(g, val, RO_NR) )
        return false;
    fault_counts(&ro0, NULL);
    count_reads(g, val, RO_NR, "write after global ram_ro -> ram_rw");
    if ( ro0 != ro1 )
        xtf_failure("global ram_ro -> ram_rw: %lu more writes dropped", (unsigned long)(ro0 - ro1));
    printf("Range ram_ro: %u writes dropped; after the global ram_ro -> "
           "ram_rw they land\n",
           RO_NR);
    xtf_p2m_audit(TARGET, "global ram_ro -> ram_rw");
    return bg_progress(2, "global ram_ro -> ram_rw");
}

/* Set vCPU 1 writing one frame only, as fast as it can. */
static bool bg_restart(uint64_t gfn, uint64_t nr)
{
    long rc = xtf_mb_call(mb, XTF_MB_BG_STOP, 0);

    mb->arg[0] = gfn;
    mb->arg[1] = nr;
    if ( rc < 0 || (rc = xtf_mb_call(mb, XTF_MB_BG_START, 0)) )
    {
        xtf_mb_report(mb, "restarting vCPU 1", rc);
        return false;
    }
    return true;
}

/*
 * Once set_mem_type(ram_ro) has returned, no write of the guest may land,
 * even from a vCPU that was writing the frame at that very moment: the
 * flush must not return before every vCPU has dropped the old
 * translation. We watch the frame through our own mapping of it.
 */
static bool ro_under_writer(void)
{
    volatile uint64_t *f = (volatile uint64_t *)(RACE_LOCAL << PAGE_SHIFT);
    uint64_t v1, v2, p1, ro0, ro1;
    long rc;

    if ( !bg_restart(RACE_GFN, 1) || !bg_progress(1000, "writer") )
        return false;
    if ( (rc = xtf_map_foreign(TARGET, RACE_GFN, RACE_LOCAL)) )
    {
        xtf_error("mapping d%u gfn %#lx: %ld", TARGET, RACE_GFN, rc);
        return false;
    }
    fault_counts(&ro0, NULL);
    rc = xtf_dm_set_mem_type(TARGET, RACE_GFN, 1, HVMMEM_ram_ro);
    v1 = *f;
    p1 = mb->bg_passes;
    for ( unsigned int i = 0; i < RACE_WAIT; i++ )
        hypercall_yield();
    v2 = *f;
    fault_counts(&ro1, NULL);
    printf("Writer vCPU: %lu more passes after set_mem_type(ram_ro), "
           "%lu writes dropped, frame %#lx -> %#lx\n",
           (unsigned long)(mb->bg_passes - p1), (unsigned long)(ro1 - ro0), (unsigned long)v1,
           (unsigned long)v2);
    if ( rc )
        xtf_failure("set_mem_type(%#lx, 1, ram_ro): %ld", RACE_GFN, rc);
    else if ( v2 != v1 )
        xtf_failure("d%u's write landed after set_mem_type(ram_ro) returned "
                    "(%#lx -> %#lx): a vCPU kept the old translation",
                    TARGET, (unsigned long)v1, (unsigned long)v2);
    else if ( mb->bg_passes == p1 )
        xtf_error("the writer did not run while we watched");
    else if ( ro1 == ro0 )
        xtf_failure("the writer's writes to ram_ro were not counted as "
                    "dropped");
    if ( !rc && (rc = xtf_dm_set_mem_type(TARGET, RACE_GFN, 1, HVMMEM_ram_rw)) )
        xtf_failure("set_mem_type(%#lx, 1, ram_rw): %ld", RACE_GFN, rc);
    xtf_unmap_local(RACE_LOCAL);
    xtf_p2m_audit(TARGET, "ro under a writer");
    return !rc;
}

static bool setup(void)
{
    struct xen_domctl_wren_p2m s;
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
    if ( data_end < XTF_GFN(0x1000) )
    {
        xtf_error("d%u has only %#lx bytes of RAM, this test wants 16M", TARGET,
                  (unsigned long)mb->ram_end);
        return false;
    }
    for ( unsigned int i = 0; i < NR_PROBE; i++ )
        probe[i] = XTF_GFN(0x600) + i * ((data_end - XTF_GFN(0x600)) / NR_PROBE) + 2 * i;
    mb->arg[0] = DATA_GFN;
    mb->arg[1] = data_end - DATA_GFN;
    mb->arg[2] = OLD(0);
    if ( (rc = xtf_mb_call(mb, XTF_MB_FILL, 0)) )
    {
        xtf_mb_report(mb, "fill", rc);
        return false;
    }
    mb->arg[0] = BG_GFN;
    mb->arg[1] = BG_NR;
    if ( (rc = xtf_mb_call(mb, XTF_MB_BG_START, 0)) )
    {
        xtf_mb_report(mb, "starting vCPU 1", rc);
        return false;
    }
    if ( !bg_progress(2, "start") || !xtf_p2m_stats(TARGET, &s) )
        return false;
    printf("d%u: %lu 4K, %lu 2M leaves, %lu marks pending; vCPU 1 writing "
           "[%#lx, %#lx)\n",
           TARGET, (unsigned long)s.entries_4k, (unsigned long)s.entries_2m,
           (unsigned long)s.recalc_pending, BG_GFN, BG_GFN + BG_NR);
    xtf_p2m_audit(TARGET, "start");
    return true;
}

void test_main(void)
{
    long passes;

    if ( !setup() )
        return;
    if ( logdirty_on() && finish("log-dirty on") && logdirty_off() && ro_then_global_rw() &&
         finish("end") )
    {
        passes = xtf_mb_call(mb, XTF_MB_BG_STOP, 0);
        if ( passes >= 0 )
            printf("vCPU 1: %ld passes, %lu wrong reads\n", passes,
                   (unsigned long)mb->bg_mismatches);
        if ( mb->bg_mismatches )
            xtf_failure("d%u vCPU 1 read back wrong values", TARGET);
        ro_under_writer();
    }
    xtf_mb_call(mb, XTF_MB_BG_STOP, 0);
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
    xtf_unmap_local(MB_GFN);
    xtf_success(NULL);
}
