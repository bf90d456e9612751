/*
 * asm/ept.h - bit layout of Intel EPT paging-structure entries, as Wren
 * uses them (Intel SDM vol. 3, "EPT Translation Mechanism").
 *
 *  bit  0      R   read allowed            \  an entry is present to the
 *  bit  1      W   write allowed            > hardware iff any of R/W/X
 *  bit  2      X   execute allowed         /
 *  bits 3-5    memory type (leaves only): 0 = UC, 6 = WB
 *  bit  6      ignore guest PAT (leaves only); Wren leaves it 0
 *  bit  7      large page: a 2M (level 2) or 1G (level 3) leaf
 *  bit  8      accessed   \ written by the CPU when the EPTP enables
 *  bit  9      dirty      / accessed/dirty flags; PML logs on 0->1 of D
 *  bit  10     user-mode execute (mode-based control); Wren leaves it 0
 *  bit  11     software: recalculation pending (see below)
 *  bits 12-51  machine address of the page or of the next table
 *  bits 52-56  software: p2m type + 1 (0 means "no type": empty or table)
 *  bits 57-59  software: p2m access
 *  bits 60-62  software: recalculation stamp (only while bit 11 is set)
 *  bit  63     suppress #VE: set in every leaf and every empty entry, clear
 *              only in an altp2m view leaf whose violations go to the
 *              guest as #VE (P2M_ACCESS_VE); ignored in table entries
 *
 * Bits 11 and 52-62 are ignored by the hardware, so an entry with no
 * permission still carries its type and frame for the p2m core to read
 * back. A table entry has R, W and X all set: the leaf decides the rights.
 * INVALID_MFN is stored as an all-ones address field, which no present
 * entry can carry (it is above every real MAXPHYADDR).
 *
 * Recalculation mark (docs/designs/p2m-types.md): bits 3-5 become memory
 * type 2, which is reserved: on a leaf it is an invalid memory type, on a
 * table entry those bits are reserved. Either way a walk that reaches the
 * entry ends in an EPT misconfiguration exit (49) instead of a
 * translation, as long as R/W/X stay as they were (an entry with none of
 * them is simply not present, and faults as a violation). Bit 11 says
 * "marked" and bits 60-62 carry the stamp; unmarking restores the memory
 * type from the software type (a leaf) or to 0 (a table).
 */
#ifndef ASM_EPT_H
#define ASM_EPT_H

#define EPT_R               (1ULL << 0)
#define EPT_W               (1ULL << 1)
#define EPT_X               (1ULL << 2)
#define EPT_RWX             (EPT_R | EPT_W | EPT_X)
#define EPT_MT_SHIFT        3
#define EPT_MT_MASK         (7ULL << EPT_MT_SHIFT)
#define EPT_MT_UC           0ULL
#define EPT_MT_WB           6ULL
#define EPT_IGNORE_PAT      (1ULL << 6)
#define EPT_LARGE           (1ULL << 7)
#define EPT_ACCESSED        (1ULL << 8)
#define EPT_DIRTY           (1ULL << 9)
#define EPT_USER_EXEC       (1ULL << 10)
#define EPT_SW_RECALC       (1ULL << 11)
#define EPT_ADDR_SHIFT      12
#define EPT_ADDR_MASK       0x000ffffffffff000ULL /* bits 12-51 */
#define EPT_SW_TYPE_SHIFT   52
#define EPT_SW_TYPE_MASK    (0x1fULL << EPT_SW_TYPE_SHIFT) /* bits 52-56 */
#define EPT_SW_ACCESS_SHIFT 57
#define EPT_SW_ACCESS_MASK  (0x7ULL << EPT_SW_ACCESS_SHIFT) /* bits 57-59 */
#define EPT_SW_STAMP_SHIFT  60
#define EPT_SW_STAMP_MASK   (0x7ULL << EPT_SW_STAMP_SHIFT) /* bits 60-62 */
#define EPT_MT_RECALC       2ULL /* reserved memory type: misconfiguration */
#define EPT_SUPPRESS_VE     (1ULL << 63)

#endif /* ASM_EPT_H */
