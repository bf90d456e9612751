/*
 * fuzz-hostile - the attacker of the hostile-guest fuzzer: a domU that
 * issues every hypercall and sub-op Wren implements with boundary and
 * hostile arguments (calls.c), while its vCPU 1 populates, checks and
 * decreases its own memory concurrently. The controller (tests/fuzz)
 * judges the hypervisor from outside; this kernel prints no verdict.
 *
 * Command line (DOMU<n>_ARGS): seed=S calls=N [special=1] [twin=1].
 *   seed, calls  the sequence: call i draws its arguments from a
 *                generator seeded with (S, i), so a seed reproduces a run.
 *   special=1    destructive calls may aim at shared_info and the console
 *                ring, and output buffers at both (default off: see the
 *                exclusions in tests/fuzz/main.c).
 *   twin=1       do nothing: the controller destroys this copy at once
 *                to learn what an untouched domain gives back.
 *
 * Oracles checked here (each is a "finding" in the status page, which
 * the controller turns into FAILURE): privileged calls (domctl, sysctl,
 * dm_op, remote shutdown, the foreign-map batch) refused; calls naming
 * another domain refused; a decrease_reservation that fails leaves its
 * frame mapped; the hypervisor never writes through a read-only PTE;
 * frames vCPU 1 populates read zero and keep what it wrote.
 *
 * What it may not touch: see calls.c; its image, stacks, page tables,
 * scratch buffers (FUZZ_SCRATCH_*), status page, read-only page and
 * vCPU 1's churn range A are never decreased or mapped over.
 *
 * The same source runs on x86 and arm64: the places are offsets from RAM
 * (xtf/fuzz.h), the console ring's gfn comes from HVM_PARAM_CONSOLE_PFN,
 * and what differs (how the read-only page is made, the calls only x86
 * has) is in x86.c and arm64.c behind hostile.h's fuzz_arch_* hooks.
 */
#include "hostile.h"
#include <public/memory.h>
#include <xtf/p2m.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

const char test_title[] = "fuzz: hostile domU";

volatile struct fuzz_hostile_status *const st = (void *)FUZZ_HOSTILE_STATUS_GPA;
uint64_t ram_end_gfn, image_first_gfn, image_end_gfn;
uint64_t shinfo_gfn = NO_GFN, console_gfn = NO_GFN;
bool special, list_dirty;

static uint64_t seed;
static volatile bool churn_stopped;
static uint64_t churn_map[FUZZ_CHURN_NR / 64]; /* range A: populated frames */

/* ---- helpers for calls.c -------------------------------------------------- */

static bool overlaps(uint64_t g, uint64_t n, uint64_t first, uint64_t nr)
{
    return g < first + nr && first < g + n;
}

bool gfn_range_allowed(uint64_t gfn, unsigned int order)
{
    uint64_t n = order >= 40 ? (1ULL << 40) : 1ULL << order;

    if ( order < 40 && n > 1 && overlaps(gfn, n, FUZZ_HOLE_GFN, FUZZ_HOLE_NR) )
        return true; /* contains a hole: the call must refuse it */
    if ( overlaps(gfn, n, image_first_gfn, image_end_gfn - image_first_gfn) ||
         overlaps(gfn, n, FUZZ_HOSTILE_STATUS_GPA >> PAGE_SHIFT, 1) ||
         overlaps(gfn, n, FUZZ_RO_GFN, 1) || overlaps(gfn, n, FUZZ_SCRATCH_GFN, FUZZ_SCRATCH_NR) ||
         overlaps(gfn, n, FUZZ_CHURN_A_GFN, FUZZ_CHURN_NR) )
        return false;
    if ( !special && (overlaps(gfn, n, console_gfn, 1) ||
                      (shinfo_gfn != NO_GFN && overlaps(gfn, n, shinfo_gfn, 1))) )
        return false;
    return true;
}

static bool shinfo_locked;

void shinfo_lock(void)
{
    while ( __atomic_exchange_n(&shinfo_locked, true, __ATOMIC_ACQUIRE) )
        cpu_relax();
}

void shinfo_unlock(void)
{
    __atomic_store_n(&shinfo_locked, false, __ATOMIC_RELEASE);
}

unsigned int mem_type(uint64_t gfn)
{
    uint16_t t = 0xffff;
    struct xen_hvm_get_mem_type m = { .domid = DOMID_SELF, .pfn = gfn };

    if ( !hypercall_hvm_op(HVMOP_get_mem_type, &m) )
        t = m.mem_type;
    return t;
}

void list_reset(void)
{
    uint64_t *l = (uint64_t *)(uintptr_t)LIST_AREA;

    for ( uint64_t i = 0; i < LIST_ENTRIES; i++ )
        l[i] = ram_end_gfn + 0x1000 + i;
    list_dirty = false;
}

void finding(const struct fuzz_call *c, const char *fmt, ...)
{
    volatile typeof(st->findings[0]) *f = st->findings;
    va_list ap;

    st->nr_findings++;
    while ( f < st->findings + FUZZ_ORACLES && f->oracle && f->oracle != (uintptr_t)fmt )
        f++;
    if ( f == st->findings + FUZZ_ORACLES || f->count++ )
        return;
    f->oracle = (uintptr_t)fmt;
    f->call = *c;
    va_start(ap, fmt);
    vsnprintf((char *)f->text, sizeof(f->text), fmt, ap);
    va_end(ap);
}

static uint64_t ro_sum(void)
{
    const uint64_t *p = (const uint64_t *)(FUZZ_RO_GFN << PAGE_SHIFT);
    uint64_t s = 0;

    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
        s = s * 31 + p[i];
    return s;
}

static uint64_t ro_expected;

bool ro_page_intact(void)
{
    return ro_sum() == ro_expected;
}

/* ---- setup ------------------------------------------------------------------ */

static void make_ro_page(void)
{
    uint64_t *p = (uint64_t *)(FUZZ_RO_GFN << PAGE_SHIFT);

    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
        p[i] = fuzz_pattern(seed, (uint64_t)(uintptr_t)&p[i]);
    ro_expected = ro_sum();
    fuzz_arch_protect(FUZZ_RO_GFN << PAGE_SHIFT);
}

/* Where the console ring is, from the builder's own word (x86: gfn 0x9e
 * under the 640K hole; arm64: the magic page at 0x39000000). */
static void find_console(void)
{
    uint64_t pfn;

    if ( !hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) && pfn )
        console_gfn = pfn;
}

/* ---- vCPU 1: churn ------------------------------------------------------------ */

static uint64_t *frame(uint64_t gfn)
{
    return (uint64_t *)(uintptr_t)(gfn << PAGE_SHIFT);
}
static bool a_has(uint64_t i)
{
    return churn_map[i / 64] & (1ULL << (i % 64));
}
static void a_set(uint64_t i, bool on)
{
    if ( on )
        churn_map[i / 64] |= 1ULL << (i % 64);
    else
        churn_map[i / 64] &= ~(1ULL << (i % 64));
}

static long churn_call(unsigned int op, uint64_t gfn, unsigned int order)
{
    struct xen_memory_reservation m = { .nr_extents = 1,
                                        .extent_order = order,
                                        .domid = DOMID_SELF };
    uint64_t g = gfn;

    set_xen_guest_handle(m.extent_start, &g);
    return hypercall_memory_op(op, &m);
}

static void churn_finding(uint64_t gfn, const char *what, uint64_t val)
{
    struct fuzz_call c = { .index = st->churn_ops, .kind = FK_CHURN, .arg = { gfn, val } };

    finding(&c, "vCPU 1: frame %#lx %s (%#lx)", (unsigned long)gfn, what, (unsigned long)val);
}

/* Populate slot i of range A; a fresh frame must read zero, then hold our tag. */
static void churn_a_populate(uint64_t i)
{
    uint64_t gfn = FUZZ_CHURN_A_GFN + i, *p = frame(gfn);

    if ( churn_call(XENMEM_populate_physmap, gfn, 0) != 1 )
        return;
    st->churn_populated++;
    for ( unsigned int w = 0; w < PAGE_SIZE / 8; w++ )
        if ( p[w] )
        {
            churn_finding(gfn, "was not zeroed when populated", p[w]);
            break;
        }
    p[0] = seed ^ gfn;
    a_set(i, true);
}

static void churn_a_decrease(uint64_t i)
{
    uint64_t gfn = FUZZ_CHURN_A_GFN + i;
    long rc;

    if ( frame(gfn)[0] != (seed ^ gfn) )
        churn_finding(gfn, "lost what vCPU 1 wrote", frame(gfn)[0]);
    st->churn_checked++;
    rc = churn_call(XENMEM_decrease_reservation, gfn, 0);
    if ( rc == 1 )
        a_set(i, false);
    else if ( mem_type(gfn) != HVMMEM_ram_rw )
    {
        churn_finding(gfn, "unmapped by a decrease that failed", (uint64_t)rc);
        a_set(i, false); /* never touch it again */
    }
}

/* Move shared_info into range B, over RAM or a hole (special=1 only: vCPU 0
 * then no longer knows where it is, so it cannot keep clear of it). */
static void churn_remap_shinfo(uint64_t gfn)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .gpfn = gfn,
    };

    shinfo_lock();
    hypercall_memory_op(XENMEM_add_to_physmap, &x);
    shinfo_unlock();
}

static void churn_step(uint64_t *r)
{
    uint64_t i = fuzz_below(r, FUZZ_CHURN_NR);
    unsigned int order = fuzz_below(r, 4) ? 0 : 9;
    uint64_t b = FUZZ_CHURN_B_GFN + (order ? 0 : fuzz_below(r, FUZZ_CHURN_NR));

    switch ( fuzz_below(r, special ? 5 : 4) )
    {
    case 0:
        if ( !a_has(i) )
            churn_a_populate(i);
        break;
    case 1:
        if ( a_has(i) )
            churn_a_decrease(i);
        break;
    case 2: churn_call(XENMEM_decrease_reservation, b, order); break;
    case 3: churn_call(XENMEM_populate_physmap, b, order); break;
    default: churn_remap_shinfo(b); break;
    }
    st->churn_ops++;
}

static void churn_main(unsigned int id)
{
    uint64_t r = seed ^ 0xc4a5e1ULL;

    (void)id;
    while ( st->state != FUZZ_DONE )
        churn_step(&r);
    churn_stopped = true;
}

/* ---- vCPU 0: the calls ------------------------------------------------------- */

static void one_call(uint64_t i)
{
    uint64_t r = seed ^ (i * 0xd1342543de82ef95ULL);
    volatile struct fuzz_call *slot = &st->ring[i % FUZZ_RING];
    struct fuzz_call c = { .index = i };

    c.kind = fuzz_pick_kind(&r);
    fuzz_issue(c.kind, &r, &c);
    st->per_kind[c.kind]++;
    if ( c.rc < 0 )
        st->rc_err++;
    else
        st->rc_ok++;
    if ( !ro_page_intact() )
    {
        finding(&c, "the read-only page changed");
        ro_expected = ro_sum();
    }
    if ( list_dirty )
        list_reset();
    *slot = c;
}

static void publish(void)
{
    ram_end_gfn = xtf_ram_end() >> PAGE_SHIFT;
    image_first_gfn = (uint64_t)(uintptr_t)_image_start >> PAGE_SHIFT;
    image_end_gfn = ROUNDUP((uint64_t)(uintptr_t)_image_end, PAGE_SIZE) >> PAGE_SHIFT;
    memset((void *)st, 0, sizeof(*st));
    st->seed = seed;
    st->calls_target = xtf_cmdline_u64("calls", 1000);
    st->flags = special ? FUZZ_F_SPECIAL : 0;
    st->flags |= xtf_cmdline_u64("strict", 0) ? FUZZ_F_STRICT : 0;
    st->ram_end = ram_end_gfn << PAGE_SHIFT;
    for ( uint64_t i = 0; i < FUZZ_CHURN_NR; i++ )
    {
        frame(FUZZ_CHURN_A_GFN + i)[0] = seed ^ (FUZZ_CHURN_A_GFN + i);
        a_set(i, true);
    }
    list_reset();
    smp_wmb();
    st->state = FUZZ_READY;
    st->magic = FUZZ_HOSTILE_MAGIC;
}

void test_main(void)
{
    seed = xtf_cmdline_u64("seed", 1);
    special = xtf_cmdline_u64("special", 0);
    if ( xtf_cmdline_u64("twin", 0) )
        for ( ;; )
            hypercall_yield();
    printf("hostile: seed %lu, %lu calls, image gfns [%#lx, %#lx)\n", (unsigned long)seed,
           (unsigned long)xtf_cmdline_u64("calls", 1000),
           (unsigned long)((uintptr_t)_image_start >> PAGE_SHIFT),
           (unsigned long)(ROUNDUP((uintptr_t)_image_end, PAGE_SIZE) >> PAGE_SHIFT));
    find_console();
    make_ro_page();
    publish();
    while ( !st->go )
        hypercall_yield();
    st->state = FUZZ_RUNNING;
    st->tsc_start = fuzz_rdtsc();
    if ( xtf_vcpu_start(1, churn_main) )
        churn_stopped = true;
    for ( uint64_t i = 0; i < st->calls_target; i++ )
    {
        one_call(i);
        st->calls_done = i + 1;
    }
    st->tsc_end = fuzz_rdtsc();
    st->state = FUZZ_DONE;
    while ( !churn_stopped )
        hypercall_yield();
    for ( ;; ) /* the controller destroys us */
        hypercall_yield();
}
