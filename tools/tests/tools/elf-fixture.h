/*
 * elf-fixture.h - small PVH kernel images made in memory for the domain
 * builder's host tests, fuzz seeds and benchmark: an ELF64 or ELF32
 * header, PT_LOAD segments with a recognisable byte pattern, and a
 * PT_NOTE holding the XEN_ELFNOTE_PHYS32_ENTRY note. Tests then break
 * the image at the offsets below (the gABI's) to make malformed ones.
 *
 * Test code only; it may touch nothing but the buffer it returns.
 */
#ifndef ELF_FIXTURE_H
#define ELF_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fx_seg
{
    uint64_t paddr, filesz, memsz;
};

/* Byte i of segment s's file data. */
#define FX_BYTE(s, i) ((uint8_t)(0x11 * ((s) + 1) + (i)))

/* Header and program-header field offsets. */
#define FX64_PHOFF     32
#define FX64_PHNUM     56
#define FX32_PHOFF     28
#define FX32_PHNUM     44
#define FX_PH_TYPE     0
#define FX64_PH_OFFSET 8
#define FX64_PH_PADDR  24
#define FX64_PH_FILESZ 32
#define FX64_PH_MEMSZ  40
#define FX32_PH_OFFSET 4
#define FX32_PH_PADDR  12
#define FX32_PH_FILESZ 16
#define FX32_PH_MEMSZ  20

/* The image (malloc'ed, *size set): segs[0..n) then the note (if
 * note_size is 4 or 8, or any other size to make a bad note; 0: none). */
uint8_t *fx_elf(bool is64, const struct fx_seg *segs, unsigned int n, uint64_t entry,
                unsigned int note_size, size_t *size);

/* Offset of program header i in an image fx_elf() made. */
size_t fx_phdr(bool is64, unsigned int i);

void fx_put(uint8_t *image, size_t off, uint64_t v, unsigned int bytes);

#endif /* ELF_FIXTURE_H */
