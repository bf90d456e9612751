/*
 * mem-access-guest - helper domU for dom0's xen-access scenario
 * (tools/dom0/tests/xen-access, xen-access-arm64). Round after round, for
 * ever: one write at byte 0x18 of each of the frames 0x400..0x403 of RAM
 * (gfns 0x400.. on x86, 0x40400.. on Arm), each read back at once, then
 * a call into frame 0x410 (which holds a RET). A read-back
 * that differs from what was written means a write was lost: it says so
 * and crashes. It prints "ok round N" at every power of two. Under a
 * listener each first access to a restricted frame stops its vCPU until
 * the listener answers; nothing else may change.
 *
 * May not touch: any frame but those five and its own image. Prints no
 * verdict.
 */
#include <xtf.h>
#include <xtf/p2m.h>
#include <xtf/store.h>

const char test_title[] = "mem_access helper: a guest touching five frames";

#define W_GFN  XTF_GFN(0x400) /* RAM-relative: Arm's RAM starts at gfn 0x40000 */
#define X_GFN  XTF_GFN(0x410)
#define OFFSET 0x18UL

static uint64_t *word(uint64_t gfn, uint64_t offset)
{
    return (uint64_t *)(uintptr_t)((gfn << PAGE_SHIFT) + offset);
}

static void one_round(uint64_t round)
{
    for ( uint64_t i = 0; i < 4; i++ )
    {
        uint64_t *p = word(W_GFN + i, OFFSET), v = (round << 8) | i;

        xtf_store64(p, v); /* one store per frame: one access, one violation */
        if ( *(volatile uint64_t *)p != v )
        {
            printf("MISMATCH: round %lu frame %#lx reads %#lx, not %#lx\n", (unsigned long)round,
                   (unsigned long)(W_GFN + i), (unsigned long)*p, (unsigned long)v);
            xtf_shutdown(SHUTDOWN_crash);
        }
    }
    ((void (*)(void))(uintptr_t)word(X_GFN, 0))();
}

void test_main(void)
{
    *(volatile uint32_t *)word(X_GFN, 0) = XTF_RET_INSN;
    printf("rounds running\n");
    for ( uint64_t round = 1;; round++ )
    {
        one_round(round);
        if ( !(round & (round - 1)) )
            printf("ok round %lu\n", (unsigned long)round);
        hypercall_yield();
    }
}
