/*
 * asm/fdt_write.h - a small writer of flattened device trees (version 17)
 * into a caller's buffer: nodes, properties (bytes, strings, 32- and
 * 64-bit cells), then the finished blob. Used by the guest device tree
 * (guest_dt.c). Knows nothing of what the nodes mean.
 *
 * May not touch: anything but the writer and its buffer.
 */
#ifndef ASM_FDT_WRITE_H
#define ASM_FDT_WRITE_H

#include <xen/types.h>

#define FDTW_MAX_STRINGS 512 /* bytes of property names */

struct fdt_writer
{
    uint8_t *buf; /* the blob; the structure block is built in place */
    size_t cap;   /* bytes at buf */
    size_t at;    /* end of the structure block so far */
    unsigned int depth;
    bool overflow; /* something did not fit: fdtw_finish fails */
    char strings[FDTW_MAX_STRINGS];
    size_t strings_len;
};

void fdtw_init(struct fdt_writer *w, void *buf, size_t cap);
void fdtw_begin_node(struct fdt_writer *w, const char *name);
void fdtw_end_node(struct fdt_writer *w);
void fdtw_prop(struct fdt_writer *w, const char *name, const void *val, size_t len);
void fdtw_prop_str(struct fdt_writer *w, const char *name, const char *s);
/* Several strings in one property ("a\0b\0"): the total length given. */
void fdtw_prop_strs(struct fdt_writer *w, const char *name, const char *s, size_t len);
void fdtw_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
void fdtw_prop_u64(struct fdt_writer *w, const char *name, uint64_t v);
/* n cells, each given in host order. */
void fdtw_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, unsigned int n);
/* Close the tree and write the header: the blob's size, or -ENOSPC if
 * anything did not fit, -EINVAL if nodes are left open. */
long fdtw_finish(struct fdt_writer *w);

#endif /* ASM_FDT_WRITE_H */
