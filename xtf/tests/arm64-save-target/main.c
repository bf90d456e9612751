/*
 * arm64-save-target - the domU that arm64-save-hyp moves to a new domain
 * while it runs (a helper, not a test by itself). It does not know it
 * moved: it writes a pattern over ARM_SAVE_PATTERN_GFN, gives its EL1
 * system registers, V0-V31, FPCR and FPSR values of its own, arms its
 * virtual timer every millisecond (PPI 27 through the vGIC), starts
 * vCPU 1 (PSCI CPU_ON) with FP/SIMD values of its own and an SGI to
 * itself that waits, IRQs masked, until the controller releases it after
 * the move (a pending interrupt in a list register), publishes its
 * status page (xtf/arm64-save.h) and then counts for ever. Each round of
 * vCPU 0 spins with X19-X28 loaded and checks them, its system and
 * FP/SIMD registers, one page of the pattern and that CNTVCT_EL0 never
 * went back. Only the controller decides the result.
 *
 * May not touch: anything but its own RAM and its own vGIC frames.
 */
#include <xtf.h>
#include <xtf/gic.h>
#include <xtf/arm64-save.h>

const char test_title[] = "arm64-save target: counts and checks while it is moved";

#define CPACR_FPEN      (3UL << 20)
#define CNTV_CTL_ENABLE 1UL
#define SPIN            20000UL

static volatile struct arm_save_status *const st =
    (volatile struct arm_save_status *)(ARM_SAVE_STATUS_GFN << PAGE_SHIFT);

static uint64_t period; /* counts per millisecond */

static void tick(unsigned int intid)
{
    if ( intid == ARM_SAVE_SGI )
        st->sgi_count++;
    if ( intid != XTF_PPI_VTIMER )
        return;
    st->ticks++;
    __asm__ volatile(
        "msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(read_sysreg(cntvct_el0) + period),
        "r"(CNTV_CTL_ENABLE));
}

/* ---- memory ---- */

static volatile uint64_t *pattern_page(uint64_t n)
{
    return (volatile uint64_t *)((ARM_SAVE_PATTERN_GFN + n) << PAGE_SHIFT);
}

static void write_pattern(void)
{
    for ( uint64_t n = 0; n < ARM_SAVE_PATTERN_NR; n++ )
        for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
            pattern_page(n)[i] = arm_save_word(ARM_SAVE_PATTERN_GFN + n, i);
}

static bool pattern_ok(uint64_t n)
{
    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
        if ( pattern_page(n)[i] != arm_save_word(ARM_SAVE_PATTERN_GFN + n, i) )
            return false;
    return true;
}

/* ---- general registers: X19-X28 held across a spin ---- */

/* Load X19-X28 with base + 0..9, spin, and count the ones that changed. */
static uint64_t gpr_spin(uint64_t base)
{
    uint64_t bad = 0, n = SPIN;

    __asm__ volatile("mov x19, %[b]\n\t"
                     "add x20, x19, #1; add x21, x19, #2; add x22, x19, #3; add x23, x19, #4\n\t"
                     "add x24, x19, #5; add x25, x19, #6; add x26, x19, #7; add x27, x19, #8\n\t"
                     "add x28, x19, #9\n\t"
                     "1: subs %[n], %[n], #1; b.ne 1b\n\t"
                     "sub x9, x19, %[b]; cmp x9, #0; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x20, %[b]; cmp x9, #1; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x21, %[b]; cmp x9, #2; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x22, %[b]; cmp x9, #3; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x23, %[b]; cmp x9, #4; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x24, %[b]; cmp x9, #5; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x25, %[b]; cmp x9, #6; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x26, %[b]; cmp x9, #7; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x27, %[b]; cmp x9, #8; cinc %[bad], %[bad], ne\n\t"
                     "sub x9, x28, %[b]; cmp x9, #9; cinc %[bad], %[bad], ne"
                     : [bad] "+r"(bad), [n] "+r"(n)
                     : [b] "r"(base)
                     : "x9", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
                       "cc");
    return bad;
}

/* ---- EL1 system registers ---- */

/* clang-format off */
#define SYSREGS(X) \
    X(tpidr_el1, 0x7470696472310001UL) X(tpidr_el0, 0x7470696472300002UL) \
    X(tpidrro_el0, 0x7470696472720003UL) X(contextidr_el1, 0x00000000c0de0004UL) \
    X(mair_el1, 0x0044ff04bb0cff00UL) X(tcr_el1, 0x0000000000100010UL) \
    X(ttbr0_el1, 0x0000000041230000UL) X(ttbr1_el1, 0x0001000041240000UL) \
    X(far_el1, 0x0000fade0000f00dUL) X(esr_el1, 0x0000000096000045UL) \
    X(par_el1, 0x0000000041234000UL) X(cntkctl_el1, 0x0000000000000003UL) \
    X(sp_el0, 0x00000000deadbef0UL)
/* clang-format on */

#define SYS_FIELD(r, val) uint64_t r;
static struct
{
    SYSREGS(SYS_FIELD)
} sys_want;

#define SYS_SET(r, val)                                 \
    __asm__ volatile("msr " #r ", %0; isb" ::"r"(val)); \
    sys_want.r = read_sysreg(r); /* what the CPU keeps of it (RES0 bits) */
#define SYS_CHECK(r, val) ok &= read_sysreg(r) == sys_want.r;

static void sys_set(void)
{
    SYSREGS(SYS_SET)
}

static bool sys_ok(void)
{
    bool ok = true;
    SYSREGS(SYS_CHECK)
    return ok;
}

/* ---- FP/SIMD ---- */

/* Device memory (stage 1 is off): whole aligned 16-byte accesses only. */
struct fp_set
{
    uint64_t v[64] __attribute__((aligned(16)));
    uint64_t got[64] __attribute__((aligned(16)));
    uint64_t fpcr, fpsr;
};
static struct fp_set fp0 = { .fpcr = 0x00c00000UL, .fpsr = 0x08000011UL };
static struct fp_set fp1 = { .fpcr = 0x00400000UL, .fpsr = 0x00000006UL };

static void fp_load(struct fp_set *f, uint64_t seed)
{
    for ( unsigned int i = 0; i < 64; i++ )
        f->v[i] = seed * (i + 1) ^ 0x5a5a0000UL;
    __asm__ volatile("msr cpacr_el1, %0; isb" ::"r"(read_sysreg(cpacr_el1) | CPACR_FPEN));
    xtf_fp_load_v(f->v);
    __asm__ volatile("msr fpcr, %0; msr fpsr, %1" ::"r"(f->fpcr), "r"(f->fpsr));
}

static bool fp_ok(struct fp_set *f)
{
    xtf_fp_save_v(f->got);
    for ( unsigned int i = 0; i < 64; i++ )
        if ( f->got[i] != f->v[i] )
            return false;
    return read_sysreg(fpcr) == f->fpcr && read_sysreg(fpsr) == f->fpsr;
}

/* ---- the loops ---- */

static void note_bad(volatile uint64_t *count, uint64_t code)
{
    if ( !st->first_bad )
        st->first_bad = code;
    (*count)++;
}

/* vCPU 1 (IRQs masked since CPU_ON) sends itself an SGI: it stays
 * pending in a list register until the controller releases it. */
static void v1_sgi_to_self(void)
{
    xtf_gic_cpu_init(1);
    xtf_gic_enable(1, ARM_SAVE_SGI);
    xtf_gic_send_sgi(1, ARM_SAVE_SGI);
    st->sgi_sent = 1;
}

static void v1_main(uint64_t arg)
{
    fp_load(&fp1, 0x1111222233334444UL);
    v1_sgi_to_self();
    for ( ;; )
    {
        if ( st->release == 1 )
        {
            st->release = 2;
            xtf_irq_enable();
        }
        for ( volatile unsigned long i = 0; i < SPIN; i++ )
            ;
        if ( !fp_ok(&fp1) )
            note_bad(&st->v1_fp_bad, ARM_SAVE_BAD_V1_FP);
        st->v1_counter++;
    }
}

static void clock_check(uint64_t *last)
{
    uint64_t now = read_sysreg(cntvct_el0);

    if ( now < *last )
        st->vct_back++;
    else if ( now - *last > st->vct_jump )
        st->vct_jump = now - *last;
    *last = now;
}

static void round_of_checks(uint64_t round)
{
    if ( gpr_spin(round << 8) )
        note_bad(&st->gpr_bad, ARM_SAVE_BAD_GPR);
    if ( !sys_ok() )
        note_bad(&st->sys_bad, ARM_SAVE_BAD_SYS);
    if ( !fp_ok(&fp0) )
        note_bad(&st->fp_bad, ARM_SAVE_BAD_FP);
    if ( !pattern_ok(round % ARM_SAVE_PATTERN_NR) )
        note_bad(&st->pattern_bad, ARM_SAVE_BAD_PATTERN);
}

void test_main(void)
{
    uint64_t last, round = 0;
    long rc;

    write_pattern();
    sys_set();
    fp_load(&fp0, 0x0123456789abcdefUL);
    if ( (rc = xtf_psci_start(1, v1_main, 0)) )
        return xtf_failure("CPU_ON of vCPU 1: %ld", rc);
    period = read_sysreg(cntfrq_el0) / 1000;
    xtf_irq_handler = tick;
    xtf_gic_cpu_init(0);
    xtf_gic_enable(0, XTF_PPI_VTIMER);
    tick(XTF_PPI_VTIMER);
    st->ticks = 0;
    xtf_irq_enable();
    last = read_sysreg(cntvct_el0);
    st->magic = ARM_SAVE_MAGIC;
    for ( ;; round++ )
    {
        round_of_checks(round);
        clock_check(&last);
        st->counter++;
    }
}
