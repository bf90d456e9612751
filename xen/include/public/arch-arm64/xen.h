/*
 * public/arch-arm64/xen.h - the AArch64 parts of shared_info and
 * vcpu_info (included by public/xen.h), as Xen on Arm lays them out:
 * arch_vcpu_info and arch_shared_info are empty, so vcpu_info is 48 bytes
 * with its time record at 16, and shared_info holds one vcpu_info (vCPU
 * 0's; every vCPU may register its own), so the event bitmaps start at
 * 48 and the wallclock at 1072. Linux's arm64 Xen support sizes its
 * per-CPU vcpu_info and reads the wallclock by this layout.
 *
 * May not touch: nothing; it only declares.
 */
#ifndef WREN_PUBLIC_XEN_H
/* A part of public/xen.h, which includes it where it belongs: included
 * alone, it brings the whole of public/xen.h. */
#include "../xen.h"
#elif !defined(WREN_PUBLIC_ARCH_ARM64_XEN_H)
#define WREN_PUBLIC_ARCH_ARM64_XEN_H

struct arch_vcpu_info
{
};

struct arch_shared_info
{
};

#define XEN_LEGACY_MAX_VCPUS 1

#define XEN_ABI_VCPU_INFO_SIZE 48
#define XEN_ABI_VCPU_INFO_TIME 16
#define XEN_ABI_SHINFO_PENDING 48 /* one vcpu_info */
#define XEN_ABI_SHINFO_SIZE    1088

#endif /* WREN_PUBLIC_ARCH_ARM64_XEN_H */
