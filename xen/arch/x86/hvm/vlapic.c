/*
 * vlapic.c - the emulated local APIC of each vCPU: its registers as the
 * x2APIC MSRs (0x800-0x8ff) and the xAPIC MMIO page show them,
 * MSR_APIC_BASE with the legal mode transitions, the ICR (fixed,
 * lowest-priority, NMI, INIT and SIPI; physical and logical destinations;
 * the shorthands) and the IRR/ISR/PPR arithmetic the delivery code reads.
 * The timer is vlapic_timer.c's.
 *
 * Values follow Xen's emulation: vCPU n has APIC ID 2n, the version
 * register reads 0x50014 (six LVT entries), MSR_APIC_BASE starts enabled
 * in xAPIC mode at 0xfee00000 with the BSP bit on vCPU 0.
 *
 * May not touch: the host's local APIC (arch/x86/apic.c), another
 * domain's vCPUs, a vendor's control structure (injection is intr.c's
 * and the vendor's business).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/arch.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/vlapic.h>
#include <asm/hvm_mmio.h>
#include "vlapic_priv.h"

#define VLAPIC_VERSION 0x00050014U /* version 0x14, max LVT index 5 */

/* ICR fields (SDM vol. 3, "Interrupt Command Register"). */
#define ICR_VECTOR(lo)    ((lo)&0xff)
#define ICR_MODE(lo)      (((lo) >> 8) & 7)
#define ICR_LOGICAL       (1U << 11)
#define ICR_LEVEL_ASSERT  (1U << 14)
#define ICR_TRIGGER_LEVEL (1U << 15)
#define ICR_SHORTHAND(lo) (((lo) >> 18) & 3)
#define ICR_LO_WRITABLE   0x000ccfffU /* not 12 (delivery status: idle), 13 */
#define MODE_FIXED        0
#define MODE_LOWEST       1
#define MODE_NMI          4
#define MODE_INIT         5
#define MODE_SIPI         6
#define SHORT_NONE        0
#define SHORT_SELF        1
#define SHORT_ALL         2
#define SHORT_OTHERS      3
#define ESR_SEND_ILLEGAL  (1U << 5)
#define ESR_RECV_ILLEGAL  (1U << 6)
#define ESR_ILLEGAL_REG   (1U << 7)
#define SVR_ENABLE        (1U << 8)
#define SVR_WRITABLE      0x3ffU
#define LVT_MASKED        (1U << 16)

/* The writable bits of each LVT entry: timer, thermal, perf, LINT0, LINT1, error. */
static const uint32_t lvt_writable[VLAPIC_NR_LVT] = {
    0x000700ff, 0x000107ff, 0x000107ff, 0x0001a7ff, 0x0001a7ff, 0x000100ff,
};

uint32_t vlapic_id(const struct vcpu *v)
{
    return v->vcpu_id * 2;
}

bool vlapic_x2apic_mode(struct vcpu *v)
{
    return (ACCESS_ONCE(v->arch.vlapic.base_msr) & (APIC_BASE_ENABLE | APIC_BASE_EXTD)) ==
           (APIC_BASE_ENABLE | APIC_BASE_EXTD);
}

bool vlapic_hw_enabled(struct vcpu *v)
{
    return ACCESS_ONCE(v->arch.vlapic.base_msr) & APIC_BASE_ENABLE;
}

static bool sw_enabled(const struct vlapic *vl)
{
    return vl->svr & SVR_ENABLE;
}

/* x2APIC: cluster (ID bits 31:4) in LDR 31:16, one bit of 16 below. */
static uint32_t x2apic_ldr(uint32_t id)
{
    return ((id & ~0xfU) << 12) | (1U << (id & 0xf));
}

/* ---- IRR / ISR ---------------------------------------------------------- */

static int highest_bit(const uint32_t *r)
{
    for ( int i = 7; i >= 0; i-- )
        if ( r[i] )
            return i * 32 + 31 - __builtin_clz(r[i]);
    return -1;
}

static void set_bit256(uint32_t *r, uint8_t vec)
{
    r[vec / 32] |= 1U << (vec % 32);
}

static void clear_bit256(uint32_t *r, uint8_t vec)
{
    r[vec / 32] &= ~(1U << (vec % 32));
}

void vlapic_unack(struct vcpu *v, uint8_t vec)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);

    clear_bit256(vl->isr, vec);
    set_bit256(vl->irr, vec);
    spin_unlock_irqrestore(&vl->lock, f);
}

/* PPR: the TPR, or the priority class of the highest in-service vector. */
static uint32_t ppr(const struct vlapic *vl)
{
    int isr = highest_bit(vl->isr);
    uint32_t isrv = isr < 0 ? 0 : (uint32_t)isr;

    return (vl->tpr & 0xf0) >= (isrv & 0xf0) ? vl->tpr & 0xff : isrv & 0xf0;
}

int vlapic_pending_vector(struct vcpu *v)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f;
    int vec = -1;

    if ( !vlapic_hw_enabled(v) )
        return -1;
    f = spin_lock_irqsave(&vl->lock);
    if ( sw_enabled(vl) )
    {
        vec = highest_bit(vl->irr);
        if ( vec >= 0 && ((uint32_t)vec & 0xf0) <= (ppr(vl) & 0xf0) )
            vec = -1;
    }
    spin_unlock_irqrestore(&vl->lock, f);
    return vec;
}

uint8_t vlapic_get_tpr(struct vcpu *v)
{
    return (uint8_t)ACCESS_ONCE(v->arch.vlapic.tpr);
}

/* The guest moved its TPR behind our back (MOV to CR8). Only the vCPU
 * itself writes its TPR, so no lock is needed against other writers;
 * readers under the lock see the old or the new value. */
void vlapic_set_tpr(struct vcpu *v, uint8_t tpr)
{
    ACCESS_ONCE(v->arch.vlapic.tpr) = tpr;
}

int vlapic_tpr_threshold(struct vcpu *v)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f;
    int vec, isr, cls = 0;

    if ( !vlapic_hw_enabled(v) )
        return 0;
    f = spin_lock_irqsave(&vl->lock);
    vec = highest_bit(vl->irr);
    isr = highest_bit(vl->isr);
    if ( sw_enabled(vl) && vec >= 0 && (vec >> 4) > (isr >> 4) &&
         (vec >> 4) <= (int)((vl->tpr >> 4) & 0xf) )
        cls = vec >> 4;
    spin_unlock_irqrestore(&vl->lock, f);
    return cls;
}

void vlapic_ack(struct vcpu *v, uint8_t vec)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);

    clear_bit256(vl->irr, vec);
    set_bit256(vl->isr, vec);
    spin_unlock_irqrestore(&vl->lock, f);
}

void vlapic_set_irq(struct vcpu *v, uint8_t vec)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f = spin_lock_irqsave(&vl->lock);

    if ( vec < 16 )
        vl->esr_pending |= ESR_RECV_ILLEGAL;
    else
        set_bit256(vl->irr, vec);
    spin_unlock_irqrestore(&vl->lock, f);
    if ( vec >= 16 )
        hvm_vcpu_kick(v);
}

void vlapic_set_nmi(struct vcpu *v)
{
    ACCESS_ONCE(v->arch.vlapic.nmi_pending) = true;
    hvm_vcpu_kick(v);
}

static void eoi(struct vlapic *vl)
{
    int vec = highest_bit(vl->isr);

    if ( vec >= 0 )
        clear_bit256(vl->isr, (uint8_t)vec);
}

/* ---- reset ---------------------------------------------------------------- */

/* The register state of power-on and INIT (MSR_APIC_BASE aside). */
static void reset_regs(struct vlapic *vl)
{
    vl->tpr = vl->ldr = vl->esr = vl->esr_pending = 0;
    vl->dfr = 0xffffffff;
    vl->svr = 0xff;
    vl->icr_lo = vl->icr_hi = 0;
    for ( unsigned int i = 0; i < VLAPIC_NR_LVT; i++ )
        vl->lvt[i] = LVT_MASKED;
    memset(vl->irr, 0, sizeof(vl->irr));
    memset(vl->isr, 0, sizeof(vl->isr));
    memset(vl->tmr, 0, sizeof(vl->tmr));
    vl->timer_icr = vl->timer_dcr = 0;
    vl->timer_period = 0;
    vl->tsc_deadline = 0;
    vl->timer_armed = false;
}

void vlapic_init(struct vcpu *v)
{
    struct vlapic *vl = &v->arch.vlapic;

    spin_lock_init(&vl->lock, LOCK_vlapic);
    reset_regs(vl);
    vl->base_msr = APIC_DEFAULT_BASE | APIC_BASE_ENABLE | (v->vcpu_id ? 0 : APIC_BASE_BSP);
    vl->nmi_pending = vl->wait_sipi = false;
    vlapic_timer_init(v);
}

void vlapic_destroy(struct vcpu *v)
{
    vlapic_timer_kill(v);
}

/* ---- reading and writing registers ---------------------------------------- */

static uint32_t read_reg(struct vcpu *v, unsigned int off)
{
    struct vlapic *vl = &v->arch.vlapic;

    if ( off >= 0x100 && off < 0x180 )
        return vl->isr[(off - 0x100) >> 4];
    if ( off >= 0x180 && off < 0x200 )
        return vl->tmr[(off - 0x180) >> 4];
    if ( off >= 0x200 && off < 0x280 )
        return vl->irr[(off - 0x200) >> 4];
    if ( off >= 0x320 && off < 0x380 )
        return vl->lvt[(off - 0x320) >> 4];
    switch ( off )
    {
    case 0x20: return vlapic_x2apic_mode(v) ? vlapic_id(v) : vlapic_id(v) << 24;
    case 0x30: return VLAPIC_VERSION;
    case 0x80: return vl->tpr;
    case 0xa0: return ppr(vl);
    case 0xd0: return vl->ldr;
    case 0xe0: return vl->dfr;
    case 0xf0: return vl->svr;
    case 0x280: return vl->esr;
    case 0x300: return vl->icr_lo;
    case 0x310: return vl->icr_hi;
    case 0x380: return vl->timer_icr;
    case 0x390: return vlapic_timer_current(v);
    case 0x3e0: return vl->timer_dcr;
    default: return 0;
    }
}

/* For the save record (vlapic_save.c): a register as the guest reads it,
 * and the bits a guest may set in LVT entry i. Lock held. */
uint32_t vlapic_read_reg(struct vcpu *v, unsigned int off)
{
    return read_reg(v, off);
}

uint32_t vlapic_lvt_writable(unsigned int i)
{
    return i < VLAPIC_NR_LVT ? lvt_writable[i] : 0;
}

uint32_t vlapic_x2apic_ldr(uint32_t id)
{
    return x2apic_ldr(id);
}

static void write_svr(struct vlapic *vl, uint32_t val)
{
    vl->svr = val & SVR_WRITABLE;
    if ( sw_enabled(vl) )
        return;
    /* Software-disabled: every LVT entry is masked and stays so. */
    for ( unsigned int i = 0; i < VLAPIC_NR_LVT; i++ )
        vl->lvt[i] |= LVT_MASKED;
}

static void write_lvt(struct vcpu *v, unsigned int i, uint32_t val)
{
    struct vlapic *vl = &v->arch.vlapic;
    uint32_t old = vl->lvt[i];

    val &= lvt_writable[i];
    if ( !sw_enabled(vl) )
        val |= LVT_MASKED;
    vl->lvt[i] = val;
    if ( i == 0 && ((old ^ val) & LVT_TIMER_MODE_MASK) )
        vlapic_timer_mode_changed(v);
}

/* Writes that change nothing but the register itself; false if off names
 * no writable register. Called with the lock held. */
static bool write_reg(struct vcpu *v, unsigned int off, uint32_t val)
{
    struct vlapic *vl = &v->arch.vlapic;

    if ( off >= 0x320 && off < 0x380 )
    {
        write_lvt(v, (off - 0x320) >> 4, val);
        return true;
    }
    switch ( off )
    {
    case 0x80: vl->tpr = val & 0xff; return true;
    case 0xb0: eoi(vl); return true;
    case 0xd0: vl->ldr = val & 0xff000000; return true;
    case 0xe0: vl->dfr = val | 0x0fffffff; return true;
    case 0xf0: write_svr(vl, val); return true;
    case 0x280:
        vl->esr = vl->esr_pending;
        vl->esr_pending = 0;
        return true;
    case 0x310: vl->icr_hi = val & 0xff000000; return true;
    case 0x380: vlapic_timer_set_count(v, val); return true;
    case 0x3e0: vl->timer_dcr = val & 0xb; return true;
    default: return false;
    }
}

/* ---- the ICR -------------------------------------------------------------- */

static bool logical_match(struct vcpu *t, uint32_t dest)
{
    struct vlapic *vl = &t->arch.vlapic;
    uint32_t ldr = ACCESS_ONCE(vl->ldr);

    if ( vlapic_x2apic_mode(t) )
        return dest == 0xffffffff || ((dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff));
    dest &= 0xff;
    ldr >>= 24;
    if ( dest == 0xff )
        return true;
    if ( (ACCESS_ONCE(vl->dfr) >> 28) == 0xf ) /* flat */
        return dest & ldr;
    return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf); /* cluster */
}

static bool dest_match(struct vcpu *src, struct vcpu *t, uint32_t lo, uint32_t dest)
{
    bool x2 = vlapic_x2apic_mode(src);

    switch ( ICR_SHORTHAND(lo) )
    {
    case SHORT_SELF: return t == src;
    case SHORT_ALL: return true;
    case SHORT_OTHERS: return t != src;
    }
    if ( lo & ICR_LOGICAL )
        return logical_match(t, dest);
    if ( !x2 )
        dest &= 0xff;
    return dest == (x2 ? 0xffffffffU : 0xffU) || dest == vlapic_id(t);
}

static void deliver_one(struct vcpu *src, struct vcpu *t, uint32_t lo)
{
    switch ( ICR_MODE(lo) )
    {
    case MODE_FIXED:
    case MODE_LOWEST: vlapic_set_irq(t, ICR_VECTOR(lo)); break;
    case MODE_NMI: vlapic_set_nmi(t); break;
    case MODE_INIT:
        if ( t != src && (lo & ICR_LEVEL_ASSERT) )
            vlapic_do_init(t);
        break;
    case MODE_SIPI:
        if ( t != src )
            vlapic_do_sipi(t, ICR_VECTOR(lo));
        break;
    }
}

/* An ICR write: send to every vCPU of the domain the destination names.
 * Vectors below 16 are illegal for fixed delivery (ESR bit 5). */
static void send_ipi(struct vcpu *src, uint32_t lo, uint32_t dest)
{
    struct domain *d = src->domain;
    unsigned int mode = ICR_MODE(lo);

    if ( (mode == MODE_FIXED || mode == MODE_LOWEST) && ICR_VECTOR(lo) < 16 )
    {
        unsigned long f = spin_lock_irqsave(&src->arch.vlapic.lock);
        src->arch.vlapic.esr_pending |= ESR_SEND_ILLEGAL;
        spin_unlock_irqrestore(&src->arch.vlapic.lock, f);
        return;
    }
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *t = d->vcpu[i];

        if ( t && dest_match(src, t, lo, dest) )
            deliver_one(src, t, lo);
    }
}

/* ---- MMIO and MSR front ends ----------------------------------------------- */

/* One register write from either interface, lock not held. */
static void reg_write(struct vcpu *v, unsigned int off, uint32_t val, uint32_t icr_hi)
{
    struct vlapic *vl = &v->arch.vlapic;
    unsigned long f;

    if ( off == 0x300 )
    {
        f = spin_lock_irqsave(&vl->lock);
        vl->icr_lo = val & ICR_LO_WRITABLE;
        vl->icr_hi = icr_hi;
        spin_unlock_irqrestore(&vl->lock, f);
        send_ipi(v, val, vlapic_x2apic_mode(v) ? icr_hi : icr_hi >> 24);
        return;
    }
    if ( off == 0x3f0 )
    {
        vlapic_set_irq(v, val & 0xff);
        return;
    }
    f = spin_lock_irqsave(&vl->lock);
    write_reg(v, off, val);
    spin_unlock_irqrestore(&vl->lock, f);
}

static uint32_t reg_read(struct vcpu *v, unsigned int off)
{
    unsigned long f = spin_lock_irqsave(&v->arch.vlapic.lock);
    uint32_t val = read_reg(v, off);

    spin_unlock_irqrestore(&v->arch.vlapic.lock, f);
    return val;
}

bool vlapic_mmio_accepts(struct vcpu *v, uint64_t gpa)
{
    uint64_t base = ACCESS_ONCE(v->arch.vlapic.base_msr);

    return (base & APIC_BASE_ENABLE) && !(base & APIC_BASE_EXTD) &&
           (gpa & ~0xfffULL) == (base & APIC_BASE_ADDR);
}

int vlapic_mmio_read(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val)
{
    unsigned int off = gpa & 0xfff;
    uint32_t reg = reg_read(v, off & ~0xfU);

    *val = (reg >> ((off & 3) * 8)) & (size >= 4 ? 0xffffffffU : (1U << (size * 8)) - 1);
    return 0;
}

int vlapic_mmio_write(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t val)
{
    unsigned int off = gpa & 0xfff;
    uint32_t hi;

    /* Only whole, aligned 32-bit writes reach a register (as Xen). */
    if ( size != 4 || (off & 0xf) || off == 0x3f0 )
        return 0;
    hi = off == 0x300 ? reg_read(v, 0x310) : 0;
    reg_write(v, off, (uint32_t)val, hi);
    return 0;
}

static const struct hvm_mmio_handler vlapic_mmio = {
    .name = "xAPIC",
    .accepts = vlapic_mmio_accepts,
    .read = vlapic_mmio_read,
    .write = vlapic_mmio_write,
};

void vlapic_mmio_init(void)
{
    hvm_mmio_register(&vlapic_mmio);
}

/* x2APIC registers a RDMSR may read (Xen's set): the others #GP. */
static bool x2apic_readable(unsigned int off)
{
    if ( off >= 0x100 && off < 0x280 )
        return true;
    if ( off >= 0x320 && off < 0x3a0 )
        return true;
    switch ( off )
    {
    case 0x20:
    case 0x30:
    case 0x80:
    case 0xa0:
    case 0xd0:
    case 0xf0:
    case 0x280:
    case 0x300:
    case 0x3e0: return true;
    default: return false;
    }
}

static bool x2apic_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    unsigned int off = (msr - MSR_X2APIC_FIRST) << 4;

    if ( !vlapic_x2apic_mode(v) || !x2apic_readable(off) )
        return false;
    *val = reg_read(v, off);
    if ( off == 0x300 )
        *val |= (uint64_t)reg_read(v, 0x310) << 32;
    return true;
}

/* Reserved bits #GP in x2APIC mode: refuse what a register would mask. */
static bool x2apic_write_ok(unsigned int off, uint64_t val)
{
    if ( off >= 0x320 && off < 0x380 )
        return !(val >> 32) && !(val & ~(uint64_t)lvt_writable[(off - 0x320) >> 4]);
    switch ( off )
    {
    case 0x80: return val < 0x100;
    case 0xb0:
    case 0x280: return val == 0;
    case 0xf0: return val < 0x1000 && !(val & 0xc00);
    case 0x300: return !(val & ~(((uint64_t)0xffffffff << 32) | ICR_LO_WRITABLE));
    case 0x380: return !(val >> 32);
    case 0x3e0: return !(val & ~0xbULL);
    case 0x3f0: return val < 0x100;
    default: return false;
    }
}

static bool x2apic_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    unsigned int off = (msr - MSR_X2APIC_FIRST) << 4;

    if ( !vlapic_x2apic_mode(v) || !x2apic_write_ok(off, val) )
        return false;
    reg_write(v, off, (uint32_t)val, (uint32_t)(val >> 32));
    return true;
}

/* ---- MSR_APIC_BASE ------------------------------------------------------------ */

/*
 * The legal moves (SDM "x2APIC State Transitions"): disabled <-> xAPIC,
 * xAPIC -> x2APIC, x2APIC -> disabled. EXTD without ENABLE, x2APIC ->
 * xAPIC and disabled -> x2APIC #GP, as do reserved bits. The BSP flag is
 * the hypervisor's: writes leave it as it is.
 */
static bool apic_base_write(struct vcpu *v, uint64_t val)
{
    struct vlapic *vl = &v->arch.vlapic;
    uint64_t old = vl->base_msr, mode = APIC_BASE_ENABLE | APIC_BASE_EXTD;
    uint64_t rsvd = ~(APIC_BASE_ADDR | mode | APIC_BASE_BSP);
    unsigned long f;

    rsvd |= ~((1ULL << arch_gpaddr_bits()) - 1);
    if ( (val & rsvd) || (val & mode) == APIC_BASE_EXTD )
        return false;
    if ( (old & mode) == mode && (val & mode) == APIC_BASE_ENABLE )
        return false;
    if ( !(old & APIC_BASE_ENABLE) && (val & mode) == mode )
        return false;
    f = spin_lock_irqsave(&vl->lock);
    if ( !(val & APIC_BASE_ENABLE) )
        reset_regs(vl);
    if ( (val & mode) == mode && (old & mode) != mode )
        vl->ldr = x2apic_ldr(vlapic_id(v));
    vl->base_msr = (val & ~APIC_BASE_BSP) | (old & APIC_BASE_BSP);
    spin_unlock_irqrestore(&vl->lock, f);
    if ( !(val & APIC_BASE_ENABLE) )
        vlapic_timer_stop(v);
    return true;
}

bool vlapic_msr_owned(uint32_t msr)
{
    return msr == MSR_IA32_APIC_BASE || msr == MSR_IA32_TSC_DEADLINE ||
           (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
}

bool vlapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    if ( msr == MSR_IA32_APIC_BASE )
    {
        *val = ACCESS_ONCE(v->arch.vlapic.base_msr);
        return true;
    }
    if ( msr == MSR_IA32_TSC_DEADLINE )
    {
        *val = vlapic_timer_deadline(v);
        return true;
    }
    return x2apic_read(v, msr, val);
}

bool vlapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    if ( msr == MSR_IA32_APIC_BASE )
        return apic_base_write(v, val);
    if ( msr == MSR_IA32_TSC_DEADLINE )
    {
        vlapic_timer_set_deadline(v, val);
        return true;
    }
    return x2apic_write(v, msr, val);
}

/* ---- INIT and SIPI ----------------------------------------------------------- */

/* INIT: the APIC resets (its base MSR and ID stay) and the vCPU stops
 * until a SIPI; a running vCPU is taken off line first. */
void vlapic_do_init(struct vcpu *t)
{
    struct vlapic *vl = &t->arch.vlapic;
    unsigned long f;
    int cpu;

    if ( t->is_up )
    {
        vcpu_offline(t);
        cpu = ACCESS_ONCE(t->processor);
        if ( cpu >= 0 )
            smp_kick_cpu((unsigned int)cpu);
    }
    vlapic_timer_stop(t);
    f = spin_lock_irqsave(&vl->lock);
    reset_regs(vl);
    if ( vlapic_x2apic_mode(t) )
        vl->ldr = x2apic_ldr(vlapic_id(t));
    vl->nmi_pending = false;
    vl->wait_sipi = true;
    spin_unlock_irqrestore(&vl->lock, f);
}

/* SIPI: a vCPU waiting for one starts in real mode at vec << 12; one that
 * is running, or was not INITed, ignores it. */
void vlapic_do_sipi(struct vcpu *t, uint8_t vec)
{
    struct domain *d = t->domain;

    if ( !ACCESS_ONCE(t->arch.vlapic.wait_sipi) || t->is_up )
        return;
    vcpu_sleep_sync(t);
    spin_lock(&d->lock);
    if ( t->arch.vlapic.wait_sipi && !t->is_up )
    {
        hvm_vendor->vcpu_set_real_mode(t, (uint16_t)vec << 8);
        t->initialised = true;
        t->arch.vlapic.wait_sipi = false;
        vcpu_online(t);
    }
    spin_unlock(&d->lock);
}
