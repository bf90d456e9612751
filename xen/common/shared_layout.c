/*
 * shared_layout.c - the two layouts of shared_info and vcpu_info, taken
 * from the public headers' structs, the latch that picks one per domain,
 * and the accessors (xen/shared_layout.h says which fields differ).
 *
 * Touches only d->has_32bit_shinfo and the memory callers pass in.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/shared_layout.h>
#include <public/xen.h>
#include <public/arch-x86/compat.h>
#include <xen/compat.h>

const struct shinfo_layout shinfo_layout_native = {
    .evtchn_pending = offsetof(struct shared_info, evtchn_pending),
    .evtchn_mask = offsetof(struct shared_info, evtchn_mask),
    .nr_ports = sizeof(((struct shared_info *)0)->evtchn_pending) * 8,
    .sel_offset = offsetof(struct vcpu_info, evtchn_pending_sel),
    .sel_ports = sizeof(xen_ulong_t) * 8,
    .wc_version = offsetof(struct shared_info, wc_version),
    .wc_sec = offsetof(struct shared_info, wc_sec),
    .wc_nsec = offsetof(struct shared_info, wc_nsec),
    .wc_sec_hi = offsetof(struct shared_info, wc_sec_hi),
};

const struct shinfo_layout shinfo_layout_compat = {
    .evtchn_pending = offsetof(struct compat_shared_info, evtchn_pending),
    .evtchn_mask = offsetof(struct compat_shared_info, evtchn_mask),
    .nr_ports = sizeof(((struct compat_shared_info *)0)->evtchn_pending) * 8,
    .sel_offset = offsetof(struct compat_vcpu_info, evtchn_pending_sel),
    .sel_ports = sizeof(compat_ulong_t) * 8,
    .wc_version = offsetof(struct compat_shared_info, wc_version),
    .wc_sec = offsetof(struct compat_shared_info, wc_sec),
    .wc_nsec = offsetof(struct compat_shared_info, wc_nsec),
    .wc_sec_hi = offsetof(struct compat_shared_info, arch.wc_sec_hi),
};

const struct shinfo_layout *shinfo_layout(const struct domain *d)
{
    return ACCESS_ONCE(d->has_32bit_shinfo) ? &shinfo_layout_compat : &shinfo_layout_native;
}

bool shinfo_latch(struct domain *d, bool is_32bit)
{
    bool was = ACCESS_ONCE(d->has_32bit_shinfo);
    ACCESS_ONCE(d->has_32bit_shinfo) = is_32bit;
    return was != is_32bit;
}

uint32_t *shinfo_bit_word(void *shared, unsigned int bitmap, unsigned int port, uint32_t *bit)
{
    *bit = 1U << (port % 32);
    return (uint32_t *)((uint8_t *)shared + bitmap) + port / 32;
}

uint32_t *shinfo_pending_word(const struct domain *d, void *shared, unsigned int port,
                              uint32_t *bit)
{
    return shinfo_bit_word(shared, shinfo_layout(d)->evtchn_pending, port, bit);
}

uint32_t *shinfo_mask_word(const struct domain *d, void *shared, unsigned int port, uint32_t *bit)
{
    return shinfo_bit_word(shared, shinfo_layout(d)->evtchn_mask, port, bit);
}

uint32_t *vcpu_info_sel_word(const struct domain *d, void *vcpu_info, unsigned int port,
                             uint32_t *bit)
{
    const struct shinfo_layout *l = shinfo_layout(d);
    return shinfo_bit_word(vcpu_info, l->sel_offset, port / l->sel_ports, bit);
}

void vcpu_info_sel_fill(const struct domain *d, void *vcpu_info)
{
    const struct shinfo_layout *l = shinfo_layout(d);
    uint32_t *sel = (uint32_t *)((uint8_t *)vcpu_info + l->sel_offset);
    for ( unsigned int i = 0; i < l->sel_ports / 32; i++ )
        __atomic_store_n(&sel[i], ~0U, __ATOMIC_SEQ_CST);
}

void runstate_image(const struct domain *d, const struct vcpu_runstate_info *r,
                    struct runstate_image *img)
{
    if ( shinfo_layout(d) == &shinfo_layout_native )
    {
        img->u.native = *r;
        img->size = sizeof(img->u.native);
        img->entry_offset = offsetof(struct vcpu_runstate_info, state_entry_time);
        return;
    }
    native_to_compat_runstate(r, &img->u.compat);
    img->size = sizeof(img->u.compat);
    img->entry_offset = offsetof(struct compat_vcpu_runstate_info, state_entry_time);
}
