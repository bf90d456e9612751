/* SPDX-License-Identifier: MIT */
/*
 * selftest-libs.c - "selftest libs": the lower libraries (tools/libs)
 * against the real hypervisor, through the dom0 runtime's devices:
 * xc_physinfo, xc_domain_getinfolist and xc_domain_getinfo_single,
 * xc_version, xc_readconsolering, and on the first domU (the "counter"
 * helper in the dom0-libs test) xc_vcpu_getinfo, xc_domain_hvm_getcontext
 * and xenforeignmemory mapping its frames: its image, and the counter it
 * bumps, seen to move through the mapping.
 *
 * May not touch: any domain's memory except by reading the frames it
 * maps; it unmaps all of them, and changes no domain's state.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <xen/version.h>
#include <xen/hvm/save.h>

#include "dom0.h"
#include "xencall.h"
#include "xenctrl.h"
#include "xenforeignmemory.h"

#define LIBS_FAIL(...) (fprintf(stderr, "selftest libs: " __VA_ARGS__), fputc('\n', stderr), 1)

/* The counter helper's layout (xtf/include/xtf/test.h, xtf/tests/counter). */
#define COUNTER_GFN     0x80UL
#define IMAGE_GFN       0x100UL
#define IMAGE_FRAMES    64U
#define COUNTER_TITLE   "pause helper: counter"
#define NOT_A_FRAME_GFN 0xfffffffUL

static int libs_physinfo(xc_interface *xch)
{
    xc_physinfo_t info;

    if ( xc_physinfo(xch, &info) )
        return LIBS_FAIL("xc_physinfo: errno %d", errno);
    printf("physinfo: %u CPUs, %llu pages, %llu free\n", info.nr_cpus,
           (unsigned long long)info.total_pages, (unsigned long long)info.free_pages);
    if ( !info.nr_cpus || !info.total_pages || info.free_pages > info.total_pages )
        return LIBS_FAIL("physinfo does not add up");
    return 0;
}

/* Lists the domains; *domu is the first domU (0: none). */
static int libs_domains(xc_interface *xch, uint32_t *domu)
{
    xc_domaininfo_t info[16], one;
    int i, n = xc_domain_getinfolist(xch, 0, 16, info);

    if ( n < 1 || info[0].domain != 0 )
        return LIBS_FAIL("getinfolist gave %d (errno %d), first %u", n, errno, info[0].domain);
    *domu = 0;
    for ( i = 0; i < n; i++ )
    {
        printf("domain %u: %llu pages, flags %#x\n", info[i].domain,
               (unsigned long long)info[i].tot_pages, info[i].flags);
        if ( i && info[i].domain <= info[i - 1].domain )
            return LIBS_FAIL("getinfolist out of order");
        if ( !*domu && info[i].domain )
            *domu = info[i].domain;
    }
    if ( *domu && (xc_domain_getinfo_single(xch, *domu, &one) || one.domain != *domu) )
        return LIBS_FAIL("getinfo_single(%u) disagrees with the list", *domu);
    return 0;
}

static int libs_host(xc_interface *xch)
{
    static char ring[16384];
    unsigned int n = sizeof(ring);
    int ver = xc_version(xch, XENVER_version, NULL);

    if ( ver <= 0 )
        return LIBS_FAIL("xc_version: %d, errno %d", ver, errno);
    if ( xc_readconsolering(xch, ring, &n, 0, 0, NULL) || !n || n > sizeof(ring) )
        return LIBS_FAIL("xc_readconsolering: %u bytes, errno %d", n, errno);
    printf("version %d.%d, console ring %u bytes\n", ver >> 16, ver & 0xffff, n);
    return 0;
}

/* The domU's vCPU 0 is up, and its HVM context starts with a HEADER. */
static int libs_domu_state(xc_interface *xch, uint32_t domu)
{
    static uint8_t ctxt[8192];
    const struct hvm_save_descriptor *desc = (const void *)ctxt;
    xc_vcpuinfo_t vcpu;
    int size, got;

    if ( xc_vcpu_getinfo(xch, domu, 0, &vcpu) || !vcpu.online )
        return LIBS_FAIL("xc_vcpu_getinfo(d%u, 0): errno %d, online %u", domu, errno, vcpu.online);
    size = xc_domain_hvm_getcontext(xch, domu, NULL, 0);
    if ( size <= 0 || size > (int)sizeof(ctxt) )
        return LIBS_FAIL("hvm context of d%u: size %d, errno %d", domu, size, errno);
    got = xc_domain_hvm_getcontext(xch, domu, ctxt, sizeof(ctxt));
    if ( got <= 0 || got > size || desc->typecode != HVM_SAVE_CODE(HEADER) )
        return LIBS_FAIL("hvm context of d%u: %d bytes, first record %u", domu, got,
                         desc->typecode);
    printf("d%u: vcpu0 online, hvm context %d bytes\n", domu, got);
    return 0;
}

/* The counter at the start of the mapped frame, seen to move. */
static int libs_counter_moves(volatile const uint64_t *counter)
{
    struct timespec ms = { 0, 1000000 };
    uint64_t first = *counter;
    int i;

    for ( i = 0; i < 5000 && *counter == first; i++ )
        nanosleep(&ms, NULL);
    printf("counter: %llu then %llu\n", (unsigned long long)first, (unsigned long long)*counter);
    return *counter == first ? LIBS_FAIL("the domU's counter did not move") : 0;
}

static int libs_map_domu(xenforeignmemory_handle *fmem, uint32_t domu)
{
    xen_pfn_t gfns[1 + IMAGE_FRAMES];
    int err[1 + IMAGE_FRAMES];
    unsigned int i;
    char *p;
    int rc;

    gfns[0] = COUNTER_GFN;
    for ( i = 0; i < IMAGE_FRAMES; i++ )
        gfns[1 + i] = IMAGE_GFN + i;
    p = xenforeignmemory_map(fmem, domu, PROT_READ, 1 + IMAGE_FRAMES, gfns, err);
    if ( !p )
        return LIBS_FAIL("map of %u frames of d%u: errno %d", 1 + IMAGE_FRAMES, domu, errno);
    for ( i = 0, rc = 0; i < 1 + IMAGE_FRAMES; i++ )
        if ( err[i] )
            rc = LIBS_FAIL("frame %#lx of d%u: error %d", (unsigned long)gfns[i], domu, err[i]);
    if ( !rc && !memmem(p + 4096, IMAGE_FRAMES * 4096, COUNTER_TITLE, strlen(COUNTER_TITLE)) )
        rc = LIBS_FAIL("d%u's image does not hold \"%s\"", domu, COUNTER_TITLE);
    if ( !rc )
        rc = libs_counter_moves((volatile const uint64_t *)p);
    if ( xenforeignmemory_unmap(fmem, p, 1 + IMAGE_FRAMES) )
        rc = LIBS_FAIL("unmap: errno %d", errno);
    return rc;
}

/* err == NULL: one frame that cannot map fails the whole call. */
static int libs_map_all_or_nothing(xenforeignmemory_handle *fmem, uint32_t domu)
{
    xen_pfn_t gfns[2] = { COUNTER_GFN, NOT_A_FRAME_GFN };
    void *p = xenforeignmemory_map(fmem, domu, PROT_READ, 2, gfns, NULL);

    if ( p )
    {
        xenforeignmemory_unmap(fmem, p, 2);
        return LIBS_FAIL("map with gfn %#lx of d%u succeeded", NOT_A_FRAME_GFN, domu);
    }
    printf("all-or-nothing map refused: errno %d\n", errno);
    return errno ? 0 : LIBS_FAIL("refused without errno");
}

int dom0_selftest_libs(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
    uint32_t domu = 0;
    int rc;

    if ( !xch || !fmem )
    {
        rc = LIBS_FAIL("cannot open the libraries: errno %d", errno);
        goto out;
    }
    rc = libs_physinfo(xch) || libs_host(xch) || libs_domains(xch, &domu);
    if ( !rc && !domu )
        printf("no domU: foreign mapping not tried\n");
    if ( !rc && domu )
        rc = libs_domu_state(xch, domu) || libs_map_domu(fmem, domu) ||
             libs_map_all_or_nothing(fmem, domu);
    if ( !rc )
        printf("hypercalls %llu, map batches %llu, frames mapped %llu\n",
               (unsigned long long)xencall_count(xc_interface_xcall(xch)),
               (unsigned long long)xenforeignmemory_batches(fmem),
               (unsigned long long)xenforeignmemory_frames(fmem));
out:
    xenforeignmemory_close(fmem);
    xc_interface_close(xch);
    return rc;
}
