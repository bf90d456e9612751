/*
 * mce_inject.c - __HYPERVISOR_mca for the control domain: Xen's test
 * facility, XEN_MC_msrinject (values the #MC handler of a CPU will read),
 * XEN_MC_mceinject and XEN_MC_inject_v2 (raise #MC there). With
 * MC_MSRINJ_F_GPADDR an MCi_ADDR value is a guest-physical address of
 * mcinj_domid, translated here to the machine address of its RAM frame.
 * Values are always interposed (held in software, mce.c): the emulators
 * do not all let MCi_STATUS be written, and the handler path is the same.
 *
 * Every argument is checked before anything is interposed or raised.
 * May not touch: the handler's decisions (mce.c) or any domain's state.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/p2m.h>
#include <xen/smp.h>
#include <xen/vmce.h>
#include <asm/mce.h>
#include <public/arch-x86/xen-mca.h>

#define MC_MSRINJ_F_KNOWN (MC_MSRINJ_F_INTERPOSE | MC_MSRINJ_F_GPADDR)

static bool is_addr_msr(uint64_t msr)
{
    return msr >= MSR_MC0_CTL && msr < MSR_MC0_CTL + 4 * MCE_MAX_BANKS && (msr & 3) == 2;
}

/* d's guest-physical address gpa, as the machine address of its RAM. */
static int translate(struct domain *d, uint64_t gpa, uint64_t *maddr)
{
    p2m_type_t t;
    mfn_t m;

    if ( !domain_gfn_ok(d, gpa >> PAGE_SHIFT) )
        return -EINVAL;
    m = p2m_lookup(&d->p2m, _gfn(gpa >> PAGE_SHIFT), &t, NULL, NULL);
    if ( !p2m_is_ram(t) || mfn_eq(m, INVALID_MFN) )
        return -EINVAL;
    *maddr = (mfn_x(m) << PAGE_SHIFT) | (gpa & (PAGE_SIZE - 1));
    return 0;
}

static int translate_all(const struct xen_mc_msrinject *in, struct mce_msr_value *out)
{
    struct domain *d = NULL;
    int rc = 0;

    if ( (in->mcinj_flags & MC_MSRINJ_F_GPADDR) && !(d = domain_get_by_id(in->mcinj_domid)) )
        return -ESRCH;
    for ( unsigned int i = 0; i < in->mcinj_count && !rc; i++ )
    {
        out[i].msr = (uint32_t)in->mcinj_msr[i].reg;
        out[i].value = in->mcinj_msr[i].value;
        if ( d && is_addr_msr(in->mcinj_msr[i].reg) )
            rc = translate(d, in->mcinj_msr[i].value, &out[i].value);
    }
    if ( d )
        put_domain(d);
    return rc;
}

static long msrinject(const struct xen_mc_msrinject *in)
{
    struct mce_msr_value v[MC_MSRINJ_MAXMSRS];
    int rc;

    if ( (in->mcinj_flags & ~MC_MSRINJ_F_KNOWN) || in->_pad0 || !in->mcinj_count ||
         in->mcinj_count > MC_MSRINJ_MAXMSRS || in->mcinj_cpunr >= nr_online_cpus )
        return -EINVAL;
    for ( unsigned int i = 0; i < in->mcinj_count; i++ )
        if ( in->mcinj_msr[i].reg >> 32 )
            return -EINVAL;
    rc = translate_all(in, v);
    return rc ? rc : mce_interpose(in->mcinj_cpunr, v, in->mcinj_count);
}

/* inject_v2's CPUs: every online one, or those of the caller's bitmap. */
static long inject_v2(const struct xen_mc_inject_v2 *in)
{
    uint8_t map[NR_CPUS / 8 + 1] = { 0 };
    unsigned int bytes = (in->cpumap_nr_bits + 7) / 8;
    long rc = 0;

    if ( (in->flags & ~(XEN_MC_INJECT_TYPE_MASK | XEN_MC_INJECT_CPU_BROADCAST)) || in->_pad ||
         in->_pad2 )
        return -EINVAL;
    if ( (in->flags & XEN_MC_INJECT_TYPE_MASK) != XEN_MC_INJECT_TYPE_MCE )
        return -EOPNOTSUPP; /* no CMCI or LMCE to offer */
    if ( in->flags & XEN_MC_INJECT_CPU_BROADCAST )
        memset(map, 0xff, sizeof(map));
    else if ( !bytes || bytes > sizeof(map) || copy_from_guest(map, in->cpumap_bitmap, bytes) )
        return bytes > sizeof(map) || !bytes ? -EINVAL : -EFAULT;
    for ( unsigned int cpu = 0; cpu < nr_online_cpus && !rc; cpu++ )
        if ( (map[cpu / 8] & (1U << (cpu % 8))) &&
             ((in->flags & XEN_MC_INJECT_CPU_BROADCAST) || cpu < in->cpumap_nr_bits) )
            rc = mce_raise(cpu);
    vmce_softirq();
    return rc;
}

/* Raise, then finish what the handler queued (the owner's broken entry,
 * its vMCE) before returning: a hypercall holds no lock, and a caller
 * that injects (a test, the saving tool's hooks) sees the whole outcome
 * once the call is back. */
static long raise_and_settle(unsigned int cpu)
{
    long rc = mce_raise(cpu);

    vmce_softirq();
    return rc;
}

long do_mca(uint64_t u_xen_mc)
{
    struct xen_mc mc;

    if ( copy_from_guest(&mc, u_xen_mc, sizeof(mc)) )
        return -EFAULT;
    if ( mc.interface_version != XEN_MCA_INTERFACE_VERSION )
        return -EACCES; /* Xen's answer to a version mismatch */
    switch ( mc.cmd )
    {
    case XEN_MC_msrinject: return msrinject(&mc.u.mc_msrinject);
    case XEN_MC_mceinject: return raise_and_settle(mc.u.mc_mceinject.mceinj_cpunr);
    case XEN_MC_inject_v2: return inject_v2(&mc.u.mc_inject_v2);
    }
    return -ENOSYS;
}
