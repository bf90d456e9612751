/*
 * compat_xlat.c - the conversions between the 32-bit (compat) layouts of
 * public/arch-x86/compat.h and the native x86-64 ones: one function per
 * struct that differs, each a plain field-by-field copy.
 *
 * Pure functions of their arguments: no guest memory, no hypervisor
 * state, so the host unit tests (tools/tests/test-compat.c) run them as
 * they are. Guest handles are widened by zero extension; the native
 * structs' padding is always zero, so the native handlers' checks of it
 * pass. Padding a 32-bit guest leaves in its own structs is not read, as
 * in Xen.
 */
#include <xen/lib.h>
#include <xen/compat.h>

void compat_to_native_reservation(const struct compat_memory_reservation *c, uint64_t extent_start,
                                  uint64_t nr_extents, struct xen_memory_reservation *n)
{
    *n = (struct xen_memory_reservation){
        .extent_start = extent_start,
        .nr_extents = nr_extents,
        .extent_order = c->extent_order,
        .mem_flags = c->mem_flags,
        .domid = c->domid,
    };
}

void compat_to_native_add_to_physmap(const struct compat_add_to_physmap *c,
                                     struct xen_add_to_physmap *n)
{
    *n = (struct xen_add_to_physmap){
        .domid = c->domid,
        .size = c->size,
        .space = c->space,
        .idx = c->idx,
        .gpfn = c->gpfn,
    };
}

void compat_to_native_batch(const struct compat_add_to_physmap_batch *c, uint16_t size,
                            uint64_t idxs, uint64_t gpfns, uint64_t errs,
                            struct xen_add_to_physmap_batch *n)
{
    *n = (struct xen_add_to_physmap_batch){
        .domid = c->domid,
        .space = c->space,
        .size = size,
        .u.foreign_domid = c->u.foreign_domid,
        .idxs = idxs,
        .gpfns = gpfns,
        .errs = errs,
    };
}

void compat_to_native_remove_from_physmap(const struct compat_remove_from_physmap *c,
                                          struct xen_remove_from_physmap *n)
{
    *n = (struct xen_remove_from_physmap){ .domid = c->domid, .gpfn = c->gpfn };
}

void compat_to_native_memory_map(const struct compat_memory_map *c, struct xen_memory_map *n)
{
    *n = (struct xen_memory_map){ .nr_entries = c->nr_entries, .buffer = c->buffer };
}

void native_to_compat_memory_map(const struct xen_memory_map *n, struct compat_memory_map *c)
{
    c->nr_entries = n->nr_entries; /* the buffer handle is the guest's own */
}

void native_to_compat_platform_parameters(const struct xen_platform_parameters *n,
                                          struct compat_platform_parameters *c)
{
    c->virt_start = (compat_ulong_t)n->virt_start;
}

void compat_to_native_sched_poll(const struct compat_sched_poll *c, struct sched_poll *n)
{
    *n = (struct sched_poll){ .ports = c->ports, .nr_ports = c->nr_ports, .timeout = c->timeout };
}

void compat_to_native_singleshot(const struct compat_vcpu_set_singleshot_timer *c,
                                 struct vcpu_set_singleshot_timer *n)
{
    *n = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = c->timeout_abs_ns,
                                             .flags = c->flags };
}

void compat_to_native_memory_area(const struct compat_vcpu_register_memory_area *c,
                                  uint64_t *native_addr)
{
    *native_addr = c->addr;
}

void native_to_compat_runstate(const struct vcpu_runstate_info *n,
                               struct compat_vcpu_runstate_info *c)
{
    c->state = n->state;
    c->state_entry_time = n->state_entry_time;
    for ( unsigned int i = 0; i < ARRAY_SIZE(c->time); i++ )
        c->time[i] = n->time[i];
}

void compat_to_native_dm_bufs(const struct compat_dm_op_buf *c, unsigned int nr,
                              struct xen_dm_op_buf *n)
{
    for ( unsigned int i = 0; i < nr; i++ )
        n[i] = (struct xen_dm_op_buf){ .h = c[i].h, .size = c[i].size };
}

void compat_to_native_setup_table(const struct compat_gnttab_setup_table *c, uint64_t frame_list,
                                  struct gnttab_setup_table *n)
{
    *n = (struct gnttab_setup_table){ .dom = c->dom,
                                      .nr_frames = c->nr_frames,
                                      .frame_list = frame_list };
}

void native_to_compat_setup_table(const struct gnttab_setup_table *n,
                                  struct compat_gnttab_setup_table *c)
{
    c->status = n->status; /* the only output; the frames go separately */
}

/* The union's 32 bits are a grant reference or a frame: widening the
 * frame carries either. */
static void copy_ptr(const struct compat_gnttab_copy_ptr *c, struct gnttab_copy_ptr *n)
{
    *n = (struct gnttab_copy_ptr){ .u.gmfn = c->u.gmfn, .domid = c->domid, .offset = c->offset };
}

void compat_to_native_gnttab_copy(const struct compat_gnttab_copy *c, struct gnttab_copy *n)
{
    *n = (struct gnttab_copy){ .len = c->len, .flags = c->flags, .status = c->status };
    copy_ptr(&c->source, &n->source);
    copy_ptr(&c->dest, &n->dest);
}

void compat_narrow(const uint64_t *n, unsigned int nr, uint32_t *c)
{
    for ( unsigned int i = 0; i < nr; i++ )
        c[i] = (uint32_t)n[i];
}

void compat_widen(const uint32_t *c, unsigned int nr, uint64_t *n)
{
    for ( unsigned int i = 0; i < nr; i++ )
        n[i] = c[i];
}
