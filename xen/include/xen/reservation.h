/*
 * reservation.h - XENMEM_populate_physmap and XENMEM_decrease_reservation
 * (reservation.c), called from memory_op's dispatcher.
 */
#ifndef XEN_RESERVATION_H
#define XEN_RESERVATION_H

#include <xen/types.h>

/* The upper bits of a memory_op command carry a continuation's progress. */
#define MEMOP_EXTENT_SHIFT 6

/* op is the XENMEM_* number, start the extent to resume at. */
long memop_reservation(unsigned int op, uint64_t start, uint64_t arg);

#endif /* XEN_RESERVATION_H */
