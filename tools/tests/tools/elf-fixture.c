/*
 * elf-fixture.c - builds the in-memory PVH kernels of elf-fixture.h.
 *
 * Test code only; it may touch nothing but the buffer it returns.
 */
#include <stdlib.h>
#include <string.h>
#include "elf-fixture.h"

#define PT_LOAD           1
#define PT_NOTE           4
#define NOTE_PHYS32_ENTRY 18

void fx_put(uint8_t *image, size_t off, uint64_t v, unsigned int bytes)
{
    memcpy(image + off, &v, bytes); /* little-endian host */
}

size_t fx_phdr(bool is64, unsigned int i)
{
    return is64 ? 64 + i * 56 : 52 + i * 32;
}

static void put_header(uint8_t *img, bool is64, unsigned int phnum)
{
    memcpy(img, "\177ELF", 4);
    img[4] = is64 ? 2 : 1; /* class */
    img[5] = 1;            /* little-endian */
    img[6] = 1;            /* version */
    fx_put(img, 16, 2, 2); /* ET_EXEC */
    fx_put(img, 18, is64 ? 62 : 3, 2);
    fx_put(img, 20, 1, 4);
    fx_put(img, is64 ? FX64_PHOFF : FX32_PHOFF, fx_phdr(is64, 0), is64 ? 8 : 4);
    fx_put(img, is64 ? 52 : 40, is64 ? 64 : 52, 2); /* ehsize */
    fx_put(img, is64 ? 54 : 42, is64 ? 56 : 32, 2); /* phentsize */
    fx_put(img, is64 ? FX64_PHNUM : FX32_PHNUM, phnum, 2);
}

static void put_phdr(uint8_t *img, bool is64, unsigned int i, uint32_t type, uint64_t off,
                     uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    size_t p = fx_phdr(is64, i);

    fx_put(img, p + FX_PH_TYPE, type, 4);
    fx_put(img, p + (is64 ? FX64_PH_OFFSET : FX32_PH_OFFSET), off, is64 ? 8 : 4);
    fx_put(img, p + (is64 ? 16 : 8), paddr, is64 ? 8 : 4); /* vaddr */
    fx_put(img, p + (is64 ? FX64_PH_PADDR : FX32_PH_PADDR), paddr, is64 ? 8 : 4);
    fx_put(img, p + (is64 ? FX64_PH_FILESZ : FX32_PH_FILESZ), filesz, is64 ? 8 : 4);
    fx_put(img, p + (is64 ? FX64_PH_MEMSZ : FX32_PH_MEMSZ), memsz, is64 ? 8 : 4);
}

/* The note: namesz 4, descsz, type 18, "Xen\0", the descriptor padded. */
static size_t put_note(uint8_t *img, size_t at, uint64_t entry, unsigned int size)
{
    size_t desc = (size + 3) & ~3u;

    fx_put(img, at, 4, 4);
    fx_put(img, at + 4, size, 4);
    fx_put(img, at + 8, NOTE_PHYS32_ENTRY, 4);
    memcpy(img + at + 12, "Xen", 4);
    memset(img + at + 16, 0, desc);
    memcpy(img + at + 16, &entry, size < 8 ? size : 8);
    return 16 + desc;
}

uint8_t *fx_elf(bool is64, const struct fx_seg *segs, unsigned int n, uint64_t entry,
                unsigned int note_size, size_t *size)
{
    unsigned int phnum = n + (note_size ? 1 : 0);
    size_t at = fx_phdr(is64, phnum), total = at + 16 + ((note_size + 3) & ~3u) + 8;
    uint8_t *img;

    for ( unsigned int s = 0; s < n; s++ )
        total += segs[s].filesz;
    img = calloc(1, total);
    if ( !img )
        abort();
    put_header(img, is64, phnum);
    if ( note_size )
    {
        size_t len = put_note(img, at, entry, note_size);

        put_phdr(img, is64, n, PT_NOTE, at, 0, len, 0);
        at += len;
    }
    for ( unsigned int s = 0; s < n; s++ )
    {
        put_phdr(img, is64, s, PT_LOAD, at, segs[s].paddr, segs[s].filesz, segs[s].memsz);
        for ( uint64_t i = 0; i < segs[s].filesz; i++ )
            img[at + i] = FX_BYTE(s, i);
        at += segs[s].filesz;
    }
    *size = at;
    return img;
}
