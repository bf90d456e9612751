/*
 * mm.c - the hypervisor's own EL2 stage-1 translation: an identity map
 * (virtual == physical, as directmap_base == 0 promises common code) of
 * the device tree's RAM as Normal write-back memory and of the GiB around
 * each device it uses as Device-nGnRE, in 1 GiB blocks with the 4K
 * granule (a level-0 table and one level-1 table: the first 512 GiB).
 * Not the guests' stage 2 (the p2m backend's). Descriptor bits: Arm ARM
 * D8.3 (VMSAv8-64 translation table format).
 */
#include <xen/lib.h>
#include <asm/arm64.h>
#include <asm/sysregs.h>

#define PTE_VALID      (1UL << 0)
#define PTE_TABLE      (1UL << 1) /* levels 0-2: next-level table (else block) */
#define PTE_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_AP_EL2_RW  (1UL << 6) /* AP[2:1] = 01: AP[1] is RES1 at EL2 */
#define PTE_SH_INNER   (3UL << 8)
#define PTE_AF         (1UL << 10) /* accessed: no access-flag faults */
#define PTE_XN         (1UL << 54)
#define PTE_ADDR_MASK  0x0000fffffffff000UL

#define L1_SHIFT   30 /* a level-1 entry maps 1 GiB */
#define VA_BITS    48 /* T0SZ 16: the walk starts at level 0 */
#define L1_ENTRIES 512

static uint64_t l0_table[512] __attribute__((aligned(4096), section(".bss.pagetables")));
static uint64_t l1_table[512] __attribute__((aligned(4096), section(".bss.pagetables")));

/* What every CPU loads (secondaries with their MMU and caches still off:
 * cleaned to the point of coherency before they start). */
static struct
{
    uint64_t ttbr, tcr, mair, sctlr;
} mmu_regs;

static uint64_t block_normal(paddr_t pa)
{
    return pa | PTE_VALID | PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_AP_EL2_RW | PTE_SH_INNER | PTE_AF;
}

static uint64_t block_device(paddr_t pa)
{
    return pa | PTE_VALID | PTE_ATTRIDX(MAIR_IDX_DEVICE) | PTE_AP_EL2_RW | PTE_AF | PTE_XN;
}

static void map_ram(const struct dt_range *r)
{
    uint64_t first = r->start >> L1_SHIFT, last = (r->start + r->size - 1) >> L1_SHIFT;
    for ( uint64_t i = first; i <= last && i < L1_ENTRIES; i++ )
        l1_table[i] = block_normal(i << L1_SHIFT);
}

/* A device's GiB becomes Device memory unless RAM shares it (then the
 * device is not where this map can reach it: say so later, not here). */
static void map_device(paddr_t pa)
{
    uint64_t i = pa >> L1_SHIFT;
    if ( pa && i < L1_ENTRIES && !l1_table[i] )
        l1_table[i] = block_device(i << L1_SHIFT);
}

bool mm_is_mapped(paddr_t pa)
{
    return (pa >> L1_SHIFT) < L1_ENTRIES && l1_table[pa >> L1_SHIFT];
}

/* The physical address size to put in TCR_EL2.PS: what the CPU offers,
 * at most 48 bits (52 needs the 64K granule or LPA2). */
static uint64_t tcr_ps(void)
{
    unsigned int parange = ID_AA64MMFR0_PARANGE(READ_SYSREG(id_aa64mmfr0_el1));
    return parange > 5 ? 5 : parange;
}

void mm_build_boot_map(const struct arm64_boot_info *bi)
{
    for ( unsigned int i = 0; i < bi->nr_memory; i++ )
        map_ram(&bi->memory[i]);
    map_device(bi->uart);
    map_device(bi->gicd.start);
    map_device(bi->gicr.start);
    if ( bi->rtc )
        map_device(bi->rtc);
    l0_table[0] = ((uintptr_t)l1_table & PTE_ADDR_MASK) | PTE_VALID | PTE_TABLE;

    mmu_regs.ttbr = (uintptr_t)l0_table;
    mmu_regs.tcr = TCR_EL2_RES1 | TCR_T0SZ(VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
                   TCR_SH0_INNER | TCR_TG0_4K | (tcr_ps() << TCR_PS_SHIFT);
    mmu_regs.mair = MAIR_EL2_VALUE;
    mmu_regs.sctlr = SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I | SCTLR_EL2_SA;
}

/* Drop whatever a cache might hold of [p, p + len) without writing it
 * back: memory already has the truth, written with the caches off. */
static void invalidate_dcache_range(const void *p, size_t len)
{
    uint64_t line = 4UL << ((READ_SYSREG(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine */
    uintptr_t a = (uintptr_t)p & ~(line - 1), end = (uintptr_t)p + len;
    for ( ; a < end; a += line )
        asm volatile("dc ivac, %0" ::"r"(a) : "memory");
    asm volatile("dsb sy" ::: "memory");
}

void mm_enable_this_cpu(void)
{
    arm64_mmu_on(mmu_regs.ttbr, mmu_regs.tcr, mmu_regs.mair, mmu_regs.sctlr);
}

/* The first CPU's caches come on while no other CPU runs: lines from
 * before the hand-off that cover the image (its tables, stacks and bss,
 * all written with the caches off) must not shadow what is in memory.
 * Only then: later, an invalidation would discard other CPUs' writes. */
void mm_enable_boot_cpu(void)
{
    extern uint8_t __image_start[], __image_end[];

    invalidate_dcache_range(__image_start, __image_end - __image_start);
    mm_enable_this_cpu();
}

/* Write dirty lines of [p, p + len) back to memory, for a CPU that will
 * read them with its caches off. */
void clean_dcache_range(const void *p, size_t len)
{
    uint64_t line = 4UL << ((READ_SYSREG(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine */
    uintptr_t a = (uintptr_t)p & ~(line - 1), end = (uintptr_t)p + len;
    for ( ; a < end; a += line )
        asm volatile("dc cvac, %0" ::"r"(a) : "memory");
    asm volatile("dsb sy" ::: "memory");
}

/* The boot CPU cleans what a secondary reads before its MMU is on. */
void mm_publish_for_secondaries(void)
{
    clean_dcache_range(&mmu_regs, sizeof(mmu_regs));
    clean_dcache_range(l0_table, sizeof(l0_table));
    clean_dcache_range(l1_table, sizeof(l1_table));
}
