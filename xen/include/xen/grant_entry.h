/*
 * grant_entry.h - the version 1 grant entry protocol, as pure logic on one
 * shared entry and its active record (common/grant_entry.c), so the host
 * unit tests can check it: which pins an entry allows, and the
 * GTF_reading/GTF_writing flags the hypervisor sets and clears on the
 * guest's entry by compare-and-exchange.
 *
 * It touches only the entry and the record it is given; the caller holds
 * the granter's grant lock and takes or drops the frame reference itself
 * (common/grant_table.c). No frames, domains or p2m here.
 */
#ifndef XEN_GRANT_ENTRY_H
#define XEN_GRANT_ENTRY_H

#include <xen/types.h>
#include <public/grant_table.h>

/* Pins of one kind on one entry: more would overflow. */
#define GRANT_PIN_MAX 0xffffU

/* What the hypervisor knows of an entry while it is pinned. */
struct active_grant
{
    uint16_t readers; /* read-only maps and copies from it */
    uint16_t writers; /* writable maps and copies to it */
    domid_t domid;    /* the grantee, while pinned */
    bool writable;    /* the frame's type allows writes */
    uint32_t gfn;     /* the granter's gfn of it (a v1 frame), while pinned */
    mfn_t mfn;        /* the frame, while pinned */
};
_Static_assert(sizeof(struct active_grant) == 24, "512 records fit 4 pages");

/*
 * Start a pin of the entry for grantee ld (read-only if ro). The first pin
 * (*first set) needs a GTF_permit_access entry naming ld; later pins must
 * be ld's too and must not overflow; a writable pin needs an entry that
 * is not GTF_readonly and (later pins) a writable frame. The entry's
 * GTF_reading, and GTF_writing for a writable pin, are set if not yet set.
 * GNTST_okay, or GNTST_general_error with nothing changed.
 */
int16_t grant_pin_begin(struct active_grant *act, struct grant_entry_v1 *e, domid_t ld, bool ro,
                        bool *first);

/* The pin begun cannot complete (no frame): the entry's flags as before. */
void grant_pin_abort(const struct active_grant *act, struct grant_entry_v1 *e, bool ro, bool first);

/* The pin completed (the caller holds its frame reference): count it. */
void grant_pin_commit(struct active_grant *act, bool ro);

/* Drop one pin: the last writable one clears GTF_writing, the last one
 * GTF_reading (and the record's frame). True if it was the last. */
bool grant_unpin(struct active_grant *act, struct grant_entry_v1 *e, bool ro);

#endif /* XEN_GRANT_ENTRY_H */
