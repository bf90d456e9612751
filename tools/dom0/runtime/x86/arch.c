/*
 * x86/arch.c - the small x86 facts of dom0's runtime: the TSC (what the
 * pvclock counts), RDRAND, arch_prctl (musl's FS base) and guard pages
 * in head.S's identity map.
 *
 * May not touch: page-table entries other than the one it guards.
 */
#include <errno.h>
#include <cpuid.h>
#include "rt.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define MSR_FS_BASE 0xc0000100

uint64_t rt_cycles(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* RDRAND where the CPU has it. */
uint64_t rt_arch_entropy(void)
{
    uint32_t a, b, c, d;
    uint64_t r = 0;
    __cpuid(1, a, b, c, d);
    if ( c & (1u << 30) )
        asm volatile("rdrand %0" : "=r"(r)::"cc");
    return r;
}

static long sys_arch_prctl(int code, unsigned long addr)
{
    uint32_t lo, hi;
    switch ( code )
    {
    case ARCH_SET_FS:
        asm volatile("wrmsr" ::"c"(MSR_FS_BASE), "a"((uint32_t)addr), "d"((uint32_t)(addr >> 32)));
        return 0;
    case ARCH_GET_FS:
        asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_FS_BASE));
        *(unsigned long *)addr = (uint64_t)hi << 32 | lo;
        return 0;
    default: return -EINVAL;
    }
}

long rt_arch_syscall(long nr, const long *a)
{
    return nr == 158 ? sys_arch_prctl((int)a[0], (unsigned long)a[1]) : RT_UNHANDLED;
}

/* ---- guard pages ---- */

#define PTE_P     0x001UL
#define PTE_RW    0x002UL
#define PTE_PS    0x080UL
#define PTE_ADDR  0x000ffffffffff000UL
#define SUPERPAGE (2UL << 20)

extern uint64_t rt_pd[]; /* head.S: the 2 MiB entries of the low 5 GiB */

/* va's 2 MiB page is split into 4 KiB ones the first time. */
int rt_arch_guard_page(uintptr_t va)
{
    uint64_t *pde = &rt_pd[va / SUPERPAGE], *pt;
    if ( *pde & PTE_PS )
    {
        uintptr_t base = va & ~(SUPERPAGE - 1);
        if ( !(pt = rt_pages_alloc(RT_PAGE)) )
            return -1;
        for ( unsigned int i = 0; i < 512; i++ )
            pt[i] = (base + i * RT_PAGE) | PTE_P | PTE_RW;
        *pde = (uintptr_t)pt | PTE_P | PTE_RW;
    }
    pt = (uint64_t *)(uintptr_t)(*pde & PTE_ADDR);
    pt[(va / RT_PAGE) % 512] = 0;
    asm volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
    return 0;
}
