/*
 * compat.h - hypercalls from 32-bit guests (Xen's "compat" ABI): the
 * translation area, the layer in front of the native handlers, and the
 * pure struct conversions it is made of.
 *
 * The arch marks a vCPU's hypercall as compat when the vCPU is not in
 * 64-bit mode (v->hcall_compat, for the duration of the call). The
 * dispatcher then hands the call to compat_dispatch() instead of the
 * native caller. For each hypercall family it knows (compat.c), a command
 * whose structs have the same layout in both modes goes straight to the
 * native handler; one whose structs differ is translated: the compat
 * struct is read from the guest, the native one is built in the vCPU's
 * translation area, and the native handler is called with that area's
 * address, which copy_{from,to}_guest recognise (a 32-bit guest can never
 * name an address above 4 GiB, so the window cannot be a guest address).
 * Results are translated back. A hypercall or command the layer does not
 * list is refused (-ENOSYS) to 32-bit guests: its layouts are unchecked.
 *
 * This header and compat_xlat.c touch no hypervisor state; compat.c
 * touches only the current vCPU's translation area and the guest memory
 * its arguments name.
 */
#ifndef XEN_COMPAT_H
#define XEN_COMPAT_H

#include <xen/types.h>
#include <public/xen.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/hvm/dm_op.h>
#include <public/grant_table.h>
#include <public/arch-x86/compat.h>

struct vcpu;

/*
 * The translation area: one page per vCPU, seen by the native handlers at
 * COMPAT_XLAT_VA. A translated struct goes at the start, arrays from
 * COMPAT_XLAT_ARRAY on.
 */
#define COMPAT_XLAT_VA    0x00007ff000000000ULL
#define COMPAT_XLAT_SIZE  4096U
#define COMPAT_XLAT_ARRAY 128U
#define COMPAT_XLAT_SLOTS ((COMPAT_XLAT_SIZE - COMPAT_XLAT_ARRAY) / sizeof(uint64_t))

/* Is the current vCPU's hypercall a 32-bit one? */
bool hypercall_is_compat(void);

/*
 * For guest access: if [va, va + len) is in v's translation window during
 * a compat hypercall, return true and set *p to the bytes (NULL if the
 * range is not wholly inside: a fault). Otherwise false.
 */
bool compat_xlat_lookup(struct vcpu *v, uint64_t va, size_t len, void **p);

/* The vCPU's area goes with it. */
void compat_vcpu_destroy(struct vcpu *v);

/* Run hypercall nr for a 32-bit caller, in front of native (the typed
 * caller the dispatcher would have used). */
long compat_dispatch(uint64_t nr, long (*native)(const uint64_t *args), const uint64_t *args);

/* ---- pure conversions (compat_xlat.c; host-tested) --------------------- */

void compat_to_native_reservation(const struct compat_memory_reservation *c, uint64_t extent_start,
                                  uint64_t nr_extents, struct xen_memory_reservation *n);
void compat_to_native_add_to_physmap(const struct compat_add_to_physmap *c,
                                     struct xen_add_to_physmap *n);
void compat_to_native_batch(const struct compat_add_to_physmap_batch *c, uint16_t size,
                            uint64_t idxs, uint64_t gpfns, uint64_t errs,
                            struct xen_add_to_physmap_batch *n);
void compat_to_native_remove_from_physmap(const struct compat_remove_from_physmap *c,
                                          struct xen_remove_from_physmap *n);
void compat_to_native_memory_map(const struct compat_memory_map *c, struct xen_memory_map *n);
void native_to_compat_memory_map(const struct xen_memory_map *n, struct compat_memory_map *c);
void native_to_compat_platform_parameters(const struct xen_platform_parameters *n,
                                          struct compat_platform_parameters *c);
void compat_to_native_sched_poll(const struct compat_sched_poll *c, struct sched_poll *n);
void compat_to_native_singleshot(const struct compat_vcpu_set_singleshot_timer *c,
                                 struct vcpu_set_singleshot_timer *n);
void compat_to_native_memory_area(const struct compat_vcpu_register_memory_area *c,
                                  uint64_t *native_addr);
void native_to_compat_runstate(const struct vcpu_runstate_info *n,
                               struct compat_vcpu_runstate_info *c);
void compat_to_native_dm_bufs(const struct compat_dm_op_buf *c, unsigned int nr,
                              struct xen_dm_op_buf *n);
void compat_to_native_setup_table(const struct compat_gnttab_setup_table *c, uint64_t frame_list,
                                  struct gnttab_setup_table *n);
void native_to_compat_setup_table(const struct gnttab_setup_table *n,
                                  struct compat_gnttab_setup_table *c);
void compat_to_native_gnttab_copy(const struct compat_gnttab_copy *c, struct gnttab_copy *n);
/* A 32-bit guest's array of unsigned longs or frame numbers, widened. */
void compat_widen(const uint32_t *c, unsigned int nr, uint64_t *n);
/* Frame numbers back to a 32-bit guest (the upper halves dropped; ~0, the
 * "no frame" answer, becomes 32 bits of ones). */
void compat_narrow(const uint64_t *n, unsigned int nr, uint32_t *c);

#endif /* XEN_COMPAT_H */
