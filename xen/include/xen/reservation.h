/*
 * reservation.h - what XENMEM_populate_physmap and
 * XENMEM_decrease_reservation (reservation.c) share with memory_op's
 * dispatcher. Their handler, memop_reservation, is declared from its rows
 * in xen/hypercall-defs.h.
 */
#ifndef XEN_RESERVATION_H
#define XEN_RESERVATION_H

#include <xen/types.h>

/* The upper bits of a memory_op command carry a continuation's progress
 * (MEMOP_EXTENT_SHIFT, public/memory.h). */
#include <public/memory.h>

#endif /* XEN_RESERVATION_H */
