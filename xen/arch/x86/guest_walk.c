/*
 * guest_walk.c - the guest page-table walk: a guest-virtual address to a
 * guest-physical one, the way the vCPU's MMU would translate it, setting
 * accessed and dirty bits as it goes. The interface is asm/guest_walk.h.
 *
 * Limits: SMAP/SMEP, protection keys and reserved-bit faults are not
 * modelled (hypercall buffers are kernel data, and the dispatcher refuses
 * hypercalls from user mode); PS in a PML4 or PML5 entry is the one
 * reserved bit checked.
 *
 * This file may not touch frames, the p2m or vendor state: it reads and
 * updates table entries only through the callbacks it is given. It is
 * built into the host fuzzer (tools/tests/fuzz/fuzz-walk.c).
 */
#include <xen/errno.h>
#include <asm/x86.h>
#include <asm/guest_walk.h>

/* Guest page-table entry bits (the same in every paging mode). */
#define PTE_P    (1ULL << 0)
#define PTE_RW   (1ULL << 1)
#define PTE_US   (1ULL << 2)
#define PTE_A    (1ULL << 5)
#define PTE_D    (1ULL << 6)
#define PTE_PS   (1ULL << 7)
#define PTE_ADDR 0x000ffffffffff000ULL /* bits 51:12 */

#define CR4_PSE  (1ULL << 4)
#define CR4_LA57 (1ULL << 12)

/* How one paging mode lays out its tables. Levels count from 1 (the 4K
 * leaf) up to 'levels' (the table CR3 points at). */
struct pt_format
{
    unsigned int levels;
    unsigned int entry_bytes;    /* 4 or 8 */
    unsigned int index_bits;     /* per level below the top */
    unsigned int top_index_bits; /* PAE's top has only 4 entries */
    unsigned int max_ps_level;   /* highest level a PS bit may end the walk; 1 = none */
    bool top_is_pdpte;           /* PAE: no R/W, U/S or A bit at the top */
    uint64_t root_mask;          /* CR3 bits giving the top table's address */
    uint64_t va_limit;           /* 0: check canonical form instead */
};

static const struct pt_format fmt_2level = { 2, 4, 10, 10, 1, false, 0xfffff000ULL, 1ULL << 32 };
static const struct pt_format fmt_2level_pse = {
    2, 4, 10, 10, 2, false, 0xfffff000ULL, 1ULL << 32
};
static const struct pt_format fmt_pae = { 3, 8, 9, 2, 2, true, 0xffffffe0ULL, 1ULL << 32 };
static const struct pt_format fmt_long4 = { 4, 8, 9, 9, 3, false, PTE_ADDR, 0 };
static const struct pt_format fmt_long5 = { 5, 8, 9, 9, 3, false, PTE_ADDR, 0 };

static const struct pt_format *pick_format(const struct guest_paging *p)
{
    if ( !(p->cr0 & X86_CR0_PG) )
        return NULL;
    if ( p->efer & EFER_LMA )
        return p->cr4 & CR4_LA57 ? &fmt_long5 : &fmt_long4;
    if ( p->cr4 & X86_CR4_PAE )
        return &fmt_pae;
    return p->cr4 & CR4_PSE ? &fmt_2level_pse : &fmt_2level;
}

void guest_walk_init(struct guest_walk *w, const struct guest_paging *p, bool write,
                     const struct guest_walk_ops *ops, void *ctx)
{
    w->fmt = pick_format(p);
    w->cr3 = p->cr3;
    w->write = write;
    w->user = p->user;
    w->wp = p->cr0 & X86_CR0_WP;
    w->ops = ops;
    w->ctx = ctx;
}

static bool va_in_range(const struct pt_format *f, uint64_t va)
{
    unsigned int bits;
    int64_t top;
    if ( f->va_limit )
        return va < f->va_limit;
    bits = 12 + f->index_bits * f->levels; /* 48 or 57 */
    top = (int64_t)va >> (bits - 1);
    return top == 0 || top == -1;
}

bool guest_va_canonical(const struct guest_walk *w, uint64_t va)
{
    return w->fmt ? va_in_range(w->fmt, va) : !(va >> 32);
}

static unsigned int level_shift(const struct pt_format *f, unsigned int level)
{
    return 12 + f->index_bits * (level - 1);
}

static uint64_t entry_index(const struct pt_format *f, uint64_t va, unsigned int level)
{
    unsigned int bits = level == f->levels ? f->top_index_bits : f->index_bits;
    return (va >> level_shift(f, level)) & ((1ULL << bits) - 1);
}

/*
 * A PAE PDPTE has only P and the cache bits: bits 2:1 and 8:5 are
 * reserved (SDM vol. 3, table 4-8), so it grants every right and must
 * never get an accessed bit (set, it is a reserved bit: the guest's next
 * CR3 load, or its next walk, faults).
 */
static bool is_pdpte(const struct pt_format *f, unsigned int level)
{
    return level == f->levels && f->top_is_pdpte;
}

/* Does entry e at this level allow the access? */
static bool entry_allows(const struct guest_walk *w, uint64_t e, unsigned int level)
{
    if ( !(e & PTE_P) )
        return false;
    if ( is_pdpte(w->fmt, level) )
        return true;
    if ( w->user && !(e & PTE_US) )
        return false;
    if ( w->write && !(e & PTE_RW) && (w->user || w->wp) )
        return false;
    return true;
}

/* The guest-physical base of the large page that entry e maps. */
static uint64_t large_page_base(const struct pt_format *f, uint64_t e, unsigned int level)
{
    uint64_t size = 1ULL << level_shift(f, level);
    if ( f->entry_bytes == 4 ) /* PSE-36: bits 20:13 are address bits 39:32 */
        return (e & 0xffc00000ULL) | (((e >> 13) & 0xff) << 32);
    return e & PTE_ADDR & ~(size - 1);
}

/*
 * Set the accessed bit (and dirty, on a leaf for a write) as the MMU
 * would, when the callback lets it (ordinary writable RAM). Guests that
 * age pages or track dirtiness by these bits then see the hypervisor's
 * accesses too.
 */
static void set_ad_bits(const struct guest_walk *w, uint64_t slot_gpa, uint64_t e,
                        unsigned int level, bool leaf)
{
    uint64_t want = PTE_A | (leaf && w->write ? PTE_D : 0);
    if ( (e & want) == want || is_pdpte(w->fmt, level) )
        return;
    w->ops->set_bits(w->ctx, slot_gpa, w->fmt->entry_bytes, want);
}

int guest_walk(const struct guest_walk *w, uint64_t va, uint64_t *gpa)
{
    const struct pt_format *f = w->fmt;
    uint64_t table;
    if ( !f )
    {
        if ( va >> 32 )
            return -EFAULT; /* paging off: linear addresses are 32-bit */
        *gpa = va;
        return 0;
    }
    if ( !va_in_range(f, va) )
        return -EFAULT;
    table = w->cr3 & f->root_mask;
    for ( unsigned int level = f->levels; level >= 1; level-- )
    {
        uint64_t slot_gpa = table + entry_index(f, va, level) * f->entry_bytes;
        uint64_t e;
        if ( !w->ops->read_entry(w->ctx, slot_gpa, f->entry_bytes, &e) )
            return -EFAULT;
        if ( !entry_allows(w, e, level) )
            return -EFAULT;
        if ( level == 1 || (level <= f->max_ps_level && (e & PTE_PS)) )
        {
            uint64_t size = 1ULL << level_shift(f, level);
            uint64_t base = level == 1 ? e & PTE_ADDR : large_page_base(f, e, level);
            set_ad_bits(w, slot_gpa, e, level, true);
            *gpa = base | (va & (size - 1));
            return 0;
        }
        if ( level >= 4 && (e & PTE_PS) )
            return -EFAULT; /* PS is reserved in PML4 and PML5 entries */
        set_ad_bits(w, slot_gpa, e, level, false);
        table = e & PTE_ADDR;
    }
    return -EFAULT; /* not reached: level 1 always ends the walk */
}
