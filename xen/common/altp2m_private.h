/*
 * altp2m_private.h - what the altp2m files (xen/common/altp2m*.c) share
 * and nothing else may include: pages charged to the pool, the derived
 * bitmap, the views' own settings.
 *
 * The functions on a view's own settings and on the bitmap expect the
 * host p2m lock held (xen/altp2m.h).
 */
#ifndef XEN_COMMON_ALTP2M_PRIVATE_H
#define XEN_COMMON_ALTP2M_PRIVATE_H

#include <xen/altp2m.h>

/* 2^order zeroed pages charged to d's p2m pool; NULL if it has too few. */
void *altp2m_alloc(struct domain *d, unsigned int order);
void altp2m_free(struct domain *d, void *p, unsigned int order);

void altp2m_mark_derived(struct domain *d, uint64_t gfn);
bool altp2m_is_derived(const struct domain *d, uint64_t gfn);

/* View idx if it exists (1..MAX_ALTP2M - 1), else NULL. */
struct altp2m_view *altp2m_view_get(struct domain *d, uint16_t idx);

/* ---- altp2m_own.c: a view's own settings, sorted by gfn ---- */
struct altp2m_own *altp2m_own_find(struct altp2m_view *view, uint64_t gfn);
/* The setting of gfn, made (flags 0, src gfn) if it had none: NULL and
 * nothing changed if the pool cannot grow the array. */
struct altp2m_own *altp2m_own_get(struct domain *d, struct altp2m_view *view, uint64_t gfn);
/* Forget gfn's setting if it says nothing any more (flags 0). */
void altp2m_own_tidy(struct altp2m_view *view, struct altp2m_own *own);
void altp2m_own_free(struct domain *d, struct altp2m_view *view);

/* ---- altp2m_fault.c ---- */
/* Drop view's entry for gfn (it is rebuilt from the host and the view's
 * own setting at its next fault), flushing what the hardware cached. */
void altp2m_view_drop(struct altp2m_view *view, uint64_t gfn);

#endif /* XEN_COMMON_ALTP2M_PRIVATE_H */
