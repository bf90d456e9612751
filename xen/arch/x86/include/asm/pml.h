/*
 * pml.h - reading a page-modification log (Intel SDM vol. 3, "Page-
 * Modification Logging"): a 4 KiB buffer of 512 guest-physical addresses
 * that the CPU fills from entry 511 down, with the guest PML index
 * register naming the next free entry. Pure logic, shared by vmx/pml.c
 * and the host unit tests.
 */
#ifndef ASM_PML_H
#define ASM_PML_H

#include <xen/types.h>

#define PML_ENTRIES     512
#define PML_INDEX_EMPTY (PML_ENTRIES - 1)
/* Logged addresses are 4K-aligned by the SDM; Bochs 2.7 keeps bits 11:0. */
#define PML_ADDR_MASK (~0xfffULL)

/* First valid entry for an index register value: index + 1, or 0 when
 * the index has wrapped past 0 (it reads 0xffff on a full log). */
static inline unsigned int pml_first_entry(uint16_t index)
{
    return index >= PML_ENTRIES ? 0 : index + 1U;
}

/* Hand every logged gfn to mark(ctx, gfn), oldest first (entry 511 down
 * to the first valid one). Returns the number of entries read. Duplicates
 * are passed on: marking is idempotent, counting them is the caller's. */
static inline unsigned int pml_drain_buffer(const uint64_t *buf, uint16_t index,
                                            void (*mark)(void *ctx, uint64_t gfn), void *ctx)
{
    unsigned int first = pml_first_entry(index);
    for ( unsigned int i = PML_ENTRIES; i-- > first; )
        mark(ctx, (buf[i] & PML_ADDR_MASK) >> PAGE_SHIFT);
    return PML_ENTRIES - first;
}

#endif /* ASM_PML_H */
