/*
 * env.h - what the runtime learnt about its environment at boot.
 */
#ifndef XTF_ENV_H
#define XTF_ENV_H

#include <xtf/types.h>
#include <public/xen.h>
#include <public/hvm/start_info.h>

/*
 * The runtime's copy of hvm_start_info (NULL if EBX pointed at none);
 * its memmap_paddr, cmdline_paddr and modlist_paddr point at copies in
 * the image. xtf_start_info_paddr is where the loader put the original.
 */
extern const struct hvm_start_info *xtf_start_info;
extern uint32_t xtf_start_info_paddr;

/* Base of the Xen CPUID leaves, 0 when no Xen-compatible hypervisor. */
extern uint32_t xtf_cpuid_base;
extern uint32_t xtf_xen_version; /* major << 16 | minor */
extern domid_t xtf_domid;
extern bool xtf_is_dom0;

/* Image bounds from the linker script (guest-physical == virtual). */
extern char _image_start[], _image_end[];

/* The start_info command line, or "" when there is none. */
const char *xtf_cmdline(void);

/*
 * Limits of the runtime's address space: everything below 4 GiB is
 * identity-mapped except page 0, unmapped once the boot information has
 * been copied, so that NULL pointers fault.
 */
#define XTF_MAPPED_LIMIT 0x100000000ULL

/* Remove the mapping of one page in the first 2 MiB (a guard page). */
void xtf_unmap_low_page(uint64_t va);
/* Make one page in the first 2 MiB read-only (it stays mapped). */
void xtf_protect_low_page(uint64_t va);

#endif /* XTF_ENV_H */
