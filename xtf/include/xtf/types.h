/*
 * types.h - basic types for XTF guest kernels: lib/'s fixed-width types
 * and compiler helpers (wren/types.h), and the guest's page size.
 *
 * Guests are freestanding: only the compiler's own headers and lib/'s
 * are used.
 */
#ifndef XTF_TYPES_H
#define XTF_TYPES_H

#include <wren/types.h>
#include <stdarg.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#endif /* XTF_TYPES_H */
