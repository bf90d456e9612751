/*
 * pci.c - dm-guest's PCI checks: wren-dm's function 00:05.0 through the
 * configuration mechanism at ports 0xcf8/0xcfc. x86 only: an Arm guest
 * has no port I/O and wren-dm gives it no ECAM window, so there the
 * checks only say so. Touches nothing but PCI configuration space.
 */
#include "dm-guest.h"

#if defined(__x86_64__) || defined(__i386__)
static uint32_t inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* Config dword reg of 00:dev.0 through 0xcf8/0xcfc. */
static uint32_t cfg_addr(unsigned int dev, unsigned int reg)
{
    return 0x80000000U | dev << 11 | (reg & 0xfc);
}

bool pci_checks(void)
{
    uint32_t v;

    outl(cfg_addr(5, 0), 0xcf8);
    if ( (v = inl(0xcfc)) != 0xfffe5853 )
        return FAIL("00:05.0 IDs %#x", v);
    outl(cfg_addr(5, 0x40), 0xcf8);
    outl(0xc0ffee, 0xcfc);
    outl(cfg_addr(5, 0), 0xcf8);
    (void)inl(0xcfc);
    outl(cfg_addr(5, 0x40), 0xcf8);
    if ( (v = inl(0xcfc)) != 0xc0ffee )
        return FAIL("00:05.0 scratch %#x", v);
    outl(cfg_addr(6, 0), 0xcf8);
    if ( (v = inl(0xcfc)) != 0xffffffff )
        return FAIL("00:06.0 (nobody's) reads %#x", v);
    return true;
}
#else
bool pci_checks(void)
{
    return FAIL("no PCI function for Arm guests");
}
#endif
