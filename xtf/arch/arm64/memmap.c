/*
 * memmap.c (arm64) - where the test kernel's RAM is (include/xtf/p2m.h:
 * xtf_ram_end, xtf_is_ram). Wren's arm64 builder gives one range from
 * XTF_RAM_BASE and puts the command line in its last page, whose IPA the
 * entry hands over (setup.c); there is no memory map to read. Touches
 * nothing.
 */
#include <xtf.h>
#include <xtf/p2m.h>
#include <xtf/runtime.h>

uint64_t xtf_ram_end(void)
{
    return xtf_cmdline_ipa ? (xtf_cmdline_ipa & ~(uint64_t)(PAGE_SIZE - 1)) + PAGE_SIZE : 0;
}

bool xtf_is_ram(uint64_t addr, uint64_t len)
{
    uint64_t end = xtf_ram_end();

    return addr >= XTF_RAM_BASE && len <= end - addr && addr < end;
}
