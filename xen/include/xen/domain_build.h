/*
 * domain_build.h - build the domains named at boot: dom0 from the first
 * boot module (PVH), then one unprivileged domain per further module.
 */
#ifndef XEN_DOMAIN_BUILD_H
#define XEN_DOMAIN_BUILD_H

#include <xen/types.h>
struct boot_info;

void build_boot_domains(const struct boot_info *bi);

/* What to load: the kernel (a PVH ELF image), its command line, and an
 * optional initial ramdisk (ramdisk NULL: none). */
struct pvh_image
{
    const void *kernel;
    size_t kernel_size;
    const char *cmdline;
    const void *ramdisk;
    size_t ramdisk_size;
};

/* Load a PVH image into d and set vCPU 0 at its PHYS32 entry.
 * Returns 0 or -errno with the reason logged. */
int pvh_build(struct domain *d, const struct pvh_image *img, uint64_t mem_bytes);

/* dom0 only, once, before it runs: map the two-machine link's shared
 * memory if the machine has one (common/link.c); a refusal is logged and
 * leaves dom0 without a link, never without a boot. */
void link_map_dom0(struct domain *d);

#endif /* XEN_DOMAIN_BUILD_H */
