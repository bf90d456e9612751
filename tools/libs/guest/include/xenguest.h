/* SPDX-License-Identifier: MIT */
/*
 * xenguest.h - the domain builder (Xen's libxenguest, PVH part): fills an
 * already created, paused, empty domain from an ELF kernel so that
 * unpausing it boots the kernel by Xen's PVH boot ABI.
 *
 * It populates RAM, loads the ELF segments, places the ramdisk, writes
 * the ACPI tables, the memory map (also given to the hypervisor with
 * XENMEM_set_memory_map), struct hvm_start_info with the command line,
 * sets HVM_PARAM_{STORE,CONSOLE}_{PFN,EVTCHN}, and gives vCPU 0 its
 * registers with an HVM context record (public/hvm/save.h). Guest memory
 * is written through batched foreign mappings.
 *
 * It never destroys the domain: on failure it returns -1 with errno set
 * and the caller (tools/libs/light) tears down. The guest-physical layout
 * is docs/designs/toolstack.md's and the same as the hypervisor's
 * boot-module builder (xen/arch/x86/pvh_build.c).
 */
#ifndef XENGUEST_H
#define XENGUEST_H

#include <stddef.h>
#include <stdint.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

struct xc_pvh_dom
{
    /* in */
    const void *kernel; /* an ELF64 or ELF32 image with XEN_ELFNOTE_PHYS32_ENTRY */
    size_t kernel_size;
    const void *ramdisk; /* NULL: none */
    size_t ramdisk_size;
    const char *cmdline; /* NULL: empty */
    uint64_t mem_kb;     /* guest RAM, KiB */
    unsigned int max_vcpus;
    uint32_t store_domid, console_domid;   /* the backends' domain (0) */
    uint32_t store_evtchn, console_evtchn; /* ports in the guest, already
                                            * allocated unbound to the backends */
    /* out */
    xen_pfn_t store_pfn, console_pfn; /* the rings' guest frames */
    /* why the kernel or layout was refused (a static string), or NULL */
    const char *error;
    /* cost, for make bench */
    uint64_t hypercalls, map_batches, frames_mapped;
};

int xc_pvh_build(xc_interface *xch, xenforeignmemory_handle *fmem, uint32_t domid,
                 struct xc_pvh_dom *dom);

#endif /* XENGUEST_H */
