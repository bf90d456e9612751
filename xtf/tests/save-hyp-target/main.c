/*
 * save-hyp-target - the domU that tests/save-hyp moves to a new domain
 * while it runs. It does not know it moved: it writes a pattern over
 * [3 MiB, 4 MiB), arms its LAPIC timer (periodic) and a VCPUOP singleshot
 * (far ahead, so it is still armed when saved), publishes its status page
 * (xtf/save-hyp.h) and then counts for ever: the loop counter, timer
 * interrupts, the TSC going backwards, pattern words that changed, and
 * the p2m type HVMOP_get_mem_type reports for the frame the controller
 * marks broken. Only the controller decides the result.
 *
 * May not touch: the broken frame itself, shared_info after it started
 * counting (the new domain has none mapped there).
 */
#include <xtf.h>
#include <xtf/apic.h>
#include <xtf/p2m.h>
#include <xtf/save-hyp.h>
#include <xtf/xstate.h>
uint64_t xtf_now(void); /* xtf/time.h, whose rdtsc apic.h also has */
#include <public/vcpu.h>
#include <public/hvm/hvm_op.h>

const char test_title[] = "save-hyp target: counts, ticks and checks while it is moved";

static volatile struct save_hyp_status *const st =
    (volatile struct save_hyp_status *)(SAVE_HYP_STATUS_GFN << PAGE_SHIFT);

static void tick(struct cpu_regs *regs)
{
    st->ticks++;
    apic_eoi();
}

static uint64_t *pattern_page(uint64_t n)
{
    return (uint64_t *)((SAVE_HYP_PATTERN_GFN + n) << PAGE_SHIFT);
}

static void write_pattern(void)
{
    for ( uint64_t n = 0; n < SAVE_HYP_PATTERN_NR; n++ )
        for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
            pattern_page(n)[i] = save_hyp_word(SAVE_HYP_PATTERN_GFN + n, i);
}

#define MSR_FS_BASE        0xc0000100
#define MSR_LSTAR          0xc0000082
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_PAT            0x277
#define MSR_MTRR_BASE0     0x200
#define MSR_MTRR_MASK0     0x201

/* State only the CPU and MTRR records carry: SYSCALL and segment-base
 * MSRs, PAT, a variable MTRR, and XMM5 (the runtime leaves SSE off: turn
 * it on as tests/fpu does). */
static void set_cpu_state(void)
{
    unsigned long cr0, cr4;
    uint64_t x = SAVE_HYP_XMM5;

    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    asm volatile("mov %0, %%cr0" ::"r"((cr0 | 2UL) & ~4UL));
    asm volatile("mov %%cr4, %0" : "=r"(cr4));
    asm volatile("mov %0, %%cr4" ::"r"(cr4 | (1UL << 9) | (1UL << 10)));
    asm volatile("movq %0, %%xmm5" ::"m"(x));
    wrmsr(MSR_LSTAR, SAVE_HYP_LSTAR);
    wrmsr(MSR_KERNEL_GS_BASE, SAVE_HYP_KGS);
    wrmsr(MSR_FS_BASE, SAVE_HYP_FS_BASE);
    wrmsr(MSR_PAT, SAVE_HYP_PAT);
    wrmsr(MSR_MTRR_BASE0, SAVE_HYP_MTRR0_B);
    wrmsr(MSR_MTRR_MASK0, SAVE_HYP_MTRR0_M);
}

/* AVX state only CPU_XSAVE carries: XCR0 with AVX, and all 256 bits of
 * YMM7 (the upper half lives in the XSAVE image's AVX component). */
static void set_avx_state(void)
{
    static uint64_t want[4];

    if ( !(xcr0_offered() & XSTATE_YMM) )
        return;
    write_cr4(read_cr4() | X86_CR4_OSXSAVE);
    if ( xsetbv_safe(0, XSTATE_X87 | XSTATE_SSE | XSTATE_YMM) )
        return;
    for ( unsigned int i = 0; i < 4; i++ )
        want[i] = SAVE_HYP_YMM7(i);
    asm volatile("vmovdqu %0, %%ymm7" ::"m"(want));
    st->avx = 1;
}

/* XCR0 first: without AVX in it the load of YMM7 would be #UD. */
static bool avx_state_ok(void)
{
    uint64_t got[4];

    if ( !st->avx )
        return true;
    if ( xgetbv(0) != (XSTATE_X87 | XSTATE_SSE | XSTATE_YMM) )
        return false;
    asm volatile("vmovdqu %%ymm7, %0" : "=m"(got));
    for ( unsigned int i = 0; i < 4; i++ )
        if ( got[i] != SAVE_HYP_YMM7(i) )
            return false;
    return true;
}

static bool cpu_state_ok(void)
{
    uint64_t x;

    asm volatile("movq %%xmm5, %0" : "=m"(x));
    return x == SAVE_HYP_XMM5 && rdmsr(MSR_LSTAR) == SAVE_HYP_LSTAR &&
           rdmsr(MSR_KERNEL_GS_BASE) == SAVE_HYP_KGS && rdmsr(MSR_FS_BASE) == SAVE_HYP_FS_BASE &&
           rdmsr(MSR_PAT) == SAVE_HYP_PAT && rdmsr(MSR_MTRR_BASE0) == SAVE_HYP_MTRR0_B &&
           rdmsr(MSR_MTRR_MASK0) == SAVE_HYP_MTRR0_M && avx_state_ok();
}

/* One page of the pattern, a different one each time round. */
static void check_some(void)
{
    uint64_t n = st->checks % SAVE_HYP_PATTERN_NR;
    uint16_t type = 0xffff;
    long rc;

    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
        if ( pattern_page(n)[i] != save_hyp_word(SAVE_HYP_PATTERN_GFN + n, i) )
            st->pattern_bad++;
    rc = xtf_get_mem_type(DOMID_SELF, SAVE_HYP_BROKEN_GFN, &type);
    st->mem_type_rc = (uint64_t)rc;
    st->broken_type = rc ? 0xffff : type;
    if ( !cpu_state_ok() )
        st->state_bad++;
    st->checks++;
}

static bool arm_timers(void)
{
    struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = xtf_now() + SAVE_HYP_SSHOT_NS };
    long rc = hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &s);

    if ( rc )
        return xtf_failure("singleshot timer: %ld", rc), false;
    st->sshot_at = s.timeout_abs_ns;
    if ( apic_init(APIC_MODE_X2APIC) )
        return xtf_failure("cannot enter x2APIC mode"), false;
    xtf_set_vector_handler(SAVE_HYP_VEC, tick);
    apic_write(APIC_TDCR, 0xb); /* divide by 1: 1 ns a count */
    apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | SAVE_HYP_VEC);
    apic_write(APIC_TMICT, (uint32_t)SAVE_HYP_PERIOD_NS);
    return true;
}

void test_main(void)
{
    write_pattern();
    set_cpu_state();
    set_avx_state();
    st->ram_end = xtf_ram_end();
    if ( !arm_timers() )
        return;
    st->tsc_last = rdtsc();
    smp_wmb();
    st->magic = SAVE_HYP_MAGIC;
    asm volatile("sti" ::: "memory");
    for ( ;; )
    {
        uint64_t t = rdtsc();

        if ( t < st->tsc_last )
            st->tsc_back++;
        st->tsc_last = t;
        if ( !(++st->counter & 0xfff) )
            check_some();
    }
}
