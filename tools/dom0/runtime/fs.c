/*
 * fs.c - dom0's one file tree: the ramdisk (a cpio archive, read in place
 * and read-only) as the root, with RAM-backed writable directories at
 * /tmp and /run, device nodes under /dev and Unix socket names wherever
 * they are bound. Nodes live until unlinked and no longer open.
 *
 * No symlinks, no hard links, no permissions (dom0 is root); the current
 * directory is always "/".
 *
 * May not touch: the descriptor table (vfs.c) or what a device or socket
 * node refers to; it stores the pointer only.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <dirent.h>
#include "cpio.h"
#include "rt.h"

static struct rt_node root = { .name = "/", .type = RT_DIR, .mode = S_IFDIR | 0755, .ino = 1 };
static uint64_t next_ino = 2;

struct rt_node *rt_fs_root(void)
{
    return &root;
}

static struct rt_node *child(struct rt_node *dir, const char *name, size_t len)
{
    if ( len == 1 && name[0] == '.' )
        return dir;
    if ( len == 2 && name[0] == '.' && name[1] == '.' )
        return dir->parent ? dir->parent : dir;
    for ( struct rt_node *c = dir->child; c; c = c->next )
        if ( strlen(c->name) == len && !memcmp(c->name, name, len) )
            return c;
    return NULL;
}

struct rt_node *rt_node_add(struct rt_node *dir, const char *name, enum rt_ntype t, mode_t m)
{
    struct rt_node *n;
    if ( strlen(name) >= sizeof(n->name) || !(n = kalloc(sizeof(*n))) )
        return NULL;
    strcpy(n->name, name);
    n->type = t;
    n->mode = m;
    n->writable = dir->writable;
    n->parent = dir;
    n->next = dir->child;
    n->ino = next_ino++;
    dir->child = n;
    return n;
}

static void node_free(struct rt_node *n)
{
    if ( n->data_owned )
        rt_pages_free(n->data, n->cap);
    kfree(n);
}

void rt_node_detach(struct rt_node *n)
{
    struct rt_node **pp = &n->parent->child;
    while ( *pp != n )
        pp = &(*pp)->next;
    *pp = n->next;
}

void rt_node_attach(struct rt_node *dir, struct rt_node *n)
{
    n->parent = dir;
    n->next = dir->child;
    dir->child = n;
}

void rt_node_remove(struct rt_node *n)
{
    rt_node_detach(n);
    n->unlinked = true;
    if ( !n->opens )
        node_free(n);
}

void rt_node_put(struct rt_node *n)
{
    if ( !--n->opens && n->unlinked )
        node_free(n);
}

static struct rt_node *start_dir(int dirfd, const char *path)
{
    struct rt_file *f;
    if ( path[0] == '/' || dirfd == AT_FDCWD )
        return &root;
    f = rt_fd_get(dirfd);
    return f && f->node && f->node->type == RT_DIR ? f->node : NULL;
}

/* Walk path; stop before the last component if leaf is non-NULL. */
static int walk(int dirfd, const char *path, struct rt_node **out, const char **leaf)
{
    struct rt_node *n = start_dir(dirfd, path);
    const char *p = path;
    if ( !n )
        return -EBADF;
    if ( !*path )
        return -ENOENT;
    for ( ;; )
    {
        size_t len;
        while ( *p == '/' )
            p++;
        len = strcspn(p, "/");
        if ( !len || (leaf && !p[len + strspn(p + len, "/")]) )
            break;
        if ( n->type != RT_DIR )
            return -ENOTDIR;
        if ( !(n = child(n, p, len)) )
            return -ENOENT;
        p += len;
    }
    if ( leaf )
        *leaf = p;
    *out = n;
    return 0;
}

int rt_lookup(int dirfd, const char *path, struct rt_node **out)
{
    return walk(dirfd, path, out, NULL);
}

/* The directory that holds path's last component, and that component
 * (without trailing slashes: the caller copies it with strcspn). */
int rt_lookup_parent(int dirfd, const char *path, struct rt_node **dir, const char **leaf)
{
    int rc = walk(dirfd, path, dir, leaf);
    if ( !rc && (*dir)->type != RT_DIR )
        rc = -ENOTDIR;
    if ( !rc && !**leaf )
        rc = -EEXIST; /* "/" itself */
    return rc;
}

void rt_node_stat(const struct rt_node *n, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_ino = n->ino;
    st->st_mode = n->mode;
    st->st_nlink = 1;
    st->st_size = (off_t)n->size;
    st->st_blksize = RT_PAGE;
    st->st_blocks = (blkcnt_t)((n->size + 511) / 512);
    st->st_dev = 1;
    if ( n->type == RT_DEV )
        st->st_rdev = n->ino;
}

/* ---- the ramdisk ---- */

static struct rt_node *mkdirs(const char *path, bool writable)
{
    struct rt_node *n = &root;
    char part[64];
    for ( const char *p = path; *p; )
    {
        size_t len = strcspn(p, "/");
        struct rt_node *c;
        if ( len && len < sizeof(part) )
        {
            memcpy(part, p, len);
            part[len] = 0;
            c = child(n, part, len);
            if ( !c )
                c = rt_node_add(n, part, RT_DIR, S_IFDIR | 0755);
            if ( !c )
                return NULL;
            n = c;
        }
        p += len + (p[len] == '/');
    }
    if ( writable )
        n->writable = true;
    return n;
}

static int load_entry(void *ctx, const struct cpio_entry *e)
{
    char dir[256];
    const char *slash = strrchr(e->name, '/'), *leaf = slash ? slash + 1 : e->name;
    size_t dlen = slash ? (size_t)(slash - e->name) : 0;
    struct rt_node *d, *n;
    if ( dlen >= sizeof(dir) || !strcmp(e->name, ".") )
        return 0;
    memcpy(dir, e->name, dlen);
    dir[dlen] = 0;
    if ( S_ISDIR(e->mode) )
        return mkdirs(e->name, false) ? 0 : -ENOMEM;
    if ( !S_ISREG(e->mode) )
        return 0; /* no symlinks or device nodes from the archive */
    d = mkdirs(dir, false);
    n = d && !child(d, leaf, strlen(leaf)) ? rt_node_add(d, leaf, RT_REG, e->mode) : NULL;
    if ( n )
    {
        n->data = (uint8_t *)e->data;
        n->size = n->cap = e->size;
    }
    return 0;
}

void rt_fs_init(const void *cpio, size_t len)
{
    if ( cpio && cpio_walk(cpio, len, load_entry, NULL) )
        rt_printf("dom0: the ramdisk is not a whole cpio newc archive; using what was read\n");
    mkdirs("tmp", true);
    mkdirs("run", true);
    mkdirs("dev/xen", false);
}

void rt_dev_add(const char *path, const struct rt_fops *ops)
{
    const char *slash = strrchr(path, '/');
    char dir[64];
    struct rt_node *d, *n;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = 0;
    d = mkdirs(dir, false);
    n = d ? rt_node_add(d, slash + 1, RT_DEV, S_IFCHR | 0666) : NULL;
    if ( n )
        n->dev = ops;
}
