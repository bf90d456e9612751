/*
 * vgic.c - the virtual GICv3 every arm64 guest gets: a distributor and
 * one redistributor per vCPU as emulated MMIO at Xen on Arm's guest
 * addresses (GICD 0x03001000, GICR 0x03020000 + 128 KiB per vCPU), the
 * hardware virtual CPU interface (ICH_*_EL2) with its list registers to
 * inject, SGIs between vCPUs (ICC_SGI1R_EL1 traps to EL2 with
 * HCR_EL2.IMO), the virtual timer's PPI 27 (CNTV, with a per-domain
 * CNTVOFF_EL2) and the event-channel upcall on PPI 31
 * (arch_evtchn_inject, Xen on Arm's GUEST_EVTCHN_PPI).
 *
 * Only the 32 private interrupts exist: GICD_TYPER says no SPIs, no
 * LPIs. Every interrupt is Group 1 and edge-like for the guest: the
 * timer's level is turned into one injection by masking CNTV
 * (CNTV_CTL_EL0.IMASK, as Xen on Arm does) until the guest reprograms it.
 *
 * May not touch: the physical GIC's configuration (gic.c), the
 * scheduler's decisions (only vcpu_wake, vcpu_block and kicks), any
 * guest state but the vCPU's vGIC fields, CNTV_CTL's IMASK and the
 * register an MMIO read or a trapped register access targets.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/arch.h>
#include <xen/timer.h>
#include <asm/gic.h>
#include <asm/guest.h>
#include <asm/system.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>

/* clang-format off */
#define LR_STATE_PENDING (1UL << 62)
#define LR_STATE_MASK    (3UL << 62)
#define LR_GROUP1        (1UL << 60)
#define LR_PRIORITY(p)   ((uint64_t)(p) << 48)
#define LR_VINTID(lr)    ((uint32_t)(lr))
#define ICH_HCR_EN       (1UL << 0)
#define CNTV_CTL_ENABLE  (1UL << 0)
#define CNTV_CTL_IMASK   (1UL << 1)
#define CNTV_CTL_ISTATUS (1UL << 2)
#define GICR_WAKER_SLEEP (1U << 1)
/* clang-format on */

static unsigned int nr_lrs;

/* ---- the list registers, by number ---- */

static uint64_t lr_read(unsigned int n)
{
    switch ( n )
    {
    case 0: return READ_SYSREG(ICH_LR0_EL2);
    case 1: return READ_SYSREG(ICH_LR1_EL2);
    case 2: return READ_SYSREG(ICH_LR2_EL2);
    default: return READ_SYSREG(ICH_LR3_EL2);
    }
}

static void lr_write(unsigned int n, uint64_t v)
{
    switch ( n )
    {
    case 0: WRITE_SYSREG(v, ICH_LR0_EL2); break;
    case 1: WRITE_SYSREG(v, ICH_LR1_EL2); break;
    case 2: WRITE_SYSREG(v, ICH_LR2_EL2); break;
    default: WRITE_SYSREG(v, ICH_LR3_EL2); break;
    }
}

/* ---- injection ---- */

/* Make intid pending on v and make sure v sees it: woken if it waits
 * in WFI, its CPU kicked if it runs elsewhere (it exits, and the next
 * entry puts the interrupt in a list register). */
void vgic_inject(struct vcpu *v, unsigned int intid)
{
    int cpu;
    if ( intid >= 32 )
        return;
    __atomic_fetch_or(&v->arch.vgic.pending, 1U << intid, __ATOMIC_SEQ_CST);
    cpu = ACCESS_ONCE(v->processor);
    vcpu_wake(v);
    if ( cpu >= 0 && v != current )
        smp_kick_cpu((unsigned int)cpu);
}

void arch_evtchn_inject(struct vcpu *v)
{
    vgic_inject(v, VGIC_PPI_EVTCHN);
}

static bool lr_holds(uint64_t lr, unsigned int intid)
{
    return (lr & LR_STATE_MASK) && LR_VINTID(lr) == intid;
}

/* Put intid in a list register. False: none is free (it stays pending
 * and is tried again at the next entry: exits come at least every tick). */
static bool lr_place(struct vcpu *v, unsigned int intid)
{
    int free = -1;
    for ( unsigned int n = 0; n < nr_lrs; n++ )
    {
        uint64_t lr = lr_read(n);
        if ( lr_holds(lr, intid) )
        {
            /* Pending already: one interrupt. Active (the guest is in its
             * handler): pending and active in the same LR, since two LRs
             * with one vINTID are UNPREDICTABLE. */
            lr_write(n, lr | LR_STATE_PENDING);
            return true;
        }
        if ( !(lr & LR_STATE_MASK) && free < 0 )
            free = (int)n;
    }
    if ( free < 0 )
        return false;
    lr_write((unsigned int)free,
             LR_STATE_PENDING | LR_GROUP1 | LR_PRIORITY(v->arch.vgic.priority[intid]) | intid);
    return true;
}

/* Before each entry, IRQs off, v's interface loaded: what is pending and
 * enabled goes into list registers. */
void vgic_flush(struct vcpu *v)
{
    struct vgic_vcpu *g = &v->arch.vgic;
    uint32_t todo = ACCESS_ONCE(g->pending) & ACCESS_ONCE(g->enabled);
    while ( todo )
    {
        unsigned int intid = __builtin_ctz(todo);
        todo &= todo - 1;
        if ( !lr_place(v, intid) )
            break;
        __atomic_fetch_and(&g->pending, ~(1U << intid), __ATOMIC_SEQ_CST);
    }
    isb();
}

static bool lrs_pending(struct vcpu *v)
{
    for ( unsigned int n = 0; n < nr_lrs; n++ )
    {
        uint64_t lr = v == current ? lr_read(n) : v->arch.vgic.lr[n];
        if ( lr & LR_STATE_PENDING )
            return true;
    }
    return false;
}

/* Something would wake v's WFI: a pending enabled interrupt, here or in
 * its list registers. */
bool arch_vcpu_intr_pending(struct vcpu *v)
{
    const struct vgic_vcpu *g = &v->arch.vgic;
    return (ACCESS_ONCE(g->pending) & ACCESS_ONCE(g->enabled)) || lrs_pending(v);
}

/* ---- the virtual timer ---- */

/* PPI 27 fired at EL2 while a guest ran: it is the current vCPU's CNTV.
 * Mask it (the level drops) and inject it once. */
void vgic_vtimer_irq(void)
{
    struct vcpu *v = current;
    uint64_t ctl = READ_SYSREG(cntv_ctl_el0);
    if ( !v || (ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) !=
                   (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS) )
        return; /* it left the CPU meanwhile, or was masked */
    WRITE_SYSREG(ctl | CNTV_CTL_IMASK, cntv_ctl_el0);
    isb();
    /* With the wake: v may have just blocked in WFI, before its switch-out
     * (which now sees CNTV masked and arms no deadline timer). sched_lock
     * is only ever taken with IRQs masked, so taking it here is safe. */
    vgic_inject(v, VGIC_PPI_VTIMER);
}

/* v's CNTV deadline passed while it was off the CPU. */
static void vtimer_expired(void *data)
{
    struct vcpu *v = data;
    if ( v->domain->is_dying )
        return;
    v->arch.sys.cntv_ctl |= CNTV_CTL_IMASK; /* no second injection on entry */
    vgic_inject(v, VGIC_PPI_VTIMER);
}

/* ns until the guest's CNTV fires: CVAL on the virtual count, which is
 * the physical count less the domain's CNTVOFF. */
static s_time_t vtimer_delay(const struct vcpu *v)
{
    uint64_t now = arch_cycles() - v->arch.vgic.cntvoff;
    uint64_t cval = v->arch.sys.cntv_cval, hz = arch_cycles_hz();
    uint64_t ticks = cval > now ? cval - now : 0;
    if ( ticks > 10 * hz )
        ticks = 10 * hz; /* re-armed on the next switch anyway: no overflow */
    return (s_time_t)(ticks * 1000000000UL / hz);
}

/* ---- the vCPU's interface around its slices ---- */

void vgic_vcpu_init(struct vcpu *v)
{
    struct vgic_vcpu *g = &v->arch.vgic;
    struct domain *d = v->domain;
    memset(g, 0, sizeof(*g));
    g->waker = GICR_WAKER_SLEEP;
    g->cntvoff = v->vcpu_id && d->vcpu[0] ? d->vcpu[0]->arch.vgic.cntvoff : arch_cycles();
    init_timer(&g->timer, vtimer_expired, v);
}

void vgic_vcpu_destroy(struct vcpu *v)
{
    kill_timer(&v->arch.vgic.timer);
}

void vgic_switch_in(struct vcpu *v)
{
    struct vgic_vcpu *g = &v->arch.vgic;
    stop_timer(&g->timer);
    WRITE_SYSREG(g->cntvoff, cntvoff_el2);
    for ( unsigned int n = 0; n < nr_lrs; n++ )
        lr_write(n, g->lr[n]);
    WRITE_SYSREG(g->vmcr, ICH_VMCR_EL2);
    WRITE_SYSREG(g->ap1r0, ICH_AP1R0_EL2);
    WRITE_SYSREG(ICH_HCR_EN, ICH_HCR_EL2);
}

/* After the EL1 registers were saved (cntv_ctl, cntv_cval). */
void vgic_switch_out(struct vcpu *v)
{
    struct vgic_vcpu *g = &v->arch.vgic;
    for ( unsigned int n = 0; n < nr_lrs; n++ )
    {
        g->lr[n] = lr_read(n);
        lr_write(n, 0);
    }
    g->vmcr = READ_SYSREG(ICH_VMCR_EL2);
    g->ap1r0 = READ_SYSREG(ICH_AP1R0_EL2);
    WRITE_SYSREG(0, ICH_AP1R0_EL2);
    WRITE_SYSREG(0, ICH_AP0R0_EL2); /* Group 0 is unused, but EL1 may write it */
    WRITE_SYSREG(0, ICH_HCR_EL2);
    if ( (v->arch.sys.cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE )
        set_timer(&g->timer, NOW() + vtimer_delay(v));
}

void vgic_cpu_init(void)
{
    unsigned int n = (READ_SYSREG(ICH_VTR_EL2) & 0x1f) + 1;
    nr_lrs = n < VGIC_NR_LRS ? n : VGIC_NR_LRS;
    WRITE_SYSREG(0, ICH_HCR_EL2);
}
