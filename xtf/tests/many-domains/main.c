/*
 * many-domains - the scheduler runs every vCPU of every domain, however
 * many domains there are.
 *
 * Twenty domUs (shutdown-poweroff: each says so and powers itself off)
 * are built at boot; dom0 waits for each to report SHUTDOWN_poweroff in
 * getdomaininfo. The round robin once had 16 x 8 fixed slots: domains
 * past the sixteenth in the list were never picked, and their shutdown
 * never came.
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "Twenty domUs all get to run";

#define NR_DOMUS 20

void test_main(void)
{
    unsigned int seen = 0, n = xtf_count_domus();

    if ( n != NR_DOMUS )
    {
        xtf_error("%u domUs exist, test.cfg builds %u", n, NR_DOMUS);
        return;
    }
    for ( domid_t d = 1; d <= NR_DOMUS; d++ )
    {
        unsigned int reason = ~0U;
        long rc = xtf_wait_shutdown(d, XTF_POLL_LIMIT, &reason);

        if ( rc )
            xtf_failure("d%u never shut down (%ld)", d, rc);
        else if ( reason != SHUTDOWN_poweroff )
            xtf_failure("d%u shut down with %s", d, xtf_shutdown_name(reason));
        else
            seen++;
    }
    printf("%u of %u domUs ran and powered off\n", seen, NR_DOMUS);
    if ( seen == NR_DOMUS )
        xtf_success(NULL);
}
