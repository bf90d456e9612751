/*
 * idle - a dom0 that only waits, for tests whose verdict comes from a
 * domU.
 *
 * Counts the domUs (ids 1, 2, ... until getdomaininfo says -ESRCH),
 * waits until every one of them has shut down, prints each one's reason
 * and powers the machine off. It prints no "Test result:" line: the
 * domU named by RESULT_FROM gives the only verdict. If a domU never shuts
 * down, idle keeps waiting and the runner's timeout ends the run.
 */
#include <xtf.h>
#include <public/sched.h>

const char test_title[] = "idle dom0";

#define POLLS_PER_REPORT XTF_POLL_LIMIT

static void wait_for(domid_t d)
{
    unsigned int reason;

    for ( ;; )
    {
        long rc = xtf_wait_shutdown(d, POLLS_PER_REPORT, &reason);

        if ( rc == 0 )
        {
            printf("idle: d%u shut down (%s)\n", d, xtf_shutdown_name(reason));
            return;
        }
        if ( rc != -XEN_ETIMEDOUT )
        {
            printf("idle: d%u: getdomaininfo failed (%ld)\n", d, rc);
            return;
        }
        printf("idle: still waiting for d%u\n", d);
    }
}

void test_main(void)
{
    unsigned int n = xtf_count_domus();

    printf("idle: waiting for %u domU(s) to shut down\n", n);
    for ( unsigned int d = 1; d <= n; d++ )
        wait_for((domid_t)d);
    xtf_shutdown(SHUTDOWN_poweroff);
}
