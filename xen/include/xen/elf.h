/*
 * elf.h - just enough ELF (32- and 64-bit, little-endian x86) to load a
 * PVH kernel: its loadable segments and its Xen notes. Every offset and
 * size read from the image is checked against the image's length.
 */
#ifndef XEN_ELF_H
#define XEN_ELF_H

#include <xen/types.h>

struct elf_segment
{
    uint64_t paddr, filesz, memsz, offset;
};

#define ELF_MAX_SEGMENTS 8

struct elf_image
{
    const uint8_t *data;
    size_t size;
    bool is64;
    unsigned int nr_segments;
    struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* Parse headers and segments. 0, or -ENOEXEC with *why set. */
int elf_parse(struct elf_image *img, const void *data, size_t size, const char **why);

/* Find the "Xen" note of the given type; copies up to len bytes of its
 * descriptor. Returns the descriptor size, or -ENOENT. */
int elf_find_xen_note(const struct elf_image *img, uint32_t type, void *desc, size_t len);

#endif /* XEN_ELF_H */
