/*
 * ioreq.h - an XTF controller (dom0) acting as an IOREQ server for a
 * target domU: the small device model the ioreq tests use
 * (common/ioreq.c). It creates the server with DMOPs, maps the server's
 * pages with XENMEM_acquire_resource at gfns of its own, binds every
 * vCPU's port and the buffered port, and answers requests with a
 * handler the test supplies.
 *
 * A target's vCPU that made a request waits until it is answered, so a
 * controller that posts a mailbox command whose work reaches a server
 * must serve while it waits: xtf_mb_call_serving.
 */
#ifndef XTF_IOREQ_H
#define XTF_IOREQ_H

#include <xtf/types.h>
#include <xtf/mailbox.h>
#include <public/hvm/dm_op.h>
#include <public/hvm/ioreq.h>

#define XTF_IOREQ_MAX_VCPUS 8

struct xtf_ioreq_server;
/* Answer one request: for a read, set p->data. Runs with the slot
 * INPROCESS; the library then publishes IORESP_READY and notifies.
 * Buffered writes and IOREQ_TYPE_INVALIDATE reach it too. */
typedef void (*xtf_ioreq_handler_t)(struct xtf_ioreq_server *s, ioreq_t *p);

struct xtf_ioreq_server
{
    domid_t domid;
    ioservid_t id;
    unsigned int nr_vcpus;
    shared_iopage_t *iopage;            /* mapped at a gfn of the controller */
    buffered_iopage_t *bufpage;         /* NULL without a ring */
    uint32_t port[XTF_IOREQ_MAX_VCPUS]; /* the controller's ends */
    uint32_t buf_port;
    xtf_ioreq_handler_t handler;
    void *priv;
    uint64_t handled, posted, invalidates; /* counters */
};

/* Create (disabled) and map: the pages go at local_gfn (and local_gfn + 1
 * for the ring), ports bound. 0 or -XEN_E*. */
long xtf_ioreq_create(struct xtf_ioreq_server *s, domid_t domid, unsigned int nr_vcpus,
                      int handle_bufioreq, uint64_t local_gfn, xtf_ioreq_handler_t handler);
long xtf_ioreq_map_range(struct xtf_ioreq_server *s, uint32_t kind, uint64_t start, uint64_t end);
long xtf_ioreq_unmap_range(struct xtf_ioreq_server *s, uint32_t kind, uint64_t start, uint64_t end);
long xtf_ioreq_set_state(struct xtf_ioreq_server *s, bool enabled);
/* XEN_DMOP_map_mem_type_to_ioreq_server for HVMMEM_ioreq_server. */
long xtf_ioreq_map_mem_type(struct xtf_ioreq_server *s, uint32_t flags);
long xtf_ioreq_destroy(struct xtf_ioreq_server *s);

/* Answer every request waiting in s's slots and ring; the number handled. */
unsigned int xtf_ioreq_serve(struct xtf_ioreq_server *s);
/* xtf_mb_call, serving the n servers while the target works. */
long xtf_mb_call_serving(xtf_mb_t *mb, uint32_t op, uint32_t nr, struct xtf_ioreq_server **srv,
                         unsigned int n);

#endif /* XTF_IOREQ_H */
