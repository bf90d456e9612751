/*
 * start.c - from rt_start (head.S, long mode, boot stack) to musl's
 * _start: bring up the runtime in dependency order, then build the
 * initial process stack a Linux kernel would (argc, argv from dom0's
 * command line, envp, auxv) and jump to crt1.o's _start, which calls
 * main() through __libc_start_main.
 *
 * The auxv names the page size, 16 random bytes and uid/gid 0 (so musl
 * trusts the environment); it gives no AT_PHDR, so musl finds no TLS
 * segment and uses its built-in TLS block (dom0 code has no __thread).
 *
 * May not touch: anything after the jump; it is the "kernel's exec".
 */
#include <elf.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/hvm/start_info.h>
#include <xen/sched.h>
#include "rt.h"

#define STACK_SIZE (1UL << 20)
#define MAX_ARGS   32
#define E820_RAM   1

extern char _image_end[];
extern void _start(void);
__attribute__((noreturn)) void rt_enter_libc(void *sp, void (*entry)(void));

static char cmdline[1024];

static uintptr_t ram_end(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *m = (const void *)(uintptr_t)si->memmap_paddr;
    uintptr_t end = 0;
    for ( uint32_t i = 0; si->version >= 1 && i < si->memmap_entries; i++ )
        if ( m[i].type == E820_RAM && m[i].addr >= 0x100000 && m[i].addr + m[i].size > end )
            end = m[i].addr + m[i].size;
    return end;
}

static void bind_console_virq(void)
{
    struct evtchn_bind_virq b = { .virq = VIRQ_CONSOLE };
    if ( !hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, (long)&b, 0, 0, 0) )
        rt_console_port(b.port);
}

static void devices_init(void)
{
    rt_dev_add("dev/console", &rt_console_fops);
    rt_dev_add("dev/null", &rt_null_fops);
    rt_dev_add("dev/xen/privcmd", &rt_privcmd_fops);
    rt_dev_add("dev/xen/evtchn", &rt_evtchn_fops);
    rt_dev_add("dev/wren-link", &rt_link_fops);
    bind_console_virq();
}

static int split_args(char **argv)
{
    int argc = 0;
    argv[argc++] = "dom0";
    for ( char *p = strtok(cmdline, " "); p && argc < MAX_ARGS; p = strtok(NULL, " ") )
        argv[argc++] = p;
    argv[argc] = NULL;
    return argc;
}

/* The stack execve would leave: argc, argv[], NULL, envp[], NULL, auxv. */
static void *process_stack(void)
{
    static char *envp[] = { "PATH=/bin", "HOME=/", "TERM=vt100", NULL };
    static uint8_t random_bytes[16];
    char *argv[MAX_ARGS + 1];
    int argc = split_args(argv);
    uint8_t *base = rt_pages_alloc(STACK_SIZE + RT_PAGE);
    unsigned long *sp;
    size_t words = 1 + (size_t)argc + 1 + 3 + 1 + 2 * 10;
    if ( !base || rt_guard_page((uintptr_t)base) ) /* an overflow faults */
        return NULL;
    base += RT_PAGE;
    rt_random_fill(random_bytes, sizeof(random_bytes));
    sp = (unsigned long *)(((uintptr_t)base + STACK_SIZE - words * 8) & ~15UL);
    unsigned long *p = sp;
    *p++ = (unsigned long)argc;
    for ( int i = 0; i <= argc; i++ )
        *p++ = (unsigned long)argv[i];
    for ( int i = 0; i < 4; i++ )
        *p++ = (unsigned long)envp[i];
    const unsigned long aux[] = { AT_PAGESZ, RT_PAGE, AT_RANDOM, (uintptr_t)random_bytes,
                                  AT_UID,    0,       AT_EUID,   0,
                                  AT_GID,    0,       AT_EGID,   0,
                                  AT_SECURE, 0,       AT_CLKTCK, 100,
                                  AT_NULL,   0 };
    memcpy(p, aux, sizeof(aux));
    return sp;
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
    uintptr_t end = ram_end(si);
    void *sp;
    asm volatile("fninit");
    boot_fs();
    rt_hypercall_init();
    rt_traps_init();
    rt_event_init();
    if ( si->cmdline_paddr )
        strncpy(cmdline, (const char *)(uintptr_t)si->cmdline_paddr, sizeof(cmdline) - 1);
    if ( si->nr_modules && mod->paddr < end )
        end = mod->paddr;
    rt_mem_init((uintptr_t)_image_end, end);
    rt_guard_page(0); /* a NULL pointer faults (start_info was read above) */
    rt_fs_init(si->nr_modules ? (const void *)(uintptr_t)mod->paddr : NULL,
               si->nr_modules ? mod->size : 0);
    devices_init();
    if ( rt_console_open_std() || !(sp = process_stack()) )
    {
        rt_printf("dom0: cannot set up the process (console or stack)\n");
        rt_shutdown(SHUTDOWN_crash);
    }
    rt_enter_libc(sp, _start);
}
