/*
 * fuzz-pvh-build.c - libFuzzer harness for the toolstack's domain builder
 * (tools/libs/guest, xc_pvh_build) driven with hostile kernel images
 * against the fake domain of tools/tests/tools/fake-xen.c.
 *
 * Input: byte 0 picks the RAM size (4 to 7 MiB), byte 1 the ramdisk (low
 * 2 bits: 0-3 pages of it) and the vCPU count (next 3 bits: 1-8); the
 * rest is the kernel image, a heap block of exactly its size. Oracles,
 * beyond ASan/UBSan/LeakSanitizer:
 *   - xc_pvh_build() returns 0, or -1 with errno and a reason;
 *   - a refused kernel or size makes no call and no mapping;
 *   - nothing stays mapped, whatever happened;
 *   - on success every loadable segment reads back from guest memory
 *     byte for byte (file bytes, then zeros), lies in RAM clear of the
 *     special pages and the hole, and the special pages are intact: the
 *     rings zero, hvm_start_info's magic and vCPU 0's entry in place.
 *
 * It may touch nothing but the builder's public interface (xenguest.h),
 * lib/elf.c's (to know the segments) and its own fake domain.
 */
#include <errno.h>
#include <xenguest.h>
#include <xen/hvm/start_info.h>
#include <wren/elf.h>

#include "../tools/fake-xen.h"
#include "fuzz.h"

#define MIB    (1ULL << 20)
#define DOMID  5
#define HEADER 2

static void check_segment(const struct fake_dom *d, const uint8_t *image,
                          const struct elf_segment *s, uint64_t mem)
{
    uint64_t end = s->paddr + s->memsz;

    FUZZ_CHECK_MSG(end <= mem && (end <= 0x9c000 || s->paddr >= 0x100000),
                   "segment [%#llx, %#llx) accepted", (unsigned long long)s->paddr,
                   (unsigned long long)end);
    for ( uint64_t i = 0; i < s->memsz; i++ )
    {
        uint8_t b;

        fake_read(d, s->paddr + i, &b, 1);
        FUZZ_CHECK_MSG(b == (i < s->filesz ? image[s->offset + i] : 0),
                       "guest byte %#llx of a segment", (unsigned long long)(s->paddr + i));
    }
}

static void check_built(const struct fake_dom *d, const uint8_t *image, size_t size, uint64_t mem)
{
    struct elf_image img;
    const char *why;
    uint32_t magic;
    uint8_t b;

    FUZZ_CHECK(!elf_parse(&img, image, size, &why));
    for ( unsigned int i = 0; i < img.nr_segments; i++ )
        check_segment(d, image, &img.seg[i], mem);
    for ( uint64_t a = 0x9c000; a < 0x9d000; a++ )
    {
        fake_read(d, a, &b, 1);
        FUZZ_CHECK(b == 0);
        fake_read(d, a + 0x2000, &b, 1);
        FUZZ_CHECK(b == 0);
    }
    fake_read(d, 0x9f000, &magic, sizeof(magic));
    FUZZ_CHECK(magic == XEN_HVM_START_MAGIC_VALUE);
    FUZZ_CHECK(d->ctxt_len > 0);
}

static bool refused_before_calls(int e)
{
    return e == ENOEXEC || e == EINVAL || e == E2BIG || e == ENOSPC;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t ramdisk[3 * 4096] = { 1, 2, 3 };
    uint64_t mem = (4 + (size ? data[0] % 4 : 0)) * MIB;
    uint8_t *image = size > HEADER ? fuzz_dup(data + HEADER, size - HEADER) : NULL;
    size_t image_size = size > HEADER ? size - HEADER : 0;
    size_t rd = size > 1 ? (data[1] & 3) * 4096 : 0;
    struct xc_pvh_dom dom = {
        .kernel = image,
        .kernel_size = image_size,
        .ramdisk = rd ? ramdisk : NULL,
        .ramdisk_size = rd,
        .mem_kb = mem >> 10,
        .max_vcpus = size > 1 ? 1 + ((data[1] >> 2) & 7) : 1,
        .cmdline = "fuzz",
    };
    struct fake_dom d;
    int rc;

    fake_dom_init(&d, DOMID, mem >> 12);
    errno = 0;
    rc = xc_pvh_build(&d.xch, &d.fmem, DOMID, &dom);
    FUZZ_CHECK_MSG(rc == 0 || (rc == -1 && errno && dom.error && *dom.error), "rc %d errno %d", rc,
                   errno);
    FUZZ_CHECK_MSG(d.nr_maps == 0, "%u mappings left", d.nr_maps);
    if ( rc && refused_before_calls(errno) )
        FUZZ_CHECK_MSG(d.calls + d.batches == 0, "refused (%s) after %llu calls", dom.error,
                       (unsigned long long)(d.calls + d.batches));
    if ( !rc )
        check_built(&d, image, image_size, mem);
    fake_dom_dispose(&d);
    free(image);
    return 0;
}
