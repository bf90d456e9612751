/*
 * logdirty-wp - log-dirty by write-protection: RAM becomes ram_logdirty
 * through a lazy global type change, the first write to each page faults
 * and is logged, CLEAN re-arms with another global change.
 *
 * The checks (no written page ever missing from CLEAN, false positives
 * only in written superpages under the keep policy, PEEK, FINAL, writes
 * racing CLEAN, superpages restored at OFF) are listed in
 * ../logdirty-lib/mech.c, which this test shares with logdirty-ad and
 * logdirty-pml. Specific here: the shadow_op fault_count counts the
 * write faults (at least one per page written under shatter).
 */
#include "../logdirty-lib/ctl.c"
#include "../logdirty-lib/mech.c"

const char test_title[] = "log-dirty: write-protect mechanism, shatter and keep";

void test_main(void)
{
    ld_mech_test(WREN_LOGDIRTY_MECH_WP);
}
