/*
 * migrate-guest - helper domU for the live migration scenario tests
 * (tools/dom0/tests/xl-migrate, xl-migrate-errors) and the benchmark
 * (automation/bench-migrate.sh).
 *
 * It writes generation numbers over a working set of pages without end:
 * generation g goes into the first word of page 0, 1, ... N-1, then g+1
 * the same way, a burst of 8 pages at a time paced by the TSC (rate=
 * pages per second on its command line, 0: as fast as it can; pages=N
 * the working set, at most 512). After each burst it reads its domain id (the HVM CPUID
 * leaf); when that changes it was moved, and it checks at once that
 * page p < i holds g and every other page g - 1, where (i, g) is where
 * the writing stood.
 *
 * The whole write loop, the pacing and the domain-id check are one asm
 * block with no call and no stack: i and g live only in registers, which
 * the HVM context carries exactly at the pause. So a lost page is caught
 * whichever round should have carried it, the final round's included: if
 * (i, g) came from memory instead, losing the final round would lose the
 * memory copy and the pages together and look consistent.
 *
 * Prints "migrate-guest: arrived in domain D at generation G page I: all
 * N pages as written" (then carries on, so it can move again) or names
 * the first lost page and stops writing (it stays, so its console can be
 * read). No verdict of its own.
 */
#include <xtf.h>
#include <xtf/evtchn.h>
#include <xtf/fuzz.h>
#include <xtf/time.h>
#include <public/arch-x86/cpuid.h>

const char test_title[] = "live migration helper: writes generations over its pages";

#define MAX_PAGES 512
#define BURST     8
#define MS        1000000ULL

static uint64_t area[MAX_PAGES][512] __attribute__((aligned(4096)));

/* TSC cycles in 10 ms of system time (pvclock works until it moves). */
static uint64_t cycles_per_ms(void)
{
    return xtf_tsc_cycles_in(10 * MS) / 10;
}

struct writer
{
    uint64_t i, g;        /* where the writing stands */
    uint64_t n, interval; /* pages; TSC cycles a burst (0: unpaced) */
    uint32_t leaf, domid; /* the HVM CPUID leaf; the domain id we had */
};

/* Write until the domain id changes; w->i and w->g come back from the
 * registers they lived in. */
static void write_until_moved(struct writer *w)
{
    uint64_t i = w->i, g = w->g, next = rdtsc();

    asm volatile("1:  mov $%c[burst], %%r10d\n"
                 "2:  mov %[i], %%rax\n"
                 "    shl $12, %%rax\n"
                 "    mov %[g], (%[base], %%rax)\n"
                 "    inc %[i]\n"
                 "    cmp %[n], %[i]\n"
                 "    jb 3f\n"
                 "    xor %k[i], %k[i]\n"
                 "    inc %[g]\n"
                 "3:  dec %%r10d\n"
                 "    jnz 2b\n"
                 "    mov %[leaf], %%eax\n"
                 "    xor %%ecx, %%ecx\n"
                 "    cpuid\n"
                 "    cmp %[dom], %%ecx\n"
                 "    jne 5f\n"
                 "    add %[iv], %[next]\n"
                 "4:  rdtsc\n"
                 "    shl $32, %%rdx\n"
                 "    or %%rdx, %%rax\n"
                 "    cmp %[next], %%rax\n"
                 "    jb 4b\n"
                 "    cmp $0, %[iv]\n"
                 "    jne 1b\n"
                 "    mov %%rax, %[next]\n"
                 "    jmp 1b\n"
                 "5:\n"
                 : [i] "+r"(i), [g] "+r"(g), [next] "+r"(next)
                 : [base] "r"(area), [n] "r"(w->n), [iv] "r"(w->interval), [leaf] "r"(w->leaf),
                   [dom] "r"(w->domid), [burst] "i"(BURST)
                 : "rax", "rbx", "rcx", "rdx", "r10", "memory", "cc");
    w->i = i;
    w->g = g;
}

/* Page p must hold g if written in this pass (p < i), else g - 1. */
static void check_pages(const struct writer *w)
{
    for ( uint64_t p = 0; p < w->n; p++ )
    {
        uint64_t want = p < w->i ? w->g : w->g - 1;

        if ( area[p][0] == want )
            continue;
        printf("migrate-guest: page %lu LOST a write: holds generation %lu, wrote %lu "
               "(stood at generation %lu page %lu)\n",
               (unsigned long)p, (unsigned long)area[p][0], (unsigned long)want,
               (unsigned long)w->g, (unsigned long)w->i);
        for ( ;; ) /* stays, so the scenario sees this line */
            hypercall_yield();
    }
}

static uint32_t domid_now(uint32_t leaf)
{
    return cpuid(leaf).c;
}

void test_main(void)
{
    uint64_t rate = xtf_cmdline_u64("rate", 0);
    struct writer w = {
        .g = 1,
        .n = xtf_cmdline_u64("pages", 512),
        .leaf = xtf_cpuid_base + 4,
    };

    if ( !w.n || w.n > MAX_PAGES )
        w.n = 512;
    w.domid = domid_now(w.leaf);
    if ( rate )
        w.interval = cycles_per_ms() * 1000 * BURST / rate;
    printf("migrate-guest: writing %lu pages, %lu pages/s (0: unpaced), in domain %u\n",
           (unsigned long)w.n, (unsigned long)rate, w.domid);
    for ( ;; )
    {
        write_until_moved(&w);
        check_pages(&w);
        w.domid = domid_now(w.leaf);
        printf("migrate-guest: arrived in domain %u at generation %lu page %lu: all %lu pages "
               "as written\n",
               w.domid, (unsigned long)w.g, (unsigned long)w.i, (unsigned long)w.n);
    }
}
