/*
 * altp2m-ve - EPT-violation #VE for an altp2m view (VMX): dom0 drives
 * altp2m-hw-target (domain 1), which
 *  - registers its #VE information page (vcpu_enable_notify; again:
 *    -EEXIST; a gfn with no RAM: -EINVAL; disable, enable again);
 *  - writes R on view 2, where R is read-only with suppress-#VE clear:
 *    each write is a #VE (vector 20) whose information names R's address,
 *    exit reason 48 and EPTP index 2, with the busy word set; the handler
 *    moves to view 0 with VMFUNC, clears the busy word, and the write is
 *    retried and lands. N of them cost no exit (the count allows the
 *    timer's and interrupts' few, at most one per 20, and reports them);
 *  - writes R on view 3, where it is read-only with suppress-#VE set: no
 *    #VE, the hypervisor gets the violation (nobody listens: Xen's rule
 *    resets R to rwx on view 3, and the write lands).
 * On SVM: SKIP, no VMFUNC/#VE on SVM.
 */
#include <xtf.h>
#include "../altp2m-hw-lib/ctl.c"

const char test_title[] = "altp2m: EPT violations as #VE in the guest, handled with VMFUNC";

#define VE_TRIPS 500

static void ve(void)
{
    uint64_t exits;

    run_checks(OP_VE_SETUP, "#VE setup");
    exits = measure(MEASURE_VE, VE_TRIPS);
    if ( exits != ~0ULL )
    {
        printf("#VE: %u violations handled in the guest, %lu exits (timer/interrupts): 0 exits "
               "per #VE-handled violation\n",
               VE_TRIPS, (unsigned long)exits);
        if ( exits * 20 > VE_TRIPS )
            xtf_failure("#VE: %lu exits for %u violations", (unsigned long)exits, VE_TRIPS);
    }
    run_checks(OP_VE_SUPPRESSED, "suppress-#VE set");
}

void test_main(void)
{
    bool vmfunc = false;

    if ( start(&vmfunc) )
    {
        if ( vmfunc )
            ve();
        else
            xtf_skip("no VMFUNC/#VE on SVM");
    }
    finish();
    xtf_success(NULL); /* unless something above said worse */
}
