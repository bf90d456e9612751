/*
 * p2m-backends.h - the x86 table formats the p2m core can use: Intel EPT
 * (mm/p2m-ept.c) and AMD nested paging (mm/p2m-npt.c). Common code never
 * names them; it gets the one in use from arch_p2m_ops().
 */
#ifndef ASM_P2M_BACKENDS_H
#define ASM_P2M_BACKENDS_H

#include <xen/p2m.h>

extern const struct p2m_pte_ops ept_pte_ops;
extern const struct p2m_pte_ops npt_pte_ops;

#endif /* ASM_P2M_BACKENDS_H */
