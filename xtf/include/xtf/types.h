/*
 * types.h - basic types and compiler helpers for XTF guest kernels.
 *
 * Guests are freestanding: only the compiler's own headers are used.
 */
#ifndef XTF_TYPES_H
#define XTF_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1UL << PAGE_SHIFT)
#define PAGE_MASK       (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))

#define __noreturn      __attribute__((noreturn))
#define __aligned(n)    __attribute__((aligned(n)))
#define __section(s)    __attribute__((section(s)))
#define __used          __attribute__((used))
#define __printf(f, a)  __attribute__((format(printf, f, a)))
#define __packed        __attribute__((packed))

#define barrier()       __asm__ volatile ("" ::: "memory")
#define ACCESS_ONCE(x)  (*(volatile __typeof__(x) *)&(x))

#endif /* XTF_TYPES_H */
