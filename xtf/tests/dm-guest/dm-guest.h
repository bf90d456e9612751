/*
 * dm-guest.h - what dm-guest's files share: the reason of the last check
 * that failed, and the PCI checks, which are x86's (pci.c). Declarations
 * only.
 */
#ifndef DM_GUEST_H
#define DM_GUEST_H

#include <xtf.h>

extern char why[96];

#define FAIL(...) (snprintf(why, sizeof(why), __VA_ARGS__), false)

/* 00:05.0 through 0xcf8/0xcfc: true if it behaves; x86 only (Arm: false). */
bool pci_checks(void);

#endif /* DM_GUEST_H */
