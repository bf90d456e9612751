/*
 * x86/boot.c - dom0's x86 boot facts: rt_start (head.S, long mode, boot
 * stack) reads the PVH start info the hypervisor left (memory map,
 * command line, the ramdisk module), readies the CPU for musl and calls
 * the common rt_main. Also the task stack's first frame, which is
 * task_switch.S's.
 *
 * May not touch: anything but the CPU state it names; all policy is
 * start.c's.
 */
#include <xen/xen.h>
#include <xen/hvm/start_info.h>
#include "rt.h"

#define E820_RAM      1
#define FCW_DEFAULT   0x37f
#define MXCSR_DEFAULT 0x1f80

void rt_start(uint32_t si_paddr);

const char rt_arch_machine[] = "x86_64";

static uintptr_t ram_end(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *m = (const void *)(uintptr_t)si->memmap_paddr;
    uintptr_t end = 0;
    for ( uint32_t i = 0; si->version >= 1 && i < si->memmap_entries; i++ )
        if ( m[i].type == E820_RAM && m[i].addr >= 0x100000 && m[i].addr + m[i].size > end )
            end = m[i].addr + m[i].size;
    return end;
}

/*
 * Debian builds musl with the stack protector: its functions read the
 * canary at %fs:0x28. Until musl sets its thread pointer (arch_prctl in
 * __init_tls), FS points here, so the runtime may call them (strcspn,
 * vsnprintf) at boot; page 0, where FS base 0 would point, is unmapped.
 */
static uint64_t boot_tls[8] __attribute__((aligned(64)));

static void boot_fs(void)
{
    uint64_t a = (uintptr_t)boot_tls;
    asm volatile("wrmsr" ::"c"(0xc0000100), "a"((uint32_t)a), "d"((uint32_t)(a >> 32)));
}

void rt_start(uint32_t si_paddr)
{
    const struct hvm_start_info *si = (const void *)(uintptr_t)si_paddr;
    const struct hvm_modlist_entry *mod = (const void *)(uintptr_t)si->modlist_paddr;
    struct rt_boot b = { .ram_end = ram_end(si) };
    asm volatile("fninit");
    boot_fs();
    rt_hypercall_init();
    rt_traps_init();
    if ( si->cmdline_paddr )
        b.cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    if ( si->nr_modules )
    {
        b.ramdisk = (const void *)(uintptr_t)mod->paddr;
        b.ramdisk_len = mod->size;
    }
    rt_main(&b);
}

/* The frame rt_task_switch pops: FCW and MXCSR, six registers, the
 * return address; entry is entered as if called (RSP = 8 mod 16). */
uint64_t rt_arch_task_sp(uint8_t *stack, size_t size, void (*entry)(void))
{
    uint64_t *sp = (uint64_t *)(((uintptr_t)stack + size) & ~15UL);

    *--sp = 0; /* entry's own "return address" */
    *--sp = (uint64_t)(uintptr_t)entry;
    for ( unsigned int i = 0; i < 6; i++ )
        *--sp = 0;
    *--sp = MXCSR_DEFAULT;
    *--sp = FCW_DEFAULT;
    return (uint64_t)(uintptr_t)sp;
}
