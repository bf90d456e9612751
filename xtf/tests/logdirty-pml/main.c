/*
 * logdirty-pml - log-dirty by Intel page-modification logging: entries
 * stay writable with D clear; the CPU logs the address of each D 0->1
 * into a per-vCPU buffer, drained into the bitmap before every CLEAN and
 * PEEK; after CLEAN the D flags of the reported pages are cleared again
 * so their next write logs. Under keep, a superpage's single D flag
 * stands for all of it (PML logs only the first 4K written), so CLEAN
 * reports it whole.
 *
 * The checks are those of ../logdirty-lib/mech.c (shared with
 * logdirty-wp and logdirty-ad). SKIP where the hypervisor has no PML ops
 * (SVM, or VMX before vmx/pml.c provides them).
 */
#include "../logdirty-lib/ctl.c"
#include "../logdirty-lib/mech.c"

const char test_title[] = "log-dirty: PML mechanism, shatter and keep";

void test_main(void)
{
    ld_mech_test(WREN_LOGDIRTY_MECH_PML);
}
