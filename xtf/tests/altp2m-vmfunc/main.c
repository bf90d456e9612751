/*
 * altp2m-vmfunc - a guest switches its altp2m views itself, by hypercall
 * (both vendors) and by VMFUNC leaf 0 (VMX): dom0 drives altp2m-hw-target
 * (domain 1) and reads its VM-exit counter around the switching.
 *  - by hypercall: every switch is one exit (HVMOP_altp2m_switch_p2m);
 *  - by VMFUNC: the EPTP list holds views 0-3; N round trips 0 -> 1 -> 0
 *    show view 1's remap (O reads A's word) and view 0's own data each
 *    time, with no exit at all for the switches (the count allows the
 *    VMX-preemption timer's and interrupts' few, at most one per 50
 *    switches, and reports them);
 *  - the active view follows the EPTP index after a VMFUNC (get_p2m_idx),
 *    a hypercall switch followed by a VMFUNC ends on the VMFUNC's view,
 *    an index with no view, an index past the list and leaf 1 raise #UD
 *    and leave the view unchanged, a hidden view (set_visibility 0)
 *    raises #UD until shown again, and a destroyed view's entry is gone;
 *  - vCPU 1, spinning without exits, VMFUNCs 20 times to a view vCPU 0
 *    made meanwhile (not in vCPU 1's EPTP list yet): never #UD.
 * On SVM the hypercall half runs, then SKIP: no VMFUNC/#VE on SVM.
 */
#include <xtf.h>
#include "../altp2m-hw-lib/ctl.c"

const char test_title[] = "altp2m: view switches by VMFUNC without exits, by hypercall with one";

#define HCALL_TRIPS  200
#define VMFUNC_TRIPS 2000

static void by_hypercall(void)
{
    uint64_t exits = measure(MEASURE_HCALL, HCALL_TRIPS), switches = 2 * HCALL_TRIPS;

    if ( exits == ~0ULL )
        return;
    printf("hypercall: %lu switches, %lu exits: %lu.%02lu exits per switch\n",
           (unsigned long)switches, (unsigned long)exits, (unsigned long)(exits / switches),
           (unsigned long)(exits * 100 / switches % 100));
    if ( exits < switches )
        xtf_failure("hypercall switching: %lu exits for %lu switches", (unsigned long)exits,
                    (unsigned long)switches);
}

static void by_vmfunc(void)
{
    uint64_t exits = measure(MEASURE_VMFUNC, VMFUNC_TRIPS), switches = 2 * VMFUNC_TRIPS;

    if ( exits == ~0ULL )
        return;
    printf("VMFUNC: %lu switches, %lu exits (timer/interrupts): 0 exits per switch\n",
           (unsigned long)switches, (unsigned long)exits);
    if ( exits * 50 > switches )
        xtf_failure("VMFUNC switching: %lu exits for %lu switches", (unsigned long)exits,
                    (unsigned long)switches);
    run_checks(OP_VMFUNC_CHECKS, "VMFUNC checks");
    run_checks(OP_VMFUNC_STALE, "VMFUNC to views made since vCPU 1 entered");
}

void test_main(void)
{
    bool vmfunc = false;

    if ( start(&vmfunc) )
    {
        by_hypercall();
        if ( vmfunc )
            by_vmfunc();
        else
            xtf_skip("no VMFUNC/#VE on SVM (hypercall switching checked)");
    }
    finish();
    xtf_success(NULL); /* unless something above said worse */
}
