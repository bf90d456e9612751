/*
 * cpio.h - reading a cpio "newc" archive (the dom0 ramdisk) in place.
 *
 * May not touch: anything but the archive it is given; no allocation, so
 * the same file runs in dom0's runtime and in a host unit test.
 */
#ifndef DOM0_CPIO_H
#define DOM0_CPIO_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry
{
    const char *name; /* NUL-terminated, inside the archive */
    uint32_t mode;    /* st_mode: type and permissions */
    const void *data;
    size_t size;
};

/* Call fn for every entry before the trailer. 0, fn's first nonzero
 * result, or -1 if the archive is malformed (bad magic, truncated). */
int cpio_walk(const void *buf, size_t len, int (*fn)(void *ctx, const struct cpio_entry *e),
              void *ctx);

#endif /* DOM0_CPIO_H */
