/*
 * arm64-save-hyp - the hypervisor side of save/restore on arm64, driven
 * by hand from an XTF dom0 (the steps of x86's save-hyp, through the
 * same xtf/move.h): a running two-vCPU domU (arm64-save-target) is moved
 * to a new domain and carries on without knowing.
 *
 * dom0 waits until d1's vCPUs count and its timer ticks, pauses d1 and
 * takes its HVM context (WREN_ARM_CPU, _FPSIMD, _VTIMER, _VGIC and
 * WREN_VCPU_TIMERS for each vCPU), TSC info and params. It creates a
 * new domain, populates its 16 MiB of RAM and copies each frame through
 * two foreign mappings, then offers it corrupt contexts (below): each
 * must be refused with -EINVAL, leaving the new domain with no vCPU up
 * and d1's own records as they were. PAUSE_S seconds after the save it
 * loads the real context; d1 is destroyed and the new domain unpaused. Through its status page the guest must then show: both
 * vCPUs counting past the saved values, timer ticks rising (vGIC and
 * CNTV state), X19-X28, its EL1 system registers, both vCPUs' V0-V31,
 * FPCR and FPSR and its pattern intact, vCPU 1's SGI to itself (pending
 * in a list register, IRQs masked, when d1 was saved) arriving exactly
 * once when dom0 lets it unmask, and CNTVCT_EL0 never going back
 * nor jumping by the seconds between save and load (the load rebases
 * the domain's counter offset).
 *
 * Corrupt contexts, each one field of the real one: PSTATE at EL2h, an
 * AArch32 PSTATE, an unaligned PC, a reserved FPCR bit, a reserved
 * CNTV_CTL bit, a counter frequency 1 kHz off this host's, the last
 * vGIC record's pad (a refusal after good CPU records: nothing may be
 * applied), and a WREN_ARM_CPU record one byte short.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/move.h>
#include <xtf/p2m.h>
#include <xtf/arm64-save.h>
#include <public/hvm/save.h>
#include <public/arch-arm/hvm/save.h>

const char test_title[] = "save/restore, hypervisor side, arm64: a running domU moved";

#define OLD          1
#define VCPUS        2
#define LOCAL_STATUS 0x7f100UL /* our frames for foreign mappings */
#define LOCAL_FROM   0x7f101UL
#define LOCAL_TO     0x7f102UL
#define PAUSE_S      3
#define PER_VCPU                                                              \
    (5 * 8 + HVM_SAVE_LENGTH_WREN_ARM_CPU + HVM_SAVE_LENGTH_WREN_ARM_FPSIMD + \
     HVM_SAVE_LENGTH_WREN_ARM_VTIMER + HVM_SAVE_LENGTH_WREN_ARM_VGIC +        \
     HVM_SAVE_LENGTH_WREN_VCPU_TIMERS)
#define CTX_SIZE  (2 * 8 + HVM_SAVE_LENGTH_HEADER + VCPUS * PER_VCPU)
#define CTX_EMPTY (2 * 8 + HVM_SAVE_LENGTH_HEADER)

static uint8_t ctx_buf[CTX_SIZE + 64] __attribute__((aligned(16)));
static uint8_t bad[CTX_SIZE + 64] __attribute__((aligned(16)));
static uint8_t again[CTX_SIZE + 64] __attribute__((aligned(16)));
static struct xtf_move_state st = { .ctx = ctx_buf, .ctx_max = sizeof(ctx_buf) };

static uint64_t seconds(uint64_t s)
{
    return s * read_sysreg(cntfrq_el0);
}

/* Wait (yielding, at most 20 s) until the status moves past the values
 * given. */
static bool progress(volatile struct arm_save_status *s, uint64_t counter, uint64_t v1,
                     uint64_t ticks)
{
    uint64_t end = read_sysreg(cntvct_el0) + seconds(20);

    while ( read_sysreg(cntvct_el0) < end )
    {
        if ( s->counter > counter + 2 && s->v1_counter > v1 + 2 && s->ticks > ticks + 10 )
            return true;
        hypercall_yield();
    }
    return false;
}

static bool status_clean(volatile struct arm_save_status *s, const char *when)
{
    if ( !(s->gpr_bad | s->sys_bad | s->fp_bad | s->v1_fp_bad | s->pattern_bad | s->vct_back) )
        return true;
    xtf_failure("%s: X19-X28 %lu, sysregs %lu, FP v0 %lu, FP v1 %lu, pattern %lu bad, "
                "CNTVCT back %lu times (first: %lu)",
                when, (unsigned long)s->gpr_bad, (unsigned long)s->sys_bad,
                (unsigned long)s->fp_bad, (unsigned long)s->v1_fp_bad,
                (unsigned long)s->pattern_bad, (unsigned long)s->vct_back,
                (unsigned long)s->first_bad);
    return false;
}

/* ---- corrupt contexts ---- */

/* The body of the record of typecode for vCPU instance in buf. */
static uint8_t *record_of(uint8_t *buf, uint32_t size, uint16_t typecode, uint16_t instance)
{
    for ( uint32_t off = 0; off + 8 <= size; )
    {
        struct hvm_save_descriptor *d = (void *)(buf + off);

        if ( d->typecode == typecode && d->instance == instance )
            return buf + off + 8;
        if ( d->typecode == HVM_SAVE_CODE(END) )
            break;
        off += 8 + d->length;
    }
    return NULL;
}

enum corruption
{
    PSTATE_EL2,
    PSTATE_AARCH32,
    PC_UNALIGNED,
    FPCR_RESERVED,
    CNTV_CTL_RESERVED,
    CNTFRQ_OTHER,
    VGIC_PAD_LAST,
    CPU_SHORT,
    NR_CORRUPTIONS
};

static const char *const corruption_name[NR_CORRUPTIONS] = {
    "PSTATE EL2h",           "PSTATE AArch32",
    "PC unaligned",          "FPCR reserved bit",
    "CNTV_CTL reserved bit", "another counter frequency",
    "vCPU 1's vGIC pad",     "CPU record one byte short",
};

/* A copy of the real context with one field broken; its size. */
static uint32_t corrupt(enum corruption c)
{
    uint32_t size = st.ctx_size;
    struct hvm_wren_arm_cpu *cpu;
    struct hvm_wren_arm_fpsimd *fp;
    struct hvm_wren_arm_vtimer *t;
    struct hvm_wren_arm_vgic *g;

    memcpy(bad, st.ctx, size);
    cpu = (void *)record_of(bad, size, HVM_SAVE_CODE(WREN_ARM_CPU), 0);
    fp = (void *)record_of(bad, size, HVM_SAVE_CODE(WREN_ARM_FPSIMD), 0);
    t = (void *)record_of(bad, size, HVM_SAVE_CODE(WREN_ARM_VTIMER), 1);
    g = (void *)record_of(bad, size, HVM_SAVE_CODE(WREN_ARM_VGIC), VCPUS - 1);
    if ( !cpu || !fp || !t || !g )
        return 0;
    switch ( c )
    {
    case PSTATE_EL2: cpu->pstate = (cpu->pstate & ~0xfUL) | 0x9; break;
    case PSTATE_AARCH32: cpu->pstate |= 0x10; break;
    case PC_UNALIGNED: cpu->pc += 2; break;
    case FPCR_RESERVED: fp->fpcr |= 1UL << 31; break;
    case CNTV_CTL_RESERVED: t->ctl |= 1UL << 8; break;
    case CNTFRQ_OTHER: t->freq += 1000; break;
    case VGIC_PAD_LAST: g->pad = 1; break;
    default: /* CPU_SHORT: the descriptor says one byte less */
        ((struct hvm_save_descriptor *)((uint8_t *)cpu - 8))->length--;
        break;
    }
    return size;
}

/* The parts of d's context that must not change while it is paused: the
 * CPU and FP records (the timer's count is the clock's). */
static bool records_equal(const uint8_t *a, const uint8_t *b, uint32_t size)
{
    for ( uint16_t v = 0; v < VCPUS; v++ )
    {
        const uint8_t *ca = record_of((uint8_t *)a, size, HVM_SAVE_CODE(WREN_ARM_CPU), v);
        const uint8_t *cb = record_of((uint8_t *)b, size, HVM_SAVE_CODE(WREN_ARM_CPU), v);
        const uint8_t *fa = record_of((uint8_t *)a, size, HVM_SAVE_CODE(WREN_ARM_FPSIMD), v);
        const uint8_t *fb = record_of((uint8_t *)b, size, HVM_SAVE_CODE(WREN_ARM_FPSIMD), v);

        if ( !ca || !cb || !fa || !fb || memcmp(ca, cb, HVM_SAVE_LENGTH_WREN_ARM_CPU) ||
             memcmp(fa, fb, HVM_SAVE_LENGTH_WREN_ARM_FPSIMD) )
            return false;
    }
    return true;
}

/* Every corruption refused by the new domain (which keeps no vCPU up)
 * and by d1 itself (whose records stay as saved). */
static bool corrupt_refused(domid_t to)
{
    for ( unsigned int c = 0; c < NR_CORRUPTIONS; c++ )
    {
        uint32_t size = corrupt(c), now = 0;
        long rc;

        if ( !size )
            return xtf_failure("the context lacks an arm64 record"), false;
        if ( (rc = xtf_sethvmcontext(to, bad, size)) != -XEN_EINVAL )
            return xtf_failure("%s: rc %ld, expected -EINVAL", corruption_name[c], rc), false;
        if ( (rc = xtf_gethvmcontext(to, NULL, &now)) || now != CTX_EMPTY )
            return xtf_failure("%s: the new domain's context is %u bytes (rc %ld): a vCPU "
                               "came up",
                               corruption_name[c], now, rc),
                   false;
        if ( (rc = xtf_sethvmcontext(OLD, bad, size)) != -XEN_EINVAL )
            return xtf_failure("%s into d%u: rc %ld", corruption_name[c], OLD, rc), false;
        now = sizeof(again);
        if ( (rc = xtf_gethvmcontext(OLD, again, &now)) || now != st.ctx_size ||
             !records_equal(again, st.ctx, now) )
            return xtf_failure("%s changed d%u's records (rc %ld)", corruption_name[c], OLD, rc),
                   false;
    }
    printf("%u corrupt contexts refused, nothing changed\n", NR_CORRUPTIONS);
    return true;
}

/* ---- the move ---- */

static bool copy_memory(domid_t to)
{
    for ( uint64_t g = ARM_SAVE_RAM_GFN; g < ARM_SAVE_RAM_GFN + ARM_SAVE_RAM_PAGES; g += 64 )
        if ( xtf_populate(to, g, 0, 64) != 64 )
            return xtf_failure("populating gfn %#lx of d%u", (unsigned long)g, to), false;
    for ( uint64_t g = ARM_SAVE_RAM_GFN; g < ARM_SAVE_RAM_GFN + ARM_SAVE_RAM_PAGES; g++ )
    {
        long rc = xtf_move_copy_frame(OLD, to, g, LOCAL_FROM, LOCAL_TO);

        if ( rc )
            return xtf_failure("copying gfn %#lx: %ld", (unsigned long)g, rc), false;
    }
    return true;
}

static bool restore_new(domid_t to)
{
    long rc = xtf_move_set_params(to, &st);

    if ( rc )
        return xtf_failure("setting params: %ld", rc), false;
    if ( (rc = xtf_tscinfo(XEN_DOMCTL_settscinfo, to, &st.tsc)) )
        return xtf_failure("settscinfo: %ld", rc), false;
    if ( !corrupt_refused(to) )
        return false;
    if ( (rc = xtf_sethvmcontext(to, st.ctx, st.ctx_size)) )
        return xtf_failure("sethvmcontext: %ld", rc), false;
    return true;
}

static void wait_seconds(uint64_t s)
{
    uint64_t end = read_sysreg(cntvct_el0) + seconds(s);

    while ( read_sysreg(cntvct_el0) < end )
        hypercall_yield();
}

static bool move(domid_t *to)
{
    struct xen_domctl_createdomain c = xtf_pvh_config(VCPUS);
    long rc = xtf_createdomain(0, &c, to);

    if ( rc )
        return xtf_failure("createdomain: %ld", rc), false;
    if ( (rc = xtf_set_max_mem(*to, 32 * 1024)) || (rc = xtf_set_paging_pool(*to, 4UL << 20)) )
        return xtf_failure("sizing d%u: %ld", *to, rc), false;
    if ( !copy_memory(*to) )
        return false;
    wait_seconds(PAUSE_S); /* between save and load: must not show */
    if ( !restore_new(*to) )
        return false;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_destroydomain, OLD)) )
        return xtf_failure("destroying d%u: %ld", OLD, rc), false;
    if ( (rc = xtf_domctl_simple(XEN_DOMCTL_unpausedomain, *to)) )
        return xtf_failure("unpausing d%u: %ld", *to, rc), false;
    printf("d%u moved to d%u, loaded %u s after the save\n", OLD, *to, PAUSE_S);
    return true;
}

static bool save_old(void)
{
    long rc = xtf_move_save(OLD, &st);

    if ( rc )
        return xtf_failure("saving d%u: %ld", OLD, rc), false;
    printf("saved: context %u bytes\n", st.ctx_size);
    return st.ctx_size == CTX_SIZE ||
           (xtf_failure("context of %u bytes, expected %u", st.ctx_size, CTX_SIZE), false);
}

/* vCPU 1's SGI to itself, pending in a list register when d1 was
 * saved, arrives once when vCPU 1 unmasks IRQs in the new domain. */
static bool sgi_released(volatile struct arm_save_status *s)
{
    uint64_t end = read_sysreg(cntvct_el0) + seconds(10);

    if ( s->sgi_count )
        return xtf_failure("SGI %u arrived while vCPU 1 had IRQs masked", ARM_SAVE_SGI), false;
    s->release = 1;
    while ( read_sysreg(cntvct_el0) < end && (s->release != 2 || !s->sgi_count) )
        hypercall_yield();
    /* a second arrival would come at once: give it a moment */
    for ( unsigned int i = 0; i < 100; i++ )
        hypercall_yield();
    if ( s->sgi_count != 1 )
        return xtf_failure("SGI %u pending across the move arrived %lu times, expected once",
                           ARM_SAVE_SGI, (unsigned long)s->sgi_count),
               false;
    printf("SGI %u pending in a list register across the move arrived once\n", ARM_SAVE_SGI);
    return true;
}

static void check_after(volatile struct arm_save_status *s, uint64_t counter, uint64_t v1,
                        uint64_t ticks)
{
    if ( !progress(s, counter, v1, ticks) )
        return xtf_failure("after the move: counter %lu (saved %lu), vCPU 1 %lu (saved %lu), "
                           "ticks %lu (saved %lu)",
                           (unsigned long)s->counter, (unsigned long)counter,
                           (unsigned long)s->v1_counter, (unsigned long)v1, (unsigned long)s->ticks,
                           (unsigned long)ticks);
    printf("after the move: counter %lu -> %lu, vCPU 1 %lu -> %lu, ticks %lu -> %lu, "
           "largest CNTVCT step %lu ms\n",
           (unsigned long)counter, (unsigned long)s->counter, (unsigned long)v1,
           (unsigned long)s->v1_counter, (unsigned long)ticks, (unsigned long)s->ticks,
           (unsigned long)(s->vct_jump * 1000 / read_sysreg(cntfrq_el0)));
    if ( !status_clean(s, "after the move") )
        return;
    if ( s->vct_jump >= seconds(PAUSE_S) )
        return xtf_failure("CNTVCT jumped by %lu ms: the time between save and load shows",
                           (unsigned long)(s->vct_jump * 1000 / read_sysreg(cntfrq_el0)));
    if ( sgi_released(s) )
        xtf_success(NULL);
}

void test_main(void)
{
    volatile struct arm_save_status *s =
        xtf_map_status(OLD, ARM_SAVE_STATUS_GFN, LOCAL_STATUS, ARM_SAVE_MAGIC);
    uint64_t counter, v1, ticks;
    domid_t to;

    if ( !s )
        return xtf_error("d%u never published its status", OLD);
    if ( !progress(s, s->counter, s->v1_counter, s->ticks) )
        return xtf_failure("d%u does not count or tick before the move", OLD);
    if ( !status_clean(s, "before the move") )
        return;
    if ( !s->sgi_sent || s->sgi_count )
        return xtf_failure("vCPU 1's SGI: sent %lu, arrived %lu before the move",
                           (unsigned long)s->sgi_sent, (unsigned long)s->sgi_count);
    if ( !save_old() )
        return;
    counter = s->counter;
    v1 = s->v1_counter;
    ticks = s->ticks;
    if ( !move(&to) )
        return;
    if ( !(s = xtf_map_status(to, ARM_SAVE_STATUS_GFN, LOCAL_STATUS, ARM_SAVE_MAGIC)) )
        return xtf_failure("d%u's status page is not there", to);
    check_after(s, counter, v1, ticks);
}
