/* SPDX-License-Identifier: MIT */
/*
 * dtable.c - the table device of dtable.h: register block, the guard on
 * every write to the table, the doorbell's walk.
 *
 * May not touch: guest RAM outside the table it was given (and the
 * frames PEEK names, read only); RAM only through the mapcache, so an
 * invalidation is all it takes to stop using a replaced frame.
 */
#include <errno.h>
#include <string.h>

#include "dtable.h"

#define DT_PAGE 4096ULL

void dtable_init(struct dtable *dt, struct mapcache *mc, uint64_t ram_start, uint64_t ram_end,
                 const struct dtable_ops *ops, void *opaque)
{
    memset(dt, 0, sizeof(*dt));
    dt->mc = mc;
    dt->ram_start = ram_start;
    dt->ram_end = ram_end;
    dt->ops = ops;
    dt->opaque = opaque;
}

static bool dt_gfn_is_ram(const struct dtable *dt, uint64_t gfn)
{
    return gfn >= dt->ram_start / DT_PAGE && gfn < dt->ram_end / DT_PAGE;
}

static uint64_t dt_pages(const struct dtable *dt)
{
    return (dt->count * DTABLE_DESC_SIZE + DT_PAGE - 1) / DT_PAGE;
}

/* The whole pages: the type is per page, so every write to them comes. */
bool dtable_table_range(const struct dtable *dt, uint64_t *start, uint64_t *end)
{
    if ( !dt->enabled )
        return false;
    *start = dt->gfn * DT_PAGE;
    *end = *start + dt_pages(dt) * DT_PAGE - 1;
    return true;
}

uint64_t dtable_checksum(const uint64_t *words, unsigned int n)
{
    uint64_t c = 0xcbf29ce484222325ULL;
    unsigned int i;

    for ( i = 0; i < n; i++ )
        c = (c ^ words[i]) * 0x100000001b3ULL;
    return c;
}

/* The table must fit in RAM; then the pages become ioreq_server. */
static int dt_enable(struct dtable *dt)
{
    uint64_t ram_pages = dt->ram_end / DT_PAGE;
    int rc;

    if ( !dt->count || dt->count > DTABLE_MAX_DESC || !dt_gfn_is_ram(dt, dt->gfn) ||
         dt_pages(dt) > ram_pages - dt->gfn )
        return EINVAL;
    rc = dt->ops->protect(dt->opaque, dt->gfn, (uint32_t)dt_pages(dt), true);
    if ( rc )
        return rc;
    dt->enabled = true;
    return 0;
}

static int dt_disable(struct dtable *dt)
{
    if ( !dt->enabled )
        return 0;
    dt->enabled = false;
    return dt->ops->protect(dt->opaque, dt->gfn, (uint32_t)dt_pages(dt), false);
}

static int dt_doorbell(struct dtable *dt)
{
    uint64_t words[2 * 32], c = 0xcbf29ce484222325ULL;
    unsigned int i, n, done;

    if ( !dt->enabled )
        return EINVAL;
    for ( done = 0; done < 2 * dt->count; done += n )
    {
        n = 2 * dt->count - done < 64 ? 2 * dt->count - done : 64;
        if ( mapcache_read(dt->mc, dt->gfn * DT_PAGE + done * 8ULL, words, n * 8) )
            return EFAULT;
        for ( i = 0; i < n; i++ )
            c = (c ^ words[i]) * 0x100000001b3ULL;
    }
    dt->checksum = c;
    return 0;
}

static void dt_peek(struct dtable *dt, uint64_t gfn)
{
    if ( !dt_gfn_is_ram(dt, gfn) || mapcache_read(dt->mc, gfn * DT_PAGE, &dt->peek, 8) )
        dt->peek = ~0ULL;
}

/* A register's 64-bit value. */
static uint64_t dt_reg(const struct dtable *dt, uint64_t reg)
{
    switch ( reg )
    {
    case DTABLE_REG_ID: return DTABLE_ID;
    case DTABLE_REG_GFN: return dt->gfn;
    case DTABLE_REG_COUNT: return dt->count;
    case DTABLE_REG_CTRL: return dt->enabled;
    case DTABLE_REG_CHECKSUM: return dt->checksum;
    case DTABLE_REG_SEEN: return dt->seen;
    case DTABLE_REG_REJECTED: return dt->rejected;
    case DTABLE_REG_APPLIED: return dt->applied;
    case DTABLE_REG_STATUS: return dt->status;
    case DTABLE_REG_PEEK: return dt->peek;
    default: return 0;
    }
}

static bool dt_access_ok(uint64_t off, unsigned int size)
{
    return (size == 4 || size == 8) && !(off & (size - 1)) && off < DTABLE_MMIO_SIZE;
}

uint64_t dtable_reg_read(struct dtable *dt, uint64_t off, unsigned int size)
{
    uint64_t v;

    if ( !dt_access_ok(off, size) )
        return ~0ULL;
    v = dt_reg(dt, off & ~7ULL);
    if ( size == 4 )
        v = (uint32_t)(v >> ((off & 4) * 8));
    return v;
}

/* A full 64-bit register write (a 4-byte write is merged first). */
static void dt_set(struct dtable *dt, uint64_t reg, uint64_t val)
{
    int rc = 0;

    switch ( reg )
    {
    case DTABLE_REG_GFN:
    case DTABLE_REG_COUNT:
        if ( dt->enabled )
            rc = EBUSY;
        else if ( reg == DTABLE_REG_GFN )
            dt->gfn = val;
        else
            dt->count = val;
        break;
    case DTABLE_REG_CTRL:
        rc = (val & 1) ? (dt->enabled ? 0 : dt_enable(dt)) : dt_disable(dt);
        break;
    case DTABLE_REG_DOORBELL: rc = dt_doorbell(dt); break;
    case DTABLE_REG_PEEK_GFN: dt_peek(dt, val); break;
    default: rc = EPERM; break;
    }
    dt->status = (uint64_t)rc;
}

void dtable_reg_write(struct dtable *dt, uint64_t off, unsigned int size, uint64_t val)
{
    uint64_t reg = off & ~7ULL, shift = (off & 4) * 8;

    if ( !dt_access_ok(off, size) )
    {
        dt->status = EINVAL;
        return;
    }
    if ( size == 4 )
        val = (dt_reg(dt, reg) & ~(0xffffffffULL << shift)) | ((val & 0xffffffffULL) << shift);
    dt_set(dt, reg, val);
}

/* Whether the descriptor d may stand in the table. */
static bool dt_legal(const struct dtable *dt, const struct dtable_desc *d)
{
    uint64_t tstart = dt->gfn * DT_PAGE, tend = tstart + dt->count * DTABLE_DESC_SIZE;

    if ( d->flags & ~(DTABLE_F_VALID | DTABLE_F_WRITE) )
        return false;
    if ( !(d->flags & DTABLE_F_VALID) )
        return true;
    if ( !d->len || d->len > DTABLE_MAX_LEN || d->addr < dt->ram_start || d->addr >= dt->ram_end ||
         d->len > dt->ram_end - d->addr )
        return false;
    return d->addr + d->len <= tstart || d->addr >= tend;
}

/* A write to the table's pages past its last descriptor: plain RAM. */
static void dt_passthrough(struct dtable *dt, uint64_t gpa, unsigned int size, uint64_t val)
{
    if ( !mapcache_write(dt->mc, gpa, &val, size) && dt->ops->modified )
        dt->ops->modified(dt->opaque, gpa / DT_PAGE);
    dt->passed++;
}

void dtable_table_write(struct dtable *dt, uint64_t gpa, unsigned int size, uint64_t val)
{
    uint64_t start, end, off;
    struct dtable_desc d;
    uint8_t *bytes = (uint8_t *)&d;

    if ( !dtable_table_range(dt, &start, &end) || gpa < start || gpa > end ||
         end - gpa < size - 1 || (size != 1 && size != 2 && size != 4 && size != 8) )
    {
        dt->seen++;
        goto reject;
    }
    off = gpa - start;
    if ( off >= dt->count * DTABLE_DESC_SIZE )
    {
        dt_passthrough(dt, gpa, size, val);
        return;
    }
    dt->seen++;
    /* One descriptor per write: a write across two is refused whole. */
    if ( off % DTABLE_DESC_SIZE + size > DTABLE_DESC_SIZE )
        goto reject;
    if ( mapcache_read(dt->mc, gpa - off % DTABLE_DESC_SIZE, &d, sizeof(d)) )
        goto reject;
    memcpy(bytes + off % DTABLE_DESC_SIZE, &val, size);
    if ( !dt_legal(dt, &d) || mapcache_write(dt->mc, gpa, &val, size) )
        goto reject;
    dt->applied++;
    if ( dt->ops->modified )
        dt->ops->modified(dt->opaque, gpa / DT_PAGE);
    return;
reject:
    dt->rejected++;
}

uint64_t dtable_table_read(struct dtable *dt, uint64_t gpa, unsigned int size)
{
    uint64_t v = 0;

    if ( size > 8 || mapcache_read(dt->mc, gpa, &v, size) )
        return ~0ULL;
    return v;
}

void dtable_fini(struct dtable *dt)
{
    dt_disable(dt);
}
