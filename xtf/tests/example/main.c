/*
 * example - the smallest possible test.
 *
 * Checks that a kernel built on the runtime boots as a PVH guest, finds
 * the hypervisor, can print, and that its verdict reaches the log: it
 * prints a greeting and reports SUCCESS. If any of that is broken the
 * "Test result: SUCCESS" line never appears.
 */
#include <xtf.h>

const char test_title[] = "Hello world";

void test_main(void)
{
    printf("Hello, world, from domain %u\n", xtf_domid);
    xtf_success(NULL);
}
