/*
 * xenstore.h - a guest's xenstore client over its own ring page
 * (HVM_PARAM_STORE_PFN / HVM_PARAM_STORE_EVTCHN), for test kernels that a
 * toolstack built: they read their configuration, report results and
 * answer control/shutdown as a PV-aware guest does.
 *
 * One request at a time, by busy-waiting with SCHEDOP_yield; no
 * interrupts. Watch events that arrive while a reply is awaited are kept
 * (the latest one) for xs_guest_watch_fired(). Paths are relative to the
 * domain's home (/local/domain/<id>) or absolute.
 */
#ifndef XTF_XENSTORE_H
#define XTF_XENSTORE_H

#include <xtf/types.h>

/* 0, or -ENOENT (XEN_ENOENT) when the toolstack gave no store ring. */
long xs_guest_init(void);

/* Each returns 0 or a negative XEN_E* (from the store's error string). */
long xs_guest_read(const char *path, char *buf, size_t size);
long xs_guest_write(const char *path, const char *value);
long xs_guest_watch(const char *path, const char *token);

/* Has a watch event arrived (polling the ring once)? Its path is copied
 * out, and the event consumed. */
bool xs_guest_watch_fired(char *path, size_t size);

#endif /* XTF_XENSTORE_H */
