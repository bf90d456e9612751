/*
 * wren/elf.h - just enough ELF (32- and 64-bit, little-endian x86) to load
 * a PVH kernel from an untrusted image: its loadable segments and its Xen
 * notes (lib/elf.c). Every offset and size read from the image is checked
 * against the image's length. Both domain builders use it: the
 * hypervisor's for boot modules and the toolstack's (tools/libs/guest);
 * where a segment may go is each builder's own policy.
 */
#ifndef WREN_ELF_H
#define WREN_ELF_H

#include <wren/types.h>

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

/* Parse headers and loadable segments (PT_LOAD with a memory size). 0, or
 * -1 with *why saying what is wrong (a static string). */
int elf_parse(struct elf_image *img, const void *data, size_t size, const char **why);

/* Find the "Xen" note of the given type; copies up to len bytes of its
 * descriptor. Returns the descriptor size, or -1 if there is none. */
int elf_find_xen_note(const struct elf_image *img, uint32_t type, void *desc, size_t len);

#endif /* WREN_ELF_H */
