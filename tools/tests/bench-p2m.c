/*
 * bench-p2m.c - what a global type change costs, in entries, never in
 * time: a 1 GiB guest mapped with 4K or 2M leaves, on EPT and NPT, lazy
 * and eager. One change ram_rw -> ram_logdirty is begun, the guest then
 * touches pages in some pattern (each touch is what an EPT misconfig or
 * NPF exit would do: p2m_resolve_fault), and p2m_finish_pending (budget
 * 64) finishes the rest. Prints a markdown table on stdout; run by
 * automation/bench-p2m.sh.
 */
#include <xen/p2m.h>
#include <xen/mm.h>
#include <xen/errno.h>

#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "harness.h"
#include <asm/p2m-backends.h>
#include <asm/p2m-stage2.h>

#define GUEST_PAGES   (1ULL << 18) /* 1 GiB */
#define FINISH_BUDGET 64

struct pattern
{
    const char *name;
    uint64_t (*gfn)(uint64_t i); /* the i-th page touched */
    uint64_t accesses;
    bool two_changes; /* rw -> logdirty -> rw, both pending */
};

struct result
{
    uint64_t faults, begin_writes, access_writes, finish_writes, finish_calls;
    uint64_t pushes, leaves;
};

static uint64_t sequential(uint64_t i)
{
    return i;
}
static uint64_t random_page(uint64_t i)
{
    return test_rand_below(GUEST_PAGES);
}
static uint64_t sparse(uint64_t i)
{
    return i * (GUEST_PAGES / 64) + 17;
}

static const struct pattern patterns[] = {
    { "none (finish_pending does it all)", sequential, 0, false },
    { "sequential, every page", sequential, GUEST_PAGES, false },
    { "random, 16384 pages", random_page, 16384, false },
    { "sparse, one page per 16 MiB", sparse, 64, false },
    { "sequential, two changes pending", sequential, GUEST_PAGES, true },
};

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench-p2m: %s failed (%d)\n", what, rc);
    exit(1);
}

static void map_guest(struct p2m_domain *p2m, bool superpages)
{
    /* An odd first frame keeps set_range at 4K; 0x100200 is 2M-aligned
     * but not 1G-aligned, so 512 2M leaves. */
    mfn_t first = _mfn(superpages ? 0x100200 : 0x100001);
    int rc = p2m_set_range(p2m, _gfn(0), first, GUEST_PAGES, p2m_ram_rw, p2m_access_rwx);

    if ( rc )
        die("p2m_set_range", rc);
}

static void begin(struct p2m_domain *p2m, const struct pattern *pat)
{
    int rc = p2m_begin_global_change(p2m, p2m_ram_rw, p2m_ram_logdirty);

    if ( !rc && pat->two_changes )
        rc = p2m_begin_global_change(p2m, p2m_ram_logdirty, p2m_ram_rw);
    if ( rc )
        die("p2m_begin_global_change", rc);
}

static void finish(struct p2m_domain *p2m, struct result *res)
{
    int rc;

    do
    {
        rc = p2m_finish_pending(p2m, FINISH_BUDGET);
        res->finish_calls++;
    } while ( rc == -ERESTART );
    if ( rc )
        die("p2m_finish_pending", rc);
}

/* After everything: every leaf has the type eager application gives. */
static void check_final(struct p2m_domain *p2m, const struct pattern *pat)
{
    p2m_type_t want = pat->two_changes ? p2m_ram_rw : p2m_ram_logdirty;
    uint64_t leaves = p2m->stats.entries_by_order[0] + p2m->stats.entries_by_order[1];
    char why[200];

    if ( p2m->stats.entries_by_type[want] != leaves || p2m->stats.recalc_pending )
        die("the final types check", -EILSEQ);
    if ( p2m_audit(p2m, why, sizeof(why)) )
    {
        fprintf(stderr, "bench-p2m: audit: %s\n", why);
        exit(1);
    }
}

static void run(const struct p2m_pte_ops *ops, bool superpages, bool eager,
                const struct pattern *pat, struct result *res)
{
    struct p2m_domain p2m;
    uint64_t w, i;

    if ( p2m_init(&p2m, ops) )
        die("p2m_init", -ENOMEM);
    p2m_set_eager(&p2m, eager);
    map_guest(&p2m, superpages);
    test_srand(0xbe4c4);
    *res = (struct result){ 0 };
    w = p2m.stats.entries_written;
    begin(&p2m, pat);
    res->begin_writes = p2m.stats.entries_written - w;
    w = p2m.stats.entries_written;
    for ( i = 0; i < pat->accesses; i++ )
        res->faults += p2m_resolve_fault(&p2m, _gfn(pat->gfn(i)));
    res->access_writes = p2m.stats.entries_written - w;
    w = p2m.stats.entries_written;
    finish(&p2m, res);
    res->finish_writes = p2m.stats.entries_written - w;
    res->pushes = p2m.stats.recalc_resolved;
    res->leaves = p2m.stats.leaves_recalculated;
    check_final(&p2m, pat);
    p2m_teardown(&p2m);
}

static void print_row(const char *backend, bool superpages, bool eager, const struct pattern *pat,
                      const struct result *r)
{
    printf("| %s | %s | %s | %s | %llu | %llu | %llu | %llu | %llu | %llu | %llu | %llu | %llu |\n",
           backend, superpages ? "2M" : "4K", eager ? "eager" : "lazy", pat->name,
           (unsigned long long)pat->accesses, (unsigned long long)r->faults,
           (unsigned long long)r->begin_writes, (unsigned long long)r->access_writes,
           (unsigned long long)r->finish_writes, (unsigned long long)r->finish_calls,
           (unsigned long long)(r->begin_writes + r->access_writes + r->finish_writes),
           (unsigned long long)r->pushes, (unsigned long long)r->leaves);
}

static void print_header(void)
{
    printf("# p2m global type change: entries written\n\n"
           "Generated by `automation/bench-p2m.sh` (tools/tests/bench-p2m.c). Counts,\n"
           "not times. A 1 GiB guest (262144 pages) is mapped ram_rw with 4K or 2M\n"
           "leaves; `p2m_begin_global_change(ram_rw -> ram_logdirty)` is called; the\n"
           "guest touches pages (each touch = one EPT-misconfig/NPF/stage-2\n"
           "translation-fault exit handled by `p2m_resolve_fault`);\n"
           "`p2m_finish_pending(budget %u)` finishes the rest. The Arm stage-2\n"
           "rows match NPT's: both mark by clearing the present/valid bit.\n"
           "*Faults* counts the touches that found a pending change on their path\n"
           "(the other touches would not have exited at all). *Marks pushed*: table\n"
           "entries whose mark was pushed down one level; *leaves retyped*: leaves\n"
           "given their type by a push. Eager mode is the reference: it rewrites\n"
           "every leaf when the change begins.\n\n"
           "| backend | leaves | mode | access pattern | touches | faults | written: begin |"
           " written: touches | written: finish | finish calls | written: total |"
           " marks pushed | leaves retyped |\n"
           "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
           FINISH_BUDGET);
}

int main(void)
{
    static const struct p2m_pte_ops *const backends[] = { &ept_pte_ops, &npt_pte_ops,
                                                          &stage2_pte_ops };
    unsigned int b, sp, eager, p;
    struct result r;

    arena_setup(ARENA_DEFAULT_BASE, 64UL << 20);
    print_header();
    for ( b = 0; b < ARRAY_SIZE(backends); b++ )
        for ( sp = 0; sp < 2; sp++ )
            for ( eager = 0; eager < 2; eager++ )
                for ( p = 0; p < ARRAY_SIZE(patterns); p++ )
                {
                    run(backends[b], sp, eager, &patterns[p], &r);
                    print_row(backends[b]->name, sp, eager, &patterns[p], &r);
                }
    arena_release();
    return 0;
}
