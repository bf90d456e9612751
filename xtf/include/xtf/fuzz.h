/*
 * fuzz.h - what the hostile-guest fuzzer's three kernels share: the
 * seeded generator, the status pages through which the attacker
 * (tests/fuzz-hostile) and the victim (tests/fuzz-victim) report to the
 * controller (tests/fuzz), and where those pages live.
 *
 * Each status page is a frame of the reporting domain's own RAM at a
 * fixed guest-physical address; the controller maps it with gmfn_foreign
 * and reads it while the domain runs. Only the controller writes 'go'
 * and 'stop'; the domain writes everything else.
 *
 * Every place is an offset from the guest's RAM base (XTF_RAM_BASE: 0 on
 * x86, 0x40000000 on arm64), so one layout serves both; the hole the
 * attacker aims at is each architecture's own (FUZZ_HOLE_*).
 */
#ifndef XTF_FUZZ_H
#define XTF_FUZZ_H

#include <xtf/types.h>
#include <xtf/tsc.h>
#include <xtf/ram-base.h>

#define FUZZ_GFN(off) ((XTF_RAM_BASE >> 12) + (off)) /* off frames into RAM */

#define FUZZ_HOSTILE_STATUS_GPA (XTF_RAM_BASE + 0x84000UL)
#define FUZZ_VICTIM_STATUS_GPA  (XTF_RAM_BASE + 0x85000UL)
#define FUZZ_HOSTILE_MAGIC      0x656c69747374486dULL /* "mHstile" */
#define FUZZ_VICTIM_MAGIC       0x6d69746369765676ULL /* "vVvictim" */

/* The hostile domain's layout, in gfns (x86: its RAM is [0, 0x9e) and
 * [0x100, end); arm64: [0x40000, end), the image from its first frame). */
#define FUZZ_RO_GFN      FUZZ_GFN(0x86UL)  /* read-only in its page tables: a buffer target */
#define FUZZ_SCRATCH_GFN FUZZ_GFN(0x1fcUL) /* 8 frames across the 2 MiB line: its buffers */
#define FUZZ_SCRATCH_NR  8UL
#define FUZZ_CHURN_A_GFN FUZZ_GFN(0x400UL) /* vCPU 1's own: populate, check, decrease */
#define FUZZ_CHURN_B_GFN FUZZ_GFN(0x600UL) /* shared: vCPU 1 churns, vCPU 0 attacks */
#define FUZZ_CHURN_NR    0x200UL           /* each churn range is 2 MiB */
#define FUZZ_BACKEND_GFN FUZZ_GFN(0x800UL) /* the controller maps frames from here up */

/*
 * A hole in the guest's map that calls aim at ([FUZZ_HOLE_GFN, +NR): the
 * attacker's boundary values are its edges), and a RAM/hole edge whose RAM
 * side holds nothing of the attacker's (ram_end: the address RAM ends at).
 * x86: the 640K-1M hole under the image. arm64: the 384 KiB below RAM (the
 * magic pages and grant table are far lower, at 0x39000000 and 0x38000000).
 */
#if defined(__aarch64__)
#define FUZZ_HOLE_GFN               ((XTF_RAM_BASE >> 12) - 0x60UL)
#define FUZZ_HOLE_EDGE_GPA(ram_end) (ram_end)
#else
#define FUZZ_HOLE_GFN               0xa0UL
#define FUZZ_HOLE_EDGE_GPA(ram_end) 0xa0000UL
#endif
#define FUZZ_HOLE_NR 0x60UL

/* hostile flags (from its command line) */
#define FUZZ_F_SPECIAL (1U << 0) /* destructive calls may hit shared_info/console */
#define FUZZ_F_STRICT  (1U << 1) /* controller: known-bug oracles fail too */

enum fuzz_state
{
    FUZZ_READY = 1,
    FUZZ_RUNNING,
    FUZZ_DONE
};

/* One issued call, as much as it takes to reproduce it by seed. */
struct fuzz_call
{
    uint64_t index; /* call number in this seed's sequence */
    uint32_t kind;  /* entry of the hostile's call table */
    uint32_t pad;
    uint64_t arg[4]; /* the interesting arguments */
    int64_t rc;
};

/* The hostile's call kinds (its table is in tests/fuzz-hostile/calls.c). */
enum fuzz_kind
{
    FK_POPULATE,
    FK_DECREASE,
    FK_ADD_TO_PHYSMAP,
    FK_REMOVE,
    FK_BATCH,
    FK_MEMQUERY,
    FK_MEMMAP,
    FK_HVM_PARAM,
    FK_MEM_TYPE,
    FK_HVM_OTHER,
    FK_VERSION,
    FK_CONSOLE,
    FK_EVTCHN,
    FK_VCPU,
    FK_SCHED,
    FK_PRIVILEGED,
    FK_UNKNOWN,
    FK_GNTTAB,
    FK_NR,
    FK_CHURN = 99, /* vCPU 1's own operations */
};

static inline const char *fuzz_kind_name(unsigned int k)
{
    static const char *const names[FK_NR] = {
        [FK_POPULATE] = "populate_physmap",
        [FK_DECREASE] = "decrease_reservation",
        [FK_ADD_TO_PHYSMAP] = "add_to_physmap",
        [FK_REMOVE] = "remove_from_physmap",
        [FK_BATCH] = "add_to_physmap_batch",
        [FK_MEMQUERY] = "memory_op queries",
        [FK_MEMMAP] = "memory_map",
        [FK_HVM_PARAM] = "hvm_op params",
        [FK_MEM_TYPE] = "get_mem_type",
        [FK_HVM_OTHER] = "hvm_op others",
        [FK_VERSION] = "xen_version",
        [FK_CONSOLE] = "console_io",
        [FK_EVTCHN] = "event_channel_op",
        [FK_VCPU] = "vcpu_op",
        [FK_SCHED] = "sched_op",
        [FK_PRIVILEGED] = "domctl/sysctl/dm_op",
        [FK_UNKNOWN] = "unknown hypercalls",
        [FK_GNTTAB] = "grant_table_op",
    };

    return k < FK_NR ? names[k] : k == FK_CHURN ? "vCPU 1 churn" : "?";
}

#define FUZZ_RING    8
#define FUZZ_KINDS   32
#define FUZZ_ORACLES 6

struct fuzz_hostile_status
{
    uint64_t magic;
    uint64_t seed, calls_target;
    uint64_t go;    /* controller -> hostile: start */
    uint64_t state; /* enum fuzz_state */
    uint32_t flags, nr_findings;
    uint64_t calls_done, rc_ok, rc_err;
    uint64_t churn_ops, churn_populated, churn_checked;
    uint64_t ram_end; /* bytes */
    uint64_t tsc_start, tsc_end;
    uint64_t per_kind[FUZZ_KINDS];
    struct fuzz_call ring[FUZZ_RING]; /* the last calls, ring[index % FUZZ_RING] */
    /* The first finding of each oracle (told apart by its message format). */
    struct
    {
        uint64_t oracle; /* the format's address in the hostile image */
        uint64_t count;
        struct fuzz_call call;
        char text[120];
    } findings[FUZZ_ORACLES];
};
_Static_assert(sizeof(struct fuzz_hostile_status) <= PAGE_SIZE, "one page");

struct fuzz_victim_status
{
    uint64_t magic;
    uint64_t seed;
    uint64_t first_gfn, nr; /* the frames it checks */
    uint64_t passes, mismatches, bad_gfn, bad_val;
    uint64_t stop; /* controller -> victim: final check, then shut down */
};

/* splitmix64: one step of the generator; state advances by a constant. */
static inline uint64_t fuzz_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A value in [0, n) (n > 0); the slight bias does not matter here. */
static inline uint64_t fuzz_below(uint64_t *state, uint64_t n)
{
    return fuzz_next(state) % n;
}

/* The victim's pattern: the word at guest-physical address pa. */
static inline uint64_t fuzz_pattern(uint64_t seed, uint64_t pa)
{
    uint64_t s = seed ^ (pa * 0x9e3779b97f4a7c15ULL);

    return fuzz_next(&s);
}

/* The cycle count the attacker times itself with (x86: the TSC; arm64:
 * CNTPCT_EL0, the count Wren's arm64 pvclock is in). */
static inline uint64_t fuzz_rdtsc(void)
{
    return rdtsc();
}

/* "key=N" from our command line (decimal or 0x hex), or def if absent. */
uint64_t xtf_cmdline_u64(const char *key, uint64_t def);

#endif /* XTF_FUZZ_H */
