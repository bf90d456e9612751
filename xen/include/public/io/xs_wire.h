/* SPDX-License-Identifier: MIT */
/*
 * io/xs_wire.h - the xenstore wire protocol: the message header every
 * request, reply and watch event carries, the message types, the error
 * strings a reply of type XS_ERROR holds, and the shared page a guest and
 * xenstored exchange messages through.
 *
 * A message is a struct xsd_sockmsg followed by len bytes of payload,
 * usually NUL-terminated strings. The same bytes travel over a Unix
 * socket (dom0's clients) or a domain's ring page. Numbers, layouts and
 * strings follow Xen's public ABI; nothing here may depend on anything
 * but <stdint.h> (and <errno.h> for the error table, if the includer
 * has it).
 */
#ifndef WREN_PUBLIC_IO_XS_WIRE_H
#define WREN_PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

#ifndef XEN_ABI_ASSERT
#ifdef __cplusplus
#define XEN_ABI_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define XEN_ABI_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
#endif

enum xsd_sockmsg_type
{
    XS_CONTROL = 0,
#define XS_DEBUG XS_CONTROL
    XS_DIRECTORY = 1,
    XS_READ = 2,
    XS_GET_PERMS = 3,
    XS_WATCH = 4,
    XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7,
    XS_INTRODUCE = 8,
    XS_RELEASE = 9,
    XS_GET_DOMAIN_PATH = 10,
    XS_WRITE = 11,
    XS_MKDIR = 12,
    XS_RM = 13,
    XS_SET_PERMS = 14,
    XS_WATCH_EVENT = 15,
    XS_ERROR = 16,
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME = 18,
    XS_SET_TARGET = 19,
    /* 20 was XS_RESTRICT, withdrawn */
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT,
    XS_INVALID = 0xffff,
};

#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/* An XS_ERROR reply's payload is one of these names, NUL-terminated. */
struct xsd_errors
{
    int errnum;
    const char *errstring;
};

#ifdef EINVAL
#define XSD_ERROR(x) \
    {                \
        x, #x        \
    }
/* New entries go at the end: clients search the table in order. */
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
    XSD_ERROR(EINVAL),    XSD_ERROR(EACCES),  XSD_ERROR(EEXIST), XSD_ERROR(EISDIR),
    XSD_ERROR(ENOENT),    XSD_ERROR(ENOMEM),  XSD_ERROR(ENOSPC), XSD_ERROR(EIO),
    XSD_ERROR(ENOTEMPTY), XSD_ERROR(ENOSYS),  XSD_ERROR(EROFS),  XSD_ERROR(EBUSY),
    XSD_ERROR(EAGAIN),    XSD_ERROR(EISCONN), XSD_ERROR(E2BIG),  XSD_ERROR(EPERM),
};
#endif

struct xsd_sockmsg
{
    uint32_t type;   /* enum xsd_sockmsg_type */
    uint32_t req_id; /* echoed in the reply */
    uint32_t tx_id;  /* transaction, 0 for none */
    uint32_t len;    /* payload bytes that follow */
};
XEN_ABI_ASSERT(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg layout");

enum xs_watch_type
{
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN,
};

/*
 * The page shared with a guest: requests flow guest -> xenstored in req,
 * replies and watch events back in rsp. Indexes run freely; a byte lives
 * at MASK_XENSTORE_IDX(index). A producer writes data, then a write
 * barrier, then its index.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface
{
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features; /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;      /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;           /* XENSTORE_ERROR_* */
};
XEN_ABI_ASSERT(sizeof(struct xenstore_domain_interface) == 2076, "xenstore ring layout");

/* A payload longer than this is a protocol violation. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longer paths are refused with an error. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR        2

#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1 /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2 /* an index out of range */
#define XENSTORE_ERROR_PROTO   3 /* a payload too long */

#endif /* WREN_PUBLIC_IO_XS_WIRE_H */
