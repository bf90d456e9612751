/*
 * ram-base.h (x86) - where a test kernel's guest-physical RAM starts, so
 * that tests name their frames relative to it (XTF_GFN in xtf/p2m.h) and
 * the same sources run on every architecture. arm64's own copy
 * (arch/arm64/include/xtf/ram-base.h) comes first on its include path.
 * Defines only.
 */
#ifndef XTF_RAM_BASE_H
#define XTF_RAM_BASE_H

#define XTF_RAM_BASE 0x0UL /* PVH: RAM from 0 (the 640K-1M hole aside) */

/* The target's mailbox page (xtf/mailbox.h): below the image at 1 MiB. */
#define XTF_MAILBOX_OFFSET 0x81000UL

/* Eight frames from XTF_HOLE_EDGE_GFN cross an edge of RAM: 0x9c-0x9f are
 * RAM, 0xa0-0xa3 the hole at 640K. The RAM frame a test checks there, and
 * the order of its leaf (the first 2M holds the hole: 4K pages). */
#define XTF_HOLE_EDGE_GFN       0x9cUL
#define XTF_HOLE_EDGE_RAM_GFN   0x9cUL
#define XTF_HOLE_EDGE_RAM_ORDER 0

/* XENMEM_memory_map answers (x86: the PVH e820). */
#define XTF_HAS_MEMORY_MAP 1

#endif /* XTF_RAM_BASE_H */
