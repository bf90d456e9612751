/*
 * move.c - moving a running domain into a new one by hand (xtf/move.h):
 * the steps save-hyp and tsc-move share. What a test checks about the
 * move stays in the test.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <xtf/move.h>
#include <xtf/p2m.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/hvm/save.h>

const uint32_t xtf_move_params[XTF_MOVE_NR_PARAMS] = {
    HVM_PARAM_CALLBACK_IRQ, HVM_PARAM_STORE_PFN,      HVM_PARAM_STORE_EVTCHN,
    HVM_PARAM_CONSOLE_PFN,  HVM_PARAM_CONSOLE_EVTCHN,
};

long xtf_tscinfo(uint32_t cmd, domid_t d, struct xen_domctl_tsc_info *t)
{
    struct xen_domctl op = { .cmd = cmd, .domain = d };
    long rc;

    op.u.tsc_info = *t;
    rc = hypercall_domctl(&op);
    if ( !rc )
        *t = op.u.tsc_info;
    return rc;
}

long xtf_hvm_param(bool set, domid_t d, uint32_t index, uint64_t *val)
{
    struct xen_hvm_param p = { .domid = d, .index = index, .value = *val };
    long rc = hypercall_hvm_op(set ? HVMOP_set_param : HVMOP_get_param, &p);

    *val = p.value;
    return rc;
}

long xtf_move_save(domid_t from, struct xtf_move_state *st)
{
    long rc = xtf_domctl_simple(XEN_DOMCTL_pausedomain, from);

    st->ctx_size = st->ctx_max;
    if ( !rc )
        rc = xtf_gethvmcontext(from, st->ctx, &st->ctx_size);
    if ( !rc )
        rc = xtf_tscinfo(XEN_DOMCTL_gettscinfo, from, &st->tsc);
    for ( unsigned int i = 0; !rc && i < XTF_MOVE_NR_PARAMS; i++ )
        rc = xtf_hvm_param(false, from, xtf_move_params[i], &st->param_val[i]);
    return rc;
}

long xtf_move_set_params(domid_t to, const struct xtf_move_state *st)
{
    long rc = 0;

    for ( unsigned int i = 0; !rc && i < XTF_MOVE_NR_PARAMS; i++ )
    {
        uint64_t v = st->param_val[i];

        rc = xtf_hvm_param(true, to, xtf_move_params[i], &v);
    }
    return rc;
}

long xtf_move_copy_frame(domid_t from, domid_t to, uint64_t g, uint64_t local_from,
                         uint64_t local_to)
{
    long rc = xtf_map_foreign(from, g, local_from);

    if ( rc )
        return rc;
    rc = xtf_map_foreign(to, g, local_to);
    if ( !rc )
        memcpy((void *)(local_to << PAGE_SHIFT), (void *)(local_from << PAGE_SHIFT), PAGE_SIZE);
    xtf_unmap_local(local_to);
    xtf_unmap_local(local_from);
    return rc;
}

uint8_t *xtf_hvm_find_record(uint8_t *buf, uint32_t size, uint16_t typecode)
{
    for ( uint32_t off = 0; off + 8 <= size; )
    {
        struct hvm_save_descriptor *d = (void *)(buf + off);

        if ( d->typecode == typecode )
            return buf + off + 8;
        if ( d->typecode == HVM_SAVE_CODE(END) )
            break;
        off += 8 + d->length;
    }
    return NULL;
}

volatile void *xtf_map_status(domid_t d, uint64_t gfn, uint64_t local, uint64_t magic)
{
    volatile uint64_t *s = (void *)(local << PAGE_SHIFT);

    xtf_unmap_local(local);
    if ( xtf_map_foreign(d, gfn, local) )
        return NULL;
    for ( unsigned long i = 0; i < XTF_POLL_LIMIT && *s != magic; i++ )
        hypercall_yield();
    return *s == magic ? s : NULL;
}
