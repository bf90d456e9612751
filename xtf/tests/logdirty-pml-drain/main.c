/*
 * logdirty-pml-drain - the edges of the PML buffer: what the per-vCPU
 * 512-entry log does when it fills, when a page is logged again after a
 * CLEAN, and when a CLEAN comes while the writing vCPU is in guest mode
 * with entries not yet drained (xen/arch/x86/hvm/vmx/pml.c).
 *
 * One image, two roles: dom0 is the controller; domain 1 runs this same
 * image as the writer (vcpus=2 mem=32M) and serves the mailbox
 * (include/xtf/mailbox.h) with the PD_* commands below. Every write is
 * one 8-byte store to the first word of a page, through domain 1's own
 * EPT. Log-dirty runs with PML and the shatter policy, so all data pages
 * are 4K leaves and a report is exact.
 *
 * Checks:
 *  - stream: writer vCPU 0 stores to each of 5000 consecutive pages in
 *    one tight loop (about 10 buffers' worth). CLEAN reports exactly
 *    those pages in the data range (none lost when the buffer filled,
 *    none spurious); at least 5000 PML entries were drained; PML-full
 *    exits happened, at most one per 400 pages written;
 *  - again: the same stream after that CLEAN: the CLEAN cleared the
 *    pages' dirty flags, so each one logs (a second entry for the page,
 *    across the CLEAN boundary) and is reported again;
 *  - running: writer vCPU 1 stores round-robin over 2048 pages without
 *    ever exiting on its own, counting its stores in the mailbox. The
 *    controller CLEANs at varied points while it runs; each CLEAN must
 *    report every page stored to after the previous CLEAN returned and
 *    before this one began (known from the count). The latest of those
 *    sit in vCPU 1's buffer, so this holds only if the flush kicks vCPU 1
 *    out of guest mode and waits for its drain;
 *    PML logs dirty-flag transitions, not stores: the rounds drain at most
 *    about one entry per page per round, for over a million stores;
 *  - off and on again while vCPU 1 runs: OFF (final flush, PML off at
 *    the next entry, buffers freed) and a new ENABLE give a working log;
 *  - the p2m audit is clean at the end.
 * SKIP where the hypervisor offers no PML (SVM; VMX without PML).
 */
#include "../logdirty-lib/ctl.c"
#include <xtf/vcpu.h>
#include <public/sched.h>

const char test_title[] = "log-dirty: PML buffer full, duplicates, flush of a running vCPU";

/* Mailbox commands (our numbers; XTF_MB_EXIT keeps its meaning). */
#define PD_STREAM 0x200 /* vCPU 0 stores to [arg0, arg0 + arg1), tag arg2 */
#define PD_RUN    0x201 /* vCPU 1 stores round-robin over [arg0, arg0 + arg1) */
#define PD_STOP   0x202 /* vCPU 1 stops; result = its stores */
#define PD_STORES 1     /* out[1]: vCPU 1's stores so far, published after each */

#define STREAM_FIRST            0x400UL /* 4 MiB */
#define STREAM_NR               5000UL
#define RUN_FIRST               0x1800UL /* 24 MiB, clear of the stream */
#define RUN_NR                  2048UL
#define RUN_ROUNDS              16
#define PAGES_PER_FULL_EXIT_MIN 400 /* the target: <= 1 PML-full exit per 400 */

/* ================= the writer (domain 1) ================= */

static xtf_mb_t *const wmb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static uint64_t w_ram_end;
static volatile uint64_t run_first, run_nr, run_gen, run_stop;
static volatile bool run_idle = true;

static void store(uint64_t gfn, uint64_t v)
{
    uint64_t *p = (uint64_t *)(uintptr_t)(gfn << PAGE_SHIFT);

    __asm__ volatile("movq %1, %0" : "=m"(*p) : "r"(v) : "memory");
}

static bool range_ok(uint64_t first, uint64_t nr)
{
    return first >= LD_DATA_FIRST && nr && nr <= w_ram_end - first;
}

static long w_stream(uint64_t first, uint64_t nr, uint64_t tag)
{
    if ( !range_ok(first, nr) )
        return -XEN_EINVAL;
    for ( uint64_t g = first; g < first + nr; g++ )
        store(g, tag << 32 | g);
    return 0;
}

/* vCPU 1: no hypercall while it stores, so only the hypervisor (the
 * preemption timer, a kick, a full buffer) takes it out of guest mode. */
static void w_runner(unsigned int id)
{
    uint64_t seen = 0;

    for ( ;; )
    {
        while ( run_gen == seen )
            hypercall_yield();
        seen = run_gen;
        for ( uint64_t i = 0, g = run_first; !run_stop; i++ )
        {
            store(g, i);
            wmb->out[PD_STORES] = i + 1;
            g = g + 1 == run_first + run_nr ? run_first : g + 1;
        }
        run_idle = true;
    }
}

static long w_run(uint64_t first, uint64_t nr)
{
    if ( !range_ok(first, nr) || !run_idle )
        return -XEN_EINVAL;
    run_first = first;
    run_nr = nr;
    run_stop = 0;
    run_idle = false;
    wmb->out[PD_STORES] = 0;
    smp_wmb();
    run_gen++;
    return 0;
}

static long w_stop(void)
{
    run_stop = 1;
    while ( !run_idle )
        hypercall_yield();
    return (long)wmb->out[PD_STORES];
}

static long w_serve(uint32_t op)
{
    const volatile uint64_t *a = wmb->arg;

    switch ( op )
    {
    case XTF_MB_EXIT: return 0;
    case PD_STREAM: return w_stream(a[0], a[1], a[2]);
    case PD_RUN: return w_run(a[0], a[1]);
    case PD_STOP: return w_stop();
    default: return -XEN_ENOSYS;
    }
}

static void __noreturn writer_main(void)
{
    uint32_t last = 0;

    w_ram_end = xtf_ram_end() >> PAGE_SHIFT;
    if ( !xtf_is_ram(XTF_MAILBOX_GPA, PAGE_SIZE) || xtf_vcpu_start(1, w_runner) )
    {
        printf("writer: no mailbox RAM or no vCPU 1\n");
        xtf_shutdown(SHUTDOWN_crash);
    }
    wmb->seq = wmb->ack = 0;
    wmb->ram_end = w_ram_end << PAGE_SHIFT;
    smp_wmb();
    wmb->magic = XTF_MB_MAGIC;
    for ( ;; )
    {
        uint32_t seq = wmb->seq, op;

        if ( seq == last )
        {
            hypercall_yield();
            continue;
        }
        smp_rmb();
        last = seq;
        op = wmb->op;
        wmb->result = w_serve(op);
        smp_wmb();
        wmb->ack = seq;
        if ( op == XTF_MB_EXIT )
            xtf_shutdown(SHUTDOWN_poweroff);
    }
}

/* ================= the controller (dom0) ================= */

static ld_bits_t got, want;

static uint32_t pml_mode(void)
{
    return WREN_LOGDIRTY_MECH(WREN_LOGDIRTY_MECH_PML) | WREN_LOGDIRTY_SP_SHATTER;
}

static bool clean(const char *what)
{
    long rc = ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL);

    if ( rc )
        xtf_failure("%s: CLEAN %ld", what, rc);
    return !rc;
}

/* SKIP if there is no PML; false on any other trouble. */
static bool enable(bool *skip)
{
    struct xen_domctl_wren_logdirty s;
    long rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, pml_mode(), NULL, 0, NULL);

    *skip = rc == -XEN_EOPNOTSUPP;
    if ( *skip )
        return false;
    if ( rc )
    {
        xtf_failure("ENABLE_LOGDIRTY pml/shatter: %ld", rc);
        return false;
    }
    if ( !ld_get_stats(&s) )
        return false;
    if ( s.mech != WREN_LOGDIRTY_MECH_PML || !(s.flags & WREN_LOGDIRTY_F_ENABLED) )
    {
        xtf_failure("after enable: mech %u, flags %#x", s.mech, s.flags);
        return false;
    }
    return clean("first round"); /* everything before counts as written */
}

static bool exact(const char *what, uint64_t first, uint64_t nr)
{
    ld_clear(want);
    for ( uint64_t g = first; g < first + nr; g++ )
        bitmap_set(want, g);
    ld_check(got, want, &(struct ld_allow){ .keep = false }, what);
    return xtf_current_result() <= XTF_SKIP;
}

/* One stream of STREAM_NR pages, then CLEAN: exact, and counted. */
static bool stream(const char *what, uint64_t tag)
{
    struct xen_domctl_wren_logdirty s0, s1;
    uint64_t full, drained;

    /* The counters after the CLEAN: its flush drains the last entries. */
    if ( !ld_get_stats(&s0) || !ld_job(PD_STREAM, STREAM_FIRST, STREAM_NR, tag) || !clean(what) ||
         !ld_get_stats(&s1) )
        return false;
    full = s1.logging_exits - s0.logging_exits;
    drained = s1.pml_entries - s0.pml_entries;
    printf("%s: %lu pages written, %lu PML entries drained, %lu PML-full exits "
           "(1 per %lu pages), %lu VM exits in all\n",
           what, STREAM_NR, (unsigned long)drained, (unsigned long)full,
           (unsigned long)(full ? STREAM_NR / full : 0),
           (unsigned long)(s1.vcpu_exits - s0.vcpu_exits));
    if ( drained < STREAM_NR )
        xtf_failure("%s: %lu PML entries for %lu pages", what, (unsigned long)drained, STREAM_NR);
    if ( !full )
        xtf_failure("%s: no PML-full exit for %lu pages in one loop", what, STREAM_NR);
    if ( full * PAGES_PER_FULL_EXIT_MIN > STREAM_NR )
        xtf_failure("%s: %lu PML-full exits for %lu pages (want <= 1 per %u)", what,
                    (unsigned long)full, STREAM_NR, PAGES_PER_FULL_EXIT_MIN);
    return exact(what, STREAM_FIRST, STREAM_NR);
}

static uint64_t stores(void)
{
    return ld_mb->out[PD_STORES];
}

/* Until vCPU 1 has made n stores (false if it stalls). */
static bool wait_stores(uint64_t n)
{
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT; i++ )
    {
        if ( stores() >= n )
            return true;
        hypercall_yield();
    }
    xtf_error("writer vCPU 1 stuck at %lu stores", (unsigned long)stores());
    return false;
}

/*
 * vCPU 1 publishes count i + 1 after its store number i. A count c read
 * after a CLEAN returned means stores c + 1 on began after it returned;
 * a count read before the next CLEAN covers the stores below it. Stores
 * [from, to) are such: each of their pages must be in the report. Returns
 * the pages missing; *recent counts those among the last 512 stores.
 */
static uint64_t missing(uint64_t from, uint64_t to, uint64_t *recent)
{
    uint64_t n = 0;

    *recent = 0;
    if ( to - from > RUN_NR )
        from = to - RUN_NR;
    for ( uint64_t i = from; i < to; i++ )
    {
        if ( bitmap_test(got, RUN_FIRST + i % RUN_NR) )
            continue;
        n++;
        *recent += to - i <= 512;
    }
    return n;
}

/* Stores between CLEANs of varied length: from a few to several buffers. */
static uint64_t gap(unsigned int round)
{
    static const uint64_t gaps[] = { 40, 700, 130, 2600, 300, 90, 1500, 520 };

    return gaps[round % ARRAY_SIZE(gaps)];
}

/* PML logs a D 0->1, not a store: a round logs each page at most once
 * (plus the writer's own stack, mailbox and page-table pages). From s0
 * to now: the RUN_ROUNDS rounds, the one the first CLEAN ended and the
 * start of the next. */
static void check_entries(const char *what, const struct xen_domctl_wren_logdirty *s0,
                          uint64_t stores0)
{
    struct xen_domctl_wren_logdirty s1;
    uint64_t entries, limit = (RUN_ROUNDS + 2) * (RUN_NR + 64);

    if ( !ld_get_stats(&s1) )
        return;
    entries = s1.pml_entries - s0->pml_entries;
    printf("%s: %lu PML entries for %lu stores\n", what, (unsigned long)entries,
           (unsigned long)(stores() - stores0));
    if ( entries > limit )
        xtf_failure("%s: %lu PML entries in %u rounds over %lu pages (at most %lu)", what,
                    (unsigned long)entries, RUN_ROUNDS + 2, RUN_NR, (unsigned long)limit);
}

static bool running_rounds(const char *what)
{
    struct xen_domctl_wren_logdirty s0;
    uint64_t after, before, lost = 0, recent_lost = 0, checked = 0, stores0;

    if ( !ld_get_stats(&s0) || !clean(what) )
        return false;
    stores0 = after = stores();
    for ( unsigned int r = 0; r < RUN_ROUNDS; r++ )
    {
        uint64_t recent, m;

        if ( !wait_stores(after + gap(r)) )
            return false;
        before = stores();
        if ( !clean(what) )
            return false;
        m = missing(after + 1, before, &recent);
        checked += MIN(before - after - 1, RUN_NR);
        lost += m;
        recent_lost += recent;
        after = stores();
    }
    printf("%s: %u CLEANs while vCPU 1 stored, %lu stores checked, %lu pages missing "
           "(%lu of them among the last 512 stores before a CLEAN)\n",
           what, RUN_ROUNDS, (unsigned long)checked, (unsigned long)lost,
           (unsigned long)recent_lost);
    if ( lost )
        xtf_failure("%s: %lu pages stored to before a CLEAN were not in it", what,
                    (unsigned long)lost);
    check_entries(what, &s0, stores0);
    return !lost;
}

/* OFF and ENABLE again while vCPU 1 keeps storing. */
static bool off_on(void)
{
    long rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL);
    bool skip;

    if ( rc )
    {
        xtf_failure("OFF while vCPU 1 runs: %ld", rc);
        return false;
    }
    if ( !wait_stores(stores() + RUN_NR) )
        return false;
    if ( !enable(&skip) )
    {
        xtf_failure("ENABLE again after OFF: %s", skip ? "no PML any more" : "failed");
        return false;
    }
    return running_rounds("running, after OFF and ENABLE");
}

static void finish(void)
{
    long rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL);

    if ( rc && rc != -XEN_EINVAL )
        xtf_failure("final OFF: %ld", rc);
    ld_audit("end");
    ld_job(XTF_MB_EXIT, 0, 0, 0);
}

static void controller_main(void)
{
    bool skip;

    if ( !ld_attach() )
        return;
    if ( ld_ram_end < RUN_FIRST + RUN_NR )
        xtf_error("target RAM ends at gfn %#lx: want mem=32M", (unsigned long)ld_ram_end);
    else if ( !enable(&skip) && skip )
        xtf_skip("no PML here (SVM, or VMX without PML)");
    if ( xtf_current_result() != XTF_NONE )
    {
        ld_job(XTF_MB_EXIT, 0, 0, 0);
        return;
    }
    if ( stream("stream", 1) && stream("stream again", 2) && ld_job(PD_RUN, RUN_FIRST, RUN_NR, 0) )
    {
        running_rounds("running");
        off_on();
        printf("vCPU 1 stored %ld times\n", ld_wait(ld_post(PD_STOP, 0, 0, 0)));
    }
    finish();
    xtf_success(NULL);
}

void test_main(void)
{
    if ( !xtf_is_dom0 )
        writer_main();
    controller_main();
}
