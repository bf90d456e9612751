/* SPDX-License-Identifier: MIT */
/*
 * xl_fork.c - xl fork-vm, Xen's command for VM fork: fork a running
 * domain into a new one, or (--fork-reset) reset a fork to its parent.
 * docs/man/xl.1.md; docs/designs/altp2m-sharing.md, "Part fork".
 *
 * It acts through libxl.h only. May not touch: any domain but the one
 * named and the fork it makes.
 */
#include <stdlib.h>
#include <string.h>

#include "xl.h"

#define OPT_RESET     "--fork-reset"
#define OPT_MAX_VCPUS "--max-vcpus="

/* Take --fork-reset and --max-vcpus=N out of argv. 0, or 1 with the
 * problem named. */
static int take_long_options(int *argc, char **argv, bool *reset, unsigned long *vcpus)
{
    for ( int i = 1; i < *argc; )
    {
        char *end;

        if ( !strcmp(argv[i], OPT_RESET) )
            *reset = true;
        else if ( !strncmp(argv[i], OPT_MAX_VCPUS, strlen(OPT_MAX_VCPUS)) )
        {
            *vcpus = strtoul(argv[i] + strlen(OPT_MAX_VCPUS), &end, 10);
            if ( *end || !*vcpus || *vcpus > 128 )
                return fprintf(xl_err, "xl fork-vm: \"%s\": a vCPU count from 1 to 128\n", argv[i]),
                       1;
        }
        else
        {
            i++;
            continue;
        }
        memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof(*argv));
        (*argc)--;
    }
    return 0;
}

static int fork_reset(libxl_domid domid, bool paused)
{
    if ( libxl_domain_fork_reset(ctx, domid) )
        return xl_fail("fork reset failed");
    if ( paused && libxl_domain_pause(ctx, domid, NULL) )
        return xl_fail("pause failed");
    return 0;
}

static int fork_new(libxl_domid parent, unsigned long vcpus, bool paused)
{
    uint32_t child;

    if ( libxl_domain_fork_vm(ctx, parent, (uint32_t)vcpus, &child) )
        return xl_fail("fork failed");
    fprintf(xl_out, "Domain %u forked into domain %u\n", parent, child);
    if ( !paused && libxl_domain_unpause(ctx, child, NULL) )
        return xl_fail("unpause of the fork failed");
    return 0;
}

/* xl fork-vm [-p] [--max-vcpus=N] <Domain>
 * xl fork-vm --fork-reset [-p] <ForkDomain> */
int main_fork_vm(int argc, char **argv)
{
    struct xl_opts o;
    libxl_domid domid;
    unsigned long vcpus = 0;
    bool reset = false;

    if ( take_long_options(&argc, argv, &reset, &vcpus) )
        return 1;
    XL_GETOPTS(argc, argv, "p", 1, 1, &o);
    if ( xl_find_domain(argv[o.first], &domid) )
        return 1;
    if ( domid == 0 )
        return fprintf(xl_err, "xl fork-vm: domain 0 cannot be forked or reset\n"), 1;
    if ( reset && vcpus )
        return fprintf(xl_err, "xl fork-vm: --max-vcpus makes no sense with --fork-reset\n"), 1;
    return reset ? fork_reset(domid, o.set['p']) : fork_new(domid, vcpus, o.set['p']);
}
