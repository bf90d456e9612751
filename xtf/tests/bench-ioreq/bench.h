/*
 * bench.h - the mailbox commands bench-ioreq sends to bench-ioreq-target.
 * Each runs a loop on the target's own vCPU and reports, in out[0], the
 * pvclock nanoseconds it took: under QEMU's -icount shift=0 (the
 * descriptor's ICOUNT=yes) one nanosecond is one instruction, of the
 * whole machine (the test runs with one CPU), so out[0] counts every
 * instruction the hypervisor, dom0's server and the target executed.
 */
#ifndef BENCH_IOREQ_H
#define BENCH_IOREQ_H

#include <xtf/mailbox.h>

#define BI_PORT      0x300 /* claimed by the synchronous server */
#define BI_POST_PORT 0x310 /* claimed by the server with a ring */
#define BI_MMIO      0xe0000000UL
/* Frames the target gives back and takes again, above its image. */
#define BI_SPARE_GFN 0x800UL
#define BI_SPARE_MAX 64

enum bi_op
{
    BI_OUT = 0x200, /* arg0 times: outl to port arg1 */
    BI_IN,          /* arg0 times: inl from port arg1 */
    BI_MMIO_STORE,  /* arg0 times: movl to BI_MMIO */
    BI_GIVE_BACK,   /* arg0 times: decrease arg1 spare frames in one call,
                         populate them again, then (arg2) one outl to BI_PORT */
};

#endif /* BENCH_IOREQ_H */
