/*
 * arena.c - see arena.h.
 */
#include "arena.h"

#include <xen/mm.h>

#include <stdio.h>
#include <stdlib.h>

uintptr_t directmap_base;

static void *arena;
static paddr_t base;
static size_t bytes;

void arena_setup(paddr_t maddr, size_t size)
{
    arena_release();
    arena = aligned_alloc(PAGE_SIZE, size);
    if ( !arena )
    {
        fprintf(stderr, "arena: cannot allocate %zu bytes\n", size);
        exit(2);
    }
    base = maddr;
    bytes = size;
    directmap_base = (uintptr_t)arena - maddr;
    page_alloc_reset();
    page_alloc_add_range(maddr, maddr + size);
}

void arena_release(void)
{
    page_alloc_reset();
    free(arena);
    arena = NULL;
    bytes = 0;
}

paddr_t arena_base(void)
{
    return base;
}
size_t arena_bytes(void)
{
    return bytes;
}
