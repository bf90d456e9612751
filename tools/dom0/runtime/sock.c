/*
 * sock.c - AF_UNIX SOCK_STREAM sockets and pipes, in memory.
 *
 * A connected socket is a byte ring of its own that the peer writes
 * into; a pipe is a connected pair whose ends are opened read-only and
 * write-only. A listener keeps a queue of server ends that connect()
 * made; accept() takes one. The name a socket is bound to is a node of
 * the file tree (in a writable directory: /tmp, /run). Blocking is
 * rt_block(): the services run while a caller waits.
 *
 * May not touch: the tree beyond adding and unlinking its own names.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "rt.h"

#define RING    65536
#define BACKLOG 16

enum
{
    S_NEW,
    S_LISTEN,
    S_CONN,
};

struct sock
{
    int state;
    struct sock *peer;
    bool hup, shut_rd, shut_wr;
    uint8_t *ring;
    size_t head, len;
    struct sock *queue[BACKLOG];
    unsigned int nq, max;
    struct rt_node *node;
};

static const struct rt_fops sock_fops;

static struct sock *sock_new(void)
{
    struct sock *s = kalloc(sizeof(*s));
    if ( s && !(s->ring = rt_pages_alloc(RING)) )
    {
        kfree(s);
        s = NULL;
    }
    return s;
}

static void sock_free(struct sock *s)
{
    if ( s->peer )
    {
        s->peer->peer = NULL;
        s->peer->hup = true;
    }
    for ( unsigned int i = 0; i < s->nq; i++ )
        sock_free(s->queue[i]);
    if ( s->node )
    {
        s->node->sock = NULL;
        rt_node_put(s->node);
    }
    rt_pages_free(s->ring, RING);
    kfree(s);
}

static void sock_release(struct rt_file *f)
{
    sock_free(f->priv);
}

static long install(struct sock *s, int flags, int acc)
{
    struct rt_file *f = rt_file_new(&sock_fops, s, acc | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0));
    int fd;
    if ( !f )
    {
        sock_free(s);
        return -ENOMEM;
    }
    fd = rt_fd_install(f, flags & SOCK_CLOEXEC);
    if ( fd < 0 )
        rt_file_put(f);
    return fd;
}

/* ---- data ---- */

static bool can_read(void *arg)
{
    struct sock *s = arg;
    return s->len || s->hup || s->shut_rd || s->state != S_CONN;
}

static long sock_read(struct rt_file *f, void *buf, size_t n, int64_t *off)
{
    struct sock *s = f->priv;
    uint8_t *out = buf;
    size_t done;
    int rc = rt_block(can_read, s, rt_file_nonblock(f), 0);
    if ( rc )
        return rc;
    if ( s->state != S_CONN )
        return -ENOTCONN;
    for ( done = 0; done < n && s->len; done++, s->len-- )
    {
        out[done] = s->ring[s->head];
        s->head = (s->head + 1) % RING;
    }
    return (long)done;
}

static bool can_write(void *arg)
{
    struct sock *s = arg;
    return !s->peer || s->shut_wr || s->peer->shut_rd || s->peer->len < RING;
}

static long sock_write(struct rt_file *f, const void *buf, size_t n, int64_t *off)
{
    struct sock *s = f->priv, *p;
    const uint8_t *in = buf;
    size_t done;
    int rc = rt_block(can_write, s, rt_file_nonblock(f), 0);
    if ( rc )
        return rc;
    p = s->peer;
    if ( s->state != S_CONN && !s->hup )
        return -ENOTCONN;
    if ( !p || s->shut_wr || p->shut_rd )
        return -EPIPE;
    for ( done = 0; done < n && p->len < RING; done++, p->len++ )
        p->ring[(p->head + p->len) % RING] = in[done];
    return (long)done;
}

static short sock_poll(struct rt_file *f)
{
    struct sock *s = f->priv;
    short ev = 0;
    if ( s->state == S_LISTEN )
        return s->nq ? POLLIN : 0;
    if ( s->len || s->hup )
        ev |= POLLIN;
    if ( s->hup )
        ev |= POLLHUP;
    if ( s->peer && s->peer->len < RING )
        ev |= POLLOUT;
    return ev;
}

static int sock_stat(struct rt_file *f, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = (f->flags & O_ACCMODE) == O_RDWR ? S_IFSOCK | 0777 : S_IFIFO | 0600;
    return 0;
}

static const struct rt_fops sock_fops = {
    .read = sock_read,
    .write = sock_write,
    .poll = sock_poll,
    .release = sock_release,
    .stat = sock_stat,
};

/* ---- names ---- */

static int sun_path(const struct sockaddr *sa, socklen_t len, char *path)
{
    const struct sockaddr_un *un = (const void *)sa;
    size_t n;
    if ( !sa || len <= offsetof(struct sockaddr_un, sun_path) || un->sun_family != AF_UNIX )
        return -EINVAL;
    n = len - offsetof(struct sockaddr_un, sun_path);
    if ( n > sizeof(un->sun_path) )
        n = sizeof(un->sun_path);
    memcpy(path, un->sun_path, n);
    path[n] = 0;
    return path[0] ? 0 : -EINVAL; /* no abstract names */
}

static struct sock *sock_of(int fd, int *err)
{
    struct rt_file *f = rt_fd_get(fd);
    *err = !f ? -EBADF : f->ops != &sock_fops ? -ENOTSOCK : 0;
    return *err ? NULL : f->priv;
}

static long sys_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
    struct rt_node *dir, *n;
    const char *leaf;
    int rc;
    struct sock *s = sock_of(fd, &rc);
    if ( !s )
        return rc;
    if ( (rc = sun_path(sa, len, path)) || (rc = rt_lookup_parent(AT_FDCWD, path, &dir, &leaf)) )
        return rc;
    if ( s->node || s->state != S_NEW )
        return -EINVAL;
    if ( !rt_lookup(AT_FDCWD, path, &n) )
        return -EADDRINUSE;
    if ( !dir->writable )
        return -EROFS;
    if ( !(n = rt_node_add(dir, leaf, RT_SOCK, S_IFSOCK | 0777)) )
        return -ENOSPC;
    n->opens++;
    n->sock = s;
    s->node = n;
    return 0;
}

static long sys_listen(int fd, int backlog)
{
    int rc;
    struct sock *s = sock_of(fd, &rc);
    if ( !s )
        return rc;
    if ( s->state == S_CONN )
        return -EINVAL;
    s->state = S_LISTEN;
    s->max = backlog > 0 && backlog < BACKLOG ? (unsigned int)backlog : BACKLOG;
    return 0;
}

static void pair(struct sock *a, struct sock *b)
{
    a->peer = b;
    b->peer = a;
    a->state = b->state = S_CONN;
}

static bool has_room(void *arg)
{
    struct sock *l = arg;
    return l->state != S_LISTEN || l->nq < l->max;
}

static long sys_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
    struct rt_node *n;
    struct sock *l, *srv;
    int rc;
    struct sock *s = sock_of(fd, &rc);
    if ( !s )
        return rc;
    if ( (rc = sun_path(sa, len, path)) || (rc = rt_lookup(AT_FDCWD, path, &n)) )
        return rc;
    if ( s->state != S_NEW )
        return -EISCONN;
    l = n->type == RT_SOCK ? n->sock : NULL;
    if ( !l || l->state != S_LISTEN )
        return -ECONNREFUSED;
    if ( (rc = rt_block(has_room, l, rt_file_nonblock(rt_fd_get(fd)), 0)) )
        return rc;
    if ( n->sock != l || !(srv = sock_new()) ) /* closed while we waited */
        return n->sock != l ? -ECONNREFUSED : -ENOMEM;
    pair(s, srv);
    l->queue[l->nq++] = srv;
    return 0;
}

static bool has_conn(void *arg)
{
    struct sock *l = arg;
    return l->nq;
}

static long sys_accept4(int fd, int flags)
{
    struct sock *srv;
    int rc;
    struct sock *l = sock_of(fd, &rc);
    if ( !l )
        return rc;
    if ( l->state != S_LISTEN )
        return -EINVAL;
    if ( (rc = rt_block(has_conn, l, rt_file_nonblock(rt_fd_get(fd)), 0)) )
        return rc;
    srv = l->queue[0];
    memmove(l->queue, l->queue + 1, --l->nq * sizeof(l->queue[0]));
    return install(srv, flags, O_RDWR);
}

static long make_pair(int *sv, int flags, bool is_pipe)
{
    struct sock *a = sock_new(), *b = sock_new();
    long fa, fb;
    if ( !a || !b )
    {
        if ( a )
            sock_free(a);
        if ( b )
            sock_free(b);
        return -ENOMEM;
    }
    pair(a, b);
    fa = install(a, flags, is_pipe ? O_RDONLY : O_RDWR);
    if ( fa < 0 )
    {
        sock_free(b);
        return fa;
    }
    fb = install(b, flags, is_pipe ? O_WRONLY : O_RDWR);
    if ( fb < 0 )
    {
        struct rt_file *f = rt_fd_get((int)fa);
        rt_fd_clear((int)fa);
        rt_file_put(f); /* frees a, which lets b go with it below */
        return fb;
    }
    sv[0] = (int)fa;
    sv[1] = (int)fb;
    return 0;
}

static long sys_socket(int domain, int type, int proto)
{
    struct sock *s;
    if ( domain != AF_UNIX )
        return -EAFNOSUPPORT;
    if ( (type & 0xf) != SOCK_STREAM || (proto && proto != PF_UNIX) )
        return -EPROTONOSUPPORT;
    s = sock_new();
    return s ? install(s, type, O_RDWR) : -ENOMEM;
}

/* send/recv: a flag may ask for one non-blocking call. */
static long xfer(int fd, void *buf, size_t n, int flags, bool wr)
{
    struct rt_file *f = rt_fd_get(fd);
    int saved;
    long r;
    if ( !f )
        return -EBADF;
    if ( f->ops != &sock_fops )
        return -ENOTSOCK;
    saved = f->flags;
    if ( flags & MSG_DONTWAIT )
        f->flags |= O_NONBLOCK;
    r = wr ? sock_write(f, buf, n, NULL) : sock_read(f, buf, n, NULL);
    f->flags = saved;
    return r;
}

static long xfer_msg(int fd, struct msghdr *m, int flags, bool wr)
{
    long total = 0;
    for ( int i = 0; i < (int)m->msg_iovlen; i++ )
    {
        long r = xfer(fd, m->msg_iov[i].iov_base, m->msg_iov[i].iov_len, flags, wr);
        if ( r < 0 )
            return total ? total : r;
        total += r;
        if ( (size_t)r < m->msg_iov[i].iov_len )
            break;
        flags |= MSG_DONTWAIT; /* only the first piece waits */
    }
    if ( !wr )
        m->msg_controllen = m->msg_flags = 0;
    return total;
}

static long sys_shutdown(int fd, int how)
{
    int rc;
    struct sock *s = sock_of(fd, &rc);
    if ( !s )
        return rc;
    if ( s->state != S_CONN )
        return -ENOTCONN;
    s->shut_rd |= how == SHUT_RD || how == SHUT_RDWR;
    s->shut_wr |= how == SHUT_WR || how == SHUT_RDWR;
    if ( s->shut_wr && s->peer )
        s->peer->hup = true;
    return 0;
}

static long sys_getname(int fd, struct sockaddr *sa, socklen_t *len)
{
    int rc;
    struct sock *s = sock_of(fd, &rc);
    if ( !s )
        return rc;
    if ( *len >= sizeof(sa_family_t) )
        sa->sa_family = AF_UNIX;
    *len = sizeof(sa_family_t);
    return 0;
}

static long sys_getsockopt(int fd, int level, int opt, void *val, socklen_t *len)
{
    int rc;
    struct sock *s = sock_of(fd, &rc);
    if ( !s )
        return rc;
    if ( level != SOL_SOCKET || *len < sizeof(int) )
        return -ENOPROTOOPT;
    *(int *)val = opt == SO_TYPE ? SOCK_STREAM : opt == SO_RCVBUF || opt == SO_SNDBUF ? RING : 0;
    *len = sizeof(int);
    return 0;
}

long rt_sock_syscall(long nr, const long *a)
{
    int fd = (int)a[0];
    int err;
    switch ( nr )
    {
    case 22: return make_pair((int *)a[0], 0, true);
    case 293: return make_pair((int *)a[0], (int)a[1], true);
    case 41: return sys_socket(fd, (int)a[1], (int)a[2]);
    case 42: return sys_connect(fd, (const struct sockaddr *)a[1], (socklen_t)a[2]);
    case 43: return sys_accept4(fd, 0);
    case 288: return sys_accept4(fd, (int)a[3]);
    case 44: return xfer(fd, (void *)a[1], (size_t)a[2], (int)a[3], true);
    case 45: return xfer(fd, (void *)a[1], (size_t)a[2], (int)a[3], false);
    case 46: return xfer_msg(fd, (struct msghdr *)a[1], (int)a[2], true);
    case 47: return xfer_msg(fd, (struct msghdr *)a[1], (int)a[2], false);
    case 48: return sys_shutdown(fd, (int)a[1]);
    case 49: return sys_bind(fd, (const struct sockaddr *)a[1], (socklen_t)a[2]);
    case 50: return sys_listen(fd, (int)a[1]);
    case 51:
    case 52: return sys_getname(fd, (struct sockaddr *)a[1], (socklen_t *)a[2]);
    case 53:
        if ( fd != AF_UNIX )
            return -EAFNOSUPPORT;
        return make_pair((int *)a[3], (int)a[1], false);
    case 54: return sock_of(fd, &err) ? 0 : err;
    case 55: return sys_getsockopt(fd, (int)a[1], (int)a[2], (void *)a[3], (socklen_t *)a[4]);
    default: return RT_UNHANDLED;
    }
}
