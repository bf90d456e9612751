/*
 * arm64/mmu.c - dom0's stage 1 on arm64: an identity map (virtual ==
 * guest-physical, as on x86) so that musl, built for Normal memory, may
 * make unaligned and exclusive accesses, which fault on the Device memory
 * an MMU-off EL1 gets. 4K granule, 39-bit VAs (T0SZ 25: the walk starts
 * at level 1, one entry per GiB):
 *
 *   GiB 0        nothing: a NULL pointer faults
 *   GiB 1        RAM from 0x40000000 (Xen on Arm's GUEST_RAM0_BASE), in
 *                2 MiB blocks of a level-2 table, Normal write-back
 *   GiB 4        the foreign-mapping window (RT_WINDOW), one block
 *
 * rt_arm64_mmu_on runs with the MMU off (built -mstrict-align, no FP):
 * the tables are .bss, already zero. rt_arch_guard_page splits a 2 MiB
 * block into 4K pages (break-before-make) and clears one.
 *
 * May not touch: any entry but the ones it makes or guards.
 */
#include <stdint.h>
#include "rt.h"

#define DESC_BLOCK   0x1UL
#define DESC_TABLE   0x3UL
#define DESC_PAGE    0x3UL
#define ATTR_NORMAL  (0UL << 2) /* MAIR index 0 */
#define SH_INNER     (3UL << 8)
#define AF           (1UL << 10)
#define NORMAL_BLOCK (DESC_BLOCK | ATTR_NORMAL | SH_INNER | AF)
#define NORMAL_PAGE  (DESC_PAGE | ATTR_NORMAL | SH_INNER | AF)
#define DESC_ADDR    0x0000fffffffff000UL

#define GIB        (1UL << 30)
#define BLOCK2M    (2UL << 20)
#define RAM_GIB    1
#define MAIR_VALUE 0x04ffUL /* 0: Normal WB RA/WA; 1: Device-nGnRE */
/* T0SZ 25, inner/outer WB WA walks, inner shareable, 4K; TTBR1 walks off
 * (EPD1), TG1 4K; IPS 40 bits. */
#define TCR_VALUE (25UL | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 23 | 2UL << 30 | 2UL << 32)
/* RES1 bits, then M, C, I. */
#define SCTLR_VALUE (0x30d00800UL | 1UL << 0 | 1UL << 2 | 1UL << 12)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));

extern char __bss_start[], __bss_end[];
void rt_arm64_mmu_on(void);

static void build_tables(void)
{
    for ( unsigned int i = 0; i < 512; i++ )
        l2_ram[i] = (RAM_GIB * GIB + i * BLOCK2M) | NORMAL_BLOCK;
    l1[RAM_GIB] = (uintptr_t)l2_ram | DESC_TABLE;
    l1[RT_WINDOW / GIB] = RT_WINDOW | NORMAL_BLOCK;
}

/* What was written with the MMU off is in memory; no stale line of it
 * may be hit once the caches are on. */
static void invalidate_bss(void)
{
    uint64_t ctr, line;
    asm volatile("mrs %0, ctr_el0" : "=r"(ctr));
    line = 4UL << ((ctr >> 16) & 0xf);
    for ( uintptr_t a = (uintptr_t)__bss_start & ~(line - 1); a < (uintptr_t)__bss_end; a += line )
        asm volatile("dc ivac, %0" ::"r"(a) : "memory");
    asm volatile("dsb sy" ::: "memory");
}

void rt_arm64_mmu_on(void)
{
    build_tables();
    invalidate_bss();
    asm volatile("msr mair_el1, %0\n\t"
                 "msr tcr_el1, %1\n\t"
                 "msr ttbr0_el1, %2\n\t"
                 "isb\n\t"
                 "tlbi vmalle1\n\t"
                 "dsb nsh\n\t"
                 "ic iallu\n\t"
                 "dsb nsh\n\t"
                 "isb\n\t"
                 "msr sctlr_el1, %3\n\t"
                 "isb" ::"r"(MAIR_VALUE),
                 "r"(TCR_VALUE), "r"((uintptr_t)l1), "r"(SCTLR_VALUE)
                 : "memory");
}

static void flush_tlb(void)
{
    asm volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
}

/* The 4K table under va's 2 MiB block, made the first time. */
static uint64_t *page_table(uintptr_t va)
{
    uint64_t *pde = &l2_ram[(va / BLOCK2M) % 512], *pt;
    uintptr_t base = va & ~(BLOCK2M - 1);
    if ( (*pde & DESC_TABLE) == DESC_TABLE )
        return (uint64_t *)(uintptr_t)(*pde & DESC_ADDR);
    if ( !(pt = rt_pages_alloc(RT_PAGE)) )
        return NULL;
    for ( unsigned int i = 0; i < 512; i++ )
        pt[i] = (base + i * RT_PAGE) | NORMAL_PAGE;
    *pde = 0; /* break before make */
    flush_tlb();
    *pde = (uintptr_t)pt | DESC_TABLE;
    flush_tlb();
    return pt;
}

int rt_arch_guard_page(uintptr_t va)
{
    uint64_t *pt;
    if ( va / GIB != RAM_GIB )
        return va < GIB ? 0 : -1; /* GiB 0 is never mapped */
    if ( !(pt = page_table(va)) )
        return -1;
    pt[(va / RT_PAGE) % 512] = 0;
    flush_tlb();
    return 0;
}
