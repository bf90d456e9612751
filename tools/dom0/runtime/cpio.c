/*
 * cpio.c - walk a cpio "newc" archive: 110-byte ASCII headers ("070701",
 * then 13 eight-digit hex fields), the name, the data, each padded to
 * four bytes; the entry named "TRAILER!!!" ends it.
 *
 * May not touch: anything but the archive (read-only) and the callback.
 */
#include <string.h>
#include "cpio.h"

#define HDR_LEN   110
#define F_MODE    1
#define F_SIZE    6
#define F_NAMELEN 11

static int hexfield(const char *hdr, unsigned int i, uint32_t *out)
{
    uint32_t v = 0;
    for ( const char *p = hdr + 6 + i * 8; p < hdr + 14 + i * 8; p++ )
    {
        int d = *p >= '0' && *p <= '9'   ? *p - '0'
                : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
                : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
                                         : -1;
        if ( d < 0 )
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

static size_t pad4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

/* Parse the entry at off; set *next to the following one. */
static int parse(const char *buf, size_t len, size_t off, struct cpio_entry *e, size_t *next)
{
    const char *h = buf + off;
    uint32_t namelen, size;
    size_t data;
    if ( len - off < HDR_LEN || memcmp(h, "070701", 6) || hexfield(h, F_MODE, &e->mode) ||
         hexfield(h, F_SIZE, &size) || hexfield(h, F_NAMELEN, &namelen) )
        return -1;
    if ( !namelen || namelen > len - off - HDR_LEN || h[HDR_LEN + namelen - 1] )
        return -1;
    data = pad4(off + HDR_LEN + namelen);
    if ( data > len || size > len - data )
        return -1;
    e->name = h + HDR_LEN;
    e->data = buf + data;
    e->size = size;
    *next = pad4(data + size);
    return 0;
}

int cpio_walk(const void *buf, size_t len, int (*fn)(void *ctx, const struct cpio_entry *e),
              void *ctx)
{
    size_t off = 0, next;
    struct cpio_entry e;
    while ( off < len )
    {
        int rc;
        if ( parse(buf, len, off, &e, &next) )
            return -1;
        if ( !strcmp(e.name, "TRAILER!!!") )
            return 0;
        rc = fn(ctx, &e);
        if ( rc )
            return rc;
        off = next;
    }
    return -1; /* no trailer */
}
