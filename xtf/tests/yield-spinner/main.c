/*
 * yield-spinner - helper domU for "yield-stress": yields for ever.
 */
#include <xtf.h>

const char test_title[] = "yield helper: spinner";

void test_main(void)
{
    for ( ;; )
        hypercall_yield();
}
