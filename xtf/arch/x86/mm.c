/*
 * mm.c - changes to the runtime's identity mapping.
 */
#include <xtf.h>
#include <xtf/runtime.h>

/* Only the first 2 MiB use 4 KiB pages (see head.S). */
void xtf_unmap_low_page(uint64_t va)
{
    uint64_t idx = va >> PAGE_SHIFT;

    if ( idx >= ARRAY_SIZE(xtf_pt_low) )
        panic("xtf_unmap_low_page(%#lx): not in the first 2 MiB", (unsigned long)va);
    xtf_pt_low[idx] = 0;
    invlpg((const void *)(uintptr_t)(idx << PAGE_SHIFT));
}

void xtf_protect_low_page(uint64_t va)
{
    uint64_t idx = va >> PAGE_SHIFT;

    if ( idx >= ARRAY_SIZE(xtf_pt_low) )
        panic("xtf_protect_low_page(%#lx): not in the first 2 MiB", (unsigned long)va);
    xtf_pt_low[idx] &= ~2ULL; /* clear R/W */
    invlpg((const void *)(uintptr_t)(idx << PAGE_SHIFT));
}
