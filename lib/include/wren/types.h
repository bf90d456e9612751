/*
 * wren/types.h - fixed-width integers, bool, size types and the compiler
 * helpers every freestanding part of Wren uses (the hypervisor, the XTF
 * guests, dom0), and the host unit tests that build their code.
 *
 * It may include only compiler-provided headers, and holds nothing
 * particular to one consumer or one architecture: frame number types and
 * page sizes stay in xen/ and xtf/.
 */
#ifndef WREN_TYPES_H
#define WREN_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define MIN(a, b)     ((a) < (b) ? (a) : (b))
#define MAX(a, b)     ((a) > (b) ? (a) : (b))

#define __packed       __attribute__((packed))
#define __aligned(n)   __attribute__((aligned(n)))
#define __noreturn     __attribute__((noreturn))
#define __unused       __attribute__((unused))
#define __used         __attribute__((used))
#define __section(s)   __attribute__((section(s)))
#define __printf(f, a) __attribute__((format(printf, f, a)))
#define likely(x)      __builtin_expect(!!(x), 1)
#define unlikely(x)    __builtin_expect(!!(x), 0)

#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)

/* A compiler barrier, and one access the compiler may not merge or drop. */
#define barrier()      __asm__ volatile("" ::: "memory")
#define ACCESS_ONCE(x) (*(volatile __typeof__(x) *)&(x))

#endif /* WREN_TYPES_H */
