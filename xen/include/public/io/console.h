/* SPDX-License-Identifier: MIT */
/*
 * io/console.h - the shared page of a domain's PV console.
 *
 * The page's GFN is HVM_PARAM_CONSOLE_PFN and its doorbell is the event
 * channel HVM_PARAM_CONSOLE_EVTCHN. Producer and consumer indexes run
 * freely; a byte lives at index & (ring size - 1). The guest produces
 * into 'out' (and the backend consumes it), the backend produces into
 * 'in'. Writers store data, then a write barrier, then the index.
 * Layout follows Xen's public ABI.
 */
#ifndef WREN_PUBLIC_IO_CONSOLE_H
#define WREN_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

#ifndef XEN_ABI_ASSERT
#ifdef __cplusplus
#define XEN_ABI_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define XEN_ABI_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
#endif

typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface
{
    char in[1024];  /* backend -> guest (keyboard) */
    char out[2048]; /* guest -> backend (screen) */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};
XEN_ABI_ASSERT(sizeof(struct xencons_interface) == 3088, "xencons_interface layout");

#endif /* WREN_PUBLIC_IO_CONSOLE_H */
