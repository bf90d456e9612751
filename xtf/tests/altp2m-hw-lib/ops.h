/*
 * altp2m-hw-lib/ops.h - the mailbox commands altp2m-hw-target serves for
 * its controllers (altp2m-vmfunc, altp2m-ve), beyond include/xtf/mailbox.h's.
 * May not touch: anything; numbers only.
 */
#ifndef ALTP2M_HW_OPS_H
#define ALTP2M_HW_OPS_H

#define OP_SETUP         100 /* altp2m on, views 1-3; out[0] = VMFUNC works */
#define OP_MEASURE       101 /* arg0 = MEASURE_*, arg1 = n, handshakes in out[0..1] */
#define OP_VMFUNC_CHECKS 102 /* result = checks that went wrong */
#define OP_VE_SETUP      103 /* #VE info page and handler; result = wrong checks */
#define OP_VE_SUPPRESSED 104 /* a write on view 3 exits instead; result = wrong checks */
#define OP_VMFUNC_STALE  105 /* vCPU 1 VMFUNCs to views made meanwhile; result = #UDs */

#define MEASURE_HCALL  0 /* n round trips 0 -> 1 -> 0 by HVMOP_altp2m_switch_p2m */
#define MEASURE_VMFUNC 1 /* the same by VMFUNC */
#define MEASURE_VE     2 /* n #VEs, each handled by a VMFUNC to view 0 */

#endif /* ALTP2M_HW_OPS_H */
