/*
 * arm64-save.h - what the arm64 save/restore tests share: the target
 * domU's (arm64-save-target) status page and pattern, which the
 * controller (arm64-save-hyp) reads through a foreign mapping before and
 * after it moves the domU to a new domain. Guest-physical addresses are
 * in the target's RAM (Xen on Arm's GUEST_RAM0_BASE, 0x40000000, 16 MiB).
 */
#ifndef XTF_ARM64_SAVE_H
#define XTF_ARM64_SAVE_H

#include <xtf/types.h>

#define ARM_SAVE_RAM_GFN     0x40000UL
#define ARM_SAVE_RAM_PAGES   0x1000UL /* 16 MiB */
#define ARM_SAVE_STATUS_GFN  0x40800UL
#define ARM_SAVE_PATTERN_GFN 0x40900UL
#define ARM_SAVE_PATTERN_NR  64UL
#define ARM_SAVE_MAGIC       0x41524d5341564521UL /* "ARMSAVE!" */

/* Written by the target only; aligned words (its stage 1 is off). */
struct arm_save_status
{
    uint64_t magic;
    uint64_t counter;    /* vCPU 0's loop, each round one register check */
    uint64_t ticks;      /* PPI 27 interrupts (CNTV, every millisecond) */
    uint64_t v1_counter; /* vCPU 1's loop */
    uint64_t vct_back;   /* times CNTVCT_EL0 went backwards */
    uint64_t vct_jump;   /* the largest step between two reads, in counts */
    uint64_t pattern_bad;
    uint64_t gpr_bad;   /* X19-X28 changed under a spin */
    uint64_t sys_bad;   /* EL1 system registers changed */
    uint64_t fp_bad;    /* vCPU 0's V0-V31, FPCR or FPSR changed */
    uint64_t v1_fp_bad; /* vCPU 1's */
    uint64_t first_bad; /* what the first mismatch was (a code below) */
    /* vCPU 1 sends itself SGI ARM_SAVE_SGI with its IRQs masked (so it
     * waits in a list register, pending, through the move), says so in
     * sgi_sent, and unmasks only once the controller writes release. */
    uint64_t sgi_sent, sgi_count, release;
};

#define ARM_SAVE_SGI 5

/* first_bad */
#define ARM_SAVE_BAD_GPR     1
#define ARM_SAVE_BAD_SYS     2
#define ARM_SAVE_BAD_FP      3
#define ARM_SAVE_BAD_V1_FP   4
#define ARM_SAVE_BAD_PATTERN 5

static inline uint64_t arm_save_word(uint64_t gfn, unsigned int i)
{
    return (gfn << 20) ^ (0x9e3779b97f4a7c15UL * (i + 1));
}

/* arm64-move-writer (the domU arm64-live-move moves while it writes):
 * generation g goes into the first word of its pages 0, 1, ... N-1 at
 * ARM_MOVE_PAGES_GFN, then g + 1 the same way, for ever. The loop keeps
 * the page index in X19 and the generation in X20 (nowhere else), and
 * puts g into the status page's `generation` after each pass. */
#define ARM_MOVE_STATUS_GFN 0x40700UL
#define ARM_MOVE_PAGES_GFN  0x40800UL
#define ARM_MOVE_PAGES      256UL
#define ARM_MOVE_MAGIC      0x41524d4d4f564521UL /* "ARMMOVE!" */

struct arm_move_status
{
    uint64_t magic;
    uint64_t generation;
};

#endif /* XTF_ARM64_SAVE_H */
