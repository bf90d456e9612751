/*
 * elf.c - parse an untrusted ELF kernel image (a boot module in the
 * hypervisor, a file in dom0's toolstack): headers, PT_LOAD segments and
 * PT_NOTE "Xen" notes. Bounds are checked before every read, in 64-bit
 * arithmetic that cannot wrap; a malformed image gets -1 and a reason.
 *
 * Freestanding: it may use only lib/, reads nothing but the image and
 * writes nothing but the caller's structures.
 */
#include <wren/string.h>
#include <wren/elf.h>

#define PT_LOAD 1
#define PT_NOTE 4

struct phdr
{
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz;
};

static bool in_image(const struct elf_image *img, uint64_t off, uint64_t len)
{
    return off <= img->size && len <= img->size - off;
}

static uint64_t rd(const uint8_t *p, unsigned int bytes)
{
    uint64_t v = 0;
    memcpy(&v, p, bytes);
    return v;
}

/* Read program header i in a width-neutral form. */
static struct phdr read_phdr(const struct elf_image *img, uint64_t phoff, uint64_t i)
{
    const uint8_t *p;
    if ( img->is64 )
    {
        p = img->data + phoff + i * 56;
        return (struct phdr){ (uint32_t)rd(p, 4), rd(p + 8, 8), rd(p + 24, 8), rd(p + 32, 8),
                              rd(p + 40, 8) };
    }
    p = img->data + phoff + i * 32;
    return (struct phdr){ (uint32_t)rd(p, 4), rd(p + 4, 4), rd(p + 12, 4), rd(p + 16, 4),
                          rd(p + 20, 4) };
}

/* What is wrong with loadable segment ph, or NULL. */
static const char *segment_problem(const struct elf_image *img, const struct phdr *ph)
{
    if ( img->nr_segments == ELF_MAX_SEGMENTS )
        return "too many loadable segments";
    if ( ph->filesz > ph->memsz )
        return "segment file size larger than its memory size";
    if ( !in_image(img, ph->offset, ph->filesz) )
        return "segment data outside the image";
    /* An ELF32 segment must end inside the 32-bit address space. */
    if ( (!img->is64 && ph->paddr + ph->memsz > (1ULL << 32)) || ph->paddr + ph->memsz < ph->paddr )
        return "segment wraps around the address space";
    return NULL;
}

static int elf_header(struct elf_image *img, uint64_t *phoff, uint64_t *phnum, const char **why)
{
    const uint8_t *h = img->data;
    if ( img->size < 4 || memcmp(h, "\177ELF", 4) )
    {
        *why = "not an ELF image";
        return -1;
    }
    if ( img->size < 52 )
    {
        *why = "truncated ELF header";
        return -1;
    }
    if ( (h[4] != 1 && h[4] != 2) || h[5] != 1 )
    {
        *why = "not a little-endian ELF32/ELF64 image";
        return -1;
    }
    img->is64 = h[4] == 2;
    if ( img->is64 && img->size < 64 )
    {
        *why = "truncated ELF header";
        return -1;
    }
    *phoff = img->is64 ? rd(h + 32, 8) : rd(h + 28, 4);
    *phnum = img->is64 ? rd(h + 56, 2) : rd(h + 44, 2);
    if ( !in_image(img, *phoff, *phnum * (img->is64 ? 56 : 32)) )
    {
        *why = "program headers outside the image";
        return -1;
    }
    return 0;
}

int elf_parse(struct elf_image *img, const void *data, size_t size, const char **why)
{
    uint64_t phoff, phnum;
    int rc;
    memset(img, 0, sizeof(*img));
    img->data = data;
    img->size = size;
    rc = elf_header(img, &phoff, &phnum, why);
    if ( rc )
        return rc;
    for ( uint64_t i = 0; i < phnum; i++ )
    {
        struct phdr ph = read_phdr(img, phoff, i);
        if ( ph.type != PT_LOAD || !ph.memsz )
            continue;
        *why = segment_problem(img, &ph);
        if ( *why )
            return -1;
        img->seg[img->nr_segments++] =
            (struct elf_segment){ ph.paddr, ph.filesz, ph.memsz, ph.offset };
    }
    if ( !img->nr_segments )
    {
        *why = "no loadable segments";
        return -1;
    }
    return 0;
}

/* Walk the notes in [off, off + len); copy the matching descriptor. */
static int scan_notes(const struct elf_image *img, uint64_t off, uint64_t len, uint32_t type,
                      void *desc, size_t dlen)
{
    uint64_t end = off + len;
    while ( off + 12 <= end )
    {
        const uint8_t *n = img->data + off;
        uint32_t namesz = (uint32_t)rd(n, 4), descsz = (uint32_t)rd(n + 4, 4),
                 t = (uint32_t)rd(n + 8, 4);
        uint64_t name_off = off + 12, desc_off = name_off + ROUNDUP((uint64_t)namesz, 4);
        if ( desc_off + ROUNDUP((uint64_t)descsz, 4) > end )
            return -1;
        if ( t == type && namesz == 4 && !memcmp(img->data + name_off, "Xen", 4) )
        {
            memcpy(desc, img->data + desc_off, MIN((size_t)descsz, dlen));
            return (int)descsz;
        }
        off = desc_off + ROUNDUP((uint64_t)descsz, 4);
    }
    return -1;
}

int elf_find_xen_note(const struct elf_image *img, uint32_t type, void *desc, size_t len)
{
    uint64_t phoff = img->is64 ? rd(img->data + 32, 8) : rd(img->data + 28, 4);
    uint64_t phnum = img->is64 ? rd(img->data + 56, 2) : rd(img->data + 44, 2);
    for ( uint64_t i = 0; i < phnum; i++ )
    {
        struct phdr ph = read_phdr(img, phoff, i);
        int rc;
        if ( ph.type != PT_NOTE || !in_image(img, ph.offset, ph.filesz) )
            continue;
        rc = scan_notes(img, ph.offset, ph.filesz, type, desc, len);
        if ( rc >= 0 )
            return rc;
    }
    return -1;
}
