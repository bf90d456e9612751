/*
 * ram-base.h (arm64) - where a test kernel's guest-physical RAM starts:
 * Xen on Arm's GUEST_RAM0_BASE, where Wren's arm64 domain builder puts
 * it and the runtime is linked (link.lds). Shadows include/xtf/ram-base.h
 * on the arm64 include path. Defines only.
 */
#ifndef XTF_RAM_BASE_H
#define XTF_RAM_BASE_H

#define XTF_RAM_BASE 0x40000000UL

/* The target's mailbox page (xtf/mailbox.h): the image starts at the
 * RAM base, so the last page below 2 MiB, where the targets' data frames
 * begin; every image ends well below it. */
#define XTF_MAILBOX_OFFSET 0x1ff000UL

/* Eight frames from XTF_HOLE_EDGE_GFN cross an edge of RAM: four below
 * RAM (nothing), four RAM. The RAM frame a test checks there, and the
 * order of its leaf (the builder maps RAM with 2M leaves). */
#define XTF_HOLE_EDGE_GFN       ((XTF_RAM_BASE >> 12) - 4)
#define XTF_HOLE_EDGE_RAM_GFN   (XTF_RAM_BASE >> 12)
#define XTF_HOLE_EDGE_RAM_ORDER 9

/* XENMEM_memory_map is x86's: Xen on Arm answers -ENOSYS (the
 * guest finds its memory in the device tree). */
#define XTF_HAS_MEMORY_MAP 0

#endif /* XTF_RAM_BASE_H */
