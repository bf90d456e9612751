/* SPDX-License-Identifier: MIT */
/*
 * hvm/params.h - indexes of the per-domain HVM parameters.
 *
 * Read and written with HVMOP_get_param / HVMOP_set_param. Most are set
 * by the domain builder (ring frames and their event channels) and read
 * by the guest at boot. The numbers follow Xen's public ABI; gaps are
 * numbers Xen retired.
 */
#ifndef WREN_PUBLIC_HVM_PARAMS_H
#define WREN_PUBLIC_HVM_PARAMS_H

#include "hvm_op.h"

/*
 * Where vCPU0's event notifications go. Bits 63:56 select the method,
 * the low bits its target; 0 means no notifications.
 */
#define HVM_PARAM_CALLBACK_IRQ            0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT 56
#define HVM_PARAM_CALLBACK_TYPE_GSI       0 /* bits 55:0 = GSI */
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX  1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR    2 /* bits 7:0 = vector */

#define HVM_PARAM_STORE_PFN              1 /* xenstore ring GFN */
#define HVM_PARAM_STORE_EVTCHN           2
#define HVM_PARAM_PAE_ENABLED            4
#define HVM_PARAM_IOREQ_PFN              5
#define HVM_PARAM_BUFIOREQ_PFN           6
#define HVM_PARAM_VIRIDIAN               9
#define HVM_PARAM_TIMER_MODE             10
#define HVMPTM_delay_for_missed_ticks    0
#define HVMPTM_no_delay_for_missed_ticks 1
#define HVMPTM_no_missed_ticks_pending   2
#define HVMPTM_one_missed_tick_pending   3
#define HVM_PARAM_HPET_ENABLED           11
#define HVM_PARAM_IDENT_PT               12 /* EPT: identity map, CR0.PG=0 */
#define HVM_PARAM_ACPI_S_STATE           14
#define HVM_PARAM_VM86_TSS               15
#define HVM_PARAM_VPT_ALIGN              16
#define HVM_PARAM_CONSOLE_PFN            17 /* PV console ring GFN */
#define HVM_PARAM_CONSOLE_EVTCHN         18 /* and its event channel */
#define HVM_PARAM_ACPI_IOPORTS_LOCATION  19
#define HVM_PARAM_NESTEDHVM              24
#define HVM_PARAM_BUFIOREQ_EVTCHN        26
#define HVM_PARAM_PAGING_RING_PFN        27
#define HVM_PARAM_MONITOR_RING_PFN       28
#define HVM_PARAM_SHARING_RING_PFN       29
#define HVM_PARAM_TRIPLE_FAULT_REASON    31 /* SHUTDOWN_* on triple fault */
#define HVM_PARAM_IOREQ_SERVER_PFN       32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES  33
#define HVM_PARAM_VM_GENERATION_ID_ADDR  34
#define HVM_PARAM_ALTP2M                 35
#define XEN_ALTP2M_disabled              0
#define XEN_ALTP2M_mixed                 1
#define XEN_ALTP2M_external              2
#define XEN_ALTP2M_limited               3
#define HVM_PARAM_X87_FIP_WIDTH          36
#define HVM_PARAM_VM86_TSS_SIZED         37
#define HVM_PARAM_MCA_CAP                38
#define XEN_HVM_MCA_CAP_LMCE             (1ULL << 0)

#define HVM_NR_PARAMS 39

#endif /* WREN_PUBLIC_HVM_PARAMS_H */
