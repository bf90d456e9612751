/*
 * pml.c - Intel page-modification logging (PML) as a log-dirty mechanism,
 * and the EPT accessed/dirty flags it and A/D harvest need: the struct
 * logdirty_mech_ops that vmx_vendor_ops.pml points at when the CPU has
 * both PML and EPT A/D flags (vmx_pml_probe).
 *
 * While PML is on for a vCPU its EPTP enables the A/D flags, and a guest
 * write that sets a clear EPT dirty flag also stores the written
 * guest-physical address in the vCPU's 512-entry buffer at the guest PML
 * index, which then counts down from 511; once the index has wrapped
 * (buffer full) the next such write exits, reason 62, before it is done.
 * The log-dirty core keeps RAM writable with D clear (it clears D after
 * enable and after every CLEAN), so a page is logged once per round.
 * Superpages are the core's business too: a superpage's D 0->1 logs one
 * 4K address, which is all this file reports.
 *
 * Draining. The index lives in the VMCS, which is loaded only during a
 * run (vmx.c clears it after every run: the vCPU may move), so only the
 * vCPU itself reads it: after every exit, the VMCS still loaded, it puts
 * the entries logged since the last drain into the bitmap (logdirty_mark)
 * and resets the index. A buffer holds entries only during a run.
 *
 * Flush protocol. x->run_seq turns odd when a run starts its VMCS work
 * and even again once that run has drained, so "even" means "buffer
 * empty". A flusher reads run_seq; if odd it kicks the CPU holding the
 * VMCS (the guest exits; the kick is repeated in case it came before the
 * entry and the guest ignores it, see docs/platforms.md) and waits until
 * run_seq changes: that run has drained everything the guest logged
 * before the flush began. A vCPU outside a run (blocked, or spinning on a
 * lock) never holds a flush up. Inside a run the vCPU takes only
 * d->logdirty.lock (logdirty_mark, logdirty_count_*), so a flusher must
 * not hold it; the log-dirty core calls these ops without it.
 *
 * Switching. enable/disable (and ad_enable/ad_disable) only publish the
 * wish, x->pml_buf (NULL: PML off) and x->ad_wanted; the vCPU applies it
 * before its next entry, its VMCS loaded. The vCPU makes run_seq odd
 * before it reads the wish, the switcher writes the wish before it reads
 * run_seq (all sequentially consistent), so either the vCPU sees the new
 * wish or the switcher sees the run and waits for its end. Hence when
 * enable returns every later guest write logs, and when disable returns
 * no CPU will write to the old buffers again and they are freed.
 *
 * May not touch: the bitmap (only through logdirty_mark) and p2m entries
 * (the core clears dirty flags through the p2m).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/logdirty.h>
#include <asm/pml.h>
#include <asm/x86.h>
#include <asm/apic.h>
#include "vmx_priv.h"

#define REKICK_US 500

static bool pml_usable;
/* Serialises enable, disable, ad_* and the vCPU hooks; never taken in a
 * run, so waiting for runs with it held cannot deadlock. */
static spinlock_t pml_lock = SPIN_LOCK_UNLOCKED(LOCK_pml);

bool vmx_pml_probe(void)
{
    uint32_t proc2_may = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) >> 32;
    bool pml = proc2_may & PROC2_ENABLE_PML;
    bool ad = vmx_caps.ept_vpid & VMX_EPT_CAP_AD;

    pml_usable = pml && ad;
    printk("VMX: page-modification logging %s (PML control: %s, EPT A/D flags: %s)\n",
           pml_usable ? "available" : "unavailable", pml ? "yes" : "no", ad ? "yes" : "no");
    return pml_usable;
}

/* ---- in a run: VMCS loaded, interrupts off ---- */

/* The vCPU drains its own buffer: its dirty ring gets the entries. */
static void mark_gfn(void *v, uint64_t gfn)
{
    logdirty_mark_vcpu(v, gfn, 0);
}

/* Move what the buffer logged into the bitmap and empty it. */
static void drain(struct vcpu *v)
{
    uint16_t index = vmcs_read(VMCS_GUEST_PML_INDEX);
    unsigned int n;

    if ( pml_first_entry(index) == PML_ENTRIES )
        return;
    n = pml_drain_buffer(v->arch.vmx.pml_vmcs_buf, index, mark_gfn, v);
    vmcs_write(VMCS_GUEST_PML_INDEX, PML_INDEX_EMPTY);
    logdirty_count_pml(v->domain, n);
}

/* Point the VMCS at buf, or turn PML off (buf NULL). The buffer it
 * leaves is empty: every run drains before it ends. */
static void switch_buffer(struct vcpu *v, uint64_t *buf)
{
    uint64_t proc2 = vmcs_read(VMCS_PROC_CTLS2) & ~(uint64_t)PROC2_ENABLE_PML;

    if ( buf )
    {
        vmcs_write(VMCS_PML_ADDR, virt_to_maddr(buf));
        vmcs_write(VMCS_GUEST_PML_INDEX, PML_INDEX_EMPTY);
        proc2 |= PROC2_ENABLE_PML;
    }
    vmcs_write(VMCS_PROC_CTLS2, proc2);
    v->arch.vmx.pml_vmcs_buf = buf;
}

/*
 * Start of a run, VMCS loaded, before the EPTP is written: apply the
 * wishes. True if the EPT A/D setting changed, so that translations the
 * CPU cached under the other setting must go before the entry. (A buffer
 * freed by disable and handed out again by enable at the same address
 * needs no switch: the VMCS already points there, with the index reset.)
 */
bool vmx_pml_run_start(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint64_t *buf;
    bool ad;

    __atomic_add_fetch(&x->run_seq, 1, __ATOMIC_SEQ_CST); /* odd */
    buf = __atomic_load_n(&x->pml_buf, __ATOMIC_SEQ_CST);
    if ( buf != x->pml_vmcs_buf )
        switch_buffer(v, buf);
    ad = buf || __atomic_load_n(&x->ad_wanted, __ATOMIC_SEQ_CST);
    if ( ad == x->ept_ad )
        return false;
    x->ept_ad = ad;
    return true;
}

/* End of a run, VMCS still loaded, whatever the entry's outcome. */
void vmx_pml_run_end(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;

    if ( x->pml_vmcs_buf )
        drain(v);
    __atomic_add_fetch(&x->run_seq, 1, __ATOMIC_RELEASE); /* even */
}

/* Exit 62. The drain at the end of the run does the work. */
void vmx_pml_full(struct vcpu *v)
{
    logdirty_count_logging_exit(v->domain);
}

/* ---- from other CPUs ---- */

/* The odd run_seq of the run v is in, kicking its CPU; 0 if none. */
static uint64_t kick_run(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;
    uint64_t seq = __atomic_load_n(&x->run_seq, __ATOMIC_SEQ_CST);
    int cpu = __atomic_load_n(&x->loaded_cpu, __ATOMIC_RELAXED);

    if ( !(seq & 1) )
        return 0;
    ASSERT(cpu != (int)smp_processor_id()); /* not called from inside a run */
    if ( cpu >= 0 )
        smp_kick_cpu(cpu);
    return seq;
}

static void wait_run(struct vcpu *v, uint64_t seq)
{
    const uint64_t *rs = &v->arch.vmx.run_seq;

    for ( unsigned int us = 1; __atomic_load_n(rs, __ATOMIC_ACQUIRE) == seq; us++ )
    {
        udelay(1);
        if ( us % REKICK_US == 0 )
            kick_run(v);
    }
}

/* Returns once every run of d's vCPUs in progress at the call has ended,
 * its buffer drained. All are kicked first, then waited for. */
static void wait_runs(struct domain *d)
{
    uint64_t seq[HVM_MAX_VCPUS] = { 0 };

    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            seq[i] = kick_run(d->vcpu[i]);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( seq[i] )
            wait_run(d->vcpu[i], seq[i]);
}

static void want_buffer(struct vcpu *v, uint64_t *buf)
{
    __atomic_store_n(&v->arch.vmx.pml_buf, buf, __ATOMIC_SEQ_CST);
}

static void want_ad(struct domain *d, bool on)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            __atomic_store_n(&d->vcpu[i]->arch.vmx.ad_wanted, on, __ATOMIC_SEQ_CST);
}

static void free_buffers(uint64_t **buf, unsigned int nr)
{
    for ( unsigned int i = 0; i < nr; i++ )
        if ( buf[i] )
            free_page_ptr(buf[i]);
}

/* One buffer per vCPU, or none at all (-ENOMEM). */
static int alloc_buffers(struct domain *d, uint64_t **buf)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        if ( !d->vcpu[i] )
            continue;
        buf[i] = alloc_page_zeroed();
        if ( !buf[i] )
        {
            free_buffers(buf, i);
            return -ENOMEM;
        }
    }
    return 0;
}

/* ---- struct logdirty_mech_ops ---- */

static bool pml_on(const struct domain *d)
{
    return d->vcpu[0] && __atomic_load_n(&d->vcpu[0]->arch.vmx.pml_buf, __ATOMIC_SEQ_CST);
}

static int pml_enable(struct domain *d)
{
    uint64_t *buf[HVM_MAX_VCPUS] = { NULL };
    int rc;

    spin_lock(&pml_lock);
    rc = pml_on(d) ? -EBUSY : alloc_buffers(d, buf);
    for ( unsigned int i = 0; !rc && i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            want_buffer(d->vcpu[i], buf[i]);
    if ( !rc )
        wait_runs(d); /* every entry from now on logs */
    spin_unlock(&pml_lock);
    return rc;
}

/* Buffers of vCPUs outside a run are empty: only runs need waiting for. */
static void pml_flush(struct domain *d)
{
    wait_runs(d);
}

static void pml_disable(struct domain *d)
{
    uint64_t *old[HVM_MAX_VCPUS] = { NULL };

    spin_lock(&pml_lock);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        if ( !d->vcpu[i] )
            continue;
        old[i] = d->vcpu[i]->arch.vmx.pml_buf;
        want_buffer(d->vcpu[i], NULL);
    }
    wait_runs(d); /* last entries drained; later runs switch off */
    free_buffers(old, HVM_MAX_VCPUS);
    spin_unlock(&pml_lock);
}

/* EPT A/D flags without logging, for A/D harvest. */
static int pml_ad_enable(struct domain *d)
{
    spin_lock(&pml_lock);
    want_ad(d, true);
    wait_runs(d); /* every entry from now on sets the flags */
    spin_unlock(&pml_lock);
    return 0;
}

/* The flags stay on for a run in progress: harmless. */
static void pml_ad_disable(struct domain *d)
{
    spin_lock(&pml_lock);
    want_ad(d, false);
    spin_unlock(&pml_lock);
}

/* v is going while the domain may still run: it logs no more. */
static void pml_vcpu_destroy(struct vcpu *v)
{
    uint64_t *buf[1];
    uint64_t seq;

    spin_lock(&pml_lock);
    buf[0] = v->arch.vmx.pml_buf;
    want_buffer(v, NULL);
    seq = kick_run(v);
    if ( seq )
        wait_run(v, seq);
    free_buffers(buf, 1);
    spin_unlock(&pml_lock);
}

const struct logdirty_mech_ops vmx_pml_ops = {
    .name = "PML",
    .enable = pml_enable,
    .disable = pml_disable,
    .flush = pml_flush,
    .vcpu_destroy = pml_vcpu_destroy,
    .ad_enable = pml_ad_enable,
    .ad_disable = pml_ad_disable,
};

/* ---- the vCPU's life (vmcs.c) ---- */

/* A new VMCS has PML and A/D off; a vCPU added while PML is on for its
 * domain gets a buffer too. 0 or -ENOMEM. */
int vmx_pml_vcpu_init(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct vmx_vcpu *x = &v->arch.vmx;
    int rc = 0;

    x->pml_vmcs_buf = NULL;
    x->ept_ad = false;
    if ( !pml_usable || v->vcpu_id == 0 )
        return 0;
    spin_lock(&pml_lock);
    x->ad_wanted = d->vcpu[0] && __atomic_load_n(&d->vcpu[0]->arch.vmx.ad_wanted, __ATOMIC_RELAXED);
    if ( pml_on(d) )
    {
        x->pml_buf = alloc_page_zeroed();
        rc = x->pml_buf ? 0 : -ENOMEM;
    }
    spin_unlock(&pml_lock);
    return rc;
}

/* The VMCS goes: the vCPU runs no more, its buffer is empty. */
void vmx_pml_vcpu_free(struct vcpu *v)
{
    struct vmx_vcpu *x = &v->arch.vmx;

    spin_lock(&pml_lock);
    if ( x->pml_buf )
        free_page_ptr(x->pml_buf);
    x->pml_buf = x->pml_vmcs_buf = NULL;
    spin_unlock(&pml_lock);
}
