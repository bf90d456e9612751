/*
 * arm64/arch.c - dom0's arm64 boot facts and small machine facts:
 * rt_arm64_start (head.S, MMU on, boot stack) turns the registers the
 * hypervisor started vCPU 0 with into struct rt_boot and calls the
 * common rt_main; the cycle counter the pvclock counts (CNTPCT_EL0, which
 * Wren lets EL1 read), RNDR where the CPU has it, and the first frame of
 * a task's stack for task_switch.S.
 *
 * Boot protocol (arch/arm64/domain_build.c): x1 = the command line's IPA,
 * which is in the last page of RAM, so RAM ends one page above it; x3/x4
 * = the ramdisk's IPA and size (0 when there is none).
 *
 * May not touch: anything but the registers and frames it names.
 */
#include "rt.h"

#define TASK_FRAME 176 /* task_switch.S: x19-x30, d8-d15, FPCR */
#define TASK_X30   88

void rt_arm64_start(uintptr_t cmdline, uintptr_t ramdisk, size_t ramdisk_len);

const char rt_arch_machine[] = "aarch64";

void rt_arm64_start(uintptr_t cmdline, uintptr_t ramdisk, size_t ramdisk_len)
{
    struct rt_boot b = {
        .cmdline = (const char *)cmdline,
        .ram_end = (cmdline & ~(RT_PAGE - 1)) + RT_PAGE,
        .ramdisk = ramdisk_len ? (const void *)ramdisk : NULL,
        .ramdisk_len = ramdisk_len,
    };
    rt_hypercall_init();
    rt_traps_init();
    rt_main(&b);
}

uint64_t rt_cycles(void)
{
    uint64_t c;
    asm volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(c)::"memory");
    return c;
}

/* RNDR (FEAT_RNG: ID_AA64ISAR0_EL1.RNDR, bits 63:60); 0 without it or
 * when it reports failure (NZCV.Z set, the value 0). */
uint64_t rt_arch_entropy(void)
{
    uint64_t isar0, r;
    asm volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
    if ( !(isar0 >> 60) )
        return 0;
    asm volatile("mrs %0, s3_3_c2_c4_0" : "=r"(r)::"cc");
    return r;
}

/* arm64 has no call of its own: every number maps to x86-64's
 * (traps.c). */
long rt_arch_syscall(long nr, const long *a)
{
    return RT_UNHANDLED;
}

/* task_switch.S pops TASK_FRAME bytes and returns to x30: entry. */
uint64_t rt_arch_task_sp(uint8_t *stack, size_t size, void (*entry)(void))
{
    uint64_t *sp = (uint64_t *)((((uintptr_t)stack + size) & ~15UL) - TASK_FRAME);
    for ( unsigned int i = 0; i < TASK_FRAME / 8; i++ )
        sp[i] = 0;
    sp[TASK_X30 / 8] = (uint64_t)(uintptr_t)entry;
    return (uint64_t)(uintptr_t)sp;
}
