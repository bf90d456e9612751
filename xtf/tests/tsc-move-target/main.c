/*
 * tsc-move-target - the domU that tests/tsc-move moves, while it runs, to
 * a new domain whose TSC runs 25 % off the host's and whose clock is
 * seconds ahead. It does not know it moved (the controller maps the new
 * domain's shared_info where it had its own and bumps the generation
 * word). It publishes its status page (xtf/tsc-move.h) and then, for
 * ever: checks that its TSC and its pvclock never go backwards; measures
 * its TSC against its pvclock over windows of TSC_MOVE_WINDOW_NS and
 * compares that rate with the one CPUID's time leaf gives (a window the
 * move falls in is dropped: the clock jumped on purpose); takes LAPIC
 * TSC-deadline interrupts, re-armed TSC_MOVE_TIMER_US ahead each time,
 * counting any taken before the TSC reached the deadline; and how far its
 * TSC moved between its last read before the move and its first after
 * (it carries on from the saved value: a pause's worth). A VCPUOP
 * singleshot armed far ahead must still be in its context after the move.
 * Only the controller decides the result.
 *
 * May not touch: shared_info beyond reading its own pvclock.
 */
#include <xtf.h>
#include <xtf/apic.h>
#include <xtf/evtchn.h>
#include <xtf/p2m.h>
#include <xtf/tsc-move.h>
#include <public/vcpu.h>
uint64_t xtf_pvclock_read(const volatile struct vcpu_time_info *t, uint32_t *version,
                          uint64_t *tsc); /* xtf/time.h, whose rdtsc apic.h also has */
uint64_t xtf_now(void);

const char test_title[] = "tsc-move target: its TSC, pvclock and TSC deadline while it is moved";

static volatile struct tsc_move_status *const st =
    (volatile struct tsc_move_status *)(TSC_MOVE_STATUS_GFN << PAGE_SHIFT);
static uint64_t deadline;

/* The guest's TSC rate as CPUID's Xen time leaf (base+3, subleaf 0)
 * gives it. */
static uint64_t cpuid_khz(void)
{
    return cpuid_count(xtf_cpuid_base + 3, 0).c;
}

static void arm_deadline(uint64_t now)
{
    deadline = now + cpuid_khz() * TSC_MOVE_TIMER_US / 1000;
    wrmsr(MSR_TSC_DEADLINE, deadline);
}

static void tick(struct cpu_regs *regs)
{
    uint64_t now = rdtsc();

    if ( now < deadline )
        st->early++;
    else
        st->fires++;
    arm_deadline(now);
    apic_eoi();
}

static bool arm_timers(void)
{
    struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = xtf_now() + TSC_MOVE_SSHOT_NS };
    long rc = hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &s);

    if ( rc )
        return xtf_failure("singleshot timer: %ld", rc), false;
    st->sshot_at = s.timeout_abs_ns;
    if ( apic_init(APIC_MODE_X2APIC) )
        return xtf_failure("cannot enter x2APIC mode"), false;
    xtf_set_vector_handler(TSC_MOVE_VEC, tick);
    apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DLINE | TSC_MOVE_VEC);
    arm_deadline(rdtsc());
    return true;
}

/* The TSC against the pvclock over one window, in kHz (ticks per ms). */
static void measure(uint64_t ticks, uint64_t ns)
{
    uint64_t khz = ticks * 1000000 / ns, want = cpuid_khz();

    st->rate_khz = khz;
    st->cpuid_khz = want;
    if ( khz * 100 < want * 99 || khz * 100 > want * 101 )
        st->rate_bad++;
    st->windows++;
}

void test_main(void)
{
    volatile struct shared_info *s = xtf_shared_info();
    const volatile struct vcpu_time_info *pv;
    uint64_t gen, tsc, ns, w_tsc, w_ns, last_tsc, prev;
    bool restart = false;

    if ( !s )
        return xtf_failure("no shared_info");
    pv = &s->vcpu_info[0].time;
    st->ram_end = xtf_ram_end();
    st->shinfo_gfn = (uintptr_t)s >> PAGE_SHIFT;
    if ( !arm_timers() )
        return;
    gen = st->generation;
    w_ns = st->last_ns = xtf_pvclock_read(pv, NULL, &w_tsc);
    last_tsc = w_tsc;
    smp_wmb();
    st->magic = TSC_MOVE_MAGIC;
    asm volatile("sti" ::: "memory");
    for ( ;; )
    {
        ns = xtf_pvclock_read(pv, NULL, &tsc);
        prev = last_tsc;
        st->tsc_back += tsc < last_tsc;
        st->clock_back += ns < st->last_ns;
        last_tsc = tsc;
        st->last_ns = ns;
        st->counter++;
        if ( gen != st->generation )
        {
            /* Moved: what was read may be from before the pause, so the
             * window starts at the next read. */
            gen = st->generation;
            restart = true;
            st->move_step = tsc - prev;
        }
        else if ( restart )
        {
            restart = false;
            if ( tsc - prev > st->move_step )
                st->move_step = tsc - prev;
            w_tsc = tsc;
            w_ns = ns;
        }
        else if ( ns - w_ns >= TSC_MOVE_WINDOW_NS )
        {
            measure(tsc - w_tsc, ns - w_ns);
            w_tsc = tsc;
            w_ns = ns;
        }
    }
}
