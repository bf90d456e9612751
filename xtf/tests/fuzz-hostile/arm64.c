/*
 * arm64.c - fuzz-hostile's arm64 half (hostile.h's fuzz_arch_* hooks).
 *
 * The XTF runtime runs with its stage 1 off (VA = IPA), so there is no
 * read-only page to aim at. Here vCPU 0 turns its stage 1 on with an
 * identity map of the low 4 GiB in which one page, the read-only one, is
 * EL1 read-only: the hypervisor translates every guest pointer with AT
 * S1E1W (guest_access.c), so a copy into that page must fail as the
 * guest's own store would. RAM (1-2 GiB) is Normal memory, the rest
 * Device; above 4 GiB nothing is mapped. vCPU 1 keeps its stage 1 off:
 * the map is the identity, so both see the same addresses (TCG models no
 * caches, so the differing attributes cannot show).
 *
 * The calls Xen's Arm build lacks (x86's PV hypercalls, the HVMOPs other
 * than the parameters) must be -ENOSYS here.
 *
 * Built only for arm64 (the whole file); touches only vCPU 0's EL1 MMU
 * registers and the tables below, which live in the image.
 */
#if defined(__aarch64__)
#include "hostile.h"
#include <xtf/arm64.h>
#include <public/hvm/hvm_op.h>

#define PTE_VALID    (1UL << 0)
#define PTE_TABLE    (1UL << 1) /* at level 1-2; at level 3: a page */
#define PTE_ATTR(i)  ((uint64_t)(i) << 2)
#define PTE_RO       (1UL << 7) /* AP[2]: read-only at EL1 */
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF       (1UL << 10)
#define PTE_XN       (3UL << 53) /* PXN, UXN */
#define ATTR_DEVICE  0           /* MAIR index: Device-nGnRnE */
#define ATTR_NORMAL  1           /* MAIR index: Normal write-back */
#define MAIR_VALUE   (0xffUL << (8 * ATTR_NORMAL))
#define TCR_T0SZ_39  25UL /* 39-bit VAs: the walk starts at level 1 */
#define TCR_WBWA_ISH ((1UL << 8) | (1UL << 10) | (3UL << 12)) /* IRGN0, ORGN0, SH0 */
#define TCR_EPD1     (1UL << 23)                              /* no TTBR1 walks */
#define TCR_IPS_48   (5UL << 32)
#define SCTLR_MMU_ON ((1UL << 0) | (1UL << 2) | (1UL << 12)) /* M, C, I */
#define GIB          (1UL << 30)
#define MIB2         (1UL << 21)

static uint64_t l1[512] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l2_ram[512] __attribute__((aligned(PAGE_SIZE))); /* [1 GiB, 2 GiB) */
static uint64_t l3_low[512] __attribute__((aligned(PAGE_SIZE))); /* RAM's first 2 MiB */

static uint64_t normal(uint64_t pa)
{
    return pa | PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF;
}

static void build_tables(uint64_t ro_gpa)
{
    for ( unsigned int i = 0; i < 4; i++ )
        l1[i] = i * GIB | PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_XN;
    l1[XTF_RAM_BASE / GIB] = (uint64_t)(uintptr_t)l2_ram | PTE_VALID | PTE_TABLE;
    for ( unsigned int i = 1; i < 512; i++ )
        l2_ram[i] = normal(XTF_RAM_BASE + i * MIB2);
    l2_ram[0] = (uint64_t)(uintptr_t)l3_low | PTE_VALID | PTE_TABLE;
    for ( unsigned int i = 0; i < 512; i++ )
        l3_low[i] = normal(XTF_RAM_BASE + i * PAGE_SIZE) | PTE_TABLE;
    l3_low[(ro_gpa - XTF_RAM_BASE) >> PAGE_SHIFT] |= PTE_RO;
}

static void stage1_on(void)
{
    uint64_t sctlr = read_sysreg(sctlr_el1);

    __asm__ volatile("msr mair_el1, %0\n\t"
                     "msr tcr_el1, %1\n\t"
                     "msr ttbr0_el1, %2\n\t"
                     "dsb ish\n\t"
                     "isb\n\t"
                     "tlbi vmalle1\n\t"
                     "dsb ish\n\t"
                     "isb\n\t"
                     "msr sctlr_el1, %3\n\t"
                     "isb" ::"r"(MAIR_VALUE),
                     "r"(TCR_T0SZ_39 | TCR_WBWA_ISH | TCR_EPD1 | TCR_IPS_48),
                     "r"((uint64_t)(uintptr_t)l1), "r"(sctlr | SCTLR_MMU_ON)
                     : "memory");
}

void fuzz_arch_protect(uint64_t gpa)
{
    if ( gpa < XTF_RAM_BASE || gpa >= XTF_RAM_BASE + MIB2 )
        panic("fuzz_arch_protect(%#lx): not in RAM's first 2 MiB", (unsigned long)gpa);
    build_tables(gpa);
    stage1_on();
}

/* Xen on Arm's do_hvm_op has the parameters only; Wren adds get_mem_type
 * (the oracles use it) and has no guest_request_vm_event anywhere. */
bool fuzz_arch_absent_hvmop(unsigned int op)
{
    return op != HVMOP_set_param && op != HVMOP_get_param && op != HVMOP_get_mem_type &&
           op != HVMOP_guest_request_vm_event;
}

/* x86's PV calls (set_trap_table .. stack_switch, update_va_mapping,
 * mmuext_op, xenpmu_op) and the arch-specific numbers 48-55. */
bool fuzz_arch_absent_call(uint64_t nr)
{
    return nr <= 3 || nr == 5 || nr == 14 || nr == 26 || nr == 38 || (nr >= 48 && nr <= 55);
}
#endif
