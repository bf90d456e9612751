/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xs-private.h - what the files of libxenstore share: the handle, the
 * request/reply exchange and the event queue. Not for callers.
 */
#ifndef XS_PRIVATE_H
#define XS_PRIVATE_H

#include "transport.h"

struct xs_event
{
    struct xs_event *next;
    unsigned int len; /* path\0token\0 */
    char data[];
};

struct xs_handle
{
    struct xs_transport *t;
    uint32_t next_req;
    struct xs_event *ev_head, *ev_tail;
};

/* xs.c */
char *xs_talk(struct xs_handle *h, uint32_t type, xs_transaction_t t, const void *data,
              unsigned int len, unsigned int *rlen);
bool xs_bool(struct xs_handle *h, uint32_t type, xs_transaction_t t, const void *data,
             unsigned int len);
int xs_join(char *buf, size_t size, const char *const *s, unsigned int n);
char *xs_read_msg(struct xs_handle *h, struct xsd_sockmsg *hdr);

/* xs-watch.c */
void xs_queue_event(struct xs_handle *h, const char *body, unsigned int len);

#endif /* XS_PRIVATE_H */
