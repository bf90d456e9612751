/* SPDX-License-Identifier: MIT */
/*
 * xenstore.h - the xenstore client (Xen's libxenstore): the xs_* calls,
 * with Xen's names and semantics. Paths are absolute or relative to the
 * caller's /local/domain/<id>; t is XBT_NULL or a transaction.
 *
 * Failures return NULL/false with errno set from the store's error
 * string (ENOENT, EACCES, EINVAL, EEXIST, EAGAIN for a transaction that
 * must be retried, E2BIG, EQUOTA as ENOSPC ...). Returned strings and
 * arrays are one malloc()ed block for the caller to free().
 *
 * The wire protocol is public/io/xs_wire.h. How a handle reaches the
 * daemon is the transport's business (tools/libs/store/transport.h): a
 * guest's ring page, or, inside Wren's dom0, a direct in-process
 * connection to tools/xenstored.
 */
#ifndef XENSTORE_H
#define XENSTORE_H

#include <stdbool.h>
#include <stdint.h>

#define XBT_NULL           0
#define XS_OPEN_READONLY   (1UL << 0)
#define XS_OPEN_SOCKETONLY (1UL << 1)

/* Watch events come back as an array of two: path, then token. */
#define XS_WATCH_PATH  0
#define XS_WATCH_TOKEN 1

typedef uint32_t xs_transaction_t;
struct xs_handle;

enum xs_perm_type
{
    XS_PERM_NONE = 0,
    XS_PERM_READ = 1,
    XS_PERM_WRITE = 2,
    XS_PERM_ENOENT_OK = 4,
    XS_PERM_OWNER = 8,
};

struct xs_permissions
{
    unsigned int id;
    enum xs_perm_type perms;
};

struct xs_handle *xs_open(unsigned long flags);
void xs_close(struct xs_handle *xsh);

char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *num);
void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len);
bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
              unsigned int len);
bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);
struct xs_permissions *xs_get_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                                          unsigned int *num);
bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                        struct xs_permissions *perms, unsigned int num_perms);

bool xs_watch(struct xs_handle *h, const char *path, const char *token);
bool xs_unwatch(struct xs_handle *h, const char *path, const char *token);
/* A descriptor that polls readable when a watch event is queued. */
int xs_fileno(struct xs_handle *h);
/* The next event (path, token), blocking / or NULL with errno EAGAIN. */
char **xs_read_watch(struct xs_handle *h, unsigned int *num);
char **xs_check_watch(struct xs_handle *h);

xs_transaction_t xs_transaction_start(struct xs_handle *h);
bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid, unsigned long mfn,
                         unsigned int eventchn);
bool xs_release_domain(struct xs_handle *h, unsigned int domid);
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);
char *xs_get_domain_path(struct xs_handle *h, unsigned int domid);

#endif /* XENSTORE_H */
