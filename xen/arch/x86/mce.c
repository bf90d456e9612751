/*
 * mce.c - the host's machine-check architecture: MCA enabled on every
 * CPU, the #MC handler (vector 18 in the hypervisor), and the software
 * injection XEN_MC_msrinject/mceinject rely on: injected values are
 * "interposed", read by the handler in place of the hardware's MSRs, so
 * the same handler runs whether QEMU raised a real machine check or dom0
 * asked for one (Bochs can only do the latter). docs/designs/vmce.md.
 *
 * What the handler may do: read and clear MCA MSRs, print, and hand a
 * broken frame to common/vmce.c (vmce_report: lock-free). It takes no
 * lock: it may have interrupted any code. May not touch: guest state.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/smp.h>
#include <xen/sched.h>
#include <xen/vmce.h>
#include <asm/x86.h>
#include <asm/traps.h>
#include <asm/mce.h>

#define CPUID1_EDX_MCE (1U << 7)
#define CPUID1_EDX_MCA (1U << 14)

/* What an injection made this CPU's MCA MSRs read (MC_MSRINJ_MAXMSRS
 * values at most, a few more for the handler's own clears). */
struct mce_interposed
{
    bool active;
    bool raise_on_kick; /* mce_raise from another CPU: raise at the kick */
    unsigned int n;
    struct mce_msr_value v[12];
};

static struct mce_interposed interposed[NR_CPUS];
static unsigned int host_banks; /* 0: the CPU has no MCA */

static struct mce_interposed *this_cpu_interposed(void)
{
    return &interposed[smp_processor_id()];
}

static uint64_t mca_read(uint32_t msr)
{
    struct mce_interposed *ip = this_cpu_interposed();

    if ( !ip->active )
        return rdmsr(msr);
    for ( unsigned int i = 0; i < ip->n; i++ )
        if ( ip->v[i].msr == msr )
            return ip->v[i].value;
    return 0; /* an injection sets what it means; the rest reads clear */
}

static void mca_write(uint32_t msr, uint64_t val)
{
    struct mce_interposed *ip = this_cpu_interposed();

    if ( !ip->active )
    {
        wrmsr(msr, val);
        return;
    }
    for ( unsigned int i = 0; i < ip->n; i++ )
        if ( ip->v[i].msr == msr )
            ip->v[i].value = val;
}

void mce_cpu_init(void)
{
    struct cpuid_regs r = cpuid(1);
    uint64_t cap;

    if ( !(r.d & CPUID1_EDX_MCE) || !(r.d & CPUID1_EDX_MCA) )
    {
        printk(XENLOG_INFO "CPU%u: no machine-check architecture\n", smp_processor_id());
        return;
    }
    cap = rdmsr(MSR_MCG_CAP);
    host_banks = (unsigned int)(cap & MCG_CAP_COUNT);
    if ( host_banks > MCE_MAX_BANKS )
        host_banks = MCE_MAX_BANKS;
    if ( cap & MCG_CTL_P )
        wrmsr(MSR_MCG_CTL, ~0ULL);
    for ( unsigned int b = 0; b < host_banks; b++ )
    {
        wrmsr(MSR_MC0_CTL + 4 * b, ~0ULL);
        wrmsr(MSR_MC0_CTL + 4 * b + 1, 0);
    }
    write_cr4(read_cr4() | X86_CR4_MCE);
    if ( !smp_processor_id() )
        printk(XENLOG_INFO "MCA: %u banks, MCG_CAP %#llx\n", host_banks, (unsigned long long)cap);
}

void arch_mce_synthesize(mfn_t m, bool at_access, struct mce_record *rec)
{
    *rec = (struct mce_record){
        .mcg_status = MCG_STATUS_MCIP | MCG_STATUS_RIPV | (at_access ? MCG_STATUS_EIPV : 0),
        .status = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_MISCV |
                  MCI_STATUS_ADDRV | MCI_STATUS_S | MCI_STATUS_AR | MCI_MCACOD_MEM_READ,
        .addr = mfn_x(m) << PAGE_SHIFT,
        .misc = MCI_MISC_PHYS_4K,
    };
}

/* What the banks said, for the decision and the panic message. */
struct mce_scan
{
    uint64_t mcg_status;
    unsigned int uncorrected, unreported;
    bool pcc;
};

static void scan_bank(unsigned int b, struct mce_scan *s)
{
    uint32_t base = MSR_MC0_CTL + 4 * b;
    struct mce_record rec = { .mcg_status = s->mcg_status, .interrupted = current };

    rec.status = mca_read(base + 1);
    if ( !(rec.status & MCI_STATUS_VAL) )
        return;
    rec.addr = rec.status & MCI_STATUS_ADDRV ? mca_read(base + 2) : 0;
    rec.misc = rec.status & MCI_STATUS_MISCV ? mca_read(base + 3) : 0;
    printk(XENLOG_ERR "MCE: CPU%u bank %u status %#llx addr %#llx misc %#llx\n", smp_processor_id(),
           b, (unsigned long long)rec.status, (unsigned long long)rec.addr,
           (unsigned long long)rec.misc);
    if ( rec.status & MCI_STATUS_UC )
    {
        s->uncorrected++;
        s->pcc |= !!(rec.status & MCI_STATUS_PCC);
        if ( !(rec.status & MCI_STATUS_ADDRV) || vmce_report(&rec) == -EINVAL )
            s->unreported++;
    }
    mca_write(base + 1, 0);
}

/*
 * Fatal: context corrupt (PCC), nowhere to return to (RIPV clear), or an
 * uncorrected error the hypervisor's own instruction caused (EIPV: the
 * hypervisor was interrupted, as always on this path) or whose frame
 * could not be named. Otherwise the error was asynchronous to the
 * hypervisor: its frame is out of service and the owner will be told.
 */
static bool fatal(const struct mce_scan *s)
{
    if ( !s->uncorrected ) /* corrected only, or spurious (MCIP clear) */
        return (s->mcg_status & MCG_STATUS_MCIP) && !(s->mcg_status & MCG_STATUS_RIPV);
    return s->pcc || !(s->mcg_status & MCG_STATUS_RIPV) || (s->mcg_status & MCG_STATUS_EIPV) ||
           s->unreported;
}

void do_machine_check(struct cpu_user_regs *regs)
{
    struct mce_interposed *ip = this_cpu_interposed();
    struct mce_scan s = { 0 };
    unsigned int banks = ip->active ? MCE_MAX_BANKS : host_banks;

    s.mcg_status = mca_read(MSR_MCG_STATUS);
    printk(XENLOG_ERR "MCE: CPU%u machine check, MCG_STATUS %#llx%s\n", smp_processor_id(),
           (unsigned long long)s.mcg_status, ip->active ? " (injected)" : "");
    for ( unsigned int b = 0; b < banks; b++ )
        scan_bank(b, &s);
    if ( fatal(&s) )
    {
        show_registers(regs);
        panic("fatal machine check in hypervisor context (MCG_STATUS %#llx, %u uncorrected, "
              "%u without a frame, PCC %u)",
              (unsigned long long)s.mcg_status, s.uncorrected, s.unreported, s.pcc);
    }
    mca_write(MSR_MCG_STATUS, 0); /* MCIP clear: a next #MC is not a shutdown */
    ip->active = false;
    ip->n = 0;
}

static bool interposable(uint32_t msr)
{
    if ( msr == MSR_MCG_STATUS )
        return true;
    return msr >= MSR_MC0_CTL && msr < MSR_MC0_CTL + 4 * MCE_MAX_BANKS && (msr & 3) != 0;
}

int mce_interpose(unsigned int cpu, const struct mce_msr_value *v, unsigned int n)
{
    struct mce_interposed *ip;

    if ( cpu >= nr_online_cpus || n > 8 )
        return -EINVAL;
    for ( unsigned int i = 0; i < n; i++ )
        if ( !interposable(v[i].msr) )
            return -EINVAL;
    ip = &interposed[cpu];
    ip->active = false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for ( unsigned int i = 0; i < n; i++ )
        ip->v[i] = v[i];
    ip->n = n;
    __atomic_store_n(&ip->active, true, __ATOMIC_RELEASE);
    return 0;
}

static void raise_here(void)
{
    asm volatile("int $18" ::: "memory");
}

void mce_kicked(void)
{
    struct mce_interposed *ip = this_cpu_interposed();

    if ( !__atomic_load_n(&ip->raise_on_kick, __ATOMIC_ACQUIRE) )
        return;
    raise_here();
    __atomic_store_n(&ip->raise_on_kick, false, __ATOMIC_RELEASE);
}

int mce_raise(unsigned int cpu)
{
    struct mce_interposed *ip;

    if ( cpu >= nr_online_cpus )
        return -EINVAL;
    if ( cpu == smp_processor_id() )
    {
        raise_here();
        return 0;
    }
    ip = &interposed[cpu];
    __atomic_store_n(&ip->raise_on_kick, true, __ATOMIC_RELEASE);
    smp_kick_cpu(cpu);
    for ( unsigned long spin = 0; spin < 100000000UL; spin++ )
    {
        if ( !__atomic_load_n(&ip->raise_on_kick, __ATOMIC_ACQUIRE) )
            return 0;
        cpu_relax();
    }
    return -ETIMEDOUT;
}
