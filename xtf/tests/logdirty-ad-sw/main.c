/*
 * logdirty-ad-sw - arm64 only: log-dirty by dirty-flag harvest when the
 * MMU does not keep the dirty state. Wren boots with stage2_hd=no, so
 * VTCR_EL2.HD stays off although QEMU's CPU has FEAT_HAFDBS, as on a CPU
 * without it: a write to a writable-clean leaf (DBM set, S2AP[1] clear)
 * is a stage-2 permission fault, and the fault handler sets S2AP[1] as
 * the MMU would (p2m_mark_written) and lets the write retry.
 *
 * The checks are logdirty-ad's (../logdirty-lib/mech.c): every written
 * page reported, fault_count (log-dirty's own write faults) 0. Touches
 * only the target's log-dirty state, through shadow_op.
 */
#include "../logdirty-lib/ctl.c"
#include "../logdirty-lib/mech.c"

const char test_title[] = "log-dirty: dirty-flag harvest with the dirty state kept by faults";

void test_main(void)
{
    ld_mech_test(WREN_LOGDIRTY_MECH_AD);
}
