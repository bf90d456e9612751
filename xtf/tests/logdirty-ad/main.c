/*
 * logdirty-ad - log-dirty by harvesting the dirty flags the MMU sets in
 * second-stage entries (NPT always; EPT only when the vendor can turn on
 * the EPTP's A/D bit). Entries stay writable, so writes never fault:
 * CLEAN walks the leaves, reports those with D set (a superpage whole,
 * under keep; under shatter every superpage was split at enable) and
 * clears D after the bitmap is out, then flushes the TLBs.
 *
 * The checks are those of ../logdirty-lib/mech.c (shared with
 * logdirty-wp and logdirty-pml). Specific here: fault_count stays 0, and
 * the read-only round shows that reads (which set A) report nothing. On
 * QEMU this is also the evidence that its NPT sets D in nested entries.
 */
#include "../logdirty-lib/ctl.c"
#include "../logdirty-lib/mech.c"

const char test_title[] = "log-dirty: A/D-harvest mechanism, shatter and keep";

void test_main(void)
{
    ld_mech_test(WREN_LOGDIRTY_MECH_AD);
}
