/*
 * test-guest-elf.c - every way the domain builder refuses a malformed or
 * hostile kernel image: each one is rejected with errno ENOEXEC and
 * dom->error naming the problem, before the builder makes a single call
 * or mapping (the fake domain, fake-xen.c, counts them).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xenguest.h>
#include "harness.h"
#include "fake-xen.h"
#include "elf-fixture.h"

#define MIB   (1ULL << 20)
#define MEM   (16 * MIB)
#define DOMID 3
#define ENTRY 0x100000

struct bad_elf
{
    const char *name;
    const char *error;
    bool is64;
    void (*mutate)(uint8_t *img, size_t *size);
    /* the segments, if not the default one */
    const struct fx_seg *segs;
    unsigned int nr_segs, note;
};

static const struct fx_seg one[] = { { 0x100000, 0x1000, 0x2000 } };

static void truncate_header(uint8_t *img, size_t *size)
{
    *size = 40;
}
static void not_elf(uint8_t *img, size_t *size)
{
    img[1] = 'X';
}
static void phoff_beyond64(uint8_t *img, size_t *size)
{
    fx_put(img, FX64_PHOFF, *size + 8, 8);
}
static void phoff_huge64(uint8_t *img, size_t *size)
{
    fx_put(img, FX64_PHOFF, UINT64_MAX - 16, 8); /* + phnum * 56 wraps */
}
static void phnum_absurd64(uint8_t *img, size_t *size)
{
    fx_put(img, FX64_PHNUM, 0xffff, 2);
}
static void phnum_absurd32(uint8_t *img, size_t *size)
{
    fx_put(img, FX32_PHNUM, 0xffff, 2);
}
static void seg_beyond_file64(uint8_t *img, size_t *size)
{
    fx_put(img, fx_phdr(true, 0) + FX64_PH_OFFSET, *size - 0x800, 8);
}
static void seg_offset_wrap64(uint8_t *img, size_t *size)
{
    fx_put(img, fx_phdr(true, 0) + FX64_PH_OFFSET, UINT64_MAX - 0x800, 8);
}
static void seg_offset_wrap32(uint8_t *img, size_t *size)
{
    fx_put(img, fx_phdr(false, 0) + FX32_PH_OFFSET, 0xffffff00, 4); /* + 0x1000 wraps 32 bits */
}
static void filesz_over_memsz(uint8_t *img, size_t *size)
{
    fx_put(img, fx_phdr(true, 0) + FX64_PH_MEMSZ, 0x800, 8);
}
static void paddr(uint8_t *img, bool is64, uint64_t v)
{
    fx_put(img, fx_phdr(is64, 0) + (is64 ? FX64_PH_PADDR : FX32_PH_PADDR), v, is64 ? 8 : 4);
}
static void over_store_ring(uint8_t *img, size_t *size)
{
    paddr(img, true, 0x9b000); /* [0x9b000, 0x9d000) */
}
static void over_start_info(uint8_t *img, size_t *size)
{
    paddr(img, true, 0x9f800);
}
static void in_hole(uint8_t *img, size_t *size)
{
    paddr(img, true, 0xc0000);
}
static void beyond_ram(uint8_t *img, size_t *size)
{
    paddr(img, true, MEM - 0x1000);
}
static void far_beyond_ram(uint8_t *img, size_t *size)
{
    paddr(img, true, 1ULL << 40);
}
static void paddr_wrap64(uint8_t *img, size_t *size)
{
    paddr(img, true, UINT64_MAX - 0xfff);
}
static void paddr_wrap32(uint8_t *img, size_t *size)
{
    paddr(img, false, 0xfffff000);
}
static void no_change(uint8_t *img, size_t *size)
{
}
static void note_type_changed(uint8_t *img, size_t *size)
{
    /* The note follows the program headers; its type is its third word. */
    fx_put(img, fx_phdr(true, 2) + 8, 17, 4);
}
static void all_bss_no_load(uint8_t *img, size_t *size)
{
    fx_put(img, fx_phdr(true, 0) + FX64_PH_MEMSZ, 0, 8);
    fx_put(img, fx_phdr(true, 0) + FX64_PH_FILESZ, 0, 8);
}

static const struct fx_seg nine[9] = {
    { 0x100000, 16, 16 }, { 0x101000, 16, 16 }, { 0x102000, 16, 16 },
    { 0x103000, 16, 16 }, { 0x104000, 16, 16 }, { 0x105000, 16, 16 },
    { 0x106000, 16, 16 }, { 0x107000, 16, 16 }, { 0x108000, 16, 16 },
};
static const struct fx_seg overlapping[] = { { 0x100000, 16, 0x2000 }, { 0x101000, 16, 16 } };
static const struct fx_seg away[] = { { 0x200000, 16, 16 } };

static const struct bad_elf cases[] = {
    { "truncated header", "truncated ELF header", true, truncate_header },
    { "no magic", "not an ELF image", true, not_elf },
    { "phoff beyond the file", "program headers outside the image", true, phoff_beyond64 },
    { "phoff wraps", "program headers outside the image", true, phoff_huge64 },
    { "absurd phnum (64)", "program headers outside the image", true, phnum_absurd64 },
    { "absurd phnum (32)", "program headers outside the image", false, phnum_absurd32 },
    { "segment beyond the file", "segment data outside the image", true, seg_beyond_file64 },
    { "segment offset wraps (64)", "segment data outside the image", true, seg_offset_wrap64 },
    { "segment offset wraps (32)", "segment data outside the image", false, seg_offset_wrap32 },
    { "filesz > memsz", "segment file size larger than its memory size", true, filesz_over_memsz },
    { "over the store ring", "segment overlaps the special pages (0x9c000-0x9ffff)", true,
      over_store_ring },
    { "over the start info", "segment overlaps the special pages (0x9c000-0x9ffff)", true,
      over_start_info },
    { "in the hole", "segment in the hole below 1 MiB", true, in_hole },
    { "past the end of RAM", "segment beyond the end of RAM", true, beyond_ram },
    { "far past RAM", "segment beyond the end of RAM", true, far_beyond_ram },
    { "paddr wraps (64)", "segment wraps around the address space", true, paddr_wrap64 },
    { "paddr wraps 4 GiB (32)", "segment wraps around the address space", false, paddr_wrap32 },
    { "no loadable segment", "no loadable segments", true, all_bss_no_load },
    { "too many segments", "too many loadable segments", true, no_change, nine, 9, 4 },
    { "overlapping segments", "loadable segments overlap", true, no_change, overlapping, 2, 4 },
    { "no entry note", "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel", true, no_change, one,
      1, 0 },
    { "other note type only", "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel", true,
      note_type_changed, one, 1, 4 },
    { "2-byte entry note", "XEN_ELFNOTE_PHYS32_ENTRY note is not 4 or 8 bytes", true, no_change,
      one, 1, 2 },
    { "entry outside the kernel", "PVH entry point outside every loadable segment", true, no_change,
      away, 1, 4 },
};

static void run_case(const struct bad_elf *c)
{
    struct fake_dom d;
    struct xc_pvh_dom dom = { .mem_kb = MEM >> 10, .max_vcpus = 1 };
    size_t size;
    uint8_t *img = fx_elf(c->is64, c->segs ? c->segs : one, c->segs ? c->nr_segs : 1, ENTRY,
                          c->segs ? c->note : 4, &size);
    int rc;

    c->mutate(img, &size);
    dom.kernel = img;
    dom.kernel_size = size;
    fake_dom_init(&d, DOMID, MEM >> 12);
    rc = xc_pvh_build(&d.xch, &d.fmem, DOMID, &dom);
    CHECK_MSG(rc == -1, "%s: accepted", c->name);
    CHECK_EQ(errno, ENOEXEC);
    CHECK_MSG(dom.error && !strcmp(dom.error, c->error), "%s: \"%s\", expected \"%s\"", c->name,
              dom.error ? dom.error : "(null)", c->error);
    CHECK_EQ(d.calls + d.batches, 0);
    fake_dom_dispose(&d);
    free(img);
}

static void test_refusals(void)
{
    for ( size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
        run_case(&cases[i]);
}

/* The same image with none of the breakage builds: the cases above fail
 * for the reason they name, not because the fixture is broken. */
static void test_fixture_builds(void)
{
    for ( int is64 = 0; is64 < 2; is64++ )
    {
        struct fake_dom d;
        struct xc_pvh_dom dom = { .mem_kb = MEM >> 10, .max_vcpus = 1 };
        size_t size;
        uint8_t *img = fx_elf(is64, one, 1, ENTRY, 4, &size);

        dom.kernel = img;
        dom.kernel_size = size;
        fake_dom_init(&d, DOMID, MEM >> 12);
        CHECK_EQ(xc_pvh_build(&d.xch, &d.fmem, DOMID, &dom), 0);
        fake_dom_dispose(&d);
        free(img);
    }
}

int main(void)
{
    static const struct test_case tests[] = {
        { "guest-elf.fixture_builds", test_fixture_builds },
        { "guest-elf.refusals", test_refusals },
    };

    return run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
