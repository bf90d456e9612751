/*
 * vcpu_load.c - counts of the work that makes a vCPU ready to enter on a
 * CPU: VMX's VMPTRLD/VMCLEAR and VMLAUNCH/VMRESUME, SVM's ASID handouts,
 * generation rollovers and whole-TLB flushes. Read by the control domain
 * through XEN_SYSCTL_wren_vcpu_load, for tests and `make bench`.
 *
 * Each CPU writes only its own row, with interrupts off (or from its own
 * interrupt handler, which cannot nest inside such a section), so plain
 * increments are enough. A row carries a sequence count, odd while it is
 * being written, so a reader copies each row whole: events counted
 * together (an entry and its VMLAUNCH or VMRESUME) are seen together.
 * Nothing here changes what the vendors do.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/wren.h>

struct load_row
{
    volatile uint64_t seq;
    uint64_t n[HVM_LOAD_NR];
};

static struct load_row rows[NR_CPUS];

void hvm_load_count2(enum hvm_load_event a, enum hvm_load_event b)
{
    struct load_row *r = &rows[smp_processor_id()];

    r->seq++;
    barrier();
    r->n[a]++;
    if ( b != HVM_LOAD_NR )
        r->n[b]++;
    barrier();
    r->seq++;
}

void hvm_load_count(enum hvm_load_event e)
{
    hvm_load_count2(e, HVM_LOAD_NR);
}

/* One CPU's row as it was between two of its updates. */
static void copy_row(const struct load_row *r, uint64_t *n)
{
    uint64_t seq;

    do
    {
        while ( (seq = r->seq) & 1 )
            cpu_relax();
        barrier();
        for ( unsigned int e = 0; e < HVM_LOAD_NR; e++ )
            n[e] = ACCESS_ONCE(r->n[e]);
        barrier();
    } while ( r->seq != seq );
}

void hvm_load_stats(struct xen_sysctl_wren_vcpu_load *out)
{
    uint64_t total[HVM_LOAD_NR] = { 0 };

    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        uint64_t n[HVM_LOAD_NR];

        copy_row(&rows[cpu], n);
        for ( unsigned int e = 0; e < HVM_LOAD_NR; e++ )
            total[e] += n[e];
    }
    *out = (struct xen_sysctl_wren_vcpu_load){
        .entries = total[HVM_LOAD_ENTRY],
        .vmlaunches = total[HVM_LOAD_VMLAUNCH],
        .vmresumes = total[HVM_LOAD_VMRESUME],
        .vmptrlds = total[HVM_LOAD_VMPTRLD],
        .vmclears = total[HVM_LOAD_VMCLEAR],
        .remote_clears = total[HVM_LOAD_REMOTE_CLEAR],
        .asid_allocs = total[HVM_LOAD_ASID_ALLOC],
        .asid_rollovers = total[HVM_LOAD_ASID_ROLLOVER],
        .tlb_flush_all = total[HVM_LOAD_TLB_FLUSH_ALL],
    };
}
