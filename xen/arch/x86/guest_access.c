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
 * failure is -EFAULT. The walk itself, which knows only table formats, is
 * in guest_walk.c; this file gives it the p2m.
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
#include <xen/logdirty.h>
#include <xen/compat.h>
#include <xen/mem_fork.h>
#include <asm/hvm.h>
#include <asm/guest_walk.h>
#include <asm/x86.h>

/* What the access needs, fixed for a whole copy. */
struct walk_ctx
{
    struct vcpu *v;
    struct domain *d;
    bool write;
    struct guest_walk gw;
};

/*
 * The hypervisor wrote guest frame gfn directly, not through the guest's
 * MMU, so no write fault, PML entry or dirty bit recorded it: log it, or
 * a migration would send a stale copy of the page (ignored while
 * log-dirty is off).
 */
static void p2m_note_hypervisor_write(struct domain *d, gfn_t gfn)
{
    logdirty_note_hypervisor_write(d, gfn_x(gfn));
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

/* A shared frame is DOMID_COW's, and readable through any entry that
 * maps it (only p2m_ram_shared entries can: xen/mem_sharing.h). Writes
 * to it are refused by type_writable; the guest's own write unshares. */
static bool get_for_owner(mfn_t m, void *owner)
{
    return get_page(m, *(const domid_t *)owner) || get_page(m, DOMID_COW);
}

/* The direct-map address of guest frame gfn of d, if its type allows the
 * access, with a reference on the frame (put_page(*ref) when done); NULL
 * otherwise. */
static void *frame_get(struct domain *d, uint64_t gfn, bool write, mfn_t *ref)
{
    p2m_type_t t;
    mfn_t mfn;
    if ( gfn >= P2M_GFN_LIMIT )
        return NULL;
    mfn = p2m_lookup_get(&d->p2m, _gfn(gfn), &t, get_for_owner, &d->domain_id);
    if ( t == p2m_invalid && !write )
        mfn = mem_fork_parent_frame(d, _gfn(gfn), &t); /* a fork reads its parent's */
    if ( !mfn_valid_raw(mfn) )
        return NULL;
    if ( !(write ? type_writable(t) : type_readable(t)) )
    {
        put_page(mfn);
        return NULL;
    }
    *ref = mfn;
    return mfn_to_virt(mfn);
}

static uint64_t read_entry(const void *slot, unsigned int bytes)
{
    if ( bytes == 4 )
        return ACCESS_ONCE(*(const uint32_t *)slot);
    return ACCESS_ONCE(*(const uint64_t *)slot);
}

/* The walker reads a table entry: only RAM types. */
static bool walk_read_entry(void *ctx, uint64_t gpa, unsigned int bytes, uint64_t *e)
{
    struct walk_ctx *c = ctx;
    mfn_t ref;
    const uint8_t *page = frame_get(c->d, gpa >> PAGE_SHIFT, false, &ref);
    if ( !page )
        return false;
    *e = read_entry(page + (gpa & (PAGE_SIZE - 1)), bytes);
    put_page(ref);
    return true;
}

/* The walker sets A/D bits: only in ordinary writable RAM. A read-only
 * table is left alone; that is not a fault. */
static void walk_set_bits(void *ctx, uint64_t gpa, unsigned int bytes, uint64_t bits)
{
    struct walk_ctx *c = ctx;
    mfn_t ref;
    uint8_t *page = frame_get(c->d, gpa >> PAGE_SHIFT, true, &ref);
    void *slot;
    if ( !page )
        return;
    slot = page + (gpa & (PAGE_SIZE - 1));
    if ( bytes == 4 )
        __atomic_fetch_or((uint32_t *)slot, (uint32_t)bits, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_or((uint64_t *)slot, bits, __ATOMIC_SEQ_CST);
    put_page(ref);
    p2m_note_hypervisor_write(c->d, _gfn(gpa >> PAGE_SHIFT));
}

static const struct guest_walk_ops walk_ops = {
    .read_entry = walk_read_entry,
    .set_bits = walk_set_bits,
};

static void walk_init(struct walk_ctx *c, struct vcpu *v, bool write)
{
    struct hvm_guest_state st;
    struct guest_paging p;
    hvm_vendor->get_guest_state(v, &st);
    p = (struct guest_paging){ st.cr0, st.cr3, st.cr4, st.efer, st.cpl == 3 };
    c->v = v;
    c->d = v->domain;
    c->write = write;
    guest_walk_init(&c->gw, &p, write, &walk_ops, c);
}

/* The direct-map address of the byte at va for this access, with a
 * reference on its frame (*ref), or NULL. */
static uint8_t *va_to_ptr(struct walk_ctx *c, uint64_t va, uint64_t *gfn, mfn_t *ref)
{
    uint64_t gpa;
    uint8_t *page;
    if ( guest_walk(&c->gw, va, &gpa) )
        return NULL;
    page = frame_get(c->d, gpa >> PAGE_SHIFT, c->write, ref);
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

#define PFEC_PRESENT 1u
#define PFEC_WRITE   2u
#define PFEC_USER    4u

/*
 * The walker says only that an access fails. A supervisor read of the
 * same address that succeeds means every level is present and the
 * rights refused it (P set); one that fails means something on the path
 * is not present. A failure that is neither is a non-canonical address.
 */
int guest_va_fault_code(struct vcpu *v, uint64_t va, bool write, uint32_t *pfec)
{
    struct walk_ctx c;
    uint64_t gpa;
    bool user;
    walk_init(&c, v, false);
    user = c.gw.user;
    if ( c.gw.fmt && !guest_va_canonical(&c.gw, va) )
        return -EINVAL;
    c.gw.user = false;
    *pfec = (write ? PFEC_WRITE : 0) | (user ? PFEC_USER : 0) |
            (guest_walk(&c.gw, va, &gpa) ? 0 : PFEC_PRESENT);
    return 0;
}

int guest_va_to_gpa(struct vcpu *v, uint64_t va, bool write, uint64_t *gpa)
{
    struct walk_ctx c;
    walk_init(&c, v, write);
    return guest_walk(&c.gw, va, gpa);
}

int copy_from_vcpu(struct vcpu *v, void *dst, uint64_t guest_va, size_t len)
{
    struct walk_ctx c;
    uint8_t *out = dst;
    if ( !len )
        return 0;
    if ( !v || range_wraps(guest_va, len) )
        return -EFAULT;
    walk_init(&c, v, false);
    while ( len )
    {
        size_t n = chunk_len(guest_va, len);
        uint64_t gfn;
        mfn_t ref;
        const uint8_t *src = va_to_ptr(&c, guest_va, &gfn, &ref);
        if ( !src )
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
    while ( len )
    {
        size_t n = chunk_len(va, len);
        uint64_t gfn;
        mfn_t ref;
        if ( !va_to_ptr(c, va, &gfn, &ref) )
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
    if ( !len )
        return 0;
    if ( !v || range_wraps(guest_va, len) )
        return -EFAULT;
    walk_init(&c, v, true);
    if ( check_writable_va(&c, guest_va, len) )
        return -EFAULT;
    while ( len )
    {
        size_t n = chunk_len(guest_va, len);
        uint64_t gfn;
        mfn_t ref;
        uint8_t *dst = va_to_ptr(&c, guest_va, &gfn, &ref);
        if ( !dst )
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

/* The current vCPU's addresses include, during a 32-bit hypercall, the
 * compat translation area (xen/compat.h). */
int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
    void *p;
    if ( !compat_xlat_lookup(current, guest_va, len, &p) )
        return copy_from_vcpu(current, dst, guest_va, len);
    if ( !p )
        return -EFAULT;
    memcpy(dst, p, len);
    return 0;
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
    void *p;
    if ( !compat_xlat_lookup(current, guest_va, len, &p) )
        return copy_to_vcpu(current, guest_va, src, len);
    if ( !p )
        return -EFAULT;
    memcpy(p, src, len);
    return 0;
}

/* ---- by guest-physical address ----------------------------------------- */

int copy_from_gpa(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
    uint8_t *out = dst;
    if ( range_wraps(gpa, len) )
        return -EFAULT;
    while ( len )
    {
        size_t n = chunk_len(gpa, len);
        mfn_t ref;
        const uint8_t *page = frame_get(d, gpa >> PAGE_SHIFT, false, &ref);
        if ( !page )
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
    if ( range_wraps(gpa, len) )
        return -EFAULT;
    for ( uint64_t a = gpa, left = len; left; )
    {
        size_t n = chunk_len(a, left);
        mfn_t ref;
        if ( !frame_get(d, a >> PAGE_SHIFT, true, &ref) )
            return -EFAULT;
        put_page(ref);
        a += n;
        left -= n;
    }
    while ( len )
    {
        size_t n = chunk_len(gpa, len);
        mfn_t ref;
        uint8_t *page = frame_get(d, gpa >> PAGE_SHIFT, true, &ref);
        if ( !page )
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
    void *va = frame_get(d, gfn_x(gfn), writable, &ref);
    if ( va && writable )
        p2m_note_hypervisor_write(d, gfn);
    return va;
}

void unmap_guest_frame(void *va)
{
    put_page(virt_to_mfn(va));
}
