/*
 * memmap.c (x86) - where the test kernel's RAM is: the PVH start info's
 * memory map (include/xtf/p2m.h: xtf_ram_end, xtf_is_ram). Reads the map
 * the hypervisor handed over; touches nothing.
 */
#include <xtf.h>
#include <xtf/p2m.h>

static const struct hvm_memmap_table_entry *memmap(unsigned int *nr)
{
    *nr = xtf_start_info ? xtf_start_info->memmap_entries : 0;
    return *nr ? (const void *)(uintptr_t)xtf_start_info->memmap_paddr : NULL;
}

uint64_t xtf_ram_end(void)
{
    unsigned int nr;
    const struct hvm_memmap_table_entry *map = memmap(&nr);
    uint64_t end = 0;

    for ( unsigned int i = 0; i < nr; i++ )
        if ( map[i].type == XEN_HVM_MEMMAP_TYPE_RAM )
            end = MAX(end, map[i].addr + map[i].size);
    return end;
}

bool xtf_is_ram(uint64_t addr, uint64_t len)
{
    unsigned int nr;
    const struct hvm_memmap_table_entry *map = memmap(&nr);

    for ( unsigned int i = 0; i < nr; i++ )
        if ( map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr <= addr &&
             map[i].addr + map[i].size >= addr + len )
            return true;
    return false;
}
