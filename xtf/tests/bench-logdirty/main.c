/*
 * bench-logdirty - counts (never times) for automation/bench-logdirty.sh:
 * what each log-dirty mechanism and superpage policy costs while
 * logdirty-target (domain 1, 2 vCPUs) writes its RAM.
 *
 * Writers: "stream" writes every data page once per round (each vCPU one
 * half, in order); "random" makes RANDOM_WRITES writes at pseudo-random
 * pages (the controller knows which). For every mechanism the platform
 * has, both policies and both writers: enable, one CLEAN to start clean,
 * an idle round (no writes; its exits are the fixed cost of a round:
 * polling and the CLEAN itself), then ROUNDS rounds of writing + CLEAN;
 * then OFF. A row with mech=off runs the writer with log-dirty off.
 *
 * Each configuration prints one line the script parses:
 *   BENCH mech= policy= writer= rounds= written= exits= idle= logging=
 *         reported= entries= sp_start= sp_during= sp_after= restored= before=
 * written: distinct data pages written (all rounds); exits: VM exits of
 * the target over the write rounds, less the yields it makes while
 * waiting (counted by the target itself); idle: the same over the idle
 * round; logging:
 * write-protect faults and PML-full exits; reported: data pages in the
 * CLEAN bitmaps; entries: p2m entry stores over the write rounds; sp_*:
 * 2M leaves before enable, just before OFF, after OFF. The test fails
 * (and the script reports no numbers) if a CLEAN misses a written page.
 */
#include "../logdirty-lib/ctl.c"

const char test_title[] = "log-dirty benchmark: exits, reports and p2m writes";

#define ROUNDS        3
#define RANDOM_WRITES 1024

static ld_bits_t want, got;

struct sample
{
    int64_t exits;
    uint64_t logging, entries;
};

/* The target's exits but its own yields (see logdirty-target). The two
 * counts are read a moment apart: a yield in between shows as +-1. */
static int64_t exits_not_yields(const struct xen_domctl_wren_logdirty *l)
{
    return (int64_t)(l->vcpu_exits - __atomic_load_n(&ld_mb->out[LD_MB_YIELDS], __ATOMIC_RELAXED));
}

static bool sample(struct sample *s)
{
    struct xen_domctl_wren_logdirty l;
    struct xen_domctl_wren_p2m p;

    if ( !ld_get_stats(&l) || !ld_p2m_stats(&p) )
        return false;
    s->exits = exits_not_yields(&l);
    s->logging = l.logging_exits;
    s->entries = p.entries_written;
    return true;
}

/* One round's writes; adds the pages written to want. */
static bool write_round(bool stream, unsigned int round)
{
    uint64_t seed = 0xbe7c0000ULL + round;

    if ( stream )
    {
        for ( uint64_t g = LD_DATA_FIRST; g < ld_ram_end; g++ )
            bitmap_set(want, g);
        return ld_job(LD_MB_STREAM, LD_DATA_FIRST, ld_data_pages(), 1);
    }
    ld_write_set(want, seed, RANDOM_WRITES);
    return ld_job(LD_MB_WRITE_SET, seed, RANDOM_WRITES, 0);
}

struct result
{
    int64_t exits, idle;
    uint64_t written, logging, reported, entries;
};

/* A benchmark round is still a test: no written page may be missing. */
static void check_misses(void)
{
    for ( uint64_t g = LD_DATA_FIRST; g < ld_ram_end; g++ )
        if ( bitmap_test(want, g) && !bitmap_test(got, g) )
        {
            xtf_failure("CLEAN missed written page %#lx", (unsigned long)g);
            return;
        }
}

static bool clean(bool tracking)
{
    long rc = tracking ? ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL) : 0;

    if ( rc )
        xtf_failure("CLEAN: %ld", rc);
    return !rc;
}

static bool one_round(bool stream, bool tracking, unsigned int i, struct result *r)
{
    struct sample a, b;

    ld_clear(want);
    if ( !sample(&a) || !write_round(stream, i) || !clean(tracking) || !sample(&b) )
        return false;
    r->written += ld_count(want, LD_DATA_FIRST, ld_ram_end);
    r->exits += b.exits - a.exits;
    r->logging += b.logging - a.logging;
    r->entries += b.entries - a.entries;
    if ( tracking )
    {
        r->reported += ld_count(got, LD_DATA_FIRST, ld_ram_end);
        check_misses();
    }
    return true;
}

/* A CLEAN to start from nothing, the idle round, the write rounds. */
static bool measure(bool stream, bool tracking, struct result *r)
{
    struct sample a, b;

    memset(r, 0, sizeof(*r));
    if ( !clean(tracking) || !sample(&a) || !ld_job(XTF_MB_NOP, 0, 0, 0) || !clean(tracking) ||
         !sample(&b) )
        return false;
    r->idle = b.exits - a.exits;
    for ( unsigned int i = 0; i < ROUNDS; i++ )
        if ( !one_round(stream, tracking, i, r) )
            return false;
    return true;
}

static uint64_t entries_2m(void)
{
    struct xen_domctl_wren_p2m p;

    return ld_p2m_stats(&p) ? p.entries_2m : ~0ULL;
}

static void print_row(const char *mech, const char *policy, bool stream, const struct result *r,
                      const uint64_t sp[3], const struct xen_domctl_wren_logdirty *s)
{
    printf("BENCH mech=%s policy=%s writer=%s rounds=%u written=%lu exits=%ld idle=%ld "
           "logging=%lu reported=%lu entries=%lu sp_start=%lu sp_during=%lu "
           "sp_after=%lu restored=%lu before=%lu\n",
           mech, policy, stream ? "stream" : "random", ROUNDS, (unsigned long)r->written,
           (long)r->exits, (long)r->idle, (unsigned long)r->logging, (unsigned long)r->reported,
           (unsigned long)r->entries, (unsigned long)sp[0], (unsigned long)sp[1],
           (unsigned long)sp[2], (unsigned long)(s ? s->superpages_restored : 0),
           (unsigned long)(s ? s->superpages_before : 0));
}

static void run_config(unsigned int mech, bool keep, bool stream)
{
    uint32_t mode =
        WREN_LOGDIRTY_MECH(mech) | (keep ? WREN_LOGDIRTY_SP_KEEP : WREN_LOGDIRTY_SP_SHATTER);
    struct xen_domctl_wren_logdirty s;
    struct result r;
    uint64_t sp[3];
    long rc;

    sp[0] = entries_2m();
    rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, mode, NULL, 0, NULL);
    if ( rc )
    {
        xtf_failure("enable %s: %ld", ld_mech_names[mech], rc);
        return;
    }
    if ( !measure(stream, true, &r) )
        xtf_failure("%s/%s: a round failed", ld_mech_names[mech], keep ? "keep" : "shatter");
    sp[1] = entries_2m();
    rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL);
    sp[2] = entries_2m();
    if ( rc || !ld_get_stats(&s) )
    {
        xtf_failure("OFF: %ld", rc);
        return;
    }
    print_row(ld_mech_names[mech], keep ? "keep" : "shatter", stream, &r, sp, &s);
}

static void run_untracked(bool stream)
{
    struct result r;
    uint64_t sp[3];

    sp[0] = sp[1] = sp[2] = entries_2m();
    if ( measure(stream, false, &r) )
        print_row("off", "-", stream, &r, sp, NULL);
    else
        xtf_failure("untracked %s round failed", stream ? "stream" : "random");
}

void test_main(void)
{
    struct xen_domctl_wren_logdirty s;

    if ( !ld_attach() || !ld_get_stats(&s) )
        return;
    printf("BENCHINFO ram_pages=%lu data_pages=%lu available=%#x\n", (unsigned long)ld_ram_end,
           (unsigned long)ld_data_pages(), s.available);
    for ( unsigned int w = 0; w < 2; w++ )
    {
        run_untracked(w == 0);
        for ( unsigned int m = WREN_LOGDIRTY_MECH_WP; m <= WREN_LOGDIRTY_MECH_AD; m++ )
            if ( s.available & (1U << m) )
                for ( unsigned int k = 0; k < 2; k++ )
                    run_config(m, k, w == 0);
    }
    ld_job(XTF_MB_EXIT, 0, 0, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
