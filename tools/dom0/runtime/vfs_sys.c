/*
 * vfs_sys.c - the Linux system calls on descriptors and paths: each one
 * checks its arguments, then hands the work to the file's operations
 * (vfs.c) or the tree (fs.c).
 *
 * May not touch: a file's private state; only its position and flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include "rt.h"

#define NR_FDS 256

static long do_read(int fd, void *buf, size_t n, int64_t *off)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f )
        return -EBADF;
    if ( (f->flags & O_ACCMODE) == O_WRONLY )
        return -EBADF;
    if ( !f->ops->read )
        return f->ops->getdents ? -EISDIR : -EINVAL;
    return f->ops->read(f, buf, n, off ? off : &f->pos);
}

static long do_write(int fd, const void *buf, size_t n, int64_t *off)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f || (f->flags & O_ACCMODE) == O_RDONLY )
        return -EBADF;
    if ( !f->ops->write )
        return -EINVAL;
    return f->ops->write(f, buf, n, off ? off : &f->pos);
}

/* readv/writev: one call per piece until a short one (as a pipe would). */
static long do_vec(int fd, const struct iovec *iov, int cnt, bool wr)
{
    long total = 0;
    if ( cnt < 0 || cnt > 1024 )
        return -EINVAL;
    for ( int i = 0; i < cnt; i++ )
    {
        long r;
        if ( !iov[i].iov_len )
            continue;
        r = wr ? do_write(fd, iov[i].iov_base, iov[i].iov_len, NULL)
               : do_read(fd, iov[i].iov_base, iov[i].iov_len, NULL);
        if ( r < 0 )
            return total ? total : r;
        total += r;
        if ( (size_t)r < iov[i].iov_len )
            break;
    }
    return total;
}

static long sys_close(int fd)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f )
        return -EBADF;
    rt_fd_clear(fd);
    rt_file_put(f);
    return 0;
}

static long sys_lseek(int fd, int64_t off, int whence)
{
    struct rt_file *f = rt_fd_get(fd);
    int64_t base;
    if ( !f )
        return -EBADF;
    if ( !f->node || (f->node->type != RT_REG && f->node->type != RT_DIR) )
        return -ESPIPE;
    base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : (int64_t)f->node->size;
    if ( whence > SEEK_END || base + off < 0 )
        return -EINVAL;
    f->pos = base + off;
    return f->pos;
}

static long sys_fstat(int fd, struct stat *st)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f )
        return -EBADF;
    if ( f->ops->stat )
        return f->ops->stat(f, st);
    if ( !f->node )
        return -EINVAL;
    rt_node_stat(f->node, st);
    return 0;
}

static long sys_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    struct rt_node *n;
    int rc;
    if ( (flags & AT_EMPTY_PATH) && !*path )
        return sys_fstat(dirfd, st);
    rc = rt_lookup(dirfd, path, &n);
    if ( !rc )
        rt_node_stat(n, st);
    return rc;
}

static long sys_getdents(int fd, void *buf, size_t n)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f )
        return -EBADF;
    return f->ops->getdents ? f->ops->getdents(f, buf, n) : -ENOTDIR;
}

static long sys_mkdirat(int dirfd, const char *path, mode_t mode)
{
    struct rt_node *dir, *n;
    const char *leaf;
    char name[64];
    size_t len;
    int rc = rt_lookup_parent(dirfd, path, &dir, &leaf);
    if ( rc )
        return rc;
    len = strcspn(leaf, "/");
    if ( len >= sizeof(name) )
        return -ENAMETOOLONG;
    memcpy(name, leaf, len);
    name[len] = 0;
    if ( !rt_lookup(dirfd, path, &n) )
        return -EEXIST;
    if ( !dir->writable )
        return -EROFS;
    return rt_node_add(dir, name, RT_DIR, S_IFDIR | (mode & 0777)) ? 0 : -ENOSPC;
}

static long sys_unlinkat(int dirfd, const char *path, int flags)
{
    struct rt_node *n;
    int rc = rt_lookup(dirfd, path, &n);
    if ( rc )
        return rc;
    if ( !n->parent || !n->parent->writable )
        return n->parent ? -EROFS : -EBUSY;
    if ( (flags & AT_REMOVEDIR) && n->type != RT_DIR )
        return -ENOTDIR;
    if ( !(flags & AT_REMOVEDIR) && n->type == RT_DIR )
        return -EISDIR;
    if ( n->type == RT_DIR && n->child )
        return -ENOTEMPTY;
    rt_node_remove(n);
    return 0;
}

static long sys_renameat(int ofd, const char *from, int nfd, const char *to)
{
    struct rt_node *n, *dir, *old;
    const char *leaf;
    size_t len;
    int rc = rt_lookup(ofd, from, &n);
    if ( !rc )
        rc = rt_lookup_parent(nfd, to, &dir, &leaf);
    if ( rc )
        return rc;
    len = strcspn(leaf, "/");
    if ( len >= sizeof(n->name) )
        return -ENAMETOOLONG;
    if ( !n->parent || !n->parent->writable || !dir->writable )
        return -EROFS;
    if ( !rt_lookup(nfd, to, &old) && old != n )
    {
        if ( old->type == RT_DIR )
            return -EISDIR;
        rt_node_remove(old);
    }
    rt_node_detach(n);
    memcpy(n->name, leaf, len);
    n->name[len] = 0;
    rt_node_attach(dir, n);
    return 0;
}

static long sys_ftruncate(int fd, int64_t len)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f )
        return -EBADF;
    if ( !f->node || f->node->type != RT_REG || len < 0 )
        return -EINVAL;
    if ( !f->node->writable )
        return -EROFS;
    if ( (size_t)len <= f->node->size )
    {
        f->node->size = (size_t)len;
        return 0;
    }
    return rt_fd_get(fd)->ops->write(f, "", 0, &(int64_t){ len }) < 0 ? -ENOSPC : 0;
}

static long sys_dup3(int old, int new, int flags)
{
    struct rt_file *f = rt_fd_get(old), *g;
    if ( !f || new < 0 || new >= NR_FDS )
        return -EBADF;
    if ( old == new )
        return -EINVAL;
    g = rt_fd_get(new);
    if ( g )
    {
        rt_fd_clear(new);
        rt_file_put(g);
    }
    f->refs++;
    return rt_fd_install_at(f, new, flags & O_CLOEXEC);
}

static long dup_from(int fd, int min, bool cx)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f )
        return -EBADF;
    for ( int n = min < 0 ? 0 : min; n < NR_FDS; n++ )
        if ( !rt_fd_get(n) )
        {
            f->refs++;
            return rt_fd_install_at(f, n, cx);
        }
    return -EMFILE;
}

static long sys_fcntl(int fd, int cmd, long arg)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f )
        return -EBADF;
    switch ( cmd )
    {
    case F_GETFD: return rt_fd_cloexec(fd, -1) ? FD_CLOEXEC : 0;
    case F_SETFD: rt_fd_cloexec(fd, arg & FD_CLOEXEC); return 0;
    case F_GETFL: return f->flags;
    case F_SETFL:
        f->flags = (f->flags & ~(O_NONBLOCK | O_APPEND)) | (int)(arg & (O_NONBLOCK | O_APPEND));
        return 0;
    case F_DUPFD: return dup_from(fd, (int)arg, false);
    case F_DUPFD_CLOEXEC: return dup_from(fd, (int)arg, true);
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW: return 0; /* one process: no one to lock out */
    default: return -EINVAL;
    }
}

static long sys_ioctl(int fd, unsigned long req, unsigned long arg)
{
    struct rt_file *f = rt_fd_get(fd);
    if ( !f )
        return -EBADF;
    if ( req == FIONBIO )
    {
        f->flags = *(int *)arg ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
        return 0;
    }
    return f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
}

static long sys_getcwd(char *buf, size_t n)
{
    if ( n < 2 )
        return -ERANGE;
    strcpy(buf, "/");
    return 2;
}

static long sys_faccessat(int dirfd, const char *path)
{
    struct rt_node *n;
    return rt_lookup(dirfd, path, &n);
}

static long sys_chdir(const char *path)
{
    struct rt_node *n;
    int rc = rt_lookup(AT_FDCWD, path, &n);
    if ( rc )
        return rc;
    return n == rt_fs_root() ? 0 : -ENOSYS; /* the cwd is always "/" */
}

static long path_call(long nr, const long *a)
{
    const char *p0 = (const char *)a[0];
    switch ( nr )
    {
    case 2: return rt_fs_open(AT_FDCWD, p0, (int)a[1], (mode_t)a[2]);
    case 4:
    case 6: return sys_fstatat(AT_FDCWD, p0, (struct stat *)a[1], 0);
    case 21: return sys_faccessat(AT_FDCWD, p0);
    case 80: return sys_chdir(p0);
    case 82: return sys_renameat(AT_FDCWD, p0, AT_FDCWD, (const char *)a[1]);
    case 83: return sys_mkdirat(AT_FDCWD, p0, (mode_t)a[1]);
    case 84: return sys_unlinkat(AT_FDCWD, p0, AT_REMOVEDIR);
    case 87: return sys_unlinkat(AT_FDCWD, p0, 0);
    case 89: return -EINVAL; /* readlink: there are no links */
    default: return RT_UNHANDLED;
    }
}

static long at_call(long nr, const long *a)
{
    int dfd = (int)a[0];
    const char *p1 = (const char *)a[1];
    switch ( nr )
    {
    case 257: return rt_fs_open(dfd, p1, (int)a[2], (mode_t)a[3]);
    case 258: return sys_mkdirat(dfd, p1, (mode_t)a[2]);
    case 262: return sys_fstatat(dfd, p1, (struct stat *)a[2], (int)a[3]);
    case 263: return sys_unlinkat(dfd, p1, (int)a[2]);
    case 264:
    case 316: return sys_renameat(dfd, p1, (int)a[2], (const char *)a[3]);
    case 267: return -EINVAL;
    case 269:
    case 439: return sys_faccessat(dfd, p1);
    default: return path_call(nr, a);
    }
}

long rt_sys_file(long nr, const long *a)
{
    int fd = (int)a[0];
    switch ( nr )
    {
    case 0: return do_read(fd, (void *)a[1], (size_t)a[2], NULL);
    case 1: return do_write(fd, (const void *)a[1], (size_t)a[2], NULL);
    case 3: return sys_close(fd);
    case 5: return sys_fstat(fd, (struct stat *)a[1]);
    case 8: return sys_lseek(fd, a[1], (int)a[2]);
    case 16: return sys_ioctl(fd, (unsigned long)a[1], (unsigned long)a[2]);
    case 17: return do_read(fd, (void *)a[1], (size_t)a[2], &(int64_t){ a[3] });
    case 18: return do_write(fd, (const void *)a[1], (size_t)a[2], &(int64_t){ a[3] });
    case 19: return do_vec(fd, (const struct iovec *)a[1], (int)a[2], false);
    case 20: return do_vec(fd, (const struct iovec *)a[1], (int)a[2], true);
    case 32: return dup_from(fd, 0, false);
    case 33: return fd == (int)a[1] ? (rt_fd_get(fd) ? fd : -EBADF) : sys_dup3(fd, (int)a[1], 0);
    case 72: return sys_fcntl(fd, (int)a[1], a[2]);
    case 74:
    case 75: return rt_fd_get(fd) ? 0 : -EBADF; /* fsync: RAM is the disk */
    case 77: return sys_ftruncate(fd, a[1]);
    case 79: return sys_getcwd((char *)a[0], (size_t)a[1]);
    case 95: return 022; /* umask */
    case 217: return sys_getdents(fd, (void *)a[1], (size_t)a[2]);
    case 292: return sys_dup3(fd, (int)a[1], (int)a[2]);
    default: return at_call(nr, a);
    }
}
