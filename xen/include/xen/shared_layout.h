/*
 * shared_layout.h - where the guest-visible fields of shared_info and
 * vcpu_info are, for the layout a domain has latched: the 64-bit one
 * (public/xen.h) or the 32-bit one (public/arch-x86/compat.h).
 *
 * As Xen does for HVM guests, a domain's layout is latched from the mode
 * of its own vCPU when it writes the hypercall-page MSR or sets
 * HVM_PARAM_CALLBACK_IRQ: not in 64-bit mode means the 32-bit layout
 * (shinfo_latch). Nothing is converted when it changes; guests set the
 * layout up before they use events.
 *
 * What differs: the 2-level bitmaps are arrays of 32-bit words for a
 * 32-bit guest (1024 ports; the mask at another offset), the selector in
 * vcpu_info is 32 bits at offset 4 with one bit per 32 ports, and the
 * wallclock sits elsewhere. The pending bitmap starts at the same offset
 * and, being little-endian, puts each port's bit in the same byte in both
 * layouts; the accessors still go through the table so a caller never
 * needs to know. Every bit is reached as a 32-bit word, which is an
 * atomic unit in both layouts.
 *
 * The runstate area has a 32-bit layout too, chosen by the same latch
 * (runstate_image).
 *
 * Event-channel, time and runstate code should reach these fields only through
 * these accessors. This header and shared_layout.c touch nothing but the
 * shared page passed in and d->has_32bit_shinfo.
 */
#ifndef XEN_SHARED_LAYOUT_H
#define XEN_SHARED_LAYOUT_H

#include <xen/types.h>
#include <public/vcpu.h>
#include <public/arch-x86/compat.h>

struct domain;

struct shinfo_layout
{
    unsigned int evtchn_pending; /* byte offset of the pending bitmap */
    unsigned int evtchn_mask;    /* byte offset of the mask bitmap */
    unsigned int nr_ports;       /* 2-level ports the bitmaps hold */
    unsigned int sel_offset;     /* evtchn_pending_sel within vcpu_info */
    unsigned int sel_ports;      /* ports per selector bit (the word size) */
    unsigned int wc_version, wc_sec, wc_nsec, wc_sec_hi; /* byte offsets */
};

extern const struct shinfo_layout shinfo_layout_native, shinfo_layout_compat;

const struct shinfo_layout *shinfo_layout(const struct domain *d);

/*
 * Latch d's layout: is_32bit is the mode of d's own vCPU making the call.
 * Returns whether the layout changed: then whoever keeps fields in the
 * page (the wallclock) must write them again at the new offsets, as Xen
 * does (update_domain_wallclock_time).
 */
bool shinfo_latch(struct domain *d, bool is_32bit);

/*
 * The 32-bit word of the bitmap at byte offset 'bitmap' in the page
 * shared that holds port's bit; *bit is that bit's mask. port must be
 * below the layout's nr_ports (the caller's check).
 */
uint32_t *shinfo_bit_word(void *shared, unsigned int bitmap, unsigned int port, uint32_t *bit);

/* The same for the pending and mask bitmaps of d's layout. */
uint32_t *shinfo_pending_word(const struct domain *d, void *shared, unsigned int port,
                              uint32_t *bit);
uint32_t *shinfo_mask_word(const struct domain *d, void *shared, unsigned int port, uint32_t *bit);

/* The 32-bit word of the selector in a vcpu_info (in shared_info or
 * registered elsewhere) that covers port, and the bit for it. */
uint32_t *vcpu_info_sel_word(const struct domain *d, void *vcpu_info, unsigned int port,
                             uint32_t *bit);

/* Set every selector bit of a vcpu_info, in the width of d's layout (a
 * 32-bit guest's selector is 4 bytes; its arch.cr2 follows). */
void vcpu_info_sel_fill(const struct domain *d, void *vcpu_info);

/*
 * A vcpu_runstate_info as d's guest reads it in a registered runstate
 * area: the 48-byte native layout, or for a domain with the 32-bit
 * shared_info layout the 44-byte compat one (state_entry_time at 4), as
 * Xen does. size is what to copy, entry_offset where state_entry_time is.
 */
struct runstate_image
{
    union
    {
        struct vcpu_runstate_info native;
        struct compat_vcpu_runstate_info compat;
    } u;
    unsigned int size, entry_offset;
};

void runstate_image(const struct domain *d, const struct vcpu_runstate_info *r,
                    struct runstate_image *img);

#endif /* XEN_SHARED_LAYOUT_H */
