/*
 * compat.c - the 32-bit (compat) hypercall layer: for every hypercall
 * family a table of the commands a 32-bit guest may issue, each either
 * SAME (the structs have one layout in both modes: the native handler
 * runs on the guest's own memory) or XLAT (a function below translates
 * in and out around the native handler). How the translation area works
 * is in xen/compat.h; the conversions themselves are compat_xlat.c's.
 *
 * Adding a command: one row, SAME(cmd) after checking the layouts in
 * public/arch-x86/compat.h's "same layout" section, or XLAT(cmd, fn) with
 * a compat struct there and a conversion in compat_xlat.c. A hypercall
 * without a family row, or a command without a row, is -ENOSYS for a
 * 32-bit guest.
 *
 * A guest struct that cannot be read is -EFAULT, as the native handler
 * would say first (the reservation ops' count of 0, as theirs does); an array that cannot be read is handed to the native
 * handler as an address that faults (COMPAT_BAD_VA), so that it reports
 * the fault in its own order among its other checks.
 *
 * This file touches the current vCPU's translation area and guest memory
 * through copy_{from,to}_guest only; no other state, and no lock.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/reservation.h>
#include <xen/compat.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/grant_table.h>

/* Non-canonical: no guest page walk reaches it. */
#define COMPAT_BAD_VA 0x8000000000000000ULL

/* Entries of a guest array read per copy. */
#define COMPAT_CHUNK 64U

struct compat_call
{
    uint64_t args[HYPERCALL_MAX_ARGS]; /* what the native handler gets */
    uint64_t guest;                    /* the guest's struct pointer */
    unsigned int ptr;                  /* which argument that is */
    long (*native)(const uint64_t *args);
    uint8_t *area; /* the translation area, at COMPAT_XLAT_VA */
};

typedef long compat_xlat_fn(struct compat_call *c);

struct compat_op
{
    uint32_t cmd;
    compat_xlat_fn *xlat; /* NULL: same layout in both modes */
};

struct compat_family
{
    uint64_t nr;
    unsigned int cmd_arg, ptr_arg;
    uint32_t cmd_mask;
    const struct compat_op *ops; /* NULL: every command passes */
    size_t nr_ops;
    compat_xlat_fn *whole; /* translates the whole call instead */
};

/* ---- the area ---------------------------------------------------------- */

bool hypercall_is_compat(void)
{
    return current && current->hcall_compat;
}

bool compat_xlat_lookup(struct vcpu *v, uint64_t va, size_t len, void **p)
{
    uint64_t off = va - COMPAT_XLAT_VA;
    if ( !v || !v->hcall_compat || !v->compat_xlat )
        return false;
    if ( va >= COMPAT_XLAT_VA + COMPAT_XLAT_SIZE || va + len <= COMPAT_XLAT_VA )
        return false;
    *p = va >= COMPAT_XLAT_VA && len <= COMPAT_XLAT_SIZE && off <= COMPAT_XLAT_SIZE - len
             ? (uint8_t *)v->compat_xlat + off
             : NULL;
    return true;
}

void compat_vcpu_destroy(struct vcpu *v)
{
    xfree(v->compat_xlat);
    v->compat_xlat = NULL;
}

static uint64_t area_va(unsigned int off)
{
    return COMPAT_XLAT_VA + off;
}

static uint64_t *area_slots(struct compat_call *c)
{
    return (uint64_t *)(c->area + COMPAT_XLAT_ARRAY);
}

static long call_native(struct compat_call *c, uint64_t va)
{
    c->args[c->ptr] = va;
    return c->native(c->args);
}

/*
 * Widen entries [from, to) of a guest array of 32-bit values at handle
 * into slots[0..). Returns how many were read (short at the first one
 * that faults).
 */
static uint64_t read_array32(uint64_t handle, uint64_t from, uint64_t to, uint64_t *slots)
{
    uint32_t buf[COMPAT_CHUNK];
    uint64_t i = from;
    while ( i < to )
    {
        unsigned int n = (unsigned int)MIN((uint64_t)COMPAT_CHUNK, to - i);
        if ( copy_from_guest(buf, handle + i * sizeof(buf[0]), n * sizeof(buf[0])) )
            n = 1; /* find the exact entry that faults, one at a time */
        if ( n == 1 && copy_from_guest(buf, handle + i * sizeof(buf[0]), sizeof(buf[0])) )
            break;
        compat_widen(buf, n, slots + (i - from));
        i += n;
    }
    return i - from;
}

/* ---- memory_op ----------------------------------------------------------- */

/*
 * populate_physmap, decrease_reservation (and increase_reservation): the
 * frame list is widened COMPAT_XLAT_SLOTS entries at a time. The native
 * handler indexes it from the resume point in the command, so it is given
 * a base that puts entry 'start' at the first slot; when a slice is done
 * and more remain, the call continues from there (-ERESTART).
 */
static long xlat_reservation(struct compat_call *c)
{
    struct compat_memory_reservation cr;
    struct xen_memory_reservation *nr = (void *)c->area;
    uint64_t start = c->args[0] >> MEMOP_EXTENT_SHIFT, end, got, base;
    long rc;
    if ( copy_from_guest(&cr, c->guest, sizeof(cr)) )
        return (long)start; /* as the native call (and Xen's compat one): a count */
    end = start > cr.nr_extents ? cr.nr_extents : MIN(cr.nr_extents, start + COMPAT_XLAT_SLOTS);
    got = start < end ? read_array32(cr.extent_start, start, end, area_slots(c)) : 0;
    base = area_va(COMPAT_XLAT_ARRAY) - start * sizeof(uint64_t);
    if ( start < end && !got )
        base = COMPAT_BAD_VA; /* the first entry faults: the handler says so */
    compat_to_native_reservation(&cr, base, start < end && got ? start + got : end, nr);
    rc = call_native(c, area_va(0));
    if ( rc == (long)end && end < cr.nr_extents && start + got == end )
    {
        hypercall_set_arg(0, (c->args[0] & ((1U << MEMOP_EXTENT_SHIFT) - 1)) |
                                 (end << MEMOP_EXTENT_SHIFT));
        return -ERESTART;
    }
    return rc;
}

static long xlat_add_to_physmap(struct compat_call *c)
{
    struct compat_add_to_physmap cx;
    if ( copy_from_guest(&cx, c->guest, sizeof(cx)) )
        return -EFAULT;
    compat_to_native_add_to_physmap(&cx, (void *)c->area);
    return call_native(c, area_va(0));
}

/* The index and frame lists are widened COMPAT_CHUNK entries at a time,
 * each slice a native call of its own; the error list has one layout in
 * both modes and is written in place. */
static long xlat_batch(struct compat_call *c)
{
    struct compat_add_to_physmap_batch cb;
    uint64_t *idxs = area_slots(c), *gpfns = idxs + COMPAT_CHUNK;
    unsigned int done = 0;
    long rc = 0;
    if ( copy_from_guest(&cb, c->guest, sizeof(cb)) )
        return -EFAULT;
    do
    {
        unsigned int n = MIN(COMPAT_CHUNK, (unsigned int)cb.size - done);
        bool ok = read_array32(cb.idxs, done, done + n, idxs) == n &&
                  read_array32(cb.gpfns, done, done + n, gpfns) == n;
        compat_to_native_batch(&cb, (uint16_t)n, ok ? area_va(COMPAT_XLAT_ARRAY) : COMPAT_BAD_VA,
                               ok ? area_va(COMPAT_XLAT_ARRAY + COMPAT_CHUNK * 8) : COMPAT_BAD_VA,
                               (uint64_t)cb.errs + done * sizeof(int32_t), (void *)c->area);
        rc = call_native(c, area_va(0));
        done += n;
    } while ( !rc && done < cb.size );
    return rc;
}

static long xlat_remove_from_physmap(struct compat_call *c)
{
    struct compat_remove_from_physmap cr;
    if ( copy_from_guest(&cr, c->guest, sizeof(cr)) )
        return -EFAULT;
    compat_to_native_remove_from_physmap(&cr, (void *)c->area);
    return call_native(c, area_va(0));
}

/* The e820 entries have one layout in both modes: the native handler
 * writes them to the guest's buffer itself; the count comes back here. */
static long xlat_memory_map(struct compat_call *c)
{
    struct compat_memory_map cm;
    long rc;
    if ( copy_from_guest(&cm, c->guest, sizeof(cm)) )
        return -EFAULT;
    compat_to_native_memory_map(&cm, (void *)c->area);
    rc = call_native(c, area_va(0));
    if ( rc )
        return rc;
    native_to_compat_memory_map((void *)c->area, &cm);
    return copy_to_guest(c->guest, &cm, sizeof(cm)) ? -EFAULT : 0;
}

/* ---- xen_version, vcpu_op, sched_op, dm_op -------------------------------- */

static long xlat_platform_parameters(struct compat_call *c)
{
    struct compat_platform_parameters cp;
    long rc = call_native(c, area_va(0));
    if ( rc )
        return rc;
    native_to_compat_platform_parameters((void *)c->area, &cp);
    return copy_to_guest(c->guest, &cp, sizeof(cp)) ? -EFAULT : 0;
}

static long xlat_singleshot(struct compat_call *c)
{
    struct compat_vcpu_set_singleshot_timer cs;
    if ( copy_from_guest(&cs, c->guest, sizeof(cs)) )
        return -EFAULT;
    compat_to_native_singleshot(&cs, (void *)c->area);
    return call_native(c, area_va(0));
}

static long xlat_memory_area(struct compat_call *c)
{
    struct compat_vcpu_register_memory_area ca;
    if ( copy_from_guest(&ca, c->guest, sizeof(ca)) )
        return -EFAULT;
    compat_to_native_memory_area(&ca, (uint64_t *)c->area);
    return call_native(c, area_va(0));
}

static long xlat_runstate_info(struct compat_call *c)
{
    struct compat_vcpu_runstate_info cr;
    long rc = call_native(c, area_va(0));
    if ( rc )
        return rc;
    native_to_compat_runstate((void *)c->area, &cr);
    return copy_to_guest(c->guest, &cr, sizeof(cr)) ? -EFAULT : 0;
}

static long xlat_sched_poll(struct compat_call *c)
{
    struct compat_sched_poll cp;
    if ( copy_from_guest(&cp, c->guest, sizeof(cp)) )
        return -EFAULT;
    compat_to_native_sched_poll(&cp, (void *)c->area);
    return call_native(c, area_va(0));
}

/* dm_op(domid, nr_bufs, bufs): the buffer list is translated; a count the
 * area cannot hold goes through untouched, for the handler to refuse. */
static long xlat_dm_op(struct compat_call *c)
{
    struct compat_dm_op_buf cb[16];
    uint64_t nr = c->args[1];
    if ( !nr || nr > ARRAY_SIZE(cb) )
        return c->native(c->args);
    if ( copy_from_guest(cb, c->guest, nr * sizeof(cb[0])) )
        return call_native(c, COMPAT_BAD_VA);
    compat_to_native_dm_bufs(cb, (unsigned int)nr, (void *)c->area);
    return call_native(c, area_va(0));
}

/* ---- grant_table_op(cmd, uop, count) -------------------------------------- */

/* One struct (count 1); the frames come back through the area and are
 * narrowed into the guest's 32-bit list, as the native handler would
 * write them: a list that cannot be written is GNTST_bad_virt_addr. */
static long xlat_setup_table(struct compat_call *c)
{
    struct compat_gnttab_setup_table cs;
    struct gnttab_setup_table *ns = (void *)c->area;
    uint32_t frames[COMPAT_CHUNK];
    long rc;
    if ( c->args[2] != 1 )
        return c->native(c->args); /* refused there */
    if ( copy_from_guest(&cs, c->guest, sizeof(cs)) )
        return -EFAULT;
    compat_to_native_setup_table(
        &cs, cs.nr_frames <= COMPAT_CHUNK ? area_va(COMPAT_XLAT_ARRAY) : COMPAT_BAD_VA, ns);
    rc = call_native(c, area_va(0));
    if ( rc )
        return rc;
    if ( ns->status == GNTST_okay && cs.nr_frames )
    {
        compat_narrow(area_slots(c), cs.nr_frames, frames);
        if ( copy_to_guest(cs.frame_list, frames, cs.nr_frames * sizeof(frames[0])) )
            ns->status = GNTST_bad_virt_addr;
    }
    native_to_compat_setup_table(ns, &cs);
    return copy_to_guest(c->guest, &cs, sizeof(cs)) ? -EFAULT : 0;
}

/*
 * An array of count copies, translated COMPAT_GNTTAB_SLICE at a time: each
 * slice is one native call small enough that the native handler never
 * continues it itself (it would rewrite uop with an area address); the
 * layer continues in the guest's own stride instead. A copy that cannot
 * be read ends the call with -EFAULT after the ones before it.
 */
#define COMPAT_GNTTAB_SLICE 16U

static unsigned int read_copies(uint64_t uop, unsigned int n, struct gnttab_copy *nc)
{
    struct compat_gnttab_copy cc;
    for ( unsigned int i = 0; i < n; i++ )
    {
        if ( copy_from_guest(&cc, uop + i * sizeof(cc), sizeof(cc)) )
            return i;
        compat_to_native_gnttab_copy(&cc, &nc[i]);
    }
    return n;
}

static long write_statuses(uint64_t uop, unsigned int n, const struct gnttab_copy *nc)
{
    for ( unsigned int i = 0; i < n; i++ )
        if ( copy_to_guest(uop + i * sizeof(struct compat_gnttab_copy) +
                               offsetof(struct compat_gnttab_copy, status),
                           &nc[i].status, sizeof(nc[i].status)) )
            return -EFAULT;
    return 0;
}

static long xlat_gnttab_copy(struct compat_call *c)
{
    struct gnttab_copy *nc = (void *)c->area;
    uint64_t uop = c->args[1], count = c->args[2];
    unsigned int n = (unsigned int)MIN(count, (uint64_t)COMPAT_GNTTAB_SLICE), got;
    long rc;
    if ( (int32_t)count < 0 )
        return c->native(c->args); /* refused there */
    got = read_copies(uop, n, nc);
    c->args[2] = got;
    rc = call_native(c, area_va(0));
    if ( !rc )
        rc = write_statuses(uop, got, nc);
    if ( rc || got < n )
        return rc ? rc : -EFAULT;
    if ( n == count )
        return 0;
    hypercall_set_arg(1, uop + n * sizeof(struct compat_gnttab_copy));
    hypercall_set_arg(2, count - n);
    return -ERESTART;
}

_Static_assert(COMPAT_GNTTAB_SLICE * sizeof(struct gnttab_copy) <= COMPAT_XLAT_SIZE,
               "a slice of copies fits the area");
_Static_assert(COMPAT_CHUNK * sizeof(uint64_t) <= COMPAT_XLAT_SIZE - COMPAT_XLAT_ARRAY,
               "a grant frame list fits the area");

/* ---- the tables ---------------------------------------------------------- */

/* clang-format off */
#define SAME(cmd)     { (cmd), NULL }
#define XLAT(cmd, fn) { (cmd), (fn) }

static const struct compat_op memory_ops[] = {
    XLAT(XENMEM_increase_reservation,  xlat_reservation),
    XLAT(XENMEM_decrease_reservation,  xlat_reservation),
    XLAT(XENMEM_populate_physmap,      xlat_reservation),
    SAME(XENMEM_maximum_ram_page),
    SAME(XENMEM_current_reservation),
    SAME(XENMEM_maximum_reservation),
    SAME(XENMEM_maximum_gpfn),
    XLAT(XENMEM_add_to_physmap,        xlat_add_to_physmap),
    XLAT(XENMEM_add_to_physmap_batch,  xlat_batch),
    XLAT(XENMEM_remove_from_physmap,   xlat_remove_from_physmap),
    XLAT(XENMEM_memory_map,            xlat_memory_map),
};

static const struct compat_op version_ops[] = {
    SAME(XENVER_version),     SAME(XENVER_extraversion), SAME(XENVER_compile_info),
    SAME(XENVER_capabilities), SAME(XENVER_changeset),
    XLAT(XENVER_platform_parameters, xlat_platform_parameters),
    SAME(XENVER_get_features), SAME(XENVER_pagesize),    SAME(XENVER_guest_handle),
    SAME(XENVER_commandline), SAME(XENVER_build_id),
};

/* register_runstate_memory_area takes the low half of its 8 bytes; the
 * area is then written in the 32-bit layout (runstate.c). _phys_area is
 * not implemented natively either. */
static const struct compat_op vcpu_ops[] = {
    SAME(VCPUOP_initialise),  SAME(VCPUOP_up),     SAME(VCPUOP_down),
    SAME(VCPUOP_is_up),
    XLAT(VCPUOP_get_runstate_info,              xlat_runstate_info),
    SAME(VCPUOP_set_periodic_timer),             SAME(VCPUOP_stop_periodic_timer),
    XLAT(VCPUOP_set_singleshot_timer,            xlat_singleshot),
    SAME(VCPUOP_stop_singleshot_timer),          SAME(VCPUOP_register_vcpu_info),
    SAME(VCPUOP_send_nmi),                       SAME(VCPUOP_get_physid),
    XLAT(VCPUOP_register_vcpu_time_memory_area,  xlat_memory_area),
    XLAT(VCPUOP_register_runstate_memory_area,   xlat_memory_area),
    SAME(VCPUOP_register_vcpu_time_phys_area),
};

static const struct compat_op sched_ops[] = {
    SAME(SCHEDOP_yield),           SAME(SCHEDOP_block),         SAME(SCHEDOP_shutdown),
    XLAT(SCHEDOP_poll, xlat_sched_poll),
    SAME(SCHEDOP_remote_shutdown), SAME(SCHEDOP_shutdown_code), SAME(SCHEDOP_watchdog),
    SAME(SCHEDOP_pin_override),
};

static const struct compat_op evtchn_ops[] = {
    SAME(EVTCHNOP_bind_interdomain), SAME(EVTCHNOP_bind_virq),    SAME(EVTCHNOP_bind_pirq),
    SAME(EVTCHNOP_close),            SAME(EVTCHNOP_send),         SAME(EVTCHNOP_status),
    SAME(EVTCHNOP_alloc_unbound),    SAME(EVTCHNOP_bind_ipi),     SAME(EVTCHNOP_bind_vcpu),
    SAME(EVTCHNOP_unmask),           SAME(EVTCHNOP_reset),        SAME(EVTCHNOP_init_control),
    SAME(EVTCHNOP_expand_array),     SAME(EVTCHNOP_set_priority), SAME(EVTCHNOP_reset_cont),
};

static const struct compat_op hvm_ops[] = {
    SAME(HVMOP_set_param),   SAME(HVMOP_get_param),   SAME(HVMOP_flush_tlbs),
    SAME(HVMOP_get_mem_type), SAME(HVMOP_set_evtchn_upcall_vector),
};

/* The native handler continues map and unmap batches by rewriting the
 * guest's own uop and count, which is right for these (same stride). */
static const struct compat_op gnttab_ops[] = {
    SAME(GNTTABOP_map_grant_ref),   SAME(GNTTABOP_unmap_grant_ref),
    XLAT(GNTTABOP_setup_table, xlat_setup_table),
    XLAT(GNTTABOP_copy,        xlat_gnttab_copy),
    SAME(GNTTABOP_query_size),      SAME(GNTTABOP_set_version),
    SAME(GNTTABOP_get_version),
};

/* set_timer_op's 64-bit deadline comes in two registers (EBX low, ECX
 * high), as in Xen's 32-bit ABI. */
static long xlat_set_timer_op(struct compat_call *c)
{
    c->args[0] = (uint32_t)c->args[0] | ((uint64_t)(uint32_t)c->args[1] << 32);
    return c->native(c->args);
}

#define FAMILY(name, cmd, ptr, mask, ops) \
    { __HYPERVISOR_##name, (cmd), (ptr), (mask), (ops), ARRAY_SIZE(ops), NULL }
#define FAMILY_SAME(name)        { __HYPERVISOR_##name, 0, 0, 0, NULL, 0, NULL }
#define FAMILY_WHOLE(name, fn, ptr) { __HYPERVISOR_##name, 0, (ptr), 0, NULL, 0, (fn) }

static const struct compat_family families[] = {
    FAMILY(memory_op,        0, 1, (1U << MEMOP_EXTENT_SHIFT) - 1, memory_ops),
    FAMILY(xen_version,      0, 1, ~0U, version_ops),
    FAMILY(vcpu_op,          0, 2, ~0U, vcpu_ops),
    FAMILY(sched_op,         0, 1, ~0U, sched_ops),
    FAMILY(event_channel_op, 0, 1, ~0U, evtchn_ops),
    FAMILY(hvm_op,           0, 1, ~0U, hvm_ops),
    FAMILY(grant_table_op,   0, 1, ~0U, gnttab_ops),
    FAMILY_SAME(console_io), /* scalars and a byte buffer */
    FAMILY_SAME(domctl),     /* explicit 64-bit layouts, as Xen's toolstack ABI */
    FAMILY_SAME(sysctl),
    FAMILY_WHOLE(dm_op, xlat_dm_op, 2),
    FAMILY_SAME(vm_assist),  /* two scalars */
    FAMILY_WHOLE(set_timer_op, xlat_set_timer_op, 0),
};
/* clang-format on */

/* ---- dispatch ------------------------------------------------------------ */

static const struct compat_family *family_find(uint64_t nr)
{
    for ( size_t i = 0; i < ARRAY_SIZE(families); i++ )
        if ( families[i].nr == nr )
            return &families[i];
    return NULL;
}

/* The command's row; NULL if the family does not list it. */
static const struct compat_op *op_find(const struct compat_family *f, uint64_t cmd)
{
    static const struct compat_op pass = SAME(0);
    if ( !f->ops )
        return &pass;
    for ( size_t i = 0; i < f->nr_ops; i++ )
        if ( f->ops[i].cmd == (cmd & f->cmd_mask) )
            return &f->ops[i];
    return NULL;
}

static compat_xlat_fn *xlat_for(const struct compat_family *f, const uint64_t *args, long *rc)
{
    const struct compat_op *op;
    *rc = 0;
    if ( f->whole )
        return f->whole;
    op = op_find(f, (uint32_t)args[f->cmd_arg]);
    if ( !op )
        *rc = -ENOSYS;
    return op ? op->xlat : NULL;
}

long compat_dispatch(uint64_t nr, long (*native)(const uint64_t *args), const uint64_t *args)
{
    const struct compat_family *f = family_find(nr);
    struct compat_call c;
    compat_xlat_fn *fn;
    long rc;
    if ( !f )
        return -ENOSYS;
    fn = xlat_for(f, args, &rc);
    if ( !fn )
        return rc ? rc : native(args);
    if ( !current->compat_xlat && !(current->compat_xlat = xzalloc_bytes(COMPAT_XLAT_SIZE)) )
        return -ENOMEM;
    c = (struct compat_call){
        .guest = args[f->ptr_arg], .ptr = f->ptr_arg, .native = native, .area = current->compat_xlat
    };
    memcpy(c.args, args, sizeof(c.args));
    return fn(&c);
}
