/*
 * vgic_mmio.c - the guest's GICv3 distributor and redistributors as
 * emulated MMIO, and its SGIs (ICC_SGI1R_EL1 writes trapped to EL2).
 * A stage-2 data abort inside GICD (64 KiB at 0x03001000) or GICR (128
 * KiB per vCPU from 0x03020000) with a valid syndrome comes here
 * decoded (exits.c): register offset, size, read or write and value.
 * What is kept is the 32 private interrupts of each vCPU (vgic.c's
 * struct vgic_vcpu); every other register reads as zero and ignores
 * writes.
 *
 * May not touch: anything but the vGIC fields of the domain's vCPUs,
 * and injection only through vgic_inject.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/guest.h>
#include <asm/vgic.h>

/* clang-format off */
#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_PIDR2       0xffe8
#define GICD_CTLR_GRPS   0x3U       /* EnableGrp0, EnableGrp1 (DS = 1) */
#define GICD_CTLR_ARE    (1U << 4)  /* RAO: affinity routing only */
#define GICD_CTLR_DS     (1U << 6)  /* RAO: one security state */
#define GICD_TYPER_VALUE (9U << 19) /* IDbits 10, ITLinesNumber 0: no SPIs */
#define PIDR2_GICV3      0x30       /* ArchRev 3 */
#define GICR_TYPER       0x0008
#define GICR_TYPER_HI    0x000c
#define GICR_TYPER_LAST  (1U << 4)
#define GICR_WAKER       0x0014
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)
#define GICR_PIDR2       0xffe8
#define SGI_FRAME        0x10000
#define GICR_IGROUPR0    (SGI_FRAME + 0x0080)
#define GICR_ISENABLER0  (SGI_FRAME + 0x0100)
#define GICR_ICENABLER0  (SGI_FRAME + 0x0180)
#define GICR_ISPENDR0    (SGI_FRAME + 0x0200)
#define GICR_ICPENDR0    (SGI_FRAME + 0x0280)
#define GICR_IPRIORITYR  (SGI_FRAME + 0x0400)
#define GICR_IPRIORITYR_END (GICR_IPRIORITYR + 32)
#define GICR_ICFGR0      (SGI_FRAME + 0x0c00)
#define GICR_ICFGR1      (SGI_FRAME + 0x0c04)
#define ICFGR0_SGIS_EDGE 0xaaaaaaaaU
/* clang-format on */

static uint64_t gicd_read(struct domain *d, uint64_t off)
{
    switch ( off )
    {
    case GICD_CTLR:
        return ACCESS_ONCE(d->vcpu[0]->arch.vgic.gicd_ctlr) | GICD_CTLR_ARE | GICD_CTLR_DS;
    case GICD_TYPER: return GICD_TYPER_VALUE;
    case GICD_PIDR2: return PIDR2_GICV3;
    default: return 0;
    }
}

static void gicd_write(struct domain *d, uint64_t off, uint64_t val)
{
    if ( off == GICD_CTLR )
        ACCESS_ONCE(d->vcpu[0]->arch.vgic.gicd_ctlr) = (uint32_t)val & GICD_CTLR_GRPS;
}

/* GICR_TYPER: Affinity (vCPU n is Aff0 = n) [63:32], Processor_Number
 * [23:8], Last [4] on the last vCPU's frame. */
static uint64_t gicr_typer(struct vcpu *t)
{
    uint64_t last = t->vcpu_id + 1U == t->domain->max_vcpus ? GICR_TYPER_LAST : 0;
    return ((uint64_t)vcpu_to_mpidr(t->vcpu_id) << 32) | ((uint64_t)t->vcpu_id << 8) | last;
}

static uint64_t priority_read(const struct vgic_vcpu *g, uint64_t off, unsigned int size)
{
    uint64_t v = 0;
    for ( unsigned int i = 0; i < size && off + i < GICR_IPRIORITYR_END; i++ )
        v |= (uint64_t)g->priority[off + i - GICR_IPRIORITYR] << (8 * i);
    return v;
}

static void priority_write(struct vgic_vcpu *g, uint64_t off, unsigned int size, uint64_t v)
{
    for ( unsigned int i = 0; i < size && off + i < GICR_IPRIORITYR_END; i++ )
        g->priority[off + i - GICR_IPRIORITYR] = (uint8_t)(v >> (8 * i));
}

static uint64_t gicr_read(struct vcpu *t, uint64_t off, unsigned int size)
{
    struct vgic_vcpu *g = &t->arch.vgic;
    if ( off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR_END )
        return priority_read(g, off, size);
    switch ( off )
    {
    case GICR_TYPER: return gicr_typer(t);
    case GICR_TYPER_HI: return gicr_typer(t) >> 32;
    case GICR_WAKER: /* asleep exactly when told to sleep */
        return g->waker & GICR_WAKER_SLEEP ? GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP : 0;
    case GICR_PIDR2: return PIDR2_GICV3;
    case GICR_IGROUPR0: return g->group;
    case GICR_ISENABLER0:
    case GICR_ICENABLER0: return ACCESS_ONCE(g->enabled);
    case GICR_ISPENDR0:
    case GICR_ICPENDR0: return ACCESS_ONCE(g->pending);
    case GICR_ICFGR0: return ICFGR0_SGIS_EDGE;
    case GICR_ICFGR1: return g->icfgr1;
    default: return 0;
    }
}

static void set_pending(struct vcpu *t, uint32_t bits)
{
    while ( bits )
    {
        vgic_inject(t, __builtin_ctz(bits));
        bits &= bits - 1;
    }
}

static void gicr_write(struct vcpu *t, uint64_t off, unsigned int size, uint64_t val)
{
    struct vgic_vcpu *g = &t->arch.vgic;
    uint32_t v32 = (uint32_t)val;
    if ( off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR_END )
        return priority_write(g, off, size, val);
    switch ( off )
    {
    case GICR_WAKER: g->waker = v32 & GICR_WAKER_SLEEP; break;
    case GICR_IGROUPR0: g->group = v32; break;
    case GICR_ISENABLER0:
        __atomic_fetch_or(&g->enabled, v32, __ATOMIC_SEQ_CST);
        if ( ACCESS_ONCE(g->pending) & v32 )
            vcpu_wake(t); /* what waited for this enable; the entry flushes it */
        break;
    case GICR_ICENABLER0: __atomic_fetch_and(&g->enabled, ~v32, __ATOMIC_SEQ_CST); break;
    case GICR_ISPENDR0: set_pending(t, v32); break;
    case GICR_ICPENDR0: __atomic_fetch_and(&g->pending, ~v32, __ATOMIC_SEQ_CST); break;
    case GICR_ICFGR1: g->icfgr1 = v32; break;
    default: break;
    }
}

/* An access of size bytes at IPA ipa. True if it is the vGIC's: *val is
 * what a read returns, or the value written. */
bool vgic_mmio(struct vcpu *v, uint64_t ipa, unsigned int size, bool write, uint64_t *val)
{
    struct domain *d = v->domain;
    uint64_t off;
    struct vcpu *t;
    if ( ipa >= VGIC_GICD_BASE && ipa < VGIC_GICD_BASE + VGIC_GICD_SIZE )
    {
        off = ipa - VGIC_GICD_BASE;
        if ( write )
            gicd_write(d, off, *val);
        else
            *val = gicd_read(d, off);
        return true;
    }
    if ( ipa < VGIC_GICR_BASE || ipa >= VGIC_GICR_BASE + (uint64_t)d->max_vcpus * VGIC_GICR_STRIDE )
        return false;
    t = d->vcpu[(ipa - VGIC_GICR_BASE) / VGIC_GICR_STRIDE];
    off = (ipa - VGIC_GICR_BASE) % VGIC_GICR_STRIDE;
    if ( !t )
        *val = write ? *val : 0;
    else if ( write )
        gicr_write(t, off, size, *val);
    else
        *val = gicr_read(t, off, size);
    return true;
}

/* ICC_SGI1R_EL1 (Arm GICv3 spec): TargetList [15:0] of Aff0 values,
 * Aff1 [23:16], INTID [27:24], Aff2 [39:32], IRM [40] (every PE but the
 * sender), Aff3 [55:48]. vCPU n is Aff0 = n, the other levels 0. */
void vgic_sgi1r(struct vcpu *v, uint64_t val)
{
    struct domain *d = v->domain;
    unsigned int intid = (val >> 24) & 0xf;
    bool all = (val >> 40) & 1;
    if ( !all && (val & 0xff00ff00ff0000UL) )
        return; /* another cluster: no vCPU lives there */
    for ( unsigned int i = 0; i < d->max_vcpus && i < 16; i++ )
    {
        struct vcpu *t = d->vcpu[i];
        if ( !t || (all ? t == v : !(val & (1UL << i))) )
            continue;
        vgic_inject(t, intid);
    }
}
