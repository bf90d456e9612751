/*
 * p2m-george - George Dunlap's sequences (seeds/000): overlapping global
 * type changes must compose, as if each had been applied at once.
 *
 * dom0 controller; domains 1 and 2 both run p2m-target (16 MiB). d1's p2m
 * is lazy (the default), d2's eager (WREN_P2M_SET_EAGER: every global
 * change rewrites the whole table at once, the reference). ram_ro plays
 * the part of ioreq_server: "owners" A (1) and B (2) claim it with
 * WREN_P2M_CLAIM_TYPE, mark frames with DMOP set_mem_type, and leave with
 * WREN_P2M_RELEASE_TYPE (a global change ram_ro -> to). On each domain:
 *   A claims ram_ro and marks X, Z, X1, X2; B's claim is -EBUSY and B
 *   cannot release A's type (-EPERM); A releases (ram_ro -> ram_rw,
 *   pending); B claims and marks Y, X1 again (a1: the very frame A left
 *   pending) and Y2 (a2: in X2's 2 MiB block); log-dirty begins
 *   (ram_rw -> ram_logdirty). Then:
 *  - LOOKUP: X, Z, X2 and an unmarked Xb are ram_logdirty (ram_ro ->
 *    ram_rw -> ram_logdirty), Y, X1, Y2 are ram_ro (B's, untouched by
 *    log-dirty);
 *  - the guest writes each frame, one write at a time: X, X2, Xb land and
 *    each costs exactly one counted log-dirty fault (b: the tracking the
 *    second change asked for is not lost), then they are ram_rw; writes to
 *    Y, X1, Y2 are dropped (one counted drop each) and they stay ram_ro;
 *  - B leaves while log-dirty is on, releasing to ram_logdirty: Y's next
 *    write lands and is counted as a log-dirty fault;
 *  - FINISH leaves nothing pending; AUDIT is clean after every step;
 *  - the lazy and the eager domain end with identical types and orders
 *    for every frame in [4M, 16M), identical values, and as many 4K, 2M
 *    and 1G leaves. (Per-type counts are not compared: they include the
 *    target's own pages, which may legitimately be touched differently.)
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <public/hvm/hvm_op.h>

const char test_title[] = "p2m: George Dunlap's overlapping type changes";

#define OWNER_A   1
#define OWNER_B   2
#define DATA_GFN  XTF_GFN(0x400)
#define DATA_END  XTF_GFN(0x1000) /* 16 MiB */
#define WARM_GFN  XTF_GFN(0xe00)  /* written first under log-dirty */
#define OLD(g)    (0x0a1d000000000000ULL + (g))
#define NEW(g, n) (0x0e30000000000000ULL + ((uint64_t)(n) << 32) + (g))

#define RW XTF_P2M_RAM_RW
#define LD XTF_P2M_RAM_LOGDIRTY
#define RO XTF_P2M_RAM_RO

struct frame
{
    const char *name;
    uint64_t gfn;
    bool by_a, by_b;       /* marked ram_ro by owner A / B */
    unsigned int begun;    /* type once log-dirty has begun */
    bool write;            /* the guest writes it then */
    unsigned int written;  /* type after that */
    unsigned int released; /* type after B releases to ram_logdirty */
};

static const struct frame frames[] = {
    { "X (A's, released)", XTF_GFN(0x480), true, false, LD, true, RW, RW },
    { "Z (A's, never touched)", XTF_GFN(0x490), true, false, LD, false, LD, LD },
    { "Y (B's)", XTF_GFN(0x6c0), false, true, RO, true, RO, LD },
    { "X1 (A's, then B's)", XTF_GFN(0x880), true, true, RO, true, RO, LD },
    { "X2 (A's, beside Y2)", XTF_GFN(0xa10), true, false, LD, true, RW, RW },
    { "Y2 (B's, beside X2)", XTF_GFN(0xa20), false, true, RO, true, RO, LD },
    { "Xb (never marked)", XTF_GFN(0xc40), false, false, LD, true, RW, RW },
};
#define NR_FRAMES ARRAY_SIZE(frames)
#define Y_INDEX   2

struct target
{
    domid_t dom;
    bool eager;
    uint64_t mb_gfn;
    xtf_mb_t *mb;
    uint64_t value[NR_FRAMES];         /* what each frame should hold */
    uint8_t type[DATA_END - DATA_GFN]; /* final LOOKUP of the data */
    uint8_t order[DATA_END - DATA_GFN];
};

static struct target targets[] = {
    { .dom = 1, .eager = false, .mb_gfn = 0x7f100 },
    { .dom = 2, .eager = true, .mb_gfn = 0x7f101 },
};

static const char *mode(const struct target *t)
{
    return t->eager ? "eager" : "lazy";
}

static long p2m_op(const struct target *t, uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2,
                   struct xen_domctl_wren_p2m *out)
{
    struct xen_domctl_wren_p2m r;

    return xtf_wren_p2m(t->dom, op, a0, a1, a2, out ? out : &r);
}

static void audit(const struct target *t, const char *step)
{
    struct xen_domctl_wren_p2m s;
    long rc = p2m_op(t, WREN_P2M_AUDIT, 0, 0, 0, &s);

    if ( rc || s.audit_rc )
        xtf_failure("d%u (%s) %s: audit rc %ld, audit_rc %d", t->dom, mode(t), step, rc,
                    s.audit_rc);
}

/* Step that must return want; false (reported) otherwise. */
static bool expect_rc(const struct target *t, const char *step, long rc, long want)
{
    if ( rc == want )
        return true;
    xtf_failure("d%u (%s) %s: rc %ld, expected %ld", t->dom, mode(t), step, rc, want);
    return false;
}

enum stage
{
    BEGUN,
    WRITTEN,
    RELEASED
};

static unsigned int want_type(const struct frame *f, enum stage st)
{
    return st == BEGUN ? f->begun : st == WRITTEN ? f->written : f->released;
}

static void expect_types(const struct target *t, const char *step, enum stage st)
{
    for ( unsigned int i = 0; i < NR_FRAMES; i++ )
    {
        unsigned int want = want_type(&frames[i], st), type;
        long rc = xtf_p2m_lookup(t->dom, frames[i].gfn, &type, NULL);

        if ( rc || type != want )
            xtf_failure("d%u (%s) %s: %s gfn %#lx is %s, expected %s", t->dom, mode(t), step,
                        frames[i].name, (unsigned long)frames[i].gfn,
                        rc ? "(lookup failed)" : xtf_p2m_type_name(type), xtf_p2m_type_name(want));
    }
}

static bool mark(const struct target *t, bool by_b)
{
    for ( unsigned int i = 0; i < NR_FRAMES; i++ )
        if ( by_b ? frames[i].by_b : frames[i].by_a )
        {
            long rc = xtf_dm_set_mem_type(t->dom, frames[i].gfn, 1, HVMMEM_ram_ro);

            if ( !expect_rc(t, by_b ? "B marks" : "A marks", rc, 0) )
                return false;
        }
    return true;
}

/* The guest writes one frame; check the value and which count rose. */
static bool write_one(struct target *t, unsigned int i, unsigned int n, bool lands,
                      const char *step)
{
    uint64_t ro0, ld0, ro1, ld1, v = NEW(frames[i].gfn, n);
    long rc;

    if ( xtf_p2m_fault_counts(t->dom, &ro0, &ld0) )
        return expect_rc(t, "FAULT_COUNTS", -1, 0);
    t->mb->gfn[0] = frames[i].gfn;
    t->mb->val[0] = v;
    rc = xtf_mb_call(t->mb, XTF_MB_WRITE, 1);
    if ( rc )
    {
        xtf_mb_report(t->mb, step, rc);
        return false;
    }
    if ( xtf_p2m_fault_counts(t->dom, &ro1, &ld1) )
        return expect_rc(t, "FAULT_COUNTS", -1, 0);
    if ( lands )
        t->value[i] = v;
    if ( t->mb->out[0] != t->value[i] )
        xtf_failure("d%u (%s) %s: %s reads %#lx after the write, expected "
                    "%#lx (write %s)",
                    t->dom, mode(t), step, frames[i].name, (unsigned long)t->mb->out[0],
                    (unsigned long)t->value[i], lands ? "should land" : "should be dropped");
    if ( ld1 - ld0 != (lands ? 1 : 0) || ro1 - ro0 != (lands ? 0 : 1) )
        xtf_failure("d%u (%s) %s: writing %s counted %lu log-dirty faults "
                    "and %lu dropped writes, expected %u and %u",
                    t->dom, mode(t), step, frames[i].name, (unsigned long)(ld1 - ld0),
                    (unsigned long)(ro1 - ro0), lands, !lands);
    return true;
}

static bool owners_and_logdirty(struct target *t)
{
    struct xen_domctl_wren_p2m s0, s1;

    if ( !expect_rc(t, "A claims ram_ro", p2m_op(t, WREN_P2M_CLAIM_TYPE, RO, OWNER_A, 0, NULL),
                    0) ||
         !mark(t, false) )
        return false;

    /* The guard: B may neither claim nor release A's type. */
    p2m_op(t, WREN_P2M_GET_STATS, 0, 0, 0, &s0);
    expect_rc(t, "B claims while A owns", p2m_op(t, WREN_P2M_CLAIM_TYPE, RO, OWNER_B, 0, NULL),
              -XEN_EBUSY);
    expect_rc(t, "B releases A's type", p2m_op(t, WREN_P2M_RELEASE_TYPE, RO, OWNER_B, RW, NULL),
              -XEN_EPERM);
    p2m_op(t, WREN_P2M_GET_STATS, 0, 0, 0, &s1);
    if ( s1.global_changes != s0.global_changes || s1.entries_written != s0.entries_written )
        xtf_failure("d%u (%s): a refused claim/release changed the p2m", t->dom, mode(t));
    audit(t, "A marked");

    if ( !expect_rc(t, "A releases ram_ro -> ram_rw",
                    p2m_op(t, WREN_P2M_RELEASE_TYPE, RO, OWNER_A, RW, &s1), 0) )
        return false;
    printf("d%u (%s): A released, %lu marks pending\n", t->dom, mode(t),
           (unsigned long)s1.recalc_pending);
    if ( !t->eager && !s1.recalc_pending )
        xtf_failure("d%u (lazy): A's release left nothing pending", t->dom);
    if ( !expect_rc(t, "B claims ram_ro", p2m_op(t, WREN_P2M_CLAIM_TYPE, RO, OWNER_B, 0, NULL),
                    0) ||
         !mark(t, true) )
        return false;
    audit(t, "B marked");

    if ( !expect_rc(t, "log-dirty begins (ram_rw -> ram_logdirty)",
                    p2m_op(t, WREN_P2M_BEGIN_GLOBAL, RW, LD, 0, &s1), 0) )
        return false;
    printf("d%u (%s): log-dirty begun, %lu marks pending\n", t->dom, mode(t),
           (unsigned long)s1.recalc_pending);
    expect_types(t, "log-dirty begun", BEGUN);
    audit(t, "log-dirty begun");
    return true;
}

static bool touch(struct target *t)
{
    long rc;

    /* Make the target's own pages (stack, mailbox, page tables) ram_rw
     * first, idle loop included, so that each write below costs exactly
     * the faults of its frame. */
    t->mb->gfn[0] = WARM_GFN;
    t->mb->val[0] = NEW(WARM_GFN, 1);
    if ( (rc = xtf_mb_call(t->mb, XTF_MB_WRITE, 1)) || (rc = xtf_mb_settle(t->mb)) )
    {
        xtf_mb_report(t->mb, "warm-up write", rc);
        return false;
    }
    for ( unsigned int i = 0; i < NR_FRAMES; i++ )
        if ( frames[i].write && !write_one(t, i, 1, frames[i].written == RW, "guest writes") )
            return false;
    expect_types(t, "after the writes", WRITTEN);
    audit(t, "after the writes");

    /* B leaves while log-dirty is on: its frames must stay tracked. */
    if ( !expect_rc(t, "B releases ram_ro -> ram_logdirty",
                    p2m_op(t, WREN_P2M_RELEASE_TYPE, RO, OWNER_B, LD, NULL), 0) )
        return false;
    expect_types(t, "B released", RELEASED);
    if ( !write_one(t, Y_INDEX, 2, true, "write after B left") )
        return false;
    audit(t, "B released");
    return true;
}

static bool finish_and_record(struct target *t)
{
    struct xen_domctl_wren_p2m s;
    long rc = p2m_op(t, WREN_P2M_FINISH, 0, 0, 0, &s);

    if ( !expect_rc(t, "FINISH", rc, 0) )
        return false;
    if ( s.recalc_pending )
        xtf_failure("d%u (%s): %lu marks pending after FINISH", t->dom, mode(t),
                    (unsigned long)s.recalc_pending);
    audit(t, "finished");
    for ( uint64_t g = DATA_GFN; g < DATA_END; g++ )
    {
        unsigned int type, order;

        if ( xtf_p2m_lookup(t->dom, g, &type, &order) )
            return expect_rc(t, "LOOKUP", -1, 0);
        t->type[g - DATA_GFN] = (uint8_t)type;
        t->order[g - DATA_GFN] = (uint8_t)order;
    }
    for ( unsigned int i = 0; i < NR_FRAMES; i++ )
        t->mb->gfn[i] = frames[i].gfn;
    if ( (rc = xtf_mb_call(t->mb, XTF_MB_READ, NR_FRAMES)) )
    {
        xtf_mb_report(t->mb, "final read", rc);
        return false;
    }
    for ( unsigned int i = 0; i < NR_FRAMES; i++ )
        if ( t->mb->out[i] != t->value[i] )
            xtf_failure("d%u (%s): %s holds %#lx, expected %#lx", t->dom, mode(t), frames[i].name,
                        (unsigned long)t->mb->out[i], (unsigned long)t->value[i]);
    return true;
}

static bool run(struct target *t)
{
    struct xen_domctl_getdomaininfo info;
    long rc;

    if ( xtf_getdomaininfo(t->dom, &info) )
    {
        xtf_error("d%u (p2m-target) does not exist", t->dom);
        return false;
    }
    t->mb = xtf_mb_attach(t->dom, t->mb_gfn);
    if ( !t->mb )
    {
        xtf_error("no mailbox with d%u", t->dom);
        return false;
    }
    if ( t->mb->ram_end < (DATA_END << PAGE_SHIFT) )
    {
        xtf_error("d%u has too little RAM (%#lx)", t->dom, (unsigned long)t->mb->ram_end);
        return false;
    }
    t->mb->arg[0] = DATA_GFN;
    t->mb->arg[1] = DATA_END - DATA_GFN;
    t->mb->arg[2] = OLD(0);
    if ( (rc = xtf_mb_call(t->mb, XTF_MB_FILL, 0)) )
    {
        xtf_mb_report(t->mb, "fill", rc);
        return false;
    }
    for ( unsigned int i = 0; i < NR_FRAMES; i++ )
        t->value[i] = OLD(frames[i].gfn);
    if ( !expect_rc(t, "SET_EAGER", p2m_op(t, WREN_P2M_SET_EAGER, t->eager, 0, 0, NULL), 0) )
        return false;
    audit(t, "start");
    return owners_and_logdirty(t) && touch(t) && finish_and_record(t);
}

/* Eager application is the reference: the lazy domain must match it. */
static void compare(const struct target *l, const struct target *e)
{
    struct xen_domctl_wren_p2m sl, se;
    unsigned int diffs = 0;

    for ( uint64_t i = 0; i < DATA_END - DATA_GFN; i++ )
        if ( (l->type[i] != e->type[i] || l->order[i] != e->order[i]) && !diffs++ )
            xtf_failure("gfn %#lx: %s order %u in d%u (lazy), %s order %u in "
                        "d%u (eager)",
                        (unsigned long)(DATA_GFN + i), xtf_p2m_type_name(l->type[i]), l->order[i],
                        l->dom, xtf_p2m_type_name(e->type[i]), e->order[i], e->dom);
    for ( unsigned int i = 0; i < NR_FRAMES; i++ )
        if ( l->value[i] != e->value[i] )
            xtf_failure("%s: %#lx lazily, %#lx eagerly", frames[i].name, (unsigned long)l->value[i],
                        (unsigned long)e->value[i]);
    if ( p2m_op(l, WREN_P2M_GET_STATS, 0, 0, 0, &sl) ||
         p2m_op(e, WREN_P2M_GET_STATS, 0, 0, 0, &se) )
        xtf_failure("GET_STATS failed");
    else if ( sl.entries_4k != se.entries_4k || sl.entries_2m != se.entries_2m ||
              sl.entries_1g != se.entries_1g )
        xtf_failure("leaves: lazy %lu/%lu/%lu, eager %lu/%lu/%lu (4K/2M/1G)",
                    (unsigned long)sl.entries_4k, (unsigned long)sl.entries_2m,
                    (unsigned long)sl.entries_1g, (unsigned long)se.entries_4k,
                    (unsigned long)se.entries_2m, (unsigned long)se.entries_1g);
    printf("Lazy d%u and eager d%u: %u of %lu frames differ; %lu 4K + %lu 2M "
           "leaves each\n",
           l->dom, e->dom, diffs, DATA_END - DATA_GFN, (unsigned long)sl.entries_4k,
           (unsigned long)sl.entries_2m);
}

void test_main(void)
{
    bool ok = true;

    for ( unsigned int i = 0; i < ARRAY_SIZE(targets); i++ )
        ok = run(&targets[i]) && ok;
    if ( ok )
        compare(&targets[0], &targets[1]);
    for ( unsigned int i = 0; i < ARRAY_SIZE(targets); i++ )
        if ( targets[i].mb )
        {
            xtf_mb_call(targets[i].mb, XTF_MB_EXIT, 0);
            xtf_unmap_local(targets[i].mb_gfn);
        }
    xtf_success(NULL);
}
