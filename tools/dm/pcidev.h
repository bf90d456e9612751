/* SPDX-License-Identifier: MIT */
/*
 * pcidev.h - the device model's one PCI function (00:05.0), so that
 * config-space requests (IOREQ_TYPE_PCI_CONFIG, through 0xcf8/0xcfc)
 * have a device to reach: a type-0 header with IDs no driver binds
 * (XenSource's vendor ID, a device ID Xen's devices do not use), no
 * BARs, and a read/write scratch dword at 0x40 to show writes land.
 *
 * Private to tools/dm; pure state, no Xen call.
 */
#ifndef WRENDM_PCIDEV_H
#define WRENDM_PCIDEV_H

#include <stdint.h>

#define PCIDEV_BUS     0
#define PCIDEV_DEV     5
#define PCIDEV_FN      0
#define PCIDEV_VENDOR  0x5853
#define PCIDEV_DEVICE  0xfffe
#define PCIDEV_SCRATCH 0x40
#define PCIDEV_SBDF    ((PCIDEV_BUS << 8) | (PCIDEV_DEV << 3) | PCIDEV_FN)
/* IOREQ_TYPE_PCI_CONFIG addresses: SBDF << 32 | register. */
#define PCIDEV_CFG_START ((uint64_t)PCIDEV_SBDF << 32)
#define PCIDEV_CFG_END   (PCIDEV_CFG_START | 0xff)

struct pcidev
{
    uint32_t scratch;
    uint64_t reads, writes;
};

uint64_t pcidev_read(struct pcidev *p, uint64_t addr, unsigned int size);
void pcidev_write(struct pcidev *p, uint64_t addr, unsigned int size, uint64_t val);

#endif /* WRENDM_PCIDEV_H */
