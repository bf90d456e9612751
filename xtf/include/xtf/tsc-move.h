/*
 * tsc-move.h - what the tsc-move controller and its target
 * (tests/tsc-move-target) share: the target's status page, which the
 * controller reads (and, while the target is paused, writes) through a
 * foreign mapping before and after it moves the target to a new domain
 * with another TSC rate and a clock seconds ahead.
 *
 * May not touch: anything but these definitions.
 */
#ifndef XTF_TSC_MOVE_H
#define XTF_TSC_MOVE_H

#include <xtf/types.h>

#define TSC_MOVE_STATUS_GFN 0x82UL /* the status page, in low RAM */
#define TSC_MOVE_MAGIC      0x65766f6d2d637374ULL
#define TSC_MOVE_VEC        0x71
#define TSC_MOVE_TIMER_US   2000ULL         /* the TSC deadline, re-armed each time */
#define TSC_MOVE_WINDOW_NS  50000000ULL     /* one rate measurement */
#define TSC_MOVE_SSHOT_NS   600000000000ULL /* 10 minutes: armed at the save */
#define TSC_MOVE_AHEAD_NS   5000000000ULL   /* the doctored clock: 5 s ahead */
#define TSC_MOVE_STEP_MS    250ULL          /* the most the TSC may move across the move */

struct tsc_move_status
{
    uint64_t magic;      /* TSC_MOVE_MAGIC once it runs */
    uint64_t ram_end;    /* end of the target's RAM, bytes */
    uint64_t shinfo_gfn; /* where the target mapped shared_info */
    uint64_t generation; /* the controller bumps it when it moved the target */
    uint64_t counter;    /* bumped by the main loop, for ever */
    uint64_t tsc_back;   /* times the TSC read less than the time before */
    uint64_t clock_back; /* times the pvclock read less than before */
    uint64_t last_ns;    /* the last pvclock time the loop read */
    uint64_t fires;      /* TSC-deadline interrupts taken when due */
    uint64_t early;      /* ... taken before the TSC reached the deadline */
    uint64_t windows;    /* rate measurements made */
    uint64_t rate_bad;   /* ... more than 1 % off the rate CPUID gives */
    uint64_t rate_khz;   /* the last one: TSC ticks per pvclock ms */
    uint64_t cpuid_khz;  /* the rate CPUID's time leaf gave with it */
    uint64_t sshot_at;   /* the VCPUOP singleshot deadline it armed */
    uint64_t move_step;  /* TSC ticks between its last read before the
                          * move and its first after */
};

#endif /* XTF_TSC_MOVE_H */
