/* SPDX-License-Identifier: MIT */
/*
 * pcidev.c - the PCI function of pcidev.h: a read-only type-0 header
 * and one writable dword.
 *
 * May not touch: anything outside its struct pcidev.
 */
#include "pcidev.h"

/* The header's dword at reg (aligned). */
static uint32_t pcidev_dword(const struct pcidev *p, unsigned int reg)
{
    switch ( reg )
    {
    case 0x00: return (uint32_t)PCIDEV_DEVICE << 16 | PCIDEV_VENDOR;
    case 0x08: return 0xff000001; /* class ff (other), revision 1 */
    case PCIDEV_SCRATCH: return p->scratch;
    default: return 0; /* command/status 0, no BARs, no capabilities */
    }
}

uint64_t pcidev_read(struct pcidev *p, uint64_t addr, unsigned int size)
{
    unsigned int reg = (unsigned int)(addr & 0xff), shift = (reg & 3) * 8;

    p->reads++;
    if ( size > 4 || (reg & 3) + size > 4 )
        return ~0ULL;
    return (pcidev_dword(p, reg & ~3U) >> shift) & (size == 4 ? ~0U : (1U << (size * 8)) - 1);
}

void pcidev_write(struct pcidev *p, uint64_t addr, unsigned int size, uint64_t val)
{
    unsigned int reg = (unsigned int)(addr & 0xff);

    p->writes++;
    if ( reg == PCIDEV_SCRATCH && size == 4 )
        p->scratch = (uint32_t)val;
}
