/*
 * vgic_save.c - the WREN_ARM_VGIC record (public/arch-arm/hvm/save.h):
 * one vCPU's side of the virtual GICv3 out of and into struct vgic_vcpu,
 * for save.c's table. Its list registers are folded in on save (their
 * pending and active bits join the redistributor's masks) and rebuilt
 * on load (an active interrupt gets a list register again, pending too
 * if it was both; the rest wait in the pending mask for vgic_flush), so
 * the record does not depend on how many list registers a host has.
 *
 * May not touch: any vGIC state of a vCPU that is running (the domain
 * is paused), the physical GIC, vgic.c's injection and flush.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <public/arch-arm/hvm/save.h>
#include <asm/gic.h>
#include <asm/save.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>

/* ICH_LR<n>_EL2 (Arm IHI 0069): State 63:62, Group 60, Priority 55:48,
 * vINTID 31:0. */
#define LR_PENDING     (1UL << 62)
#define LR_ACTIVE      (1UL << 63)
#define LR_GROUP1      (1UL << 60)
#define LR_PRIORITY(p) ((uint64_t)(p) << 48)
#define LR_INTID(lr)   ((uint32_t)(lr))
/* ICH_VMCR_EL2: VPMR, VBPR0, VBPR1, VEOIM, VCBPR, VFIQEn, VAckCtl,
 * VENG1, VENG0. */
#define VMCR_OK_BITS      0xfffc021fUL
#define WAKER_SLEEP       (1U << 1)
#define GICD_CTLR_OK_BITS 0x3U

static int refuse(const struct vcpu *v, const char *what, uint64_t val)
{
    printk(XENLOG_WARNING "d%uv%u: HVM context: vGIC %s %#lx refused\n", v->domain->domain_id,
           v->vcpu_id, what, val);
    return -EINVAL;
}

/* List registers this host has (at most the VGIC_NR_LRS switched). */
static unsigned int host_lrs(void)
{
    unsigned int n = (unsigned int)(READ_SYSREG(ICH_VTR_EL2) & 0x1f) + 1;
    return n < VGIC_NR_LRS ? n : VGIC_NR_LRS;
}

/* Set bits of m (no FP/SIMD here: no CNT instruction, no libgcc). */
static unsigned int bits_set(uint32_t m)
{
    unsigned int n = 0;
    for ( ; m; m &= m - 1 )
        n++;
    return n;
}

void vgic_record_save(struct vcpu *v, struct hvm_wren_arm_vgic *r)
{
    const struct vgic_vcpu *g = &v->arch.vgic;
    r->pending = ACCESS_ONCE(g->pending);
    for ( unsigned int n = 0; n < VGIC_NR_LRS; n++ )
    {
        uint32_t bit = LR_INTID(g->lr[n]) < 32 ? 1U << LR_INTID(g->lr[n]) : 0;
        r->pending |= g->lr[n] & LR_PENDING ? bit : 0;
        r->active |= g->lr[n] & LR_ACTIVE ? bit : 0;
    }
    r->enabled = ACCESS_ONCE(g->enabled);
    r->group = g->group;
    r->icfgr1 = g->icfgr1;
    r->waker = g->waker;
    r->gicd_ctlr = ACCESS_ONCE(v->domain->vcpu[0]->arch.vgic.gicd_ctlr);
    memcpy(r->priority, g->priority, sizeof(r->priority));
    r->vmcr = g->vmcr;
    r->ap1r0 = g->ap1r0;
}

int vgic_record_check(struct vcpu *v, const struct hvm_wren_arm_vgic *r)
{
    if ( r->pad )
        return refuse(v, "pad", r->pad);
    if ( r->waker & ~WAKER_SLEEP )
        return refuse(v, "GICR_WAKER", r->waker);
    if ( r->gicd_ctlr & ~GICD_CTLR_OK_BITS )
        return refuse(v, "GICD_CTLR", r->gicd_ctlr);
    if ( r->vmcr & ~VMCR_OK_BITS )
        return refuse(v, "ICH_VMCR_EL2", r->vmcr);
    if ( r->ap1r0 >> 32 )
        return refuse(v, "ICH_AP1R0_EL2", r->ap1r0);
    if ( bits_set(r->active) > host_lrs() )
        return refuse(v, "active interrupts (more than list registers)", r->active);
    return 0;
}

/* Active interrupts back into list registers, the rest pending. */
static void rebuild_lrs(struct vgic_vcpu *g, const struct hvm_wren_arm_vgic *r)
{
    uint32_t todo = r->active;
    memset(g->lr, 0, sizeof(g->lr));
    for ( unsigned int n = 0; todo; n++ )
    {
        unsigned int intid = (unsigned int)__builtin_ctz(todo);
        todo &= todo - 1;
        g->lr[n] = LR_ACTIVE | (r->pending & (1U << intid) ? LR_PENDING : 0) | LR_GROUP1 |
                   LR_PRIORITY(r->priority[intid]) | intid;
    }
    __atomic_store_n(&g->pending, r->pending & ~r->active, __ATOMIC_SEQ_CST);
}

int vgic_record_load(struct vcpu *v, const struct hvm_wren_arm_vgic *r)
{
    struct vgic_vcpu *g = &v->arch.vgic;
    memcpy(g->priority, r->priority, sizeof(g->priority));
    rebuild_lrs(g, r);
    __atomic_store_n(&g->enabled, r->enabled, __ATOMIC_SEQ_CST);
    g->group = r->group;
    g->icfgr1 = r->icfgr1;
    g->waker = r->waker;
    g->vmcr = r->vmcr;
    g->ap1r0 = r->ap1r0;
    if ( v->vcpu_id == 0 )
        ACCESS_ONCE(g->gicd_ctlr) = r->gicd_ctlr;
    return 0;
}
