/*
 * fuzz-elf.c - libFuzzer harness for the ELF loader's parser
 * (lib/elf.c), which reads guest kernels: boot modules in the hypervisor,
 * kernel files in the toolstack's domain builder.
 *
 * Input: the image itself. Oracles, beyond ASan/UBSan (the image, and
 * every note descriptor buffer, is a heap block of exactly its size):
 *   - elf_parse() returns 0 or -1 with a reason;
 *   - it accepts exactly the images a reference parser written here from
 *     the ELF specification (gABI headers as packed structs) accepts, with
 *     the same PT_LOAD segments in the same order: memsz > 0, filesz <=
 *     memsz, [offset, offset + filesz) inside the image, paddr + memsz
 *     not wrapping (for ELF32: not past 4 GiB), at most ELF_MAX_SEGMENTS; every byte of every accepted segment is read, as
 *     the loader's copy would;
 *   - elf_find_xen_note() finds the same "Xen" note as the reference scan
 *     (notes in PT_NOTE segments inside the image, in order, each with
 *     name and descriptor padded to 4 bytes and inside its segment; a note
 *     running past its segment ends that segment's scan), returns its
 *     descriptor size and copies min(size, buffer) bytes of it.
 *
 * The destination limits (segments inside guest RAM, clear of the special
 * pages) are each builder's: fuzz-pvh-build drives the toolstack's builder
 * against a fake domain; pvh_build.c's segment_fits() is not
 * host-compilable.
 *
 * It may not touch anything but lib/elf.c's public interface (wren/elf.h).
 */
#include <wren/elf.h>

#include <stdbool.h>

#include "fuzz.h"

#define ELFNOTE_PHYS32_ENTRY 18

/* The gABI's headers, little-endian, as laid out in the file. */
struct ehdr_ident
{
    uint8_t magic[4], cls, data, version, osabi, pad[8];
} __attribute__((packed));
struct elf32_ehdr
{
    struct ehdr_ident id;
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((packed));
struct elf64_ehdr
{
    struct ehdr_ident id;
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((packed));
struct elf32_phdr
{
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} __attribute__((packed));
struct elf64_phdr
{
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
} __attribute__((packed));
struct elf_nhdr
{
    uint32_t namesz, descsz, type;
} __attribute__((packed));

_Static_assert(sizeof(struct elf32_ehdr) == 52, "Elf32_Ehdr");
_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr");
_Static_assert(sizeof(struct elf32_phdr) == 32, "Elf32_Phdr");
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr");

struct ref_phdr
{
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz;
};

struct ref_image
{
    const uint8_t *data;
    size_t size;
    bool is64;
    uint64_t phoff, phnum;
};

/* [off, off + len) inside [0, size), without overflow. */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* The ELF header: magic, class, little-endian, program headers inside. */
static bool ref_header(struct ref_image *r)
{
    struct elf32_ehdr h32;
    struct elf64_ehdr h64;

    if ( r->size < sizeof(h32) || memcmp(r->data, "\177ELF", 4) || r->data[5] != 1 )
        return false;
    if ( r->data[4] == 1 )
    {
        memcpy(&h32, r->data, sizeof(h32));
        r->phoff = h32.phoff;
        r->phnum = h32.phnum;
    }
    else if ( r->data[4] == 2 && r->size >= sizeof(h64) )
    {
        memcpy(&h64, r->data, sizeof(h64));
        r->phoff = h64.phoff;
        r->phnum = h64.phnum;
        r->is64 = true;
    }
    else
        return false;
    return inside(r->phoff,
                  r->phnum * (r->is64 ? sizeof(struct elf64_phdr) : sizeof(struct elf32_phdr)),
                  r->size);
}

static struct ref_phdr ref_phdr(const struct ref_image *r, uint64_t i)
{
    struct elf32_phdr p32;
    struct elf64_phdr p64;

    if ( r->is64 )
    {
        memcpy(&p64, r->data + r->phoff + i * sizeof(p64), sizeof(p64));
        return (struct ref_phdr){ p64.type, p64.offset, p64.paddr, p64.filesz, p64.memsz };
    }
    memcpy(&p32, r->data + r->phoff + i * sizeof(p32), sizeof(p32));
    return (struct ref_phdr){ p32.type, p32.offset, p32.paddr, p32.filesz, p32.memsz };
}

/* The reference's verdict on the loadable segments: their number, or -1. */
static int ref_segments(const struct ref_image *r, struct elf_segment *seg)
{
    int n = 0;

    for ( uint64_t i = 0; i < r->phnum; i++ )
    {
        struct ref_phdr p = ref_phdr(r, i);

        if ( p.type != 1 || p.memsz == 0 )
            continue;
        if ( n == ELF_MAX_SEGMENTS || p.filesz > p.memsz || !inside(p.offset, p.filesz, r->size) )
            return -1;
        if ( p.paddr + p.memsz < p.paddr || (!r->is64 && p.paddr + p.memsz > (1ULL << 32)) )
            return -1;
        seg[n++] = (struct elf_segment){ p.paddr, p.filesz, p.memsz, p.offset };
    }
    return n ? n : -1;
}

/* Notes of one PT_NOTE segment, in order; 1 and *found on a match. */
static int ref_scan_notes(const struct ref_image *r, uint64_t off, uint64_t len, uint32_t type,
                          uint64_t *desc_off, uint32_t *descsz)
{
    uint64_t end = off + len;

    while ( end - off >= sizeof(struct elf_nhdr) )
    {
        struct elf_nhdr n;
        uint64_t name_off = off + sizeof(n), name_len, desc_len;

        memcpy(&n, r->data + off, sizeof(n));
        name_len = ((uint64_t)n.namesz + 3) / 4 * 4;
        desc_len = ((uint64_t)n.descsz + 3) / 4 * 4;
        if ( name_len + desc_len > end - name_off )
            return 0;
        if ( n.type == type && n.namesz == 4 && !memcmp(r->data + name_off, "Xen", 4) )
        {
            *desc_off = name_off + name_len;
            *descsz = n.descsz;
            return 1;
        }
        off = name_off + name_len + desc_len;
    }
    return 0;
}

static int ref_find_note(const struct ref_image *r, uint32_t type, uint64_t *desc_off,
                         uint32_t *descsz)
{
    for ( uint64_t i = 0; i < r->phnum; i++ )
    {
        struct ref_phdr p = ref_phdr(r, i);

        if ( p.type == 4 && inside(p.offset, p.filesz, r->size) &&
             ref_scan_notes(r, p.offset, p.filesz, type, desc_off, descsz) )
            return 1;
    }
    return 0;
}

/* Read every byte the loader would copy. */
static unsigned int touch_segments(const struct elf_image *img)
{
    unsigned int sum = 0;

    for ( unsigned int i = 0; i < img->nr_segments; i++ )
        for ( uint64_t k = 0; k < img->seg[i].filesz; k++ )
            sum += img->data[img->seg[i].offset + k];
    return sum;
}

static void check_segments(const struct elf_image *img, const struct elf_segment *ref, int n)
{
    FUZZ_CHECK_MSG((int)img->nr_segments == n, "%u segments, reference %d", img->nr_segments, n);
    for ( int i = 0; i < n; i++ )
    {
        const struct elf_segment *s = &img->seg[i];

        FUZZ_CHECK(s->memsz && s->filesz <= s->memsz && inside(s->offset, s->filesz, img->size));
        FUZZ_CHECK_MSG(s->paddr == ref[i].paddr && s->filesz == ref[i].filesz &&
                           s->memsz == ref[i].memsz && s->offset == ref[i].offset,
                       "segment %d differs from the reference", i);
    }
    (void)touch_segments(img);
}

/* Look for a note with a descriptor buffer of exactly dlen bytes. */
static void check_note(const struct elf_image *img, const struct ref_image *r, uint32_t type,
                       size_t dlen)
{
    uint8_t *desc = malloc(dlen); /* dlen == 0: any write to it is reported */
    uint64_t ref_off = 0;
    uint32_t ref_size = 0;
    bool found = ref_find_note(r, type, &ref_off, &ref_size);
    int rc;

    if ( !desc && dlen )
        abort();
    rc = elf_find_xen_note(img, type, desc, dlen);
    FUZZ_CHECK_MSG(found ? rc >= 0 && (uint32_t)rc == ref_size : rc == -1,
                   "note type %u: rc %d, reference %s size %u", type, rc,
                   found ? "found," : "none,", ref_size);
    if ( found )
        FUZZ_CHECK(!memcmp(desc, r->data + ref_off, ref_size < dlen ? ref_size : dlen));
    free(desc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *image = fuzz_dup(data, size);
    struct ref_image r = { .data = image, .size = size };
    struct elf_segment ref_seg[ELF_MAX_SEGMENTS];
    struct elf_image img;
    const char *why = NULL;
    int rc = elf_parse(&img, image, size, &why);
    int n = ref_header(&r) ? ref_segments(&r, ref_seg) : -1;

    FUZZ_CHECK_MSG(rc == 0 || (rc == -1 && why && *why), "rc %d", rc);
    FUZZ_CHECK_MSG((rc == 0) == (n > 0), "elf_parse %s (%s), reference %s",
                   rc ? "rejects" : "accepts", rc ? why : "", n > 0 ? "accepts" : "rejects");
    if ( !rc )
    {
        check_segments(&img, ref_seg, n);
        check_note(&img, &r, ELFNOTE_PHYS32_ENTRY, 4);
        check_note(&img, &r, data[size - 1] % 32, data[size - 1] >> 5);
    }
    free(image);
    return 0;
}
