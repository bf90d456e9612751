/*
 * vlapic_save.c - the emulated local APIC in the HVM context: Xen's LAPIC
 * (5: MSR_APIC_BASE, the deadline MSR) and LAPIC_REGS (6: the register
 * page) records of one vCPU, written on gethvmcontext and checked, then
 * loaded, on sethvmcontext. A loaded timer carries on: a count from the
 * current count saved in the page (so the time left before the next
 * interrupt is what it was), a TSC deadline as it was armed.
 *
 * May not touch: the vCPU's other state, or another vCPU's LAPIC; the
 * registers only under the vlapic lock (v is paused: nothing else writes
 * them, but a timer callback may still run).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <asm/x86.h>
#include <asm/vlapic.h>
#include <public/hvm/save.h>
#include "vlapic_priv.h"

#define SVR_ENABLE (1U << 8)

static uint32_t page_reg(const struct hvm_hw_lapic_regs *r, unsigned int off)
{
    uint32_t val;

    memcpy(&val, r->data + off, sizeof(val));
    return val;
}

static void put_reg(struct hvm_hw_lapic_regs *r, unsigned int off, uint32_t val)
{
    memcpy(r->data + off, &val, sizeof(val));
}

/* The divider the divide-configuration register names: 1..128. */
static uint32_t dcr_divider(uint32_t dcr)
{
    unsigned int d = ((dcr >> 1) & 4) | (dcr & 3);

    return d == 7 ? 1 : 2U << d;
}

void arch_hvm_lapic_save(struct vcpu *v, struct hvm_hw_lapic *r)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);

    r->apic_base_msr = vl->base_msr;
    r->disabled = (vl->svr & SVR_ENABLE ? 0 : VLAPIC_SW_DISABLED) |
                  (vl->base_msr & APIC_BASE_ENABLE ? 0 : VLAPIC_HW_DISABLED);
    r->timer_divisor = dcr_divider(vl->timer_dcr);
    r->tdt_msr = vl->tsc_deadline;
    spin_unlock_irqrestore(&vl->lock, f);
}

int arch_hvm_lapic_check(struct vcpu *v, const struct hvm_hw_lapic *r)
{
    uint64_t mode = APIC_BASE_ENABLE | APIC_BASE_EXTD;
    uint64_t rsvd = ~(APIC_BASE_ADDR | mode | APIC_BASE_BSP);
    uint32_t div = r->timer_divisor;

    if ( (r->apic_base_msr & rsvd) || (r->apic_base_msr & mode) == APIC_BASE_EXTD )
        return -EINVAL; /* reserved bits, or x2APIC without the APIC */
    if ( r->disabled & ~(VLAPIC_SW_DISABLED | VLAPIC_HW_DISABLED) )
        return -EINVAL;
    if ( !(r->disabled & VLAPIC_HW_DISABLED) != !!(r->apic_base_msr & APIC_BASE_ENABLE) )
        return -EINVAL;
    return div && div <= 128 && !(div & (div - 1)) ? 0 : -EINVAL;
}

int arch_hvm_lapic_load(struct vcpu *v, const struct hvm_hw_lapic *r)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);

    /* The BSP flag is the vCPU's own, whatever the saver had. */
    vl->base_msr = (r->apic_base_msr & ~APIC_BASE_BSP) | (vl->base_msr & APIC_BASE_BSP);
    vl->tsc_deadline = r->tdt_msr;
    if ( (vl->lvt[0] & LVT_TIMER_MODE_MASK) == LVT_TIMER_TSC_DEADLINE )
        vlapic_timer_restore(v, 0);
    spin_unlock_irqrestore(&vl->lock, f);
    return 0;
}

/* The registers the page carries, saved as the guest reads them. */
static const uint16_t saved_regs[] = {
    0x20,  0x30,  0x80,  0xa0,  0xd0,  0xe0,  0xf0,  0x280, 0x300, 0x310,
    0x320, 0x330, 0x340, 0x350, 0x360, 0x370, 0x380, 0x390, 0x3e0,
};

void arch_hvm_lapic_regs_save(struct vcpu *v, struct hvm_hw_lapic_regs *r)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);

    memset(r, 0, sizeof(*r));
    for ( size_t i = 0; i < ARRAY_SIZE(saved_regs); i++ )
        put_reg(r, saved_regs[i], vlapic_read_reg(v, saved_regs[i]));
    for ( unsigned int i = 0; i < 8; i++ )
    {
        put_reg(r, 0x100 + i * 16, vl->isr[i]);
        put_reg(r, 0x180 + i * 16, vl->tmr[i]);
        put_reg(r, 0x200 + i * 16, vl->irr[i]);
    }
    spin_unlock_irqrestore(&vl->lock, f);
}

/* The ID (either form) and LDR (xAPIC's or the one x2APIC derives). */
static bool ids_ok(struct vcpu *v, const struct hvm_hw_lapic_regs *r)
{
    uint32_t id = page_reg(r, 0x20), ldr = page_reg(r, 0xd0);

    if ( id != vlapic_id(v) << 24 && id != vlapic_id(v) )
        return false;
    return !(ldr & 0x00ffffff) || ldr == vlapic_x2apic_ldr(vlapic_id(v));
}

static bool lvts_ok(const struct hvm_hw_lapic_regs *r)
{
    for ( unsigned int i = 0; i < VLAPIC_NR_LVT; i++ )
        if ( page_reg(r, 0x320 + i * 16) & ~vlapic_lvt_writable(i) )
            return false;
    return true;
}

int arch_hvm_lapic_regs_check(struct vcpu *v, const struct hvm_hw_lapic_regs *r)
{
    uint32_t icr = page_reg(r, 0x380), ccr = page_reg(r, 0x390);

    if ( !ids_ok(v, r) || !lvts_ok(r) )
        return -EINVAL;
    if ( page_reg(r, 0x80) > 0xff || (page_reg(r, 0xe0) | 0xf0000000) != 0xffffffff ||
         page_reg(r, 0xf0) > 0x3ff || page_reg(r, 0x280) > 0xff || page_reg(r, 0x3e0) & ~0xbU )
        return -EINVAL;
    if ( ccr > icr )
        return -EINVAL; /* more left than the count started from */
    /* Vectors 0-15 can be neither requested nor in service. */
    return (page_reg(r, 0x100) | page_reg(r, 0x200)) & 0xffff ? -EINVAL : 0;
}

static void load_regs(struct vlapic *vl, const struct hvm_hw_lapic_regs *r)
{
    vl->tpr = page_reg(r, 0x80);
    vl->ldr = page_reg(r, 0xd0);
    vl->dfr = page_reg(r, 0xe0);
    vl->svr = page_reg(r, 0xf0);
    vl->esr = page_reg(r, 0x280);
    vl->esr_pending = 0;
    vl->icr_lo = page_reg(r, 0x300);
    vl->icr_hi = page_reg(r, 0x310);
    for ( unsigned int i = 0; i < VLAPIC_NR_LVT; i++ )
        vl->lvt[i] = page_reg(r, 0x320 + i * 16);
    for ( unsigned int i = 0; i < 8; i++ )
    {
        vl->isr[i] = page_reg(r, 0x100 + i * 16);
        vl->tmr[i] = page_reg(r, 0x180 + i * 16);
        vl->irr[i] = page_reg(r, 0x200 + i * 16);
    }
    vl->timer_dcr = page_reg(r, 0x3e0);
    vl->timer_icr = page_reg(r, 0x380);
}

int arch_hvm_lapic_regs_load(struct vcpu *v, const struct hvm_hw_lapic_regs *r)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);

    load_regs(vl, r);
    vlapic_timer_restore(v, page_reg(r, 0x390));
    spin_unlock_irqrestore(&vl->lock, f);
    return 0; /* a vector left in the IRR is delivered once v runs */
}
