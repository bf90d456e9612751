/*
 * fdt_write.c - writes a flattened device tree (the Devicetree
 * Specification's format, version 17, last compatible 16): a 40-byte
 * header, an empty memory reservation block, the structure block built
 * token by token in the caller's buffer and the strings block copied
 * after it by fdtw_finish. Every value is big-endian. A write that does
 * not fit sets `overflow` and is dropped, so the caller checks once at
 * the end.
 *
 * May not touch: anything but the writer and its buffer.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <asm/fdt_write.h>

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE   2U
#define FDT_PROP       3U
#define FDT_END        9U
#define FDT_HDR_SIZE   40U
#define FDT_RSV_SIZE   16U /* one terminating (0, 0) entry */
#define FDT_STRUCT_OFF (FDT_HDR_SIZE + FDT_RSV_SIZE)

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Append len bytes (NULL: zeros) and pad to 4 bytes. */
static void emit(struct fdt_writer *w, const void *data, size_t len)
{
    size_t padded = (len + 3) & ~(size_t)3;
    if ( w->overflow || padded > w->cap - w->at )
    {
        w->overflow = true;
        return;
    }
    memset(w->buf + w->at, 0, padded);
    if ( data )
        memcpy(w->buf + w->at, data, len);
    w->at += padded;
}

static void emit_u32(struct fdt_writer *w, uint32_t v)
{
    uint8_t b[4];
    put_be32(b, v);
    emit(w, b, sizeof(b));
}

/* The offset of name in the strings block, added if new. */
static uint32_t string_offset(struct fdt_writer *w, const char *name)
{
    size_t len = strlen(name) + 1;
    for ( size_t off = 0; off < w->strings_len; off += strlen(w->strings + off) + 1 )
        if ( !strcmp(w->strings + off, name) )
            return (uint32_t)off;
    if ( len > sizeof(w->strings) - w->strings_len )
    {
        w->overflow = true;
        return 0;
    }
    memcpy(w->strings + w->strings_len, name, len);
    w->strings_len += len;
    return (uint32_t)(w->strings_len - len);
}

void fdtw_init(struct fdt_writer *w, void *buf, size_t cap)
{
    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->cap = cap;
    w->at = FDT_STRUCT_OFF;
    w->overflow = cap < FDT_STRUCT_OFF;
}

void fdtw_begin_node(struct fdt_writer *w, const char *name)
{
    emit_u32(w, FDT_BEGIN_NODE);
    emit(w, name, strlen(name) + 1);
    w->depth++;
}

void fdtw_end_node(struct fdt_writer *w)
{
    emit_u32(w, FDT_END_NODE);
    if ( w->depth )
        w->depth--;
}

void fdtw_prop(struct fdt_writer *w, const char *name, const void *val, size_t len)
{
    uint32_t nameoff = string_offset(w, name);
    emit_u32(w, FDT_PROP);
    emit_u32(w, (uint32_t)len);
    emit_u32(w, nameoff);
    emit(w, val, len);
}

void fdtw_prop_str(struct fdt_writer *w, const char *name, const char *s)
{
    fdtw_prop(w, name, s, strlen(s) + 1);
}

void fdtw_prop_strs(struct fdt_writer *w, const char *name, const char *s, size_t len)
{
    fdtw_prop(w, name, s, len);
}

void fdtw_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, unsigned int n)
{
    uint8_t b[16 * 4];
    if ( n > 16 )
    {
        w->overflow = true;
        return;
    }
    for ( unsigned int i = 0; i < n; i++ )
        put_be32(b + 4 * i, cells[i]);
    fdtw_prop(w, name, b, 4 * n);
}

void fdtw_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
    fdtw_prop_cells(w, name, &v, 1);
}

void fdtw_prop_u64(struct fdt_writer *w, const char *name, uint64_t v)
{
    uint32_t c[2] = { (uint32_t)(v >> 32), (uint32_t)v };
    fdtw_prop_cells(w, name, c, 2);
}

long fdtw_finish(struct fdt_writer *w)
{
    size_t struct_size, strings_off, total;
    uint8_t *h = w->buf;
    if ( w->depth )
        return -EINVAL;
    emit_u32(w, FDT_END);
    if ( w->overflow || w->strings_len > w->cap - w->at )
        return -ENOSPC;
    struct_size = w->at - FDT_STRUCT_OFF;
    strings_off = w->at;
    memcpy(w->buf + strings_off, w->strings, w->strings_len);
    total = strings_off + w->strings_len;
    memset(h, 0, FDT_STRUCT_OFF); /* header fields not set below, and the reservation block */
    put_be32(h + 0, FDT_MAGIC);
    put_be32(h + 4, (uint32_t)total);
    put_be32(h + 8, FDT_STRUCT_OFF);            /* off_dt_struct */
    put_be32(h + 12, (uint32_t)strings_off);    /* off_dt_strings */
    put_be32(h + 16, FDT_HDR_SIZE);             /* off_mem_rsvmap */
    put_be32(h + 20, 17);                       /* version */
    put_be32(h + 24, 16);                       /* last_comp_version */
    put_be32(h + 28, 0);                        /* boot_cpuid_phys */
    put_be32(h + 32, (uint32_t)w->strings_len); /* size_dt_strings */
    put_be32(h + 36, (uint32_t)struct_size);    /* size_dt_struct */
    return (long)total;
}
