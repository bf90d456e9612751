/* SPDX-License-Identifier: MIT */
/*
 * version.h - the xen_version hypercall: who the hypervisor is.
 *
 * xen_version(XENVER_version, NULL) returns (major << 16) | minor; the
 * other sub-operations copy a fixed-size record into a guest buffer.
 * Numbers and record sizes follow Xen's public ABI.
 */
#ifndef WREN_PUBLIC_VERSION_H
#define WREN_PUBLIC_VERSION_H

#include "xen.h"

#define XENVER_version             0  /* arg NULL; returns major<<16|minor */
#define XENVER_extraversion        1  /* arg xen_extraversion_t */
#define XENVER_compile_info        2  /* arg struct xen_compile_info */
#define XENVER_capabilities        3  /* arg xen_capabilities_info_t */
#define XENVER_changeset           4  /* arg xen_changeset_info_t */
#define XENVER_platform_parameters 5  /* arg struct xen_platform_parameters */
#define XENVER_get_features        6  /* arg struct xen_feature_info */
#define XENVER_pagesize            7  /* arg NULL; returns the page size */
#define XENVER_guest_handle        8  /* arg xen_domain_handle_t */
#define XENVER_commandline         9  /* arg xen_commandline_t */
#define XENVER_build_id            10 /* arg struct xen_build_id + buffer */

#define XEN_EXTRAVERSION_LEN 16
typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];

struct xen_compile_info
{
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
XEN_ABI_SIZE(struct xen_compile_info, 144);

#define XEN_CAPABILITIES_INFO_LEN 1024
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN];

#define XEN_CHANGESET_INFO_LEN 64
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];

struct xen_platform_parameters
{
    xen_ulong_t virt_start; /* lowest hypervisor-reserved VA (PV only) */
};
XEN_ABI_SIZE(struct xen_platform_parameters, 8);

/* Returns one 32-bit word of the XENFEAT_* bitmap (see features.h). */
struct xen_feature_info
{
    uint32_t submap_idx; /* IN: which word */
    uint32_t submap;     /* OUT: its bits */
};
XEN_ABI_SIZE(struct xen_feature_info, 8);

#define XEN_COMMANDLINE_LEN 1024
typedef char xen_commandline_t[XEN_COMMANDLINE_LEN];

/* The caller sets len to the buffer size; the build id bytes follow. */
struct xen_build_id
{
    uint32_t len; /* IN: space in buf; OUT: bytes written */
    uint8_t buf[];
};
XEN_ABI_SIZE(struct xen_build_id, 4);

#endif /* WREN_PUBLIC_VERSION_H */
