/*
 * bench-domain-build.c - what building a PVH domain costs the toolstack
 * (make bench, automation/bench-domain-build.sh): hypercalls, populate
 * extents, foreign-map batches and frames mapped by xc_pvh_build(),
 * counted on the fake domain of fake-xen.c, so the numbers are exact and
 * the same on every host. Counts, never times.
 *
 * Usage: bench-domain-build [KERNEL [RAMDISK]]: the rows with the small
 * in-memory kernel always; with KERNEL (and RAMDISK) files, rows for
 * them too. Prints a markdown table.
 *
 * Benchmark code only; it touches nothing but its own fake domains.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenguest.h>
#include "fake-xen.h"
#include "elf-fixture.h"

#define MIB (1ULL << 20)

struct image
{
    const char *name;
    uint8_t *data;
    size_t size;
};

static void row(const struct image *k, const struct image *rd, uint64_t mem, unsigned int vcpus)
{
    struct fake_dom d;
    struct xc_pvh_dom dom = { .kernel = k->data,
                              .kernel_size = k->size,
                              .ramdisk = rd ? rd->data : NULL,
                              .ramdisk_size = rd ? rd->size : 0,
                              .cmdline = "console=hvc0",
                              .mem_kb = mem >> 10,
                              .max_vcpus = vcpus };

    fake_dom_init(&d, 1, mem >> 12);
    if ( xc_pvh_build(&d.xch, &d.fmem, 1, &dom) )
    {
        fprintf(stderr, "bench-domain-build: %s: %s\n", k->name, dom.error);
        exit(1);
    }
    printf("| %s | %s | %llu MiB | %llu | %llu | %llu | %llu | %llu | %llu | %llu |\n", k->name,
           rd ? rd->name : "-", (unsigned long long)(mem / MIB), (unsigned long long)dom.hypercalls,
           (unsigned long long)d.populate_calls, (unsigned long long)d.extents[0],
           (unsigned long long)d.extents[9], (unsigned long long)d.populated_frames,
           (unsigned long long)dom.map_batches, (unsigned long long)dom.frames_mapped);
    fake_dom_dispose(&d);
}

static struct image load(const char *path, const char *name)
{
    struct image im = { name, NULL, 0 };
    FILE *f = fopen(path, "rb");
    long len;

    if ( !f || fseek(f, 0, SEEK_END) || (len = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) )
    {
        fprintf(stderr, "bench-domain-build: cannot read %s\n", path);
        exit(1);
    }
    im.size = (size_t)len;
    im.data = malloc(im.size);
    if ( !im.data || fread(im.data, 1, im.size, f) != im.size )
        exit(1);
    fclose(f);
    return im;
}

static void header(void)
{
    printf("| kernel | ramdisk | RAM | hypercalls | populate calls | 4 KiB extents | "
           "2 MiB extents | frames populated | map batches | frames mapped |\n");
    printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
}

int main(int argc, char **argv)
{
    static const struct fx_seg segs[] = { { 0x100000, 0x8000, 0x8000 },
                                          { 0x109000, 0x100, 0x21000 } };
    struct image small = { "small (2 segments, 168 KiB)", NULL, 0 };
    struct image rd16 = { "16 MiB", calloc(1, 16 * MIB), 16 * MIB };

    small.data = fx_elf(true, segs, 2, 0x100000, 4, &small.size);
    header();
    row(&small, NULL, 64 * MIB, 1);
    row(&small, NULL, 256 * MIB, 1);
    row(&small, NULL, 1024 * MIB, 1);
    row(&small, &rd16, 256 * MIB, 1);
    if ( argc > 1 )
    {
        struct image k = load(argv[1], argc > 2 ? "Debian Linux (vmlinux)" : "XTF example.elf");
        struct image rd = { NULL, NULL, 0 };

        if ( argc > 2 )
            rd = load(argv[2], "its initrd");
        row(&k, argc > 2 ? &rd : NULL, 256 * MIB, 2);
        free(k.data);
        free(rd.data);
    }
    free(small.data);
    free(rd16.data);
    return 0;
}
