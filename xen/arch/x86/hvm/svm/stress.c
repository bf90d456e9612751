/*
 * stress.c - "svm_stress=N": the smallest SVM workload Wren can run, for
 * telling emulator faults from hypervisor ones (docs/platforms.md, "QEMU
 * SVM under multi-threaded TCG").
 *
 * Instead of building domains, every CPU makes N VM entries and then the
 * machine powers off. There are three guests for two CPUs, each with its
 * own VMCB, its own nested page table (guest-physical pages 0-3 only) and
 * one instruction to run, VMMCALL, in 64-bit mode under its own paging.
 * A CPU takes the next guest no CPU is running (a compare-and-swap on its
 * owner), restores its x87/SSE area, enters it, saves the area and lets it
 * go, so guests move between CPUs as vCPUs do under the scheduler. No
 * domains, hypercalls or p2m code run. The only exits expected are VMMCALL
 * and INTR (the host keeps its 100 Hz LAPIC timer); anything else panics
 * with the guest state the exit recorded.
 *
 * "svm_stress_flags=": bit 0 leaves the timer off (no interrupts at all),
 * bit 1 leaves out the x87/SSE save and restore, bit 2 splits the work:
 * CPU0 alone enters the guests (with no x87/SSE switch) while every other
 * CPU does nothing but FXRSTOR from a private area until CPU0 is done;
 * bit 3 sets the x87 error-summary bit in that area's status word, which
 * makes QEMU skip its IGNNE update (docs/platforms.md): the control case.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <asm/x86.h>
#include <asm/apic.h>
#include <asm/hvm.h>
#include <asm/traps.h>
#include "vmcb.h"

static unsigned int opt_svm_stress; /* VM entries per CPU; 0: off */
integer_param("svm_stress", opt_svm_stress);
static unsigned int opt_svm_stress_flags;
integer_param("svm_stress_flags", opt_svm_stress_flags);
#define STRESS_NO_TIMER 1u
#define STRESS_NO_FPU   2u
#define STRESS_SPLIT    4u /* CPU0 enters guests, the others only FXRSTOR */
#define STRESS_FSW_ES   8u /* ... of a status word with ES (bit 7) set */

void svm_enter(struct guest_regs *regs, paddr_t vmcb, paddr_t host_area);

#define NPT_TABLE 0x7ULL /* present, writable, user */

static inline void clgi(void)
{
    asm volatile("clgi" ::: "memory");
}
static inline void stgi(void)
{
    asm volatile("stgi" ::: "memory");
}

static volatile unsigned int stress_go, stress_done;
static volatile uint64_t stress_intr[NR_CPUS];

bool svm_stress_enabled(void)
{
    return opt_svm_stress && hvm_vendor == &svm_vendor_ops;
}

/*
 * Guest-physical pages 0-3, nothing else: 0 holds "vmmcall; jmp .-3", 1-3
 * the guest's own page tables (PML4, PDPT, PD) mapping its first 2 MiB
 * with one large page, so every guest access is a nested walk.
 */
static paddr_t stress_npt(void)
{
    uint64_t *l4 = alloc_page_zeroed(), *l3 = alloc_page_zeroed();
    uint64_t *l2 = alloc_page_zeroed(), *l1 = alloc_page_zeroed();
    uint64_t *g[4];
    for ( unsigned int i = 0; i < 4; i++ )
        if ( !(g[i] = alloc_page_zeroed()) )
            panic("svm_stress: out of memory");
    if ( !l4 || !l3 || !l2 || !l1 )
        panic("svm_stress: out of memory");
    memcpy(g[0], "\x0f\x01\xd9\xeb\xfb", 5);
    g[1][0] = 0x2000 | 0x3; /* guest PML4 -> PDPT at gpa 0x2000 */
    g[2][0] = 0x3000 | 0x3; /* guest PDPT -> PD at gpa 0x3000 */
    g[3][0] = 0x0 | 0x83;   /* guest PD: 2 MiB page at gpa 0 */
    l4[0] = virt_to_maddr(l3) | NPT_TABLE;
    l3[0] = virt_to_maddr(l2) | NPT_TABLE;
    l2[0] = virt_to_maddr(l1) | NPT_TABLE;
    for ( unsigned int i = 0; i < 4; i++ )
        l1[i] = virt_to_maddr(g[i]) | NPT_TABLE;
    return virt_to_maddr(l4);
}

static void *stress_vmcb(unsigned int cpu)
{
    void *vmcb = alloc_page_zeroed();
    if ( !vmcb )
        panic("svm_stress: out of memory");
    vmcb_set(vmcb, VMCB_INTERCEPT_MISC1, 4,
             INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_HLT | INTERCEPT_SHUTDOWN);
    vmcb_set(vmcb, VMCB_INTERCEPT_MISC2, 4, INTERCEPT_VMRUN | INTERCEPT_VMMCALL);
    vmcb_set(vmcb, VMCB_ASID, 4, 1 + cpu);
    vmcb_set64(vmcb, VMCB_VINTR, VINTR_MASKING);
    vmcb_set64(vmcb, VMCB_NP_ENABLE, 1);
    vmcb_set64(vmcb, VMCB_NCR3, stress_npt());
    vmcb_set64(vmcb, VMCB_G_PAT, 0x0007040600070406ULL);
    vmcb_set64(vmcb, VMCB_CR0, X86_CR0_PE | X86_CR0_ET | X86_CR0_PG);
    vmcb_set64(vmcb, VMCB_CR3, 0x1000);
    vmcb_set64(vmcb, VMCB_CR4, X86_CR4_PAE);
    vmcb_set64(vmcb, VMCB_EFER, EFER_SVME | EFER_LME | EFER_LMA);
    vmcb_set64(vmcb, VMCB_DR6, 0xffff0ff0);
    vmcb_set64(vmcb, VMCB_DR7, 0x400);
    svm_flat_segments(vmcb, SEG_CODE64);
    vmcb_set64(vmcb, VMCB_RFLAGS, 0x2);
    vmcb_set64(vmcb, VMCB_RIP, 0);
    return vmcb;
}

#define STRESS_VMCBS 3 /* more guests than CPUs: they move */

static void *stress_vmcbs[STRESS_VMCBS];
static uint8_t stress_fpu[STRESS_VMCBS][512] __attribute__((aligned(16)));
static int stress_owner[STRESS_VMCBS];
static unsigned int stress_cursor;

/* The next guest no CPU is running, round-robin; -1 owner means free. */
static unsigned int stress_pick(unsigned int cpu)
{
    for ( ;; )
    {
        unsigned int i = __atomic_fetch_add(&stress_cursor, 1, __ATOMIC_SEQ_CST) % STRESS_VMCBS;
        int none = -1;
        if ( __atomic_compare_exchange_n(&stress_owner[i], &none, (int)cpu, false, __ATOMIC_ACQUIRE,
                                         __ATOMIC_RELAXED) )
            return i;
    }
}

/* Every CPU: enter one of the guests opt_svm_stress times, each time the
 * next free one, so each guest's VMCB keeps moving between CPUs. */
__noreturn void svm_stress_cpu(unsigned int cpu)
{
    paddr_t host = svm_host_area(cpu);
    struct guest_regs regs = { 0 };

    if ( cpu == 0 )
    {
        for ( unsigned int i = 0; i < STRESS_VMCBS; i++ )
        {
            stress_vmcbs[i] = stress_vmcb(i);
            stress_owner[i] = -1;
            asm volatile("fxsave64 %0" : "=m"(stress_fpu[i]));
        }
        printk("svm_stress: %u VM entries on each CPU into %u one-instruction guests%s%s%s\n",
               opt_svm_stress, STRESS_VMCBS,
               opt_svm_stress_flags & STRESS_NO_TIMER ? ", no timer" : "",
               opt_svm_stress_flags & STRESS_NO_FPU ? ", no x87/SSE switch" : "",
               opt_svm_stress_flags & STRESS_SPLIT ? ", CPU0 alone enters them" : "");
        __atomic_store_n(&stress_go, 1, __ATOMIC_RELEASE);
    }
    while ( !stress_go )
        cpu_relax();
    if ( !(opt_svm_stress_flags & STRESS_NO_TIMER) )
        apic_timer_start(100);
    local_irq_enable();
    if ( (opt_svm_stress_flags & STRESS_SPLIT) && cpu != 0 )
    {
        static uint8_t area[NR_CPUS][512] __attribute__((aligned(16)));
        asm volatile("fxsave64 %0" : "=m"(area[cpu]));
        if ( opt_svm_stress_flags & STRESS_FSW_ES )
            area[cpu][2] |= 0x80; /* FSW.ES: FXRSTOR does not trap on it */
        while ( !ACCESS_ONCE(stress_done) )
            asm volatile("fxrstor64 %0" ::"m"(area[cpu]));
        stress_intr[cpu] = 0;
        __atomic_add_fetch(&stress_done, 1, __ATOMIC_SEQ_CST);
        for ( ;; )
            halt();
    }
    for ( unsigned int i = 0; i < opt_svm_stress; i++ )
    {
        unsigned int g = stress_pick(cpu);
        void *vmcb = stress_vmcbs[g];
        uint64_t code;
        if ( !(opt_svm_stress_flags & (STRESS_NO_FPU | STRESS_SPLIT)) )
            asm volatile("fxrstor64 %0" ::"m"(stress_fpu[g]));
        clgi();
        vmcb_set(vmcb, VMCB_CLEAN, 4, 0);
        vmcb_set(vmcb, VMCB_TLB_CONTROL, 1, 1);
        svm_enter(&regs, virt_to_maddr(vmcb), host);
        code = vmcb_get64(vmcb, VMCB_EXITCODE);
        stgi();
        if ( !(opt_svm_stress_flags & (STRESS_NO_FPU | STRESS_SPLIT)) )
            asm volatile("fxsave64 %0" : "=m"(stress_fpu[g]));
        __atomic_store_n(&stress_owner[g], -1, __ATOMIC_RELEASE);
        if ( code == SVM_EXIT_INTR )
            stress_intr[cpu]++;
        else if ( code != SVM_EXIT_VMMCALL )
            panic("svm_stress: CPU%u entry %u, guest %u: exit code %#lx (info %#lx %#lx), "
                  "guest state rip %#lx rsp %#lx cr3 %#lx cr4 %#lx efer %#lx; host cr3 %#lx",
                  cpu, i, g, code, vmcb_get64(vmcb, VMCB_EXITINFO1),
                  vmcb_get64(vmcb, VMCB_EXITINFO2), vmcb_get64(vmcb, VMCB_RIP),
                  vmcb_get64(vmcb, VMCB_RSP), vmcb_get64(vmcb, VMCB_CR3),
                  vmcb_get64(vmcb, VMCB_CR4), vmcb_get64(vmcb, VMCB_EFER), read_cr3());
    }
    __atomic_add_fetch(&stress_done, 1, __ATOMIC_SEQ_CST);
    if ( cpu != 0 )
        for ( ;; )
            halt();
    while ( ACCESS_ONCE(stress_done) < nr_online_cpus )
        cpu_relax();
    if ( opt_svm_stress_flags & STRESS_SPLIT )
        printk("svm_stress: the other CPUs ran FXRSTOR only%s\n",
               opt_svm_stress_flags & STRESS_FSW_ES ? ", status word with ES set" : "");
    for ( unsigned int c = 0; c < nr_online_cpus; c++ )
        printk("svm_stress: CPU%u done, %lu interrupt exits\n", c, stress_intr[c]);
    machine_power_off();
}
