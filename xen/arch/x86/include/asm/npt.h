/*
 * asm/npt.h - bit layout of AMD nested page table entries: the x86-64
 * long-mode page-table format (AMD APM vol. 2, "Long-Mode Page Translation"
 * and "Nested Paging"), as Wren uses it.
 *
 *  bit  0      P    present
 *  bit  1      RW   writable
 *  bit  2      US   user: nested walks are user accesses, so every level
 *                   must set it or the guest faults on its own memory
 *  bit  3      PWT  \ both set (UC) for mmio_direct leaves, else 0 (WB)
 *  bit  4      PCD  /
 *  bit  5      A    accessed \ written by the CPU on nested walks
 *  bit  6      D    dirty    / (leaves only)
 *  bit  7      PS   a 2M (level 2) or 1G (level 3) leaf
 *  bit  8      G    ignored for nested tables; 0
 *  bits 9-11   software: p2m access
 *  bits 12-51  machine address of the page or of the next table
 *              (bit 12 of a large leaf is its PAT bit; frames are aligned,
 *              so it stays 0)
 *  bits 52-56  software: p2m type + 1 (0 means "no type": empty or table)
 *  bit  57     software: recalculation pending (see below)
 *  bit  58     software: the entry was present before it was marked
 *  bits 59-62  protection key when enabled; 0. In a marked entry (which is
 *              not present, so the CPU ignores them) bits 59-61 carry the
 *              recalculation stamp
 *  bit  63     NX   no execute (needs EFER.NXE=1 on the host)
 *
 * The format cannot express "writable but not readable" or "executable but
 * not readable": present implies readable. An entry whose rights lack R is
 * therefore not present (P=0) at all; its software bits, PS and address
 * are kept so the p2m core can read the type and frame back.
 * INVALID_MFN is stored as an all-ones address field, only in entries
 * that are not present.
 *
 * Recalculation mark (docs/designs/p2m-types.md): P is cleared, so every
 * nested walk that reaches the entry faults (#NPF), leaf or table alike;
 * bit 57 says "marked", bit 58 remembers P, bits 59-61 hold the stamp.
 * Everything else, type and address included, stays, so unmarking gives
 * back exactly the entry that was marked.
 */
#ifndef ASM_NPT_H
#define ASM_NPT_H

#define NPT_P               (1ULL << 0)
#define NPT_RW              (1ULL << 1)
#define NPT_US              (1ULL << 2)
#define NPT_PWT             (1ULL << 3)
#define NPT_PCD             (1ULL << 4)
#define NPT_ACCESSED        (1ULL << 5)
#define NPT_DIRTY           (1ULL << 6)
#define NPT_PS              (1ULL << 7)
#define NPT_SW_ACCESS_SHIFT 9
#define NPT_SW_ACCESS_MASK  (7ULL << NPT_SW_ACCESS_SHIFT) /* bits 9-11 */
#define NPT_ADDR_SHIFT      12
#define NPT_ADDR_MASK       0x000ffffffffff000ULL /* bits 12-51 */
#define NPT_SW_TYPE_SHIFT   52
#define NPT_SW_TYPE_MASK    (0x1fULL << NPT_SW_TYPE_SHIFT) /* bits 52-56 */
#define NPT_SW_RECALC       (1ULL << 57)
#define NPT_SW_WAS_PRESENT  (1ULL << 58)
#define NPT_SW_STAMP_SHIFT  59
#define NPT_SW_STAMP_MASK   (0x7ULL << NPT_SW_STAMP_SHIFT) /* bits 59-61 */
#define NPT_NX              (1ULL << 63)

#endif /* ASM_NPT_H */
