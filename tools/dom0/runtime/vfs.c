/*
 * vfs.c - file descriptors and the file system calls: the descriptor
 * table, regular files and directories of the tree (fs.c), and the
 * calls that take a descriptor or a path and hand the work to the file's
 * operations (devices, sockets and pipes bring their own).
 *
 * May not touch: what a device or socket keeps in f->priv.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <dirent.h>
#include <sys/uio.h>
#include "rt.h"

#define NR_FDS 256

static struct rt_file *fds[NR_FDS];
static bool cloexec[NR_FDS];

struct rt_file *rt_file_new(const struct rt_fops *ops, void *priv, int flags)
{
    struct rt_file *f = kalloc(sizeof(*f));
    if ( f )
        *f = (struct rt_file){ .ops = ops, .priv = priv, .flags = flags, .refs = 1 };
    return f;
}

int rt_fd_install(struct rt_file *f, int cx)
{
    for ( int fd = 0; fd < NR_FDS; fd++ )
        if ( !fds[fd] )
        {
            fds[fd] = f;
            cloexec[fd] = cx;
            return fd;
        }
    return -EMFILE;
}

struct rt_file *rt_fd_get(int fd)
{
    return fd >= 0 && fd < NR_FDS ? fds[fd] : NULL;
}

void rt_file_put(struct rt_file *f)
{
    if ( --f->refs )
        return;
    if ( f->ops->release )
        f->ops->release(f);
    if ( f->node )
        rt_node_put(f->node);
    kfree(f);
}

bool rt_file_nonblock(const struct rt_file *f)
{
    return f->flags & O_NONBLOCK;
}

/* ---- regular files and directories ---- */

static long reg_read(struct rt_file *f, void *buf, size_t n, int64_t *off)
{
    struct rt_node *nd = f->node;
    if ( (size_t)*off >= nd->size )
        return 0;
    if ( n > nd->size - (size_t)*off )
        n = nd->size - (size_t)*off;
    memcpy(buf, nd->data + *off, n);
    *off += (int64_t)n;
    return (long)n;
}

static int reg_reserve(struct rt_node *nd, size_t size)
{
    size_t cap = nd->cap ? nd->cap : RT_PAGE;
    uint8_t *p;
    if ( size <= nd->cap && nd->data_owned )
        return 0;
    while ( cap < size )
        cap *= 2;
    if ( !(p = rt_pages_alloc(cap)) )
        return -ENOSPC;
    memcpy(p, nd->data, nd->size);
    if ( nd->data_owned )
        rt_pages_free(nd->data, nd->cap);
    nd->data = p;
    nd->cap = cap;
    nd->data_owned = true;
    return 0;
}

static int reg_resize(struct rt_node *nd, size_t size)
{
    int rc = reg_reserve(nd, size);
    if ( rc )
        return rc;
    if ( size > nd->size )
        memset(nd->data + nd->size, 0, size - nd->size);
    nd->size = size;
    return 0;
}

static long reg_write(struct rt_file *f, const void *buf, size_t n, int64_t *off)
{
    struct rt_node *nd = f->node;
    int rc;
    if ( f->flags & O_APPEND )
        *off = (int64_t)nd->size;
    if ( (size_t)*off + n > nd->size && (rc = reg_resize(nd, (size_t)*off + n)) )
        return rc;
    memcpy(nd->data + *off, buf, n);
    *off += (int64_t)n;
    return (long)n;
}

static long dir_getdents(struct rt_file *f, void *buf, size_t n)
{
    struct rt_node *c = f->node->child;
    size_t used = 0;
    for ( int64_t i = 0; c && i < f->pos; i++ )
        c = c->next;
    for ( ; c; c = c->next, f->pos++ )
    {
        struct dirent *d = (struct dirent *)((char *)buf + used);
        size_t len = strlen(c->name), rec = (offsetof(struct dirent, d_name) + len + 8) & ~7UL;
        if ( used + rec > n )
            break;
        d->d_ino = c->ino;
        d->d_off = f->pos + 1;
        d->d_reclen = (unsigned short)rec;
        d->d_type = c->type == RT_DIR   ? DT_DIR
                    : c->type == RT_REG ? DT_REG
                    : c->type == RT_DEV ? DT_CHR
                                        : DT_SOCK;
        memcpy(d->d_name, c->name, len + 1);
        used += rec;
    }
    return used || !c ? (long)used : -EINVAL;
}

static const struct rt_fops reg_fops = { .read = reg_read, .write = reg_write };
static const struct rt_fops dir_fops = { .getdents = dir_getdents };

/* ---- open ---- */

static int open_check(struct rt_node *n, int flags)
{
    int acc = flags & O_ACCMODE;
    if ( (flags & O_DIRECTORY) && n->type != RT_DIR )
        return -ENOTDIR;
    if ( n->type == RT_DIR && acc != O_RDONLY )
        return -EISDIR;
    if ( n->type == RT_SOCK )
        return -ENXIO;
    if ( n->type == RT_REG && acc != O_RDONLY && !n->writable )
        return -EROFS;
    return 0;
}

static int open_create(int dirfd, const char *path, int flags, mode_t mode, struct rt_node **out)
{
    struct rt_node *dir;
    const char *leaf;
    char name[64];
    size_t len;
    int rc = rt_lookup_parent(dirfd, path, &dir, &leaf);
    if ( rc )
        return rc;
    len = strcspn(leaf, "/");
    if ( len >= sizeof(name) )
        return -ENAMETOOLONG;
    if ( !dir->writable )
        return -EROFS;
    memcpy(name, leaf, len);
    name[len] = 0;
    *out = rt_node_add(dir, name, RT_REG, S_IFREG | (mode & 0777));
    return *out ? 0 : -ENOSPC;
}

static long open_node(struct rt_node *n, int flags)
{
    const struct rt_fops *ops = n->type == RT_DIR   ? &dir_fops
                                : n->type == RT_DEV ? n->dev
                                                    : &reg_fops;
    struct rt_file *f = rt_file_new(ops, NULL, flags & ~O_CLOEXEC);
    int rc, fd;
    if ( !f )
        return -ENOMEM;
    f->node = n;
    n->opens++;
    if ( ops->open && (rc = ops->open(f)) )
    {
        rt_file_put(f);
        return rc;
    }
    if ( (flags & O_TRUNC) && n->type == RT_REG && n->writable )
        n->size = 0;
    fd = rt_fd_install(f, flags & O_CLOEXEC);
    if ( fd < 0 )
        rt_file_put(f);
    return fd;
}

long rt_fs_open(int dirfd, const char *path, int flags, mode_t mode)
{
    struct rt_node *n;
    int rc = rt_lookup(dirfd, path, &n);
    if ( !rc && (flags & O_CREAT) && (flags & O_EXCL) )
        return -EEXIST;
    if ( rc == -ENOENT && (flags & O_CREAT) )
        rc = open_create(dirfd, path, flags, mode, &n);
    if ( !rc )
        rc = open_check(n, flags);
    return rc ? rc : open_node(n, flags);
}

void rt_fd_clear(int fd)
{
    fds[fd] = NULL;
}

bool rt_fd_cloexec(int fd, int set)
{
    if ( set >= 0 )
        cloexec[fd] = set;
    return cloexec[fd];
}

int rt_fd_install_at(struct rt_file *f, int fd, int cx)
{
    fds[fd] = f;
    cloexec[fd] = cx;
    return fd;
}
