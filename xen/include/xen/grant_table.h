/*
 * grant_table.h - the hypervisor's side of grant tables (version 1): what
 * domain.c and memory.c call; the hypercall itself is do_grant_table_op.
 *
 * A domain's table (struct grant_table, private to common/grant_table.c)
 * holds the shared entry frames, one active record per entry (who has it
 * pinned, and how) and the maptrack: one record per mapping this domain
 * made of another's grant. A maptrack record holds a reference on the
 * granter's struct domain, and the grantee's p2m entry (p2m_grant_map_*)
 * holds the reference on the frame (xen/frame.h), so a granter that gives
 * a frame back or dies cannot have it reused under the mapping.
 *
 * Lock order: d->lock, then grant (two tables: lower address first), then
 * p2m (xen/lock-order.h). Nothing here may drop a domain reference with a
 * grant lock held.
 */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

#include <xen/types.h>

struct domain;

/* Xen's defaults: one frame at creation, grown on demand to 64. */
#define GNTTAB_INITIAL_FRAMES 1U
#define GNTTAB_MAX_FRAMES     64U
#define GNTTAB_MAX_MAPTRACK   1024U /* maptrack frames (chunks) per domain */

/* At domain creation: the table with its first frame. -ENOMEM. */
int grant_table_init(struct domain *d);
/* createdomain's max_grant_frames and max_maptrack_frames (capped at the
 * hypervisor's; never below the frames the table already has). */
void grant_table_set_limits(struct domain *d, unsigned int frames, unsigned int maptrack);

/* A dying domain gives up every mapping it made of others' grants (and
 * the domain references they held). Idempotent. */
void grant_table_relinquish(struct domain *d);

/* When the last reference on d goes: the entry frames (the hypervisor's
 * references; a foreign mapping may keep one a while), the records. */
void grant_table_free(struct domain *d);

/* XENMEM_add_to_physmap, XENMAPSPACE_grant_table: put d's grant frame idx
 * at gpfn, growing the table if needed. What was at gpfn goes: d's RAM is
 * given back (as Xen does), a page the hypervisor shares with d is just
 * unhooked; anything else is -EBUSY. A frame mapped elsewhere before moves.
 * -EINVAL for a bad idx (or a status frame: version 2 only) or gpfn.
 * Takes d->lock. */
int grant_table_map_frame(struct domain *d, uint64_t idx, uint64_t gpfn);

#endif /* XEN_GRANT_TABLE_H */
