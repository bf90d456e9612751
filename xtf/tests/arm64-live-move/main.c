/*
 * arm64-live-move - a live move of an arm64 domU that keeps writing: the
 * pre-copy rounds of a migration, by hand from an XTF dom0, with
 * log-dirty on stage 2 (dirty state by FEAT_HAFDBS, or the write fault
 * where the CPU lacks it) and the HVM context of part arm-save.
 *
 * d1 (arm64-move-writer) writes generation g over its pages for ever,
 * holding its place only in X19 (page) and X20 (g). dom0 enables
 * log-dirty on d1, creates d2 and copies all 16 MiB of d1's RAM while d1
 * runs, then ROUNDS times CLEANs the dirty bitmap and copies what it
 * names (each must name some pages, d1 writes all the time, but not
 * most of its RAM, and d1 must still be running and writing after
 * them). Then it pauses d1, takes its context, TSC
 * info and params, CLEANs once more (FINAL) and copies the rest. Before
 * d2 ever runs, its pages must say what the saved X19/X20 say: page
 * p < X19 holds X20, page p > X19 holds X20 - 1 (page X19 either: the
 * store may or may not have happened). Then the context goes into d2,
 * d1 is destroyed, d2 is unpaused and its status page must show the
 * generation moving on.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/move.h>
#include <xtf/p2m.h>
#include <xtf/arm64-save.h>
#include <public/domctl.h>
#include <public/hvm/save.h>
#include <public/arch-arm/hvm/save.h>
#include <public/wren.h>
#include <wren/bitops.h>

const char test_title[] = "live move of a writing arm64 domU: log-dirty rounds and the context";

#define OLD          1
#define ROUNDS       4
#define LOCAL_STATUS 0x7f100UL /* our frames for foreign mappings */
#define LOCAL_FROM   0x7f101UL
#define LOCAL_TO     0x7f102UL
#define RAM_END      (ARM_SAVE_RAM_GFN + ARM_SAVE_RAM_PAGES)
#define BITS         (RAM_END + 64 * BITS_PER_WORD)
#define CTX_MAX      4096

static uint64_t dirty[BITS / BITS_PER_WORD];
static uint8_t ctx_buf[CTX_MAX] __attribute__((aligned(16)));
static struct xtf_move_state st = { .ctx = ctx_buf, .ctx_max = sizeof(ctx_buf) };

static long shadow_op(domid_t d, uint32_t op, uint32_t mode, struct xen_domctl_shadow_op *out)
{
    struct xen_domctl dc = {
        .cmd = XEN_DOMCTL_shadow_op,
        .domain = d,
        .u.shadow_op = { .op = op, .mode = mode, .pages = BITS },
    };
    long rc;

    if ( op == XEN_DOMCTL_SHADOW_OP_CLEAN )
    {
        memset(dirty, 0, sizeof(dirty));
        set_xen_guest_handle(dc.u.shadow_op.dirty_bitmap, dirty);
    }
    rc = hypercall_domctl(&dc);
    if ( out )
        *out = dc.u.shadow_op;
    return rc;
}

/* Frame g of d1 into d2, d1's mapped read-only: a writable foreign
 * mapping counts as a write for log-dirty (the mapper could have
 * written), which would make every copied page dirty again. */
static bool copy_one(domid_t to, uint64_t g)
{
    long rc = xtf_map_foreign_space(WREN_MAPSPACE_gmfn_foreign_ro, OLD, g, LOCAL_FROM);

    if ( !rc && !(rc = xtf_map_foreign(to, g, LOCAL_TO)) )
        memcpy((void *)(LOCAL_TO << PAGE_SHIFT), (void *)(LOCAL_FROM << PAGE_SHIFT), PAGE_SIZE);
    xtf_unmap_local(LOCAL_TO);
    xtf_unmap_local(LOCAL_FROM);
    return !rc || (xtf_failure("copying gfn %#lx: %ld", (unsigned long)g, rc), false);
}

/* Copy every RAM page the bitmap names (all of them: all true); how
 * many in *n. */
static bool copy_pages(domid_t to, bool all, unsigned long *n)
{
    *n = 0;
    for ( uint64_t g = ARM_SAVE_RAM_GFN; g < RAM_END; g++ )
    {
        if ( !all && !bitmap_test(dirty, g) )
            continue;
        if ( !copy_one(to, g) )
            return false;
        (*n)++;
    }
    return true;
}

/* One CLEAN and the copy of what it names; the pages in *n. */
static bool round_of(domid_t to, bool final, unsigned long *n)
{
    long rc = shadow_op(OLD, XEN_DOMCTL_SHADOW_OP_CLEAN,
                        final ? XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL : 0, NULL);

    if ( rc )
        return xtf_failure("CLEAN%s: %ld", final ? " (final)" : "", rc), false;
    return copy_pages(to, false, n);
}

static bool create_new(domid_t *to)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(1);
    long rc = xtf_createdomain(0, &c, to);

    if ( rc )
        return xtf_failure("createdomain: %ld", rc), false;
    if ( (rc = xtf_set_max_mem(*to, 32 * 1024)) || (rc = xtf_set_paging_pool(*to, 4UL << 20)) )
        return xtf_failure("sizing d%u: %ld", *to, rc), false;
    for ( uint64_t g = ARM_SAVE_RAM_GFN; g < RAM_END; g += 64 )
        if ( xtf_populate(*to, g, 0, 64) != 64 )
            return xtf_failure("populating gfn %#lx of d%u", (unsigned long)g, *to), false;
    return true;
}

/* d1 is still running (not shut down, not crashed by a fault the
 * log-dirty entries caused) and wrote on since gen was read. */
static bool still_writing(volatile struct arm_move_status *s, uint64_t gen)
{
    struct xen_domctl_getdomaininfo info;
    long rc = xtf_getdomaininfo(OLD, &info);

    if ( rc || (info.flags & XEN_DOMINF_shutdown) )
        return xtf_failure("d%u stopped during the rounds (rc %ld, flags %#x)", OLD, rc,
                           info.flags),
               false;
    if ( s->generation <= gen )
        return xtf_failure("d%u wrote nothing during the rounds (generation %lu)", OLD,
                           (unsigned long)gen),
               false;
    return true;
}

/* The live rounds and the paused one. A round after the first names
 * some pages (d1 writes all the time) but not most of its RAM (it
 * writes ARM_MOVE_PAGES and its status). */
static bool precopy(domid_t to, volatile struct arm_move_status *s)
{
    uint64_t gen = s->generation;
    unsigned long n;
    long rc;

    if ( (rc = shadow_op(OLD, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL)) )
        return xtf_failure("enabling log-dirty on d%u: %ld", OLD, rc), false;
    if ( !copy_pages(to, true, &n) )
        return false;
    printf("round 0: %lu pages while d%u runs\n", n, OLD);
    for ( unsigned int r = 1; r <= ROUNDS; r++ )
    {
        if ( !round_of(to, false, &n) )
            return false;
        printf("round %u: %lu dirty pages\n", r, n);
        if ( !n || n > ARM_SAVE_RAM_PAGES / 2 )
            return xtf_failure("round %u: %lu dirty pages while d%u writes %lu", r, n, OLD,
                               ARM_MOVE_PAGES),
                   false;
    }
    if ( !still_writing(s, gen) )
        return false;
    if ( (rc = xtf_move_save(OLD, &st)) )
        return xtf_failure("pausing and saving d%u: %ld", OLD, rc), false;
    if ( !round_of(to, true, &n) )
        return false;
    printf("final round: %lu dirty pages with d%u paused\n", n, OLD);
    return true;
}

/* d2's pages against the saved X19 (page) and X20 (generation). */
static bool pages_match(domid_t to)
{
    const struct hvm_wren_arm_cpu *cpu =
        (const void *)xtf_hvm_find_record(st.ctx, st.ctx_size, HVM_SAVE_CODE(WREN_ARM_CPU));
    volatile uint64_t *w = (volatile uint64_t *)(LOCAL_TO << PAGE_SHIFT);

    if ( !cpu )
        return xtf_failure("no WREN_ARM_CPU record in d%u's context", OLD), false;
    for ( uint64_t p = 0; p < ARM_MOVE_PAGES; p++ )
    {
        uint64_t want = p < cpu->x[19] ? cpu->x[20] : cpu->x[20] - 1, got;

        if ( xtf_map_foreign(to, ARM_MOVE_PAGES_GFN + p, LOCAL_TO) )
            return xtf_failure("mapping d%u's page %lu", to, (unsigned long)p), false;
        got = *w;
        xtf_unmap_local(LOCAL_TO);
        if ( got != want && !(p == cpu->x[19] && got == cpu->x[20]) )
            return xtf_failure("d%u's page %lu holds generation %lu, the saved X19 %lu and X20 "
                               "%lu say %lu",
                               to, (unsigned long)p, (unsigned long)got, (unsigned long)cpu->x[19],
                               (unsigned long)cpu->x[20], (unsigned long)want),
                   false;
    }
    printf("d%u's %lu pages match the saved X19 %lu, X20 %lu\n", to, ARM_MOVE_PAGES,
           (unsigned long)cpu->x[19], (unsigned long)cpu->x[20]);
    return true;
}

static bool finish(domid_t to)
{
    long rc = xtf_move_set_params(to, &st);

    if ( !rc )
        rc = xtf_tscinfo(XEN_DOMCTL_settscinfo, to, &st.tsc);
    if ( !rc )
        rc = xtf_sethvmcontext(to, st.ctx, st.ctx_size);
    if ( rc )
        return xtf_failure("restoring into d%u: %ld", to, rc), false;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, OLD)) )
        return xtf_failure("destroying d%u: %ld", OLD, rc), false;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_unpausedomain, to)) )
        return xtf_failure("unpausing d%u: %ld", to, rc), false;
    return true;
}

/* d2 writes on: its generation passes the saved one. */
static void carries_on(domid_t to, uint64_t saved)
{
    volatile struct arm_move_status *s =
        xtf_map_status(to, ARM_MOVE_STATUS_GFN, LOCAL_STATUS, ARM_MOVE_MAGIC);

    if ( !s )
        return xtf_failure("d%u's status page is not there", to);
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && s->generation <= saved + 1; i++ )
        hypercall_yield();
    if ( s->generation <= saved + 1 )
        return xtf_failure("d%u is stuck at generation %lu (saved %lu)", to,
                           (unsigned long)s->generation, (unsigned long)saved);
    printf("d%u writes on: generation %lu -> %lu\n", to, (unsigned long)saved,
           (unsigned long)s->generation);
    xtf_success(NULL);
}

void test_main(void)
{
    volatile struct arm_move_status *s =
        xtf_map_status(OLD, ARM_MOVE_STATUS_GFN, LOCAL_STATUS, ARM_MOVE_MAGIC);
    uint64_t saved;
    domid_t to;

    if ( !s )
        return xtf_error("d%u never published its status", OLD);
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && s->generation < 2; i++ )
        hypercall_yield();
    if ( s->generation < 2 )
        return xtf_failure("d%u does not write", OLD);
    if ( !create_new(&to) || !precopy(to, s) )
        return;
    saved = s->generation;
    if ( !pages_match(to) || !finish(to) )
        return;
    carries_on(to, saved);
}
