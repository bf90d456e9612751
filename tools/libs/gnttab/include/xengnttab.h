/* SPDX-License-Identifier: MIT */
/*
 * xengnttab.h - grant tables for a user process (Xen's libxengnttab): the
 * handle a backend opens, and the queries it makes of a frontend's grant
 * table before it maps anything.
 *
 * Real: open/close, set_max_grants (a limit the handle keeps), and
 * query_size/get_version (GNTTABOP_query_size/get_version through
 * libxencall). STUB: map_grant_ref(s) and unmap need /dev/xen/gntdev,
 * which Wren's dom0 does not have yet; they fail with ENOSYS. Errors: -1
 * (or NULL) with errno, as in Xen.
 */
#ifndef XENGNTTAB_H
#define XENGNTTAB_H

#include <stdint.h>

struct xentoollog_logger;
typedef struct xengntdev_handle xengnttab_handle;

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned int open_flags);
int xengnttab_close(xengnttab_handle *xgt);
/* The most grants this handle may have mapped at once (nonzero). */
int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants);

/* Frames in use by domid's grant table, and the most it may grow to. */
int xengnttab_query_size(xengnttab_handle *xgt, uint32_t domid, uint32_t *nr_frames,
                         uint32_t *max_nr_frames);
/* The grant-table version domid uses (1 or 2), or -1 with errno. */
int xengnttab_get_version(xengnttab_handle *xgt, uint32_t domid);

/* STUB (ENOSYS) until the dom0 runtime has /dev/xen/gntdev. */
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot);
void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count, uint32_t *domids,
                               uint32_t *refs, int prot);
int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count);

#endif /* XENGNTTAB_H */
