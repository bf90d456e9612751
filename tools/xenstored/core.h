/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * core.h - what the files of xenstored share: the tree, connections,
 * transactions, watches and the request being handled. Private to
 * tools/xenstored (and its host tests); clients see only the wire.
 *
 * Layers, calls running downward only:
 *   daemon.c socket.c ring.c      the daemon, its listener, guests' rings
 *   conn.c                        framing, dispatch, output queues
 *   ops.c ops-domain.c            one handler per request type
 *   txn.c watch.c                 transactions, watches
 *   tree.c perms.c                nodes, paths, permissions, quotas
 */
#ifndef XENSTORED_CORE_H
#define XENSTORED_CORE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#include "xenstored.h"

/* Xen's default quotas, for unprivileged domains. */
#define QUOTA_NODES_PER_DOMAIN 1000
#define QUOTA_ENTRY_SIZE       2048
#define QUOTA_WATCHES_PER_CONN 128
#define QUOTA_TXNS_PER_CONN    10
#define QUOTA_PERMS_PER_NODE   5
#define QUOTA_TXN_PATHS        1024
/* Output queued to one connection beyond which watch events are dropped,
 * and beyond which its requests wait. */
#define OUT_EVENTS_MAX  1024
#define OUT_PENDING_MAX 32

#define DOMID_NONE 0xffffffffu

/* Permission bits, as the wire's letters: n r w b. */
#define PERM_NONE  0u
#define PERM_READ  1u
#define PERM_WRITE 2u
#define PERM_OWNER 8u

struct xs_perm
{
    unsigned int id;
    unsigned int perms;
};

struct perms
{
    unsigned int num; /* at least 1: the owner and everyone's default */
    struct xs_perm *p;
};

struct node
{
    char *name; /* the last path element; "" for the root */
    struct node *parent, *children, *next;
    char *value;
    unsigned int vlen;
    struct perms perms;
    uint64_t gen; /* the daemon's counter when last changed */
};

/* Nodes owned per domain, for the quota. */
struct acct
{
    unsigned int domid, nodes;
    struct acct *next;
};

struct tree
{
    struct node *root;
    uint64_t *gen; /* the daemon's, shared by every transaction's copy */
    struct acct *acct;
};

/* Who asks: what permission checks look at. */
struct who
{
    unsigned int domid;
    unsigned int target; /* SET_TARGET: acts for this domain too */
    bool privileged;
};

/* tree.c */
int tree_init(struct tree *t, uint64_t *gen);
void tree_dispose(struct tree *t);
int tree_clone(struct tree *dst, const struct tree *src);
struct node *tree_lookup(const struct tree *t, const char *path);
struct node *node_add(struct tree *t, struct node *parent, const char *name, unsigned int len,
                      const struct perms *perms);
void node_remove(struct tree *t, struct node *n);
int node_set_value(struct tree *t, struct node *n, const char *v, unsigned int len);
int node_set_perms(struct tree *t, struct node *n, const struct perms *perms);
struct node *node_child(const struct node *n, const char *name, unsigned int len);
unsigned int tree_count(const struct tree *t);
unsigned int acct_nodes(const struct tree *t, unsigned int domid);
void acct_rename(struct tree *t, unsigned int from, unsigned int to);
bool path_is_under(const char *path, const char *dir);
int path_canon(const struct who *w, const char *in, char *out);
#define PATH_BUF (XENSTORE_ABS_PATH_MAX + 1)

/* perms.c */
unsigned int perm_for(const struct who *w, const struct perms *p);
int perms_parse(const char *s, unsigned int len, unsigned int n, struct perms *out);
unsigned int perms_format(const struct perms *p, char *buf, unsigned int size);
int perms_copy(struct perms *dst, const struct perms *src);
void perms_dispose(struct perms *p);

struct conn;
struct xenstored;

/* txn.c */
struct txn_path
{
    struct txn_path *next;
    char *path;
    uint64_t base_gen; /* 0: absent when first touched */
    bool modified, fire;
};

struct txn
{
    struct txn *next;
    uint32_t id;
    struct tree tree;
    struct txn_path *paths, *tail;
    unsigned int npaths;
};

struct txn *txn_start(struct conn *c, uint32_t id);
struct txn *txn_find(struct conn *c, uint32_t id);
int txn_note(struct txn *t, const char *path, bool modified, bool fire);
int txn_note_subtree(struct txn *t, const struct node *n, const char *path);
int txn_commit(struct xenstored *xsd, struct conn *c, struct txn *t);
void txn_end(struct conn *c, struct txn *t);
void txn_end_all(struct conn *c);

/* watch.c */
struct watch
{
    struct watch *next;
    char *path;    /* as the client gave it */
    char *abspath; /* canonical, or the special name */
    char *token;
    bool relative;
};

int watch_add(struct conn *c, const char *path, const char *abspath, const char *token,
              bool relative, struct watch **out);
int watch_del(struct conn *c, const char *abspath, const char *token);
void watch_del_all(struct conn *c);
void watch_fire(struct xenstored *xsd, const char *path, const struct perms *perms, bool removed);
void watch_fire_special(struct xenstored *xsd, const char *name);
void watch_fire_initial(struct conn *c, const struct watch *w);

/* conn.c */
struct conn_ops
{
    /* Bytes read (0: none ready), or -1: the connection is gone, or
     * -XENSTORE_ERROR_*: the peer broke the protocol. */
    int (*read)(struct conn *c, void *buf, unsigned int len);
    /* Bytes written (0: no room now), or -1: gone. */
    int (*write)(struct conn *c, const void *buf, unsigned int len);
    /* The peer broke the protocol: tell it (a ring's error field). */
    void (*fail)(struct conn *c, unsigned int err);
    /* Release the transport (descriptor, mapping). */
    void (*close)(struct conn *c);
};

struct outmsg
{
    struct outmsg *next;
    unsigned int len, done;
    bool event;
    char data[];
};

struct conn
{
    struct conn *next;
    struct xenstored *xsd;
    const struct conn_ops *ops;
    void *priv;
    struct who who;
    /* The message being read. */
    struct xsd_sockmsg hdr;
    unsigned int hdr_used, in_used;
    char in[XENSTORE_PAYLOAD_MAX + 1];
    struct outmsg *out_head, *out_tail;
    unsigned int out_msgs, out_events;
    struct watch *watches;
    unsigned int nwatches;
    struct txn *txns;
    unsigned int ntxns;
    bool dead;    /* closed: freed by the daemon's next pass */
    bool ignored; /* broke the protocol: no more I/O */
};

struct conn *conn_new(struct xenstored *xsd, unsigned int domid, const struct conn_ops *ops,
                      void *priv);
void conn_free(struct conn *c);
bool conn_io(struct conn *c);
void conn_ignore(struct conn *c, unsigned int err);
int conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const char *data,
              unsigned int len, bool event);
const char *xs_errname(int err);

/* The request being handled: its payload is NUL-terminated at data[len]. */
struct req
{
    struct xenstored *xsd;
    struct conn *conn;
    struct xsd_sockmsg hdr;
    const char *data;
    unsigned int len;
    struct txn *txn;   /* NULL outside a transaction */
    struct tree *tree; /* the transaction's copy, or the store */
    char out[XENSTORE_PAYLOAD_MAX];
    unsigned int olen;
    /* A watch just added: its first event follows the reply. */
    const struct watch *new_watch;
};

/* ops.c, ops-domain.c: 0 with r->out filled, or an errno for the reply. */
typedef int (*op_fn)(struct req *r);
struct op_desc
{
    op_fn fn;
    bool txn; /* works inside a transaction (tx_id names it) */
};
const struct op_desc *op_lookup(uint32_t type);
int req_onearg(const struct req *r, const char **arg);
int req_strings(const struct req *r, const char **vec, unsigned int n);
int req_reply(struct req *r, const char *s);
int op_introduce(struct req *r);
int op_release(struct req *r);
int op_is_introduced(struct req *r);
int op_get_domain_path(struct req *r);
int op_set_target(struct req *r);
int op_control(struct req *r);
int op_resume(struct req *r);

/* daemon.c, ring.c */
struct domain
{
    struct domain *next;
    unsigned int domid;
    unsigned long mfn;
    unsigned int remote_port;
    int local_port;
    struct xenstore_domain_interface *intf;
    struct conn *conn;
};

struct xenstored
{
    struct tree tree;
    uint64_t gen;
    uint32_t next_txid;
    struct conn *conns;
    struct domain *domains;
    struct xenstored_backend be;
    bool have_be;
    int listen_fd;
    char *sock_path;
    uint64_t dropped_events, bad_connections;
};

struct domain *domain_find(struct xenstored *xsd, unsigned int domid);
int domain_introduce(struct xenstored *xsd, unsigned int domid, unsigned long mfn,
                     unsigned int port);
void domain_release(struct xenstored *xsd, struct domain *d);
void domain_notify(struct domain *d);

/* socket.c */
bool socket_accept(struct xenstored *xsd);
void socket_close(struct xenstored *xsd);
int socket_conn_fd(const struct conn *c);
struct conn *conn_of_domain(struct xenstored *xsd, unsigned int domid);

#endif /* XENSTORED_CORE_H */
