/*
 * cpu-isolation - the CPU state a guest can reach without exits is its own.
 *
 * The hardware switches little at VM entry and exit: XCR0, the XSAVE
 * state beyond x87/SSE (YMM upper halves, AVX-512 opmask and ZMM
 * registers), DR0-DR3 and DR6, and some MSRs are the hypervisor's to
 * switch. dom0 (one vCPU) sets distinctive values in all of them:
 *  - XCR0 = every component CPUID offers, and each offered component
 *    (XMM0-15 and every XSAVE component >= 2) filled with a pattern;
 *  - DR0-DR3, DR6, DR7, and CR2 (VMX does not switch it);
 *  - STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE, SYSENTER_CS/ESP/EIP,
 *    FS_BASE, GS_BASE (the runtime never uses FS or GS) and,
 *    if RDTSCP is offered, TSC_AUX (read back by RDMSR and RDTSCP);
 * then yields thousands of times while two "cpu-scribbler" domUs (three
 * vCPUs on two CPUs) load their own values into the same registers,
 * alternating XCR0 between everything and x87|SSE. After every yield
 * dom0 reads everything back: any difference is a FAILURE, and a value
 * with the scribblers' 0x5c5c5c5c mark is reported as a leak.
 *
 * Every 16th round dom0 itself drops XCR0 to x87|SSE across the yield
 * and then re-enables everything: each component must then hold dom0's
 * own pattern or its init state (the SDM allows either), never another
 * domain's values.
 *
 * XSAVE is a FAILURE if not offered: both platforms have it.
 */
#include <xtf.h>
#include <xtf/xstate.h>

const char test_title[] = "XSAVE state, XCR0, debug registers and MSRs are per vCPU";

#define ROUNDS      4000UL
#define FLIP_EVERY  16
#define MINE        0xd0d0d0d000000000ULL
#define THEIRS_MARK 0x5c5c5c5cU

static uint8_t mine[XSAVE_MAX] __aligned(64);
static uint8_t now[XSAVE_MAX] __aligned(64);
static uint64_t xmax;

struct msr_val
{
    uint32_t idx;
    uint64_t val;
    const char *name;
};
static struct msr_val msrs[] = {
    { 0xc0000081, 0x0023001013572468ULL, "STAR" },
    { 0xc0000082, 0xffff8000d0d10000ULL, "LSTAR" },
    { 0xc0000083, 0xffff8000d0d20000ULL, "CSTAR" },
    { 0xc0000084, 0x00047700ULL, "SFMASK" },
    { 0xc0000102, 0xffff8000d0d30000ULL, "KERNEL_GS_BASE" },
    { 0x174, 0x42ULL, "SYSENTER_CS" },
    { 0x175, 0xffff8000d0d40000ULL, "SYSENTER_ESP" },
    { 0x176, 0xffff8000d0d50000ULL, "SYSENTER_EIP" },
    { 0xc0000100, 0xffff8000d0d70000ULL, "FS_BASE" },
    { 0xc0000101, 0xffff8000d0d80000ULL, "GS_BASE" },
    { 0xc0000103, 0xd0d6ULL, "TSC_AUX" }, /* last: only with RDTSCP */
};
static unsigned int nr_msrs = ARRAY_SIZE(msrs);

static uint64_t dr_want[5]; /* DR0-3, DR6 as read back */
static uint64_t dr7_want;

/* Component i >= 2: where it sits in a standard XSAVE image, and how big. */
static void component(unsigned int i, unsigned int *off, unsigned int *size)
{
    struct cpuid_res r = cpuid_count(0xd, i);

    *off = r.b;
    *size = r.a;
}

static void fill_range(uint8_t *img, unsigned int off, unsigned int size, uint64_t tag)
{
    for ( unsigned int o = off; o + 8 <= off + size; o += 8 )
    {
        uint64_t q = tag | o;
        memcpy(img + o, &q, 8);
    }
}

/* A valid image of the current state with every offered component patterned. */
static void make_image(uint8_t *img, uint64_t tag)
{
    memset(img, 0, XSAVE_MAX);
    xsave(img, xmax);
    fill_range(img, XSAVE_XMM_OFFSET, XSAVE_XMM_SIZE, tag);
    for ( unsigned int i = 2; i < 63; i++ )
    {
        unsigned int off, size;

        if ( !(xmax & (1ULL << i)) )
            continue;
        component(i, &off, &size);
        fill_range(img, off, size, tag);
    }
    memcpy(img + XSAVE_HDR_OFFSET, &xmax, 8); /* XSTATE_BV: all in use */
}

/* Compare one range of now[] with mine[]; init_ok: all-zero is fine too. */
static bool range_ok(const char *what, unsigned int off, unsigned int size, bool in_use,
                     bool init_ok, unsigned long round)
{
    if ( !in_use )
    {
        if ( init_ok )
            return true;
        xtf_failure("round %lu: %s is in its init state, dom0's values lost", round, what);
        return false;
    }
    for ( unsigned int o = off; o + 8 <= off + size; o += 8 )
    {
        uint64_t got, want;

        memcpy(&got, now + o, 8);
        memcpy(&want, mine + o, 8);
        if ( got == want || (init_ok && got == 0) )
            continue;
        xtf_failure("round %lu: %s at image offset %u is %#lx, expected %#lx%s", round, what, o,
                    (unsigned long)got, (unsigned long)want,
                    (uint32_t)(got >> 32) == THEIRS_MARK ? " (a scribbler's value: LEAK)" : "");
        return false;
    }
    return true;
}

static bool xstate_ok(unsigned long round, bool init_ok)
{
    uint64_t bv;

    memset(now, 0, sizeof(now));
    xsave(now, xmax);
    memcpy(&bv, now + XSAVE_HDR_OFFSET, 8);
    if ( !range_ok("XMM0-15", XSAVE_XMM_OFFSET, XSAVE_XMM_SIZE, bv & XSTATE_SSE, init_ok, round) )
        return false;
    for ( unsigned int i = 2; i < 63; i++ )
    {
        unsigned int off, size;
        char what[32];

        if ( !(xmax & (1ULL << i)) )
            continue;
        component(i, &off, &size);
        snprintf(what, sizeof(what), "XSAVE component %u", i);
        if ( !range_ok(what, off, size, bv & (1ULL << i), init_ok, round) )
            return false;
    }
    return true;
}

static void set_debug_regs(void)
{
    write_dr0(0x00007fffd0d00000ULL);
    write_dr1(0x00007fffd0d01000ULL);
    write_dr2(0x00007fffd0d02000ULL);
    write_dr3(0x00007fffd0d03000ULL);
    write_dr6(0xffff0ff5ULL); /* B0 and B2 */
    /* Breakpoint types and lengths, LE and GE, nothing armed: armed
     * breakpoints crash QEMU 7.2 under SVM (docs/platforms.md). */
    write_dr7(0xdddd0600ULL);
    write_cr2(0xffff8000d0d07000ULL);
    dr_want[0] = read_dr0();
    dr_want[1] = read_dr1();
    dr_want[2] = read_dr2();
    dr_want[3] = read_dr3();
    dr_want[4] = read_dr6();
    dr7_want = read_dr7();
}

static bool check_reg(unsigned long round, const char *name, uint64_t got, uint64_t want)
{
    if ( got == want )
        return true;
    xtf_failure("round %lu: %s is %#lx, expected %#lx%s", round, name, (unsigned long)got,
                (unsigned long)want,
                ((uint32_t)(got >> 32) == THEIRS_MARK || (uint32_t)got >> 16 == 0x5c5c ||
                 ((got >> 16) & 0xffff) == 0x5c5c)
                    ? " (a scribbler's value: LEAK)"
                    : "");
    return false;
}

static bool debug_regs_ok(unsigned long round)
{
    return check_reg(round, "DR0", read_dr0(), dr_want[0]) &&
           check_reg(round, "DR1", read_dr1(), dr_want[1]) &&
           check_reg(round, "DR2", read_dr2(), dr_want[2]) &&
           check_reg(round, "DR3", read_dr3(), dr_want[3]) &&
           check_reg(round, "DR6", read_dr6(), dr_want[4]) &&
           check_reg(round, "DR7", read_dr7(), dr7_want) &&
           check_reg(round, "CR2", read_cr2(), 0xffff8000d0d07000ULL);
}

static bool msrs_ok(unsigned long round)
{
    for ( unsigned int i = 0; i < nr_msrs; i++ )
        if ( !check_reg(round, msrs[i].name, rdmsr(msrs[i].idx), msrs[i].val) )
            return false;
    if ( nr_msrs == ARRAY_SIZE(msrs) )
        return check_reg(round, "RDTSCP's TSC_AUX", rdtscp_aux(), msrs[nr_msrs - 1].val);
    return true;
}

static bool all_ok(unsigned long round)
{
    return check_reg(round, "XCR0", xgetbv(0), xmax) && xstate_ok(round, false) &&
           debug_regs_ok(round) && msrs_ok(round);
}

/* XCR0 down to x87|SSE across a yield, then up again: own values or init. */
static bool flip_ok(unsigned long round)
{
    uint64_t ex;

    if ( (ex = xsetbv_safe(0, XSTATE_X87 | XSTATE_SSE)) )
    {
        xtf_failure("XSETBV(3) raised %s", exception_name(EXINFO_VEC(ex)));
        return false;
    }
    hypercall_yield();
    if ( !check_reg(round, "XCR0 (x87|SSE)", xgetbv(0), XSTATE_X87 | XSTATE_SSE) )
        return false;
    if ( (ex = xsetbv_safe(0, xmax)) )
    {
        xtf_failure("XSETBV(%#lx) raised %s", (unsigned long)xmax, exception_name(EXINFO_VEC(ex)));
        return false;
    }
    if ( !xstate_ok(round, true) )
        return false;
    xrstor(mine, xmax);
    return true;
}

static bool setup(void)
{
    xmax = xcr0_offered();
    if ( !xmax )
    {
        xtf_failure("CPUID offers no XSAVE (both platforms have it)");
        return false;
    }
    enable_xsave();
    if ( xsetbv_safe(0, xmax) )
    {
        xtf_failure("XSETBV with the offered XCR0 %#lx faulted", (unsigned long)xmax);
        return false;
    }
    if ( !(cpuid(0x80000001).d & CPUID81_EDX_RDTSCP) )
        nr_msrs--;
    printf("XCR0 %#lx (%s), %u MSRs%s\n", (unsigned long)xmax,
           (xmax & XSTATE_AVX512) == XSTATE_AVX512 ? "AVX-512"
           : (xmax & XSTATE_YMM)                   ? "AVX"
                                                   : "SSE only",
           nr_msrs, nr_msrs == ARRAY_SIZE(msrs) ? " incl. TSC_AUX" : "");
    make_image(mine, MINE);
    xrstor(mine, xmax);
    set_debug_regs();
    for ( unsigned int i = 0; i < nr_msrs; i++ )
        wrmsr(msrs[i].idx, msrs[i].val);
    return all_ok(0);
}

void test_main(void)
{
    unsigned long round;

    if ( !setup() )
        return;
    for ( round = 1; round <= ROUNDS; round++ )
    {
        if ( round % FLIP_EVERY == 0 && !flip_ok(round) )
            return;
        hypercall_yield();
        if ( !all_ok(round) )
            return;
    }
    printf("XCR0, XSAVE components, DR0-3/6/7 and %u MSRs survived %lu yields\n", nr_msrs,
           round - 1);
    xtf_success(NULL);
}
