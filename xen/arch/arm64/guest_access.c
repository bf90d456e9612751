/*
 * guest_access.c - reaching an EL1 guest's memory from EL2: by
 * guest-virtual address through the guest's own stage 1 (the MMU does
 * the walk: AT S1E1R / S1E1W, whose table reads go through stage 2 as
 * the guest's would), then by IPA through the p2m with a reference on
 * each frame, as x86's guest_access.c does with its software walk.
 *
 * AT needs the vCPU's EL1 registers and VTTBR_EL2 loaded, so a copy by
 * virtual address works only for the current vCPU (copy_*_vcpu of
 * another is -EFAULT); PAR_EL1, which AT writes, is the guest's and is
 * put back. A copy into the guest translates every page before it
 * writes any. With the guest's stage 1 off, AT gives VA = IPA.
 *
 * May not change any p2m entry; it only looks them up.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/frame.h>
#include <xen/logdirty.h>
#include <xen/guest_access.h>
#include <asm/sysregs.h>

#define PAR_F       (1UL << 0)
#define PAR_PA_MASK 0x000ffffffffff000UL /* PA[51:12] */

static bool get_for_owner(mfn_t m, void *owner)
{
    return get_page(m, *(const domid_t *)owner);
}

static bool type_ok(p2m_type_t t, bool write)
{
    return write ? t == p2m_ram_rw || t == p2m_ram_logdirty : p2m_is_ram(t);
}

/* The hypervisor address of guest frame gfn of d with a reference on it
 * (put_page(*ref) after), or NULL. */
static uint8_t *frame_get(struct domain *d, uint64_t gfn, bool write, mfn_t *ref)
{
    p2m_type_t t;
    mfn_t mfn;
    if ( gfn >= P2M_GFN_LIMIT )
        return NULL;
    mfn = p2m_lookup_get(&d->p2m, _gfn(gfn), &t, get_for_owner, &d->domain_id);
    if ( !mfn_valid_raw(mfn) )
        return NULL;
    if ( !type_ok(t, write) )
    {
        put_page(mfn);
        return NULL;
    }
    *ref = mfn;
    return mfn_to_virt(mfn);
}

static size_t chunk_len(uint64_t addr, size_t left)
{
    return MIN(left, (size_t)(PAGE_SIZE - (addr & (PAGE_SIZE - 1))));
}

static bool range_wraps(uint64_t addr, size_t len)
{
    return len && addr + len - 1 < addr;
}

/* One page's copy by IPA: to (write) or from the guest. */
static int copy_page_gpa(struct domain *d, uint64_t gpa, void *buf, size_t n, bool write)
{
    mfn_t ref;
    uint8_t *page = frame_get(d, gpa >> PAGE_SHIFT, write, &ref);
    if ( !page )
        return -EFAULT;
    if ( write )
        memcpy(page + (gpa & (PAGE_SIZE - 1)), buf, n);
    else
        memcpy(buf, page + (gpa & (PAGE_SIZE - 1)), n);
    put_page(ref);
    if ( write )
        logdirty_note_hypervisor_write(d, gpa >> PAGE_SHIFT);
    return 0;
}

static int check_gpa(struct domain *d, uint64_t gpa, size_t len, bool write)
{
    for ( uint64_t a = gpa, left = len; left; )
    {
        size_t n = chunk_len(a, left);
        mfn_t ref;
        if ( !frame_get(d, a >> PAGE_SHIFT, write, &ref) )
            return -EFAULT;
        put_page(ref);
        a += n;
        left -= n;
    }
    return 0;
}

static int copy_gpa(struct domain *d, uint64_t gpa, void *buf, size_t len, bool write)
{
    uint8_t *p = buf;
    if ( range_wraps(gpa, len) || (write && check_gpa(d, gpa, len, true)) )
        return -EFAULT;
    while ( len )
    {
        size_t n = chunk_len(gpa, len);
        if ( copy_page_gpa(d, gpa, p, n, write) )
            return -EFAULT;
        p += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

int copy_from_gpa(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
    return copy_gpa(d, gpa, dst, len, false);
}

int copy_to_gpa(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
    return copy_gpa(d, gpa, (void *)src, len, true);
}

void *map_guest_frame(struct domain *d, gfn_t gfn, bool writable)
{
    mfn_t ref;
    void *va = frame_get(d, gfn_x(gfn), writable, &ref);
    if ( va && writable )
        logdirty_note_hypervisor_write(d, gfn_x(gfn));
    return va;
}

void unmap_guest_frame(void *va)
{
    put_page(virt_to_mfn(va));
}

/* ---- by virtual address: the current vCPU's stage 1, by AT ------------- */

int guest_va_to_gpa(struct vcpu *v, uint64_t va, bool write, uint64_t *gpa)
{
    uint64_t saved, par;
    if ( v != current )
        return -EFAULT;
    saved = READ_SYSREG(par_el1);
    if ( write )
        asm volatile("at s1e1w, %0" ::"r"(va) : "memory");
    else
        asm volatile("at s1e1r, %0" ::"r"(va) : "memory");
    isb();
    par = READ_SYSREG(par_el1);
    WRITE_SYSREG(saved, par_el1);
    if ( par & PAR_F )
        return -EFAULT;
    *gpa = (par & PAR_PA_MASK) | (va & (PAGE_SIZE - 1));
    return 0;
}

/* x86's #PF error code has no Arm meaning. */
int guest_va_fault_code(struct vcpu *v, uint64_t va, bool write, uint32_t *pfec)
{
    return -EINVAL;
}

static int check_va(struct vcpu *v, uint64_t va, size_t len)
{
    for ( uint64_t a = va, left = len; left; )
    {
        size_t n = chunk_len(a, left);
        uint64_t gpa;
        if ( guest_va_to_gpa(v, a, true, &gpa) || check_gpa(v->domain, gpa, n, true) )
            return -EFAULT;
        a += n;
        left -= n;
    }
    return 0;
}

static int copy_va(struct vcpu *v, uint64_t va, void *buf, size_t len, bool write)
{
    uint8_t *p = buf;
    if ( range_wraps(va, len) || (write && check_va(v, va, len)) )
        return -EFAULT;
    while ( len )
    {
        size_t n = chunk_len(va, len);
        uint64_t gpa;
        if ( guest_va_to_gpa(v, va, write, &gpa) || copy_page_gpa(v->domain, gpa, p, n, write) )
            return -EFAULT;
        p += n;
        va += n;
        len -= n;
    }
    return 0;
}

int copy_from_vcpu(struct vcpu *v, void *dst, uint64_t guest_va, size_t len)
{
    return copy_va(v, guest_va, dst, len, false);
}

int copy_to_vcpu(struct vcpu *v, uint64_t guest_va, const void *src, size_t len)
{
    return copy_va(v, guest_va, (void *)src, len, true);
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
    return current ? copy_from_vcpu(current, dst, guest_va, len) : -EFAULT;
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
    return current ? copy_to_vcpu(current, guest_va, src, len) : -EFAULT;
}
