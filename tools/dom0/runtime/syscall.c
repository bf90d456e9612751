/*
 * syscall.c - the Linux system call table of dom0 (x86-64's numbers;
 * runtime/arm64 translates its own to them): which file
 * handles which number, and the small calls about the process itself
 * (ids, signals, limits, uname, randomness, exit).
 *
 * A number nobody handles is -ENOSYS, and is named on the console the
 * first time, so a missing call shows up in a test log.
 *
 * May not touch: the state of the files the calls are passed to.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <xen/sched.h>
#include "rt.h"

#define NR_MAX 512

static uint64_t reported[NR_MAX / 64];

static long sys_uname(struct utsname *u)
{
    memset(u, 0, sizeof(*u));
    strcpy(u->sysname, "Wren");
    strcpy(u->nodename, "dom0");
    strcpy(u->release, "0.1");
    strcpy(u->version, "dom0 runtime");
    strcpy(u->machine, rt_arch_machine);
    return 0;
}

/* The CPU's own randomness where it has some, always mixed with the
 * cycle counter (splitmix64). */
static uint64_t random64(void)
{
    static uint64_t state;
    uint64_t z;
    z = (state += 0x9e3779b97f4a7c15ULL ^ rt_arch_entropy() ^ rt_cycles());
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rt_random_fill(void *out, size_t n)
{
    uint8_t *buf = out;
    for ( size_t i = 0; i < n; i += 8 )
    {
        uint64_t r = random64();
        memcpy(buf + i, &r, n - i < 8 ? n - i : 8);
    }
}

static long sys_kill(int sig)
{
    if ( !sig )
        return 0;
    rt_printf("dom0: killed by signal %d\n", sig);
    rt_shutdown(SHUTDOWN_crash);
}

static long sys_exit(int status)
{
    rt_shutdown(status ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}

static long sys_prlimit(int res, struct rlimit *old)
{
    if ( old )
        *old = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
    return res >= 0 && res < RLIM_NLIMITS ? 0 : -EINVAL;
}

static long sys_sigaction(const long *a)
{
    if ( a[2] )
        memset((void *)a[2], 0, sizeof(struct sigaction));
    return (int)a[0] > 0 && (int)a[0] < 65 ? 0 : -EINVAL;
}

static long process_call(long nr, const long *a)
{
    switch ( nr )
    {
    case 13: return sys_sigaction(a); /* accepted; no signal is ever delivered */
    case 14:
        if ( a[2] )
            memset((void *)a[2], 0, (size_t)a[3]);
        return 0;
    case 24: return 0; /* sched_yield */
    case 39:
    case 186: return 1; /* getpid, gettid */
    case 110: return 0; /* getppid */
    case 102:
    case 104:
    case 107:
    case 108: return 0;
    case 60:
    case 231: return sys_exit((int)a[0]);
    case 62: return sys_kill((int)a[1]);
    case 200: return sys_kill((int)a[1]);
    case 234: return sys_kill((int)a[2]);
    case 63: return sys_uname((struct utsname *)a[0]);
    case 97: return sys_prlimit((int)a[0], (struct rlimit *)a[1]);
    case 302: return sys_prlimit((int)a[1], (struct rlimit *)a[3]);
    case 131: return 0; /* sigaltstack */
    case 149:
    case 150: return 0; /* mlock, munlock: nothing here is ever paged out */
    case 202: return (a[1] & 0x7f) == 0 ? -EAGAIN : 0; /* futex: nobody else to wait for */
    case 218: return 1;                                /* set_tid_address */
    case 273: return 0;                                /* set_robust_list */
    case 318: rt_random_fill((void *)a[0], (size_t)a[1]); return a[1];
    default: return RT_UNHANDLED;
    }
}

/* Each table handles its own numbers and says RT_UNHANDLED to the rest. */
static long (*const tables[])(long nr, const long *a) = {
    rt_sys_mem,   rt_sys_poll, rt_sys_time,     rt_sock_syscall,
    process_call, rt_sys_file, rt_arch_syscall,
};

static long dispatch(long nr, const long *a)
{
    for ( size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++ )
    {
        long r = tables[i](nr, a);
        if ( r != RT_UNHANDLED )
            return r;
    }
    return RT_UNHANDLED;
}

long rt_syscall(struct rt_sysframe *f)
{
    long r = dispatch(f->nr, f->a);
    bool first = f->nr < 0 || f->nr >= NR_MAX || !(reported[f->nr / 64] >> (f->nr % 64) & 1);
    if ( r != RT_UNHANDLED )
        return r;
    if ( first )
        rt_printf("dom0: unknown system call %ld (-ENOSYS)\n", f->nr);
    if ( f->nr >= 0 && f->nr < NR_MAX )
        reported[f->nr / 64] |= 1UL << (f->nr % 64);
    return -ENOSYS;
}
