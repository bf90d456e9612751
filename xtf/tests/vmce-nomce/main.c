/*
 * vmce-nomce - a vMCE for a guest that has not set CR4.MCE crashes that
 * guest, with the reason, as Xen does; nobody else is touched.
 *
 * d1 is tests/vmce-target with mce=0 (CR4.MCE clear), d2 the same with
 * mce=1. dom0 breaks d1's frame through XEN_MC: d1 must shut down with
 * SHUTDOWN_crash and the "crashed" counter move by one; d2 must still
 * answer, read its own frame and have taken no #MC; dom0 goes on to
 * report the verdict. The hypervisor's reason line is in the log.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/vmce.h>
#include <public/sched.h>

const char test_title[] = "vMCE: a guest without CR4.MCE is crashed, nobody else";

#define VICTIM    1
#define BYSTANDER 2

static bool bystander_fine(void)
{
    xtf_mb_t *mb = xtf_mb_attach(BYSTANDER, 0x7f101UL);
    long rc;

    if ( !mb )
        return xtf_error("no mailbox with d2"), false;
    mb->gfn[0] = VMCE_DATA_GFN;
    if ( (rc = xtf_mb_call(mb, VMCE_MB_TOUCH, 1)) )
        return xtf_mb_report(mb, "d2 touch", rc), false;
    if ( mb->out[0] != 0x1234567890abcdefULL )
        xtf_failure("d2 reads %#lx from its own frame", (unsigned long)mb->out[0]);
    if ( (rc = xtf_mb_call(mb, VMCE_MB_STATUS, 0)) )
        return xtf_mb_report(mb, "d2 status", rc), false;
    if ( mb->out[0] )
        xtf_failure("d2 took %lu #MCs", (unsigned long)mb->out[0]);
    return true;
}

void test_main(void)
{
    struct xen_sysctl_wren_frame before, after;
    xtf_mb_t *mb = xtf_mb_attach(VICTIM, 0x7f100UL);
    unsigned int reason = ~0U;
    long rc;

    if ( !mb || xtf_frame_of_gfn(VICTIM, VMCE_DATA_GFN, &before) )
        return xtf_error("no mailbox with d1, or no frame at its gfn");
    if ( xtf_mb_call(mb, VMCE_MB_STATUS, 0) || (mb->out[5] & (1UL << 6)) )
        return xtf_error("d1 has CR4.MCE set (%#lx)", (unsigned long)mb->out[5]);
    rc = xtf_mce_inject(0, true, VICTIM, MCG_STATUS_MCIP | MCG_STATUS_RIPV, VMCE_TEST_STATUS,
                        VMCE_DATA_GFN << PAGE_SHIFT, VMCE_TEST_MISC);
    if ( rc )
        return xtf_failure("XEN_MC injection: %ld", rc);
    rc = xtf_wait_shutdown(VICTIM, 100000, &reason);
    if ( rc || reason != SHUTDOWN_crash )
        return xtf_failure("d1: rc %ld, shutdown reason %u, expected crash", rc, reason);
    if ( xtf_frame_query(before.mfn, &after) )
        return xtf_error("frame query failed");
    if ( after.crashed != before.crashed + 1 || after.injected != before.injected )
        xtf_failure("counters: crashed %lu injected %lu, before %lu %lu",
                    (unsigned long)after.crashed, (unsigned long)after.injected,
                    (unsigned long)before.crashed, (unsigned long)before.injected);
    if ( !(after.flags & WREN_FRAME_F_BROKEN) )
        xtf_failure("d1's frame is not marked broken");
    if ( !bystander_fine() )
        return;
    printf("d1 crashed (%s), d2 and dom0 fine\n", xtf_shutdown_name(reason));
    xtf_success(NULL);
}
