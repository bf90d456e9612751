/*
 * types.h - the typed frame numbers (gfn_t, mfn_t), machine addresses and
 * page size used everywhere in the hypervisor, on top of lib/'s
 * fixed-width integers and compiler helpers (wren/types.h).
 *
 * Compiles both freestanding (the hypervisor) and hosted (tools/tests),
 * so it may include only compiler-provided headers and lib/'s.
 */
#ifndef XEN_TYPES_H
#define XEN_TYPES_H

#include <wren/types.h>

typedef uint64_t paddr_t; /* a machine (host-physical) address */

/*
 * Frame numbers are one-field structs so that a guest frame can never be
 * passed where a machine frame is expected without the compiler noticing.
 */
typedef struct
{
    uint64_t gfn;
} gfn_t; /* guest-physical frame number */
typedef struct
{
    uint64_t mfn;
} mfn_t; /* machine frame number */

#define _gfn(x) ((gfn_t){ (x) })
#define _mfn(x) ((mfn_t){ (x) })
static inline uint64_t gfn_x(gfn_t g)
{
    return g.gfn;
}
static inline uint64_t mfn_x(mfn_t m)
{
    return m.mfn;
}

#define INVALID_MFN_RAW (~0ULL)
#define INVALID_GFN_RAW (~0ULL)
#define INVALID_MFN     _mfn(INVALID_MFN_RAW)
#define INVALID_GFN     _gfn(INVALID_GFN_RAW)
static inline bool mfn_valid_raw(mfn_t m)
{
    return m.mfn != INVALID_MFN_RAW;
}
static inline bool mfn_eq(mfn_t a, mfn_t b)
{
    return a.mfn == b.mfn;
}
static inline bool gfn_eq(gfn_t a, gfn_t b)
{
    return a.gfn == b.gfn;
}

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#endif /* XEN_TYPES_H */
