/*
 * arena.h - machine memory for host unit tests: a malloc'd arena that the
 * direct map (directmap_base) presents at a chosen machine address, handed
 * to the real page allocator. Machine addresses start well above 0 so that
 * mfn 0 is never memory.
 */
#ifndef TESTS_ARENA_H
#define TESTS_ARENA_H

#include <xen/types.h>

#define ARENA_DEFAULT_BASE (16ULL << 20) /* 16 MiB */

/* Forget the allocator's ranges and give it [base, base + bytes). */
void arena_setup(paddr_t base, size_t bytes);
void arena_release(void);
paddr_t arena_base(void);
size_t arena_bytes(void);

#endif /* TESTS_ARENA_H */
