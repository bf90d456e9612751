/*
 * arm64/traps.c - what happens when dom0's code faults on arm64, and how
 * `svc #0` reaches the common system call table.
 *
 * Every exception but a system call is fatal: the handler prints the
 * vector, ESR_EL1 (its class), ELR, FAR, SPSR and the registers, then
 * crashes the domain (SCHEDOP_shutdown crash) so the run ends visibly.
 * A system call's arm64 number is turned into the x86-64 one the common
 * table (syscall.c) is written in; the arguments mean the same.
 *
 * May not touch: any runtime state; the report uses rt_console_write only.
 */
#include <errno.h>
#include <string.h>
#include <xen/sched.h>
#include "rt.h"

struct rt_arm64_frame
{
    uint64_t x[31], elr, spsr, esr, vec, pad;
};
_Static_assert(sizeof(struct rt_arm64_frame) == 288, "entry.S's frame");

extern const char rt_vectors[];
__attribute__((noreturn)) void rt_exception(struct rt_arm64_frame *f);
long rt_arm64_syscall(struct rt_sysframe *f);

void rt_traps_init(void)
{
    asm volatile("msr vbar_el1, %0\n\tisb" ::"r"(rt_vectors));
}

/*
 * The asm-generic numbers musl uses on arm64, as the x86-64 numbers of
 * the same calls (each takes the same arguments in the same order).
 * Calls x86-64 has in an older form (open, stat, poll, select, pipe, dup2)
 * arrive as openat, newfstatat, ppoll, pselect6, pipe2 and dup3, which
 * the common table also has.
 */
static const short to_x86[] = {
    [17] = 79,   /* getcwd */
    [23] = 32,   /* dup */
    [24] = 292,  /* dup3 */
    [25] = 72,   /* fcntl */
    [29] = 16,   /* ioctl */
    [34] = 258,  /* mkdirat */
    [35] = 263,  /* unlinkat */
    [38] = 264,  /* renameat */
    [46] = 77,   /* ftruncate */
    [48] = 269,  /* faccessat */
    [49] = 80,   /* chdir */
    [56] = 257,  /* openat */
    [57] = 3,    /* close */
    [59] = 293,  /* pipe2 */
    [61] = 217,  /* getdents64 */
    [62] = 8,    /* lseek */
    [63] = 0,    /* read */
    [64] = 1,    /* write */
    [65] = 19,   /* readv */
    [66] = 20,   /* writev */
    [67] = 17,   /* pread64 */
    [68] = 18,   /* pwrite64 */
    [72] = 270,  /* pselect6 */
    [73] = 271,  /* ppoll */
    [78] = 267,  /* readlinkat */
    [79] = 262,  /* newfstatat */
    [80] = 5,    /* fstat */
    [82] = 74,   /* fsync */
    [83] = 75,   /* fdatasync */
    [93] = 60,   /* exit */
    [94] = 231,  /* exit_group */
    [96] = 218,  /* set_tid_address */
    [98] = 202,  /* futex */
    [99] = 273,  /* set_robust_list */
    [101] = 35,  /* nanosleep */
    [113] = 228, /* clock_gettime */
    [114] = 229, /* clock_getres */
    [115] = 230, /* clock_nanosleep */
    [124] = 24,  /* sched_yield */
    [129] = 62,  /* kill */
    [130] = 200, /* tkill */
    [131] = 234, /* tgkill */
    [132] = 131, /* sigaltstack */
    [134] = 13,  /* rt_sigaction */
    [135] = 14,  /* rt_sigprocmask */
    [160] = 63,  /* uname */
    [163] = 97,  /* getrlimit */
    [166] = 95,  /* umask */
    [169] = 96,  /* gettimeofday */
    [172] = 39,  /* getpid */
    [173] = 110, /* getppid */
    [174] = 102, /* getuid */
    [175] = 107, /* geteuid */
    [176] = 104, /* getgid */
    [177] = 108, /* getegid */
    [178] = 186, /* gettid */
    [198] = 41,  /* socket */
    [199] = 53,  /* socketpair */
    [200] = 49,  /* bind */
    [201] = 50,  /* listen */
    [202] = 43,  /* accept */
    [203] = 42,  /* connect */
    [204] = 51,  /* getsockname */
    [205] = 52,  /* getpeername */
    [206] = 44,  /* sendto */
    [207] = 45,  /* recvfrom */
    [208] = 54,  /* setsockopt */
    [209] = 55,  /* getsockopt */
    [210] = 48,  /* shutdown */
    [211] = 46,  /* sendmsg */
    [212] = 47,  /* recvmsg */
    [214] = 12,  /* brk */
    [215] = 11,  /* munmap */
    [216] = 25,  /* mremap */
    [222] = 9,   /* mmap */
    [226] = 10,  /* mprotect */
    [228] = 149, /* mlock */
    [229] = 150, /* munlock */
    [230] = 151, /* mlockall */
    [231] = 152, /* munlockall */
    [233] = 28,  /* madvise */
    [242] = 288, /* accept4 */
    [261] = 302, /* prlimit64 */
    [276] = 316, /* renameat2 */
    [278] = 318, /* getrandom */
    [439] = 439, /* faccessat2 */
};
#define NR_ARM64 (sizeof(to_x86) / sizeof(to_x86[0]))

/* read (63 -> 0) is the one call whose x86-64 number is 0. */
static long x86_number(long nr)
{
    if ( nr < 0 || (unsigned long)nr >= NR_ARM64 || (!to_x86[nr] && nr != 63) )
        return -1;
    return to_x86[nr];
}

long rt_arm64_syscall(struct rt_sysframe *f)
{
    static uint64_t reported[NR_ARM64 / 64 + 1];
    long nr = f->nr, x = x86_number(nr);
    if ( x >= 0 )
    {
        f->nr = x;
        return rt_syscall(f);
    }
    if ( nr >= 0 && (unsigned long)nr < NR_ARM64 && !(reported[nr / 64] >> (nr % 64) & 1) )
    {
        reported[nr / 64] |= 1UL << (nr % 64);
        rt_printf("dom0: unknown arm64 system call %ld (-ENOSYS)\n", nr);
    }
    return -ENOSYS;
}

static void put(const char *s)
{
    rt_console_write(s, strlen(s));
}

static void put_reg(const char *name, uint64_t v)
{
    char buf[32] = "  ";
    size_t n = 2;
    while ( *name )
        buf[n++] = *name++;
    buf[n++] = ' ';
    for ( int shift = 60; shift >= 0; shift -= 4 )
        buf[n++] = "0123456789abcdef"[(v >> shift) & 0xf];
    rt_console_write(buf, n);
}

static const char *ec_name(unsigned int ec)
{
    switch ( ec )
    {
    case 0x00: return "unknown instruction";
    case 0x07: return "FP/SIMD trapped";
    case 0x15: return "SVC";
    case 0x16: return "HVC";
    case 0x18: return "system register";
    case 0x20:
    case 0x21: return "instruction abort";
    case 0x22: return "PC alignment";
    case 0x24:
    case 0x25: return "data abort";
    case 0x26: return "SP alignment";
    case 0x3c: return "BRK";
    default: return "other";
    }
}

void rt_exception(struct rt_arm64_frame *f)
{
    static bool reporting;
    uint64_t far, sp = (uintptr_t)(f + 1);
    char name[4] = "x00";
    if ( reporting ) /* the report itself faulted: just stop */
        rt_shutdown(SHUTDOWN_crash);
    reporting = true;
    asm volatile("mrs %0, far_el1" : "=r"(far));
    put("\ndom0: fatal exception: ");
    put(ec_name((unsigned int)(f->esr >> 26)));
    put_reg("vector", f->vec);
    put_reg("esr", f->esr);
    put("\n");
    put_reg("elr", f->elr);
    put_reg("far", far);
    put_reg("spsr", f->spsr);
    put_reg("sp", sp);
    put("\n");
    for ( unsigned int i = 0; i < 31; i++ )
    {
        name[1] = (char)('0' + i / 10);
        name[2] = (char)('0' + i % 10);
        put_reg(name, f->x[i]);
        if ( i % 4 == 3 || i == 30 )
            put("\n");
    }
    rt_shutdown(SHUTDOWN_crash);
}
