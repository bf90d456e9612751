/*
 * guest_access.c - reaching guest memory from the hypervisor: hypercall
 * arguments by guest-virtual address, and frames by guest-physical one.
 *
 * A virtual address is translated the way the vCPU's MMU would: through
 * its own page tables in whichever paging mode it is in (none, 2-level
 * 32-bit with optional 4M pages, 3-level PAE, 4- or 5-level long mode),
 * each table read through the p2m, then the resulting frame through the
 * p2m once more. Only RAM types are touched; writes need a writable RAM
 * type as well as write permission in the guest's own tables. Every
 * failure is -EFAULT.
 *
 * A copy into the guest checks every page it will touch before it writes
 * any, so a bad buffer leaves guest memory as it was. (If the guest
 * rewrites its page tables from another vCPU between the check and the
 * write, the write may stop part way; that is the guest racing itself.)
 *
 * Every frame is reached with a reference on it (xen/frame.h), taken
 * while its p2m entry is looked up and held until the access is done: a
 * frame the guest gives back from another vCPU mid-copy stays the
 * guest's old frame until the copy ends, and is never reused under it.
 *
 * Limits: SMAP/SMEP, protection keys and reserved-bit faults are not
 * modelled (hypercall buffers are kernel data, and the dispatcher refuses
 * hypercalls from user mode).
 *
 * This file may not change any p2m entry; it only looks them up.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/frame.h>
#include <asm/hvm.h>
#include <asm/x86.h>

/* Guest page-table entry bits (the same in every paging mode). */
#define PTE_P       (1ULL << 0)
#define PTE_RW      (1ULL << 1)
#define PTE_US      (1ULL << 2)
#define PTE_A       (1ULL << 5)
#define PTE_D       (1ULL << 6)
#define PTE_PS      (1ULL << 7)
#define PTE_ADDR    0x000ffffffffff000ULL     /* bits 51:12 */

#define CR4_PSE     (1ULL << 4)
#define CR4_LA57    (1ULL << 12)

/* How one paging mode lays out its tables. Levels count from 1 (the 4K
 * leaf) up to 'levels' (the table CR3 points at). */
struct pt_format {
    unsigned int levels;
    unsigned int entry_bytes;       /* 4 or 8 */
    unsigned int index_bits;        /* per level below the top */
    unsigned int top_index_bits;    /* PAE's top has only 4 entries */
    unsigned int max_ps_level;      /* highest level a PS bit may end the walk; 1 = none */
    bool top_has_rights;            /* PAE PDPTEs carry no R/W or U/S bit */
    uint64_t root_mask;             /* CR3 bits giving the top table's address */
    uint64_t va_limit;              /* 0: check canonical form instead */
};

static const struct pt_format fmt_2level = { 2, 4, 10, 10, 1, true, 0xfffff000ULL, 1ULL << 32 };
static const struct pt_format fmt_2level_pse = { 2, 4, 10, 10, 2, true, 0xfffff000ULL, 1ULL << 32 };
static const struct pt_format fmt_pae = { 3, 8, 9, 2, 2, false, 0xffffffe0ULL, 1ULL << 32 };
static const struct pt_format fmt_long4 = { 4, 8, 9, 9, 3, true, PTE_ADDR, 0 };
static const struct pt_format fmt_long5 = { 5, 8, 9, 9, 3, true, PTE_ADDR, 0 };

/* What the access needs, fixed for a whole copy. */
struct walk_ctx {
    struct vcpu *v;
    struct domain *d;
    const struct pt_format *fmt;    /* NULL: paging is off */
    uint64_t cr3;
    bool write, user, wp;
};

/*
 * Log-dirty hook: the hypervisor wrote guest frame gfn directly, not
 * through the guest's MMU, so no write fault or PML entry recorded it.
 * When log-dirty lands, this must set gfn in the domain's dirty bitmap
 * (for ram_logdirty entries, and for any entry while global log-dirty is
 * active), or migration will miss the page.
 */
static void p2m_note_hypervisor_write(struct domain *d, gfn_t gfn)
{
}

static bool type_readable(p2m_type_t t)
{
    return p2m_is_ram(t);
}

/* ram_ro is read-only by definition; shared needs an unshare first; an
 * ioreq_server page's writes belong to its server. */
static bool type_writable(p2m_type_t t)
{
    return t == p2m_ram_rw || t == p2m_ram_logdirty;
}

static bool get_for_owner(mfn_t m, void *owner)
{
    return get_page(m, *(const domid_t *)owner);
}

/* The direct-map address of guest frame gfn of d, if its type allows the
 * access, with a reference on the frame (put_page(*ref) when done); NULL
 * otherwise. *type, if asked for, receives the type found. */
static void *frame_get(struct domain *d, uint64_t gfn, bool write, p2m_type_t *type, mfn_t *ref)
{
    p2m_type_t t;
    mfn_t mfn;
    if (gfn >= P2M_GFN_LIMIT)
        return NULL;
    mfn = p2m_lookup_get(&d->p2m, _gfn(gfn), &t, get_for_owner, &d->domain_id);
    if (type)
        *type = t;
    if (!mfn_valid_raw(mfn))
        return NULL;
    if (!(write ? type_writable(t) : type_readable(t))) {
        put_page(mfn);
        return NULL;
    }
    *ref = mfn;
    return mfn_to_virt(mfn);
}

static void pick_format(struct walk_ctx *c, const struct hvm_guest_state *st)
{
    if (!(st->cr0 & X86_CR0_PG))
        c->fmt = NULL;
    else if (st->efer & EFER_LMA)
        c->fmt = st->cr4 & CR4_LA57 ? &fmt_long5 : &fmt_long4;
    else if (st->cr4 & X86_CR4_PAE)
        c->fmt = &fmt_pae;
    else
        c->fmt = st->cr4 & CR4_PSE ? &fmt_2level_pse : &fmt_2level;
}

static void walk_init(struct walk_ctx *c, struct vcpu *v, bool write)
{
    struct hvm_guest_state st;
    hvm_vendor->get_guest_state(v, &st);
    c->v = v;
    c->d = v->domain;
    c->cr3 = st.cr3;
    c->write = write;
    c->user = st.cpl == 3;
    c->wp = st.cr0 & X86_CR0_WP;
    pick_format(c, &st);
}

static bool va_in_range(const struct pt_format *f, uint64_t va)
{
    unsigned int bits;
    int64_t top;
    if (f->va_limit)
        return va < f->va_limit;
    bits = 12 + f->index_bits * f->levels;  /* 48 or 57 */
    top = (int64_t)va >> (bits - 1);
    return top == 0 || top == -1;
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

/* Does entry e at this level allow the access? */
static bool entry_allows(const struct walk_ctx *c, uint64_t e, unsigned int level)
{
    if (!(e & PTE_P))
        return false;
    if (level == c->fmt->levels && !c->fmt->top_has_rights)
        return true;
    if (c->user && !(e & PTE_US))
        return false;
    if (c->write && !(e & PTE_RW) && (c->user || c->wp))
        return false;
    return true;
}

/* The guest-physical base of the large page that entry e maps. */
static uint64_t large_page_base(const struct pt_format *f, uint64_t e, unsigned int level)
{
    uint64_t size = 1ULL << level_shift(f, level);
    if (f->entry_bytes == 4)        /* PSE-36: bits 20:13 are address bits 39:32 */
        return (e & 0xffc00000ULL) | (((e >> 13) & 0xff) << 32);
    return e & PTE_ADDR & ~(size - 1);
}

/*
 * Set the accessed bit (and dirty, on a leaf for a write) as the MMU
 * would, when the table frame is ordinary writable RAM. Guests that age
 * pages or track dirtiness by these bits then see the hypervisor's
 * accesses too. A read-only table is left alone; that is not a fault.
 */
static void set_ad_bits(struct walk_ctx *c, void *slot, uint64_t table_gfn, p2m_type_t table_type,
                        uint64_t e, bool leaf)
{
    uint64_t want = PTE_A | (leaf && c->write ? PTE_D : 0);
    if ((e & want) == want || !type_writable(table_type))
        return;
    if (c->fmt->entry_bytes == 4)
        __atomic_fetch_or((uint32_t *)slot, (uint32_t)want, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_or((uint64_t *)slot, want, __ATOMIC_SEQ_CST);
    p2m_note_hypervisor_write(c->d, _gfn(table_gfn));
}

static uint64_t read_entry(const struct pt_format *f, const void *slot)
{
    if (f->entry_bytes == 4)
        return ACCESS_ONCE(*(const uint32_t *)slot);
    return ACCESS_ONCE(*(const uint64_t *)slot);
}

/* Translate va to a guest-physical address, or -EFAULT. */
static int walk(struct walk_ctx *c, uint64_t va, uint64_t *gpa)
{
    const struct pt_format *f = c->fmt;
    uint64_t table;
    if (!f) {
        if (va >> 32)
            return -EFAULT;         /* paging off: linear addresses are 32-bit */
        *gpa = va;
        return 0;
    }
    if (!va_in_range(f, va))
        return -EFAULT;
    table = c->cr3 & f->root_mask;
    for (unsigned int level = f->levels; level >= 1; level--) {
        uint64_t slot_gpa = table + entry_index(f, va, level) * f->entry_bytes;
        p2m_type_t tt;
        mfn_t ref;
        uint8_t *page = frame_get(c->d, slot_gpa >> PAGE_SHIFT, false, &tt, &ref);
        void *slot;
        uint64_t e;
        bool leaf;
        if (!page)
            return -EFAULT;
        slot = page + (slot_gpa & (PAGE_SIZE - 1));
        e = read_entry(f, slot);
        leaf = level == 1 || (level <= f->max_ps_level && (e & PTE_PS));
        if (!entry_allows(c, e, level) || (!leaf && level >= 4 && (e & PTE_PS))) {
            put_page(ref);          /* PS is reserved in PML4 and PML5 entries */
            return -EFAULT;
        }
        set_ad_bits(c, slot, slot_gpa >> PAGE_SHIFT, tt, e, leaf);
        put_page(ref);
        if (leaf) {
            uint64_t size = 1ULL << level_shift(f, level);
            uint64_t base = level == 1 ? e & PTE_ADDR : large_page_base(f, e, level);
            *gpa = base | (va & (size - 1));
            return 0;
        }
        table = e & PTE_ADDR;
    }
    return -EFAULT;                 /* not reached: level 1 always ends the walk */
}

/* The direct-map address of the byte at va for this access, with a
 * reference on its frame (*ref), or NULL. */
static uint8_t *va_to_ptr(struct walk_ctx *c, uint64_t va, uint64_t *gfn, mfn_t *ref)
{
    uint64_t gpa;
    uint8_t *page;
    if (walk(c, va, &gpa))
        return NULL;
    page = frame_get(c->d, gpa >> PAGE_SHIFT, c->write, NULL, ref);
    *gfn = gpa >> PAGE_SHIFT;
    return page ? page + (gpa & (PAGE_SIZE - 1)) : NULL;
}

static size_t chunk_len(uint64_t addr, size_t left)
{
    return MIN(left, (size_t)(PAGE_SIZE - (addr & (PAGE_SIZE - 1))));
}

static bool range_wraps(uint64_t addr, size_t len)
{
    return len && addr + len - 1 < addr;
}

/* ---- by virtual address ------------------------------------------------ */

int copy_from_vcpu(struct vcpu *v, void *dst, uint64_t guest_va, size_t len)
{
    struct walk_ctx c;
    uint8_t *out = dst;
    if (!len)
        return 0;
    if (!v || range_wraps(guest_va, len))
        return -EFAULT;
    walk_init(&c, v, false);
    while (len) {
        size_t n = chunk_len(guest_va, len);
        uint64_t gfn;
        mfn_t ref;
        const uint8_t *src = va_to_ptr(&c, guest_va, &gfn, &ref);
        if (!src)
            return -EFAULT;
        memcpy(out, src, n);
        put_page(ref);
        out += n;
        guest_va += n;
        len -= n;
    }
    return 0;
}

/* Check that every page of [va, va + len) may be written. */
static int check_writable_va(struct walk_ctx *c, uint64_t va, size_t len)
{
    while (len) {
        size_t n = chunk_len(va, len);
        uint64_t gfn;
        mfn_t ref;
        if (!va_to_ptr(c, va, &gfn, &ref))
            return -EFAULT;
        put_page(ref);
        va += n;
        len -= n;
    }
    return 0;
}

int copy_to_vcpu(struct vcpu *v, uint64_t guest_va, const void *src, size_t len)
{
    struct walk_ctx c;
    const uint8_t *in = src;
    if (!len)
        return 0;
    if (!v || range_wraps(guest_va, len))
        return -EFAULT;
    walk_init(&c, v, true);
    if (check_writable_va(&c, guest_va, len))
        return -EFAULT;
    while (len) {
        size_t n = chunk_len(guest_va, len);
        uint64_t gfn;
        mfn_t ref;
        uint8_t *dst = va_to_ptr(&c, guest_va, &gfn, &ref);
        if (!dst)
            return -EFAULT;
        memcpy(dst, in, n);
        put_page(ref);
        p2m_note_hypervisor_write(c.d, _gfn(gfn));
        in += n;
        guest_va += n;
        len -= n;
    }
    return 0;
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
    return copy_from_vcpu(current, dst, guest_va, len);
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
    return copy_to_vcpu(current, guest_va, src, len);
}

/* ---- by guest-physical address ----------------------------------------- */

int copy_from_gpa(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
    uint8_t *out = dst;
    if (range_wraps(gpa, len))
        return -EFAULT;
    while (len) {
        size_t n = chunk_len(gpa, len);
        mfn_t ref;
        const uint8_t *page = frame_get(d, gpa >> PAGE_SHIFT, false, NULL, &ref);
        if (!page)
            return -EFAULT;
        memcpy(out, page + (gpa & (PAGE_SIZE - 1)), n);
        put_page(ref);
        out += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

int copy_to_gpa(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
    const uint8_t *in = src;
    if (range_wraps(gpa, len))
        return -EFAULT;
    for (uint64_t a = gpa, left = len; left; ) {
        size_t n = chunk_len(a, left);
        mfn_t ref;
        if (!frame_get(d, a >> PAGE_SHIFT, true, NULL, &ref))
            return -EFAULT;
        put_page(ref);
        a += n;
        left -= n;
    }
    while (len) {
        size_t n = chunk_len(gpa, len);
        mfn_t ref;
        uint8_t *page = frame_get(d, gpa >> PAGE_SHIFT, true, NULL, &ref);
        if (!page)
            return -EFAULT;
        memcpy(page + (gpa & (PAGE_SIZE - 1)), in, n);
        put_page(ref);
        p2m_note_hypervisor_write(d, _gfn(gpa >> PAGE_SHIFT));
        in += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

/* A caller asking for a writable mapping is about to write: note it now,
 * since the writes themselves are out of sight. */
void *map_guest_frame(struct domain *d, gfn_t gfn, bool writable)
{
    mfn_t ref;
    void *va = frame_get(d, gfn_x(gfn), writable, NULL, &ref);
    if (va && writable)
        p2m_note_hypervisor_write(d, gfn);
    return va;
}

void unmap_guest_frame(void *va)
{
    put_page(virt_to_mfn(va));
}
