/*
 * save-hyp.h - what the save-hyp controller and its target
 * (tests/save-hyp-target) share: the target's status page, which the
 * controller reads through a foreign mapping before and after it moves
 * the target to a new domain, and the frames the test uses.
 *
 * May not touch: anything but these definitions.
 */
#ifndef XTF_SAVE_HYP_H
#define XTF_SAVE_HYP_H

#include <xtf/types.h>

#define SAVE_HYP_STATUS_GFN  0x82UL /* the status page, in low RAM */
#define SAVE_HYP_MAGIC       0x706168657661735fULL
#define SAVE_HYP_PATTERN_GFN 0x300UL /* [3 MiB, 4 MiB): the pattern */
#define SAVE_HYP_PATTERN_NR  0x100UL
#define SAVE_HYP_BROKEN_GFN  0x500UL /* RAM the target never touches */
#define SAVE_HYP_VEC         0x70
#define SAVE_HYP_PERIOD_NS   2000000ULL      /* LAPIC timer: periodic, 2 ms */
#define SAVE_HYP_SSHOT_NS    600000000000ULL /* 10 minutes: still armed at the save */

static inline uint64_t save_hyp_word(uint64_t gfn, unsigned int i)
{
    return 0x5a5a000000000000ULL ^ (gfn << 20) ^ i;
}

struct save_hyp_status
{
    uint64_t magic;       /* SAVE_HYP_MAGIC once it counts */
    uint64_t ram_end;     /* end of the target's RAM, bytes */
    uint64_t counter;     /* bumped by the main loop, for ever */
    uint64_t ticks;       /* LAPIC timer interrupts */
    uint64_t tsc_last;    /* the last TSC the loop read */
    uint64_t tsc_back;    /* times the TSC read less than the time before */
    uint64_t pattern_bad; /* pattern words that were not as written */
    uint64_t checks;      /* pattern and mem-type checks done */
    uint64_t broken_type; /* HVMOP_get_mem_type of SAVE_HYP_BROKEN_GFN */
    uint64_t sshot_at;    /* the VCPUOP singleshot deadline it armed */
    uint64_t mem_type_rc; /* what the last get_mem_type returned */
    uint64_t state_bad;   /* checks that found LSTAR, KERNEL_GS_BASE, the
                           * FS base, XMM5, PAT, MTRR 0 or (avx) XCR0 and
                           * YMM7 not as set */
    uint64_t avx;         /* 1: XCR0 has AVX and YMM7 holds SAVE_HYP_YMM7 */
};

/* What the target puts in the state the CPU record carries. */
#define SAVE_HYP_LSTAR   0xffff800012345000ULL
#define SAVE_HYP_KGS     0xffff8000000abc00ULL
#define SAVE_HYP_FS_BASE 0x0000123456789000ULL
#define SAVE_HYP_XMM5    0x0badc0ffee15600dULL
#define SAVE_HYP_YMM7(i) (0x79a7000000000000ULL ^ ((uint64_t)(i) << 40) ^ 0x1234567ULL)
#define SAVE_HYP_PAT     0x0007010600070406ULL /* PA2 write-combining */
#define SAVE_HYP_MTRR0_B 0x0000000000100006ULL /* 1 MiB, write-back */
#define SAVE_HYP_MTRR0_M 0x00000000fff00800ULL /* 1 MiB, valid */

#endif /* XTF_SAVE_HYP_H */
