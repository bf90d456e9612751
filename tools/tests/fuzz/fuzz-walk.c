/*
 * fuzz-walk.c - libFuzzer harness for the guest page walk
 * (xen/arch/x86/guest_walk.c), against a reference walk written here
 * from the Intel SDM vol. 3, chapter 4 (paging), one function per mode.
 *
 * Input (little-endian):
 *   0       paging bits: 0 CR0.PG, 1 CR4.PSE, 2 CR4.PAE, 3 EFER.LMA,
 *           4 CR4.LA57, 5 CR0.WP
 *   1..8    CR3
 *   9..17   first access: va (8 bytes), then 1 byte (bit 0 write, bit 1 user)
 *   18..26  second access, the same way, made after the first
 *   27      number of guest frames (mod 9)
 *   then per frame: gfn (4 bytes), kind (bit 0 writable, bit 1 not RAM),
 *           n (1 byte), then 4 << (n % 7) bytes (4 to 256) repeated to
 *           fill the 4K frame (missing bytes are zero)
 * The first frame with a given gfn wins; other guest-physical addresses
 * are not RAM.
 *
 * Oracles, beyond ASan/UBSan (each frame is its own 4K heap block):
 *   - same verdict and guest-physical address as the reference walk;
 *   - the walker reads aligned entries of the mode's size, only through
 *     the callback, and on success exactly the entries the reference
 *     reads, in order; on a fault a prefix of them;
 *   - it asks to set only A and D bits, only in the entry it read last,
 *     and only bits the reference sets there;
 *   - the guest memory after a successful walk is exactly the reference's
 *     (A on every entry used, except PAE PDPTEs, which have no A bit; D on
 *     the leaf of a write; nothing in read-only frames). After a fault it
 *     may hold fewer of those A bits, never a D bit, nothing else.
 *
 * Not modelled by either side (as guest_walk.c says): reserved bits other
 * than PS in PML4/PML5 entries, SMAP/SMEP, protection keys, NX. Paging off
 * takes 32-bit linear addresses only.
 *
 * It may not touch anything but the walker's public interface.
 */
#include <asm/guest_walk.h>
#include <xen/errno.h>

#include <stdbool.h>
#include <stdio.h>

#include "fuzz.h"

#define FRAME_SIZE 4096
#define MAX_FRAMES 8
#define MAX_READS  8
#define HEAD_SIZE  28

/* Bits of the input's paging byte. */
#define IN_PG   0x01
#define IN_PSE  0x02
#define IN_PAE  0x04
#define IN_LMA  0x08
#define IN_LA57 0x10
#define IN_WP   0x20

/* Entry bits, SDM tables 4-4 to 4-20. */
#define E_P  (1ULL << 0)
#define E_RW (1ULL << 1)
#define E_US (1ULL << 2)
#define E_A  (1ULL << 5)
#define E_D  (1ULL << 6)
#define E_PS (1ULL << 7)

struct frame
{
    uint64_t gfn;
    bool writable, ram;
    uint8_t *data; /* FRAME_SIZE bytes on the heap */
};

struct memory
{
    struct frame f[MAX_FRAMES];
    unsigned int n;
};

struct access
{
    uint64_t va;
    bool write, user;
};

/* One side's view of a walk: its memory and what it read. */
struct trace
{
    struct memory *mem;
    unsigned int entry_bytes;
    uint64_t reads[MAX_READS];
    unsigned int nr_reads;
    uint64_t want_gpa[MAX_READS]; /* reference only: A/D bits it meant to set */
    uint64_t want_bits[MAX_READS];
    unsigned int nr_wants;
};

static uint64_t le(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    for ( unsigned int i = 0; i < n; i++ )
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static struct frame *find_frame(struct memory *m, uint64_t gpa)
{
    for ( unsigned int i = 0; i < m->n; i++ )
        if ( m->f[i].gfn == gpa >> 12 )
            return &m->f[i];
    return NULL;
}

/* ---- the input ---------------------------------------------------------- */

/* len divides FRAME_SIZE: lay the chunk down once, then double it. */
static void fill_frame(struct frame *f, const uint8_t *chunk, size_t have, size_t len)
{
    memset(f->data, 0, len);
    memcpy(f->data, chunk, have);
    for ( size_t done = len; done < FRAME_SIZE; done *= 2 )
        memcpy(f->data + done, f->data, done);
}

static size_t parse_frames(struct memory *m, const uint8_t *p, size_t size)
{
    unsigned int want = p[0] % (MAX_FRAMES + 1);
    size_t pos = 1;

    for ( m->n = 0; m->n < want && pos + 6 <= size; m->n++ )
    {
        struct frame *f = &m->f[m->n];
        size_t len = 4u << (p[pos + 5] % 7), have; /* 4 to 256 bytes */

        f->gfn = le(p + pos, 4);
        f->writable = p[pos + 4] & 1;
        f->ram = !(p[pos + 4] & 2);
        pos += 6;
        have = size - pos < len ? size - pos : len;
        f->data = malloc(FRAME_SIZE);
        if ( !f->data )
            abort();
        fill_frame(f, p + pos, have, len);
        pos += have;
    }
    return pos;
}

static void copy_memory(struct memory *dst, const struct memory *src)
{
    dst->n = src->n;
    for ( unsigned int i = 0; i < src->n; i++ )
    {
        dst->f[i] = src->f[i];
        dst->f[i].data = malloc(FRAME_SIZE);
        if ( !dst->f[i].data )
            abort();
        memcpy(dst->f[i].data, src->f[i].data, FRAME_SIZE);
    }
}

static void free_memory(struct memory *m)
{
    for ( unsigned int i = 0; i < m->n; i++ )
        free(m->f[i].data);
}

/* ---- the walker's callbacks ----------------------------------------------- */

static bool cb_read_entry(void *ctx, uint64_t gpa, unsigned int bytes, uint64_t *e)
{
    struct trace *t = ctx;
    struct frame *f;

    FUZZ_CHECK_MSG(bytes == t->entry_bytes, "read of %u bytes, entries have %u", bytes,
                   t->entry_bytes);
    FUZZ_CHECK_MSG(!(gpa % bytes), "misaligned entry at %#llx", (unsigned long long)gpa);
    FUZZ_CHECK_MSG(t->nr_reads < MAX_READS, "more than %u reads in one walk", MAX_READS);
    t->reads[t->nr_reads++] = gpa;
    f = find_frame(t->mem, gpa);
    if ( !f || !f->ram )
        return false;
    *e = le(f->data + gpa % FRAME_SIZE, bytes);
    return true;
}

static void cb_set_bits(void *ctx, uint64_t gpa, unsigned int bytes, uint64_t bits)
{
    struct trace *t = ctx;
    struct frame *f;

    FUZZ_CHECK(bytes == t->entry_bytes);
    FUZZ_CHECK_MSG(t->nr_reads && gpa == t->reads[t->nr_reads - 1],
                   "set bits at %#llx, not the entry read last", (unsigned long long)gpa);
    FUZZ_CHECK_MSG(bits && !(bits & ~(E_A | E_D)), "set bits %#llx", (unsigned long long)bits);
    f = find_frame(t->mem, gpa);
    if ( !f || !f->ram || !f->writable )
        return;
    for ( unsigned int i = 0; i < bytes; i++ )
        f->data[gpa % FRAME_SIZE + i] |= bits >> (8 * i);
}

/* ---- the reference walk (SDM vol. 3, 4.3 to 4.5) --------------------------- */

struct ref
{
    struct trace t;
    bool write, user, wp;
    bool user_ok, write_ok; /* rights so far, ANDed over the levels */
};

enum
{
    REF_FAULT = -1
};

/* Read a paging-structure entry; false (a fault) if its frame is not RAM. */
static bool ref_read(struct ref *r, uint64_t addr, uint64_t *e)
{
    struct frame *f = find_frame(r->t.mem, addr);

    r->t.reads[r->t.nr_reads++] = addr;
    if ( !f || !f->ram )
        return false;
    *e = le(f->data + addr % FRAME_SIZE, r->t.entry_bytes);
    return true;
}

/* The processor sets A (and D) with a locked OR; the hypervisor may do so
 * only in RAM it may write. */
static void ref_set(struct ref *r, uint64_t addr, uint64_t e, uint64_t bits)
{
    struct frame *f = find_frame(r->t.mem, addr);

    r->t.want_gpa[r->t.nr_wants] = addr;
    r->t.want_bits[r->t.nr_wants++] = bits;
    if ( (e & bits) == bits || !f->writable )
        return;
    for ( unsigned int i = 0; i < r->t.entry_bytes; i++ )
        f->data[addr % FRAME_SIZE + i] |= bits >> (8 * i);
}

/* 4.6: U/S and R/W of every entry that controls the access. */
static void ref_rights(struct ref *r, uint64_t e)
{
    r->user_ok &= !!(e & E_US);
    r->write_ok &= !!(e & E_RW);
}

static bool ref_allowed(const struct ref *r)
{
    if ( r->user && !r->user_ok )
        return false;
    if ( r->write && !r->write_ok && (r->user || r->wp) )
        return false;
    return true;
}

/* The leaf maps the page: A always, D for a write, if the rights allow. */
static int64_t ref_leaf(struct ref *r, uint64_t addr, uint64_t e, uint64_t pa)
{
    ref_rights(r, e);
    if ( !ref_allowed(r) )
        return REF_FAULT;
    ref_set(r, addr, e, r->write ? E_A | E_D : E_A);
    return pa;
}

/* 4.3, 32-bit paging: a PDE maps 4M (PSE-36 high bits in 20:13) or a PT. */
static int64_t ref_32bit(struct ref *r, uint64_t cr3, bool pse, uint64_t la)
{
    uint64_t pde_addr, pte_addr, pde, pte;

    if ( la >> 32 )
        return REF_FAULT;
    pde_addr = (cr3 & 0xfffff000) | ((la >> 22) << 2);
    if ( !ref_read(r, pde_addr, &pde) || !(pde & E_P) )
        return REF_FAULT;
    if ( pse && (pde & E_PS) )
        return ref_leaf(r, pde_addr, pde,
                        (((pde >> 13) & 0xff) << 32) | (pde & 0xffc00000) | (la & 0x3fffff));
    ref_rights(r, pde);
    ref_set(r, pde_addr, pde, E_A);
    pte_addr = (pde & 0xfffff000) | (((la >> 12) & 0x3ff) << 2);
    if ( !ref_read(r, pte_addr, &pte) || !(pte & E_P) )
        return REF_FAULT;
    return ref_leaf(r, pte_addr, pte, (pte & 0xfffff000) | (la & 0xfff));
}

#define ADDR_4K 0x000ffffffffff000ULL
#define ADDR_2M 0x000fffffffe00000ULL
#define ADDR_1G 0x000fffffc0000000ULL

/* A PD and a PT, shared by PAE and 4/5-level paging (tables 4-9 to 4-11,
 * 4-17 to 4-20): the PDE maps 2M or points to a PT. */
static int64_t ref_pd(struct ref *r, uint64_t pd, uint64_t la)
{
    uint64_t pde_addr = pd | (((la >> 21) & 0x1ff) << 3), pte_addr, pde, pte;

    if ( !ref_read(r, pde_addr, &pde) || !(pde & E_P) )
        return REF_FAULT;
    if ( pde & E_PS )
        return ref_leaf(r, pde_addr, pde, (pde & ADDR_2M) | (la & 0x1fffff));
    ref_rights(r, pde);
    ref_set(r, pde_addr, pde, E_A);
    pte_addr = (pde & ADDR_4K) | (((la >> 12) & 0x1ff) << 3);
    if ( !ref_read(r, pte_addr, &pte) || !(pte & E_P) )
        return REF_FAULT;
    return ref_leaf(r, pte_addr, pte, (pte & ADDR_4K) | (la & 0xfff));
}

/* 4.4, PAE paging: four PDPTEs at CR3[31:5]; they have no rights and no
 * accessed flag (bits 2:1 and 8:5 are reserved). */
static int64_t ref_pae(struct ref *r, uint64_t cr3, uint64_t la)
{
    uint64_t pdpte_addr, pdpte;

    if ( la >> 32 )
        return REF_FAULT;
    pdpte_addr = (cr3 & 0xffffffe0) | ((la >> 30) << 3);
    if ( !ref_read(r, pdpte_addr, &pdpte) || !(pdpte & E_P) )
        return REF_FAULT;
    return ref_pd(r, pdpte & ADDR_4K, la);
}

/* A PML5E or PML4E: present, PS reserved, then the table below. */
static bool ref_upper(struct ref *r, uint64_t table, unsigned int shift, uint64_t la,
                      uint64_t *next)
{
    uint64_t addr = table | (((la >> shift) & 0x1ff) << 3), e;

    if ( !ref_read(r, addr, &e) || !(e & E_P) || (e & E_PS) )
        return false;
    ref_rights(r, e);
    ref_set(r, addr, e, E_A);
    *next = e & ADDR_4K;
    return true;
}

/* 4.5, 4- and 5-level paging: canonical addresses, PDPTEs may map 1G. */
static int64_t ref_long(struct ref *r, uint64_t cr3, bool la57, uint64_t la)
{
    int64_t top = (int64_t)la >> (la57 ? 56 : 47);
    uint64_t table = cr3 & ADDR_4K, pdpte_addr, pdpte;

    if ( top != 0 && top != -1 )
        return REF_FAULT;
    if ( la57 && !ref_upper(r, table, 48, la, &table) )
        return REF_FAULT;
    if ( !ref_upper(r, table, 39, la, &table) )
        return REF_FAULT;
    pdpte_addr = table | (((la >> 30) & 0x1ff) << 3);
    if ( !ref_read(r, pdpte_addr, &pdpte) || !(pdpte & E_P) )
        return REF_FAULT;
    if ( pdpte & E_PS )
        return ref_leaf(r, pdpte_addr, pdpte, (pdpte & ADDR_1G) | (la & 0x3fffffff));
    ref_rights(r, pdpte);
    ref_set(r, pdpte_addr, pdpte, E_A);
    return ref_pd(r, pdpte & ADDR_4K, la);
}

/* Table 2-x/4-1: which paging mode the control bits select. */
static int64_t ref_walk(struct ref *r, uint8_t paging, uint64_t cr3, uint64_t la)
{
    r->user_ok = r->write_ok = true;
    if ( !(paging & IN_PG) )
        return la >> 32 ? REF_FAULT : (int64_t)la;
    if ( paging & IN_LMA )
        return ref_long(r, cr3, paging & IN_LA57, la);
    if ( paging & IN_PAE )
        return ref_pae(r, cr3, la);
    return ref_32bit(r, cr3, paging & IN_PSE, la);
}

static unsigned int entry_bytes(uint8_t paging)
{
    return (paging & (IN_LMA | IN_PAE)) ? 8 : 4;
}

/* ---- comparing the two --------------------------------------------------- */

static bool ref_wanted(const struct trace *ref, uint64_t gpa, uint64_t bits)
{
    for ( unsigned int i = 0; i < ref->nr_wants; i++ )
        if ( ref->want_gpa[i] == gpa && !(bits & ~ref->want_bits[i]) )
            return true;
    return false;
}

/* After a fault: only bits the reference set too, and no D bit. */
static void check_fault_memory(const struct memory *before, const struct memory *walker,
                               const struct memory *ref)
{
    for ( unsigned int i = 0; i < walker->n; i++ )
        for ( unsigned int k = 0; k < FRAME_SIZE; k++ )
        {
            uint8_t b, w;

            if ( !memcmp(before->f[i].data + k, walker->f[i].data + k, FRAME_SIZE - k) )
                break;
            b = before->f[i].data[k];
            w = walker->f[i].data[k];
            uint8_t added = w & ~b, allowed = ref->f[i].data[k] & ~b;

            FUZZ_CHECK_MSG(!(b & ~w), "frame %u byte %u: bits cleared", i, k);
            FUZZ_CHECK_MSG(!(added & ~allowed) && !(added & E_D),
                           "frame %u byte %u: %#x became %#x after a fault (reference %#x)", i, k,
                           b, w, ref->f[i].data[k]);
        }
}

static void check_memory_equal(const struct memory *walker, const struct memory *ref)
{
    for ( unsigned int i = 0; i < walker->n; i++ )
        for ( unsigned int k = 0;
              memcmp(walker->f[i].data, ref->f[i].data, FRAME_SIZE) && k < FRAME_SIZE; k++ )
            FUZZ_CHECK_MSG(walker->f[i].data[k] == ref->f[i].data[k],
                           "frame %u (gfn %#llx) byte %u: walker %#x, reference %#x", i,
                           (unsigned long long)walker->f[i].gfn, k, walker->f[i].data[k],
                           ref->f[i].data[k]);
}

static void check_reads(const struct trace *w, const struct trace *r, bool ok)
{
    FUZZ_CHECK_MSG(ok ? w->nr_reads == r->nr_reads : w->nr_reads <= r->nr_reads,
                   "walker read %u entries, reference %u", w->nr_reads, r->nr_reads);
    for ( unsigned int i = 0; i < w->nr_reads; i++ )
        FUZZ_CHECK_MSG(w->reads[i] == r->reads[i], "read %u at %#llx, reference %#llx", i,
                       (unsigned long long)w->reads[i], (unsigned long long)r->reads[i]);
}

/* Wraps cb_set_bits to check each request against the reference's. */
struct checked_trace
{
    struct trace t;
    const struct trace *ref;
};

static void cb_set_bits_checked(void *ctx, uint64_t gpa, unsigned int bytes, uint64_t bits)
{
    struct checked_trace *c = ctx;

    FUZZ_CHECK_MSG(ref_wanted(c->ref, gpa, bits), "set %#llx in the entry at %#llx",
                   (unsigned long long)bits, (unsigned long long)gpa);
    cb_set_bits(&c->t, gpa, bytes, bits);
}

static const struct guest_walk_ops checked_ops = {
    .read_entry = cb_read_entry,
    .set_bits = cb_set_bits_checked,
};

/* ---- one access ------------------------------------------------------------ */

static void one_access(struct memory *mem, uint8_t paging, uint64_t cr3, const struct access *a)
{
    struct guest_paging p = {
        .cr0 = (paging & IN_PG ? 1ULL << 31 : 0) | (paging & IN_WP ? 1ULL << 16 : 0),
        .cr3 = cr3,
        .cr4 = (paging & IN_PSE ? 1ULL << 4 : 0) | (paging & IN_PAE ? 1ULL << 5 : 0) |
               (paging & IN_LA57 ? 1ULL << 12 : 0),
        .efer = paging & IN_LMA ? 1ULL << 10 : 0,
        .user = a->user,
    };
    struct memory before, ref_mem;
    struct ref r = { .write = a->write, .user = a->user, .wp = paging & IN_WP };
    struct checked_trace w = { .ref = &r.t };
    struct guest_walk gw;
    uint64_t gpa = 0;
    int64_t expect;
    int rc;

    copy_memory(&before, mem);
    copy_memory(&ref_mem, mem);
    r.t = (struct trace){ .mem = &ref_mem, .entry_bytes = entry_bytes(paging) };
    expect = ref_walk(&r, paging, cr3, a->va);

    w.t = (struct trace){ .mem = mem, .entry_bytes = entry_bytes(paging) };
    guest_walk_init(&gw, &p, a->write, &checked_ops, &w);
    rc = guest_walk(&gw, a->va, &gpa);

    if ( getenv("FUZZ_WALK_VERBOSE") )
        fprintf(stderr, "paging %#x va %#llx %s%s: %s %#llx, %u reads\n", paging,
                (unsigned long long)a->va, a->user ? "user " : "", a->write ? "write" : "read",
                rc ? "fault" : "gpa", (unsigned long long)gpa, w.t.nr_reads);
    FUZZ_CHECK_MSG(rc == 0 || rc == -EFAULT, "rc %d", rc);
    FUZZ_CHECK_MSG((rc == 0) == (expect != REF_FAULT), "va %#llx %s%s: walker %s, reference %s",
                   (unsigned long long)a->va, a->user ? "user " : "", a->write ? "write" : "read",
                   rc ? "faults" : "translates", expect == REF_FAULT ? "faults" : "translates");
    FUZZ_CHECK_MSG(rc || gpa == (uint64_t)expect, "va %#llx: gpa %#llx, reference %#llx",
                   (unsigned long long)a->va, (unsigned long long)gpa, (unsigned long long)expect);
    check_reads(&w.t, &r.t, !rc);
    if ( rc )
        check_fault_memory(&before, mem, &ref_mem);
    else
        check_memory_equal(mem, &ref_mem);
    free_memory(&before);
    free_memory(&ref_mem);
}

static struct access parse_access(const uint8_t *p)
{
    return (struct access){ .va = le(p, 8), .write = p[8] & 1, .user = p[8] & 2 };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct memory mem;
    struct access a1, a2;
    uint64_t cr3;

    if ( size < HEAD_SIZE )
        return 0;
    cr3 = le(data + 1, 8);
    a1 = parse_access(data + 9);
    a2 = parse_access(data + 18);
    parse_frames(&mem, data + 27, size - 27);
    one_access(&mem, data[0], cr3, &a1);
    one_access(&mem, data[0], cr3, &a2);
    free_memory(&mem);
    return 0;
}
