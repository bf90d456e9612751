/*
 * version.h - Wren's own version and the Xen ABI version it reports to
 * guests through XENVER_version and CPUID leaf 0x40000001.
 */
#ifndef XEN_VERSION_H
#define XEN_VERSION_H

#define WREN_VERSION_STRING  "0.1"
#define XEN_ABI_MAJOR        4
#define XEN_ABI_MINOR        18
#define XEN_ABI_EXTRAVERSION ".0-wren"

#endif /* XEN_VERSION_H */
