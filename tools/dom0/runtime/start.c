/*
 * start.c - from rt_main (called by the architecture's boot code with
 * dom0's RAM, command line and ramdisk) to musl's _start: bring up the
 * runtime in dependency order, then build the initial process stack a
 * Linux kernel would (argc, argv from dom0's command line, envp, auxv)
 * and jump to crt1.o's _start, which calls main() through
 * __libc_start_main.
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
#include <xen/sched.h>
#include "rt.h"

#define STACK_SIZE (1UL << 20)
#define MAX_ARGS   32

extern char _image_end[];
extern void _start(void);

static char cmdline[1024];

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

void rt_main(const struct rt_boot *b)
{
    uintptr_t end = b->ram_end, rd = (uintptr_t)b->ramdisk;
    void *sp;
    rt_event_init();
    if ( b->cmdline )
        strncpy(cmdline, b->cmdline, sizeof(cmdline) - 1);
    if ( rd && rd < end )
        end = rd;
    rt_mem_init((uintptr_t)_image_end, end);
    rt_guard_page(0); /* a NULL pointer faults (the boot facts were read above) */
    rt_fs_init(b->ramdisk, b->ramdisk ? b->ramdisk_len : 0);
    devices_init();
    if ( rt_console_open_std() || !(sp = process_stack()) )
    {
        rt_printf("dom0: cannot set up the process (console or stack)\n");
        rt_shutdown(SHUTDOWN_crash);
    }
    rt_enter_libc(sp, _start);
}
