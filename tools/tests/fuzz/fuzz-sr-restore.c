/*
 * fuzz-sr-restore.c - libFuzzer harness for the migration stream's reader
 * (tools/libs/guest/xg_sr_restore.c, xc_domain_restore) fed hostile
 * streams, restoring into the fake domain of tools/tests/tools/fake-xen.c
 * (64 pfns).
 *
 * Input: the stream, whole (docs/designs/migration-stream.md). Oracles,
 * beyond ASan/UBSan/LeakSanitizer:
 *   - xc_domain_restore() returns 0, or -1 with a reason that names the
 *     header or the record ("image header", "domain header", "record ");
 *   - nothing stays mapped, whatever happened;
 *   - no pfn at or above the limit was populated or broken;
 *   - a pfn that arrived broken is never RAM afterwards.
 *
 * It may touch nothing but the public interface (xenguest.h) and its own
 * fake domain.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xenguest.h>

#include "../tools/fake-xen.h"
#include "fuzz.h"

#define DOMID   9
#define NR_PFNS 64
#define SPACE   128 /* the fake's address space: room past the limit */

static int stream_fd(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-stream", 0);

    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(write(fd, data, size) == (ssize_t)size);
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
    return fd;
}

static void check_refusal(const char *why)
{
    FUZZ_CHECK_MSG(!strncmp(why, "image header", 12) || !strncmp(why, "domain header", 13) ||
                       !strncmp(why, "record ", 7),
                   "reason \"%s\" names no header or record", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fake_dom d;
    struct restore_callbacks cb = { 0 };
    unsigned long store, console;
    int fd = stream_fd(data, size), rc;

    fake_dom_init(&d, DOMID, SPACE);
    cb.fmem = &d.fmem;
    cb.nr_pfns = NR_PFNS;
    rc = xc_domain_restore(&d.xch, fd, DOMID, 1, &store, 0, 2, &console, 0, &cb);
    close(fd);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if ( rc )
        check_refusal(cb.error);
    FUZZ_CHECK_MSG(d.nr_maps == 0, "%u mappings left", d.nr_maps);
    for ( uint64_t g = NR_PFNS; g < SPACE; g++ )
        FUZZ_CHECK_MSG(!d.populated[g] && !d.broken[g], "pfn %#llx past the limit touched",
                       (unsigned long long)g);
    for ( uint64_t g = 0; g < NR_PFNS; g++ )
        FUZZ_CHECK_MSG(!(d.broken[g] && d.populated[g]), "broken pfn %#llx is RAM",
                       (unsigned long long)g);
    fake_dom_dispose(&d);
    return 0;
}
