/*
 * domain_build.h - build the domains named at boot: dom0 from the first
 * boot module (PVH), then one unprivileged domain per further module.
 */
#ifndef XEN_DOMAIN_BUILD_H
#define XEN_DOMAIN_BUILD_H

#include <xen/types.h>
struct boot_info;

void build_boot_domains(const struct boot_info *bi);

/* Load a PVH ELF image into d and set vCPU 0 at its PHYS32 entry.
 * Returns 0 or -errno with the reason logged. */
int pvh_build(struct domain *d, const void *image, size_t size, const char *cmdline,
              uint64_t mem_bytes);

#endif /* XEN_DOMAIN_BUILD_H */
