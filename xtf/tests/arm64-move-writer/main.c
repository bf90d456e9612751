/*
 * arm64-move-writer - the domU arm64-live-move moves while it writes (a
 * helper, not a test by itself). Generation g goes into the first word
 * of each of its ARM_MOVE_PAGES pages in turn, then g + 1, for ever,
 * with a short spin after each page so that a log-dirty round sees only
 * part of the set written. The loop is one asm block with no call and no
 * stack: the page index lives only in X19 and the generation only in
 * X20, so the vCPU state a save takes says exactly which pages hold g
 * and which g - 1 (xtf/arm64-save.h). After each pass g also goes to the
 * status page, which is how the controller sees it move on.
 *
 * May not touch: anything but its pages and its status page.
 */
#include <xtf.h>
#include <xtf/arm64-save.h>

const char test_title[] = "arm64-move-writer: writes generations over its pages";

#define SPIN 2000UL

void test_main(void)
{
    volatile struct arm_move_status *st =
        (volatile struct arm_move_status *)(ARM_MOVE_STATUS_GFN << PAGE_SHIFT);

    st->generation = 0;
    st->magic = ARM_MOVE_MAGIC;
    __asm__ volatile(
        "mov x19, #0\n\t"          /* page index */
        "mov x20, #1\n\t"          /* generation */
        "mov x21, %[pages]\n\t"    /* first page */
        "mov x22, %[n]\n\t"        /* pages */
        "1: lsl x23, x19, #12\n\t" /* write page x19 */
        "str x20, [x21, x23]\n\t"
        "add x19, x19, #1\n\t"
        "mov x24, %[spin]\n\t"
        "2: subs x24, x24, #1; b.ne 2b\n\t"
        "cmp x19, x22; b.ne 1b\n\t"
        "str x20, [%[gen]]\n\t" /* a pass done */
        "mov x19, #0; add x20, x20, #1; b 1b" ::[pages] "r"(ARM_MOVE_PAGES_GFN << PAGE_SHIFT),
        [n] "r"(ARM_MOVE_PAGES), [spin] "r"(SPIN), [gen] "r"(&st->generation)
        : "x19", "x20", "x21", "x22", "x23", "x24", "memory", "cc");
}
