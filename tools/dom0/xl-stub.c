/*
 * xl-stub.c - stands in for the toolstack's command line until tools/xl
 * is linked into dom0. The definition is weak: when tools/xl brings its
 * own xl_main, the linker takes that one and this file changes nothing.
 *
 * May not touch: anything; it only says that xl is missing.
 */
#include <stdio.h>
#include "dom0.h"

__attribute__((weak)) int xl_main(int argc, char **argv)
{
    fprintf(stderr, "xl: not built yet\n");
    return 1;
}
