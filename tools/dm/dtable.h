/* SPDX-License-Identifier: MIT */
/*
 * dtable.h - the table device (seed 000's XenGT pattern): the guest
 * programs the gfn and length of a descriptor table in its own RAM
 * through a register block, enables it, and from then on the table's
 * pages are p2m_ioreq_server: reads go to RAM, every write comes to the
 * model, which validates the descriptor it would produce and applies it
 * to RAM through the mapcache, or rejects it (the old value stays).
 *
 * The whole pages holding the table take the type; a write to them past
 * the last descriptor is applied as it is (it is RAM the guest owns).
 *
 * Registers (64-bit, at DTABLE_MMIO_BASE; 4- and 8-byte aligned accesses):
 *   ID       ro  DTABLE_ID
 *   GFN      rw  first gfn of the table (fixed while enabled)
 *   COUNT    rw  descriptors (1..DTABLE_MAX_DESC, fixed while enabled)
 *   CTRL     rw  bit 0: enabled (the pages become, or stop being,
 *                p2m_ioreq_server)
 *   DOORBELL wo  walk the table through the mapcache into CHECKSUM
 *   CHECKSUM ro  FNV-1a over the table's 64-bit words (dtable_checksum)
 *   SEEN, REJECTED, APPLIED  ro  table writes
 *   STATUS   ro  0 or the errno of the last register operation
 *   PEEK_GFN wo  read the first 8 bytes of that gfn through the mapcache
 *   PEEK     ro  ... here (all-ones if it cannot be read)
 *
 * A descriptor is { u64 addr; u32 len; u32 flags }. Legal: flags without
 * DTABLE_F_VALID (an empty slot), or VALID with only VALID|WRITE set,
 * 0 < len <= 1 MiB, [addr, addr + len) inside the guest's RAM and not
 * overlapping the table itself.
 *
 * Private to tools/dm. Touches guest RAM only through its mapcache.
 */
#ifndef WRENDM_DTABLE_H
#define WRENDM_DTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "mapcache.h"

#define DTABLE_MMIO_BASE 0xfebf0000ULL
#define DTABLE_MMIO_SIZE 0x1000ULL
#define DTABLE_ID        0x57544231ULL /* "WTB1" */
#define DTABLE_MAX_DESC  1024U         /* 4 pages */
#define DTABLE_DESC_SIZE 16U
#define DTABLE_MAX_LEN   (1U << 20)
#define DTABLE_F_VALID   0x1U
#define DTABLE_F_WRITE   0x2U

#define DTABLE_REG_ID       0x00
#define DTABLE_REG_GFN      0x08
#define DTABLE_REG_COUNT    0x10
#define DTABLE_REG_CTRL     0x18
#define DTABLE_REG_DOORBELL 0x20
#define DTABLE_REG_CHECKSUM 0x28
#define DTABLE_REG_SEEN     0x30
#define DTABLE_REG_REJECTED 0x38
#define DTABLE_REG_APPLIED  0x40
#define DTABLE_REG_STATUS   0x48
#define DTABLE_REG_PEEK_GFN 0x50
#define DTABLE_REG_PEEK     0x58

struct dtable_desc
{
    uint64_t addr;
    uint32_t len;
    uint32_t flags;
};

/* What the device asks of the hypervisor (the service's DMOPs). */
struct dtable_ops
{
    /* on: claim HVMMEM_ioreq_server for writes and give [gfn, gfn + nr)
     * that type; off: the pages back to ram_rw and the claim given up. */
    int (*protect)(void *opaque, uint64_t gfn, uint32_t nr, bool on);
    /* The model wrote this frame itself (log-dirty). */
    void (*modified)(void *opaque, uint64_t gfn);
};

struct dtable
{
    struct mapcache *mc;
    const struct dtable_ops *ops;
    void *opaque;
    uint64_t ram_start, ram_end; /* guest RAM is [ram_start, ram_end) */
    uint64_t gfn, count, checksum, status, peek;
    bool enabled;
    uint64_t seen, rejected, applied;
    uint64_t passed; /* writes to the pages past the table, applied as-is */
};

void dtable_init(struct dtable *dt, struct mapcache *mc, uint64_t ram_start, uint64_t ram_end,
                 const struct dtable_ops *ops, void *opaque);
/* Register block accesses (offset into it). */
uint64_t dtable_reg_read(struct dtable *dt, uint64_t off, unsigned int size);
void dtable_reg_write(struct dtable *dt, uint64_t off, unsigned int size, uint64_t val);
/* The table's gpa range while enabled; false when it is not. */
bool dtable_table_range(const struct dtable *dt, uint64_t *start, uint64_t *end);
/* A guest write of size bytes at gpa inside the table (IOREQ_TYPE_COPY). */
void dtable_table_write(struct dtable *dt, uint64_t gpa, unsigned int size, uint64_t val);
/* A read of the table (only if one reaches the model): RAM's value. */
uint64_t dtable_table_read(struct dtable *dt, uint64_t gpa, unsigned int size);
/* The checksum over n 64-bit words, as the doorbell computes it. */
uint64_t dtable_checksum(const uint64_t *words, unsigned int n);
/* Disable (pages back to ram_rw) before the model goes away. */
void dtable_fini(struct dtable *dt);

#endif /* WRENDM_DTABLE_H */
