/*
 * vcpu_load.c - counts of the work that makes a vCPU ready to enter on a
 * CPU: VMX's VMPTRLD/VMCLEAR and VMLAUNCH/VMRESUME, SVM's ASID handouts,
 * generation rollovers and whole-TLB flushes. Read by the control domain
 * through XEN_SYSCTL_wren_vcpu_load, for tests and `make bench`.
 *
 * Each CPU writes only its own row, with interrupts off (or from its own
 * interrupt handler, which cannot nest inside such a section), so plain
 * increments are enough; a reader sums the rows racily: a snapshot is all
 * it promises. Nothing here changes what the vendors do.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/wren.h>

static uint64_t counts[NR_CPUS][HVM_LOAD_NR];

void hvm_load_count(enum hvm_load_event e)
{
    counts[smp_processor_id()][e]++;
}

static uint64_t sum(enum hvm_load_event e)
{
    uint64_t n = 0;

    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        n += ACCESS_ONCE(counts[cpu][e]);
    return n;
}

void hvm_load_stats(struct xen_sysctl_wren_vcpu_load *out)
{
    *out = (struct xen_sysctl_wren_vcpu_load){
        .entries = sum(HVM_LOAD_ENTRY),
        .vmlaunches = sum(HVM_LOAD_VMLAUNCH),
        .vmresumes = sum(HVM_LOAD_VMRESUME),
        .vmptrlds = sum(HVM_LOAD_VMPTRLD),
        .vmclears = sum(HVM_LOAD_VMCLEAR),
        .remote_clears = sum(HVM_LOAD_REMOTE_CLEAR),
        .asid_allocs = sum(HVM_LOAD_ASID_ALLOC),
        .asid_rollovers = sum(HVM_LOAD_ASID_ROLLOVER),
        .tlb_flush_all = sum(HVM_LOAD_TLB_FLUSH_ALL),
    };
}
