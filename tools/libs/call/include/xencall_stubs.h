/* SPDX-License-Identifier: MIT */
/*
 * xencall_stubs.h - typed hypercall stubs for the libraries layered on
 * libxencall, expanded from the rows of xen/include/xen/hypercall-defs.h
 * (<wren/hypercall-defs.h>), so a caller passing the wrong arguments to a
 * hypercall does not compile.
 *
 * xencall__NAME(xcall, args...) for every plain (HC) row; pointer
 * arguments must already be xencall buffers. The versioned rows (domctl,
 * sysctl) are libxenctrl's alone (tools/libs/ctrl/xc_private.h), which
 * also borrows the argument macros below. Declares nothing else.
 */
#ifndef XENCALL_STUBS_H
#define XENCALL_STUBS_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/arch-x86/xen-mca.h>
#include <wren/hypercall-defs.h>

#include "xencall.h"

/* A row's (hypervisor type, caller type, name) triples as a parameter
 * list, and as the uint64_t values xencallN() takes. */
#define XENCALL_ARG_(htype, ctype, name) ctype name
#define XENCALL_ARGS_1(a)                XENCALL_ARG_ a
#define XENCALL_ARGS_2(a, b)             XENCALL_ARG_ a, XENCALL_ARG_ b
#define XENCALL_ARGS_3(a, b, c)          XENCALL_ARGS_2(a, b), XENCALL_ARG_ c
#define XENCALL_ARGS_4(a, b, c, d)       XENCALL_ARGS_3(a, b, c), XENCALL_ARG_ d
#define XENCALL_ARGS_5(a, b, c, d, e)    XENCALL_ARGS_4(a, b, c, d), XENCALL_ARG_ e

#define XENCALL_VAL_(htype, ctype, name) ((uint64_t)(uintptr_t)(name))
#define XENCALL_VALS_1(a)                XENCALL_VAL_ a
#define XENCALL_VALS_2(a, b)             XENCALL_VAL_ a, XENCALL_VAL_ b
#define XENCALL_VALS_3(a, b, c)          XENCALL_VALS_2(a, b), XENCALL_VAL_ c
#define XENCALL_VALS_4(a, b, c, d)       XENCALL_VALS_3(a, b, c), XENCALL_VAL_ d
#define XENCALL_VALS_5(a, b, c, d, e)    XENCALL_VALS_4(a, b, c, d), XENCALL_VAL_ e

#define XENCALL_STUB(name, who, nargs, args)                                            \
    static inline int xencall__##name(xencall_handle *xcall, XENCALL_ARGS_##nargs args) \
    {                                                                                   \
        return xencall##nargs(xcall, __HYPERVISOR_##name, XENCALL_VALS_##nargs args);   \
    }
#define XENCALL_STUB_NONE(name, who, type, version)

WREN_HYPERCALLS(XENCALL_STUB, XENCALL_STUB_NONE)

#endif /* XENCALL_STUBS_H */
