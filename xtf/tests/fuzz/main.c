/*
 * fuzz - the hostile-guest fuzzer's controller and backend (dom0), and
 * the verdict.
 *
 * Domains: d1 runs tests/fuzz-hostile (the attacker, 2 vCPUs), d2
 * tests/fuzz-victim, d3 an idle twin of d1 (same kernel, memory and
 * vCPUs, "twin=1"), d4 a spacer (the idle kernel, which as a domU shuts
 * down at once but stays allocated): d1's and d3's small heap objects then
 * both have a neighbour allocated after them, so neither frees a heap page
 * the other keeps (without it the twin gave back one frame more on VMX).
 * The seed and the number of calls are d1's command
 * line (test.cfg), so the short slice `make test` runs and the 10^6-call
 * run of `make fuzz` (automation/fuzz-guest.sh) are one kernel.
 *
 * Sequence: map d1's and d2's status pages; destroy the twin, counting
 * the frames that come back (what an untouched domain like d1 holds
 * beyond its RAM); map FUZZ_BACKEND frames of d1 foreign, as a backend
 * would; start d1, and while it runs audit its p2m and watch the victim;
 * then destroy d1 with the mappings still held, unmap them, and count.
 *
 * Oracles, each of which fails the test:
 *  - no hypervisor panic or ASSERT (the runner judges the log);
 *  - d1's p2m audits clean during and after the run;
 *  - the victim's memory is intact (its shutdown reason and status page);
 *  - d1 reports no finding of its own (fuzz-hostile/main.c lists them);
 *  - after d1 is destroyed and unmapped, the free frames are back: the
 *    gain is d1's pages at destruction plus the twin's overhead, plus up
 *    to the backend frames d1 gave up while dom0 held them (those it
 *    replaced with shared_info it still counts); a smaller gain is a leak.
 * A crash of d1 itself is an allowed outcome: counted and reported, not
 * a failure (the run then has fewer calls).
 *
 * Known-bug oracles (K*), which fail the run only when d1 has strict=1:
 *  K1 a frame freed while dom0 still maps it (seen during the run as an
 *     allocator header through dom0's mapping, or at destroy);
 *  K2 more frames back than d1 was charged for: p2m tables not charged.
 * Both, and K3/K4 below, were bugs of the tree this fuzzer was written
 * on; main fixed them (frame references, per-domain p2m pools), and the
 * slice in test.cfg now runs strict=1.
 * Exclusion still in the slice: special=0, so destructive calls never aim
 * at shared_info or the console ring (K3: a decrease of those gfns used
 * to unmap them and then fail). With special=1 the frame count came back
 * one frame short in two of three slice runs on the merged tree: not yet
 * explained, so the slice leaves it out until it is. (K4, a decrease that
 * unmapped and then failed -ENOMEM on a full extent table, is reported by
 * d1's own oracle and needs no exclusion.)
 *
 * May not touch: domains other than d1..d3; d2's memory (it only reads
 * d2's status page, and writes only its 'stop'); d1's memory beyond the
 * status page's 'go' (the backend mappings are only read).
 */
#include <xtf.h>
#include <xtf/fuzz.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>

const char test_title[] = "fuzz: hostile guest, victim, backend";

#define HOSTILE      1
#define VICTIM       2
#define TWIN         3
#define LOCAL_GFN    0x7e000UL /* a hole of dom0's (x86: above its RAM; arm64: below) */
#define FUZZ_BACKEND 16
#define FREEBLK      0x46524545424c4bULL /* page_alloc.c's free-block magic */

static volatile struct fuzz_hostile_status *hs;
static volatile struct fuzz_victim_status *vs;
static uint64_t backend_gfn[FUZZ_BACKEND];
static unsigned int nr_backend, audits, audit_failures, victim_alarms;
static bool strict, hostile_crashed;
static unsigned int freed_during_run;

static volatile void *local(unsigned int i)
{
    return (volatile void *)((LOCAL_GFN + i) << PAGE_SHIFT);
}

static bool gone(domid_t d, unsigned int *reason)
{
    struct xen_domctl_getdomaininfo info;

    if ( xtf_getdomaininfo(d, &info) )
        return true;
    *reason = XEN_DOMINF_SHUTDOWN_REASON(info.flags);
    return info.flags & XEN_DOMINF_shutdown;
}

/* Map d's status page at local slot i and wait for magic. */
static volatile void *attach(domid_t d, uint64_t gpa, unsigned int i, uint64_t magic)
{
    volatile uint64_t *p = local(i);
    unsigned int reason = ~0U;
    long rc = xtf_map_foreign(d, gpa >> PAGE_SHIFT, LOCAL_GFN + i);

    if ( rc )
    {
        xtf_error("mapping d%u's status page: %ld", d, rc);
        return NULL;
    }
    for ( unsigned long n = 0; n < XTF_POLL_LIMIT; n++ )
    {
        if ( *p == magic )
            return p;
        if ( !(n % 64) && gone(d, &reason) )
            break;
        hypercall_yield();
    }
    xtf_error("d%u never published its status page", d);
    return NULL;
}

static void print_call(const char *why, const volatile struct fuzz_call *c)
{
    printf("  %s: seed %lu call #%lu %s args %#lx %#lx %#lx %#lx rc %ld\n", why,
           (unsigned long)hs->seed, (unsigned long)c->index, fuzz_kind_name(c->kind),
           (unsigned long)c->arg[0], (unsigned long)c->arg[1], (unsigned long)c->arg[2],
           (unsigned long)c->arg[3], (long)c->rc);
}

static void print_recent(void)
{
    uint64_t done = hs->calls_done;

    for ( uint64_t i = done > FUZZ_RING ? done - FUZZ_RING : 0; i < done; i++ )
        print_call("recent", &hs->ring[i % FUZZ_RING]);
}

/* Frames an untouched copy of d1 gives back beyond its RAM pages. */
static long twin_overhead(void)
{
    struct xen_domctl_getdomaininfo info;
    uint64_t before, after;
    long rc;

    if ( xtf_getdomaininfo(TWIN, &info) )
        return -1;
    before = xtf_free_pages();
    rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, TWIN);
    after = xtf_free_pages();
    if ( rc )
        return -1;
    printf("twin d%u: %lu RAM pages, %lu frames back: overhead %ld\n", TWIN,
           (unsigned long)info.tot_pages, (unsigned long)(after - before),
           (long)(after - before - info.tot_pages));
    return (long)(after - before - info.tot_pages);
}

static void map_backend(void)
{
    uint64_t r = hs->seed ^ 0xbacce5dULL, end = hs->ram_end >> PAGE_SHIFT;

    for ( unsigned int i = 0; i < FUZZ_BACKEND; i++ )
    {
        uint64_t g = i < FUZZ_BACKEND / 2
                         ? FUZZ_CHURN_B_GFN + fuzz_below(&r, FUZZ_CHURN_NR)
                         : FUZZ_BACKEND_GFN + fuzz_below(&r, end - FUZZ_BACKEND_GFN);
        long rc = xtf_map_foreign(HOSTILE, g, LOCAL_GFN + 0x100 + nr_backend);

        if ( rc )
            printf("backend: mapping d%u gfn %#lx: %ld\n", HOSTILE, (unsigned long)g, rc);
        else
            backend_gfn[nr_backend++] = g;
    }
    printf("backend: %u frames of d%u mapped\n", nr_backend, HOSTILE);
}

/* Backend frames that read as a free block of the page allocator. */
static unsigned int backend_freed(void)
{
    unsigned int n = 0;

    for ( unsigned int i = 0; i < nr_backend; i++ )
        n += *(volatile uint64_t *)local(0x100 + i) == FREEBLK;
    return n;
}

static void audit(const char *phase)
{
    struct xen_domctl_wren_p2m s;
    long rc = xtf_wren_p2m(HOSTILE, WREN_P2M_AUDIT, 0, 0, 0, &s);

    audits++;
    if ( rc == -XEN_ESRCH )
        return;
    if ( rc || s.audit_rc )
    {
        if ( !audit_failures++ )
        {
            xtf_failure("d%u p2m audit %s: rc %ld, audit_rc %d", HOSTILE, phase, rc, s.audit_rc);
            print_recent();
        }
    }
}

static void watch_victim(void)
{
    if ( vs->mismatches && !victim_alarms++ )
    {
        xtf_failure("victim d%u: %lu words corrupted (gfn %#lx reads %#lx) during the run", VICTIM,
                    (unsigned long)vs->mismatches, (unsigned long)vs->bad_gfn,
                    (unsigned long)vs->bad_val);
        print_recent();
    }
}

/* Run d1 until it is done or gone, auditing as it goes. */
static void run_hostile(void)
{
    uint64_t next_report = 100000, polls = 0;
    unsigned int reason = ~0U;

    hs->go = 1;
    while ( hs->state != FUZZ_DONE )
    {
        if ( !(++polls % 8) )
        {
            if ( gone(HOSTILE, &reason) )
            {
                hostile_crashed = true;
                printf("d%u shut down (%s) during call #%lu of seed %lu: an allowed outcome\n",
                       HOSTILE, xtf_shutdown_name(reason), (unsigned long)hs->calls_done,
                       (unsigned long)hs->seed);
                print_recent();
                return;
            }
            audit("during the run");
            watch_victim();
            freed_during_run = MAX(freed_during_run, backend_freed());
        }
        if ( hs->calls_done >= next_report )
        {
            printf("... %lu calls\n", (unsigned long)hs->calls_done);
            next_report += 100000;
        }
        hypercall_yield();
    }
}

static void known(const char *fmt, unsigned long a, unsigned long b)
{
    if ( strict )
        xtf_failure(fmt, a, b);
    else
    {
        printf("KNOWN (excluded): ");
        printf(fmt, a, b);
        printf("\n");
    }
}

static void report_hostile(void)
{
    uint64_t calls = hs->calls_done, tsc = hs->tsc_end - hs->tsc_start;

    printf("fuzz: seed %lu, %lu calls (%lu ok, %lu refused), %lu churn ops by vCPU 1 "
           "(%lu populated, %lu checked), %lu audits\n",
           (unsigned long)hs->seed, (unsigned long)calls, (unsigned long)hs->rc_ok,
           (unsigned long)hs->rc_err, (unsigned long)hs->churn_ops,
           (unsigned long)hs->churn_populated, (unsigned long)hs->churn_checked,
           (unsigned long)audits);
    if ( calls && !hostile_crashed )
        printf("fuzz: %lu TSC ticks per call\n", (unsigned long)(tsc / calls));
    for ( unsigned int k = 0; k < FUZZ_KINDS; k++ )
        if ( hs->per_kind[k] )
            printf("  %-22s %lu calls\n", fuzz_kind_name(k), (unsigned long)hs->per_kind[k]);
    if ( freed_during_run )
        known("K1: %lu of the %lu frames dom0 maps read as free allocator blocks while d1 ran",
              freed_during_run, nr_backend);
    for ( unsigned int i = 0; i < FUZZ_ORACLES && hs->findings[i].count; i++ )
    {
        xtf_failure("d%u: %lu x %s", HOSTILE, (unsigned long)hs->findings[i].count,
                    (const char *)hs->findings[i].text);
        print_call("first", &hs->findings[i].call);
    }
}

/*
 * Backend frames d1 no longer has (it decreased or replaced them while
 * dom0 mapped them): dom0's mapping is then the only holder, and the
 * frame comes back when dom0 unmaps it, beyond d1's own pages. Told by
 * mapping the gfn afresh and writing a tag through the fresh mapping: an
 * orphan does not see it. d1 has finished its calls (or crashed), so
 * nobody else writes these frames now.
 */
static unsigned int backend_orphans(void)
{
    volatile uint64_t *probe = local(2);
    unsigned int n = 0;

    for ( unsigned int i = 0; i < nr_backend; i++ )
    {
        volatile uint64_t *old = local(0x100 + i);
        uint64_t tag = 0x6e616870726f0000ULL | i, save;

        if ( xtf_map_foreign(HOSTILE, backend_gfn[i], LOCAL_GFN + 2) )
        {
            n++; /* a hole in d1 now */
            continue;
        }
        save = *probe;
        *probe = tag;
        n += *old != tag;
        *probe = save;
        xtf_unmap_local(LOCAL_GFN + 2);
    }
    return n;
}

/* Destroy d1 with the backend still mapped, unmap, and count frames. */
static void destroy_and_count(long overhead)
{
    struct xen_domctl_getdomaininfo info;
    uint64_t before, mid, after, tot;
    long expect, gain_mid, gain;
    unsigned int orphans;

    if ( xtf_getdomaininfo(HOSTILE, &info) )
    {
        xtf_error("d%u vanished before it was destroyed", HOSTILE);
        return;
    }
    tot = info.tot_pages;
    orphans = backend_orphans();
    before = xtf_free_pages();
    if ( xtf_domctl_simple(XEN_DOMCTL_destroydomain, HOSTILE) )
    {
        xtf_error("destroying d%u failed", HOSTILE);
        return;
    }
    mid = xtf_free_pages();
    if ( backend_freed() )
        known(
            "K1: %lu of %lu frames dom0 maps were freed under it (allocator headers read through them)",
            backend_freed(), nr_backend);
    for ( unsigned int i = 0; i < nr_backend; i++ )
        xtf_unmap_local(LOCAL_GFN + 0x100 + i);
    after = xtf_free_pages();
    expect = (long)tot + overhead; /* + up to 'orphans', which d1 may still count */
    gain_mid = (long)(mid - before);
    gain = (long)(after - before);
    printf("frames: d%u held %lu RAM pages, dom0 alone %u; back %ld at destroy, %ld after "
           "unmapping; expected %ld\n",
           HOSTILE, (unsigned long)tot, orphans, gain_mid, gain, expect);
    if ( gain_mid > expect + (long)orphans - (long)nr_backend )
        known("K1: %lu frames came back at destroy while dom0 still mapped them (%lu mapped)",
              (unsigned long)(gain_mid - (expect + (long)orphans - (long)nr_backend)), nr_backend);
    if ( gain < expect )
        xtf_failure("leak: %ld frames did not come back after d%u was destroyed", expect - gain,
                    HOSTILE);
    else if ( gain > expect + (long)orphans )
        known("K2: %lu more frames came back than the %lu d1 was charged for",
              (unsigned long)(gain - expect - orphans), (unsigned long)expect);
}

static void finish_victim(void)
{
    unsigned int reason = ~0U;
    long rc;

    vs->stop = 1;
    rc = xtf_wait_shutdown(VICTIM, XTF_POLL_LIMIT, &reason);
    if ( rc )
    {
        xtf_error("victim d%u did not finish: %ld", VICTIM, rc);
        return;
    }
    printf("victim: %lu passes, %lu words differ\n", (unsigned long)vs->passes,
           (unsigned long)vs->mismatches);
    if ( reason != SHUTDOWN_poweroff )
        xtf_failure("victim d%u corrupted (%lu words, last gfn %#lx), shut down: %s", VICTIM,
                    (unsigned long)vs->mismatches, (unsigned long)vs->bad_gfn,
                    xtf_shutdown_name(reason));
}

void test_main(void)
{
    long overhead;

    if ( !(hs = attach(HOSTILE, FUZZ_HOSTILE_STATUS_GPA, 0, FUZZ_HOSTILE_MAGIC)) ||
         !(vs = attach(VICTIM, FUZZ_VICTIM_STATUS_GPA, 1, FUZZ_VICTIM_MAGIC)) )
        return;
    strict = hs->flags & FUZZ_F_STRICT;
    if ( (overhead = twin_overhead()) < 0 )
    {
        xtf_error("no twin d%u to measure against", TWIN);
        return;
    }
    map_backend();
    printf("fuzz: seed %lu, %lu calls, special %u, strict %u, %lu frames free\n",
           (unsigned long)hs->seed, (unsigned long)hs->calls_target, !!(hs->flags & FUZZ_F_SPECIAL),
           strict, (unsigned long)xtf_free_pages());
    run_hostile();
    if ( !hostile_crashed )
        audit("after the run");
    watch_victim();
    report_hostile();
    destroy_and_count(overhead);
    xtf_unmap_local(LOCAL_GFN);
    finish_victim();
    if ( xtf_current_result() <= XTF_SUCCESS )
        xtf_success(NULL);
}
