/*
 * move.h - moving a running domain into a new one by hand, as a
 * toolstack's save and restore would, for the tests of the hypervisor's
 * side (save-hyp, tsc-move): the old domain's HVM context, TSC info and
 * HVM params read, its frames copied through two foreign mappings, and
 * the same set on the new domain.
 */
#ifndef XTF_MOVE_H
#define XTF_MOVE_H

#include <xtf/types.h>
#include <public/domctl.h>

/* The HVM params a move carries (the rings' frames and ports, the
 * callback), as xtf_move_params[]. */
#define XTF_MOVE_NR_PARAMS 5
extern const uint32_t xtf_move_params[XTF_MOVE_NR_PARAMS];

struct xtf_move_state
{
    uint8_t *ctx;      /* the caller's buffer for the context */
    uint32_t ctx_max;  /* its size */
    uint32_t ctx_size; /* the context's */
    struct xen_domctl_tsc_info tsc;
    uint64_t param_val[XTF_MOVE_NR_PARAMS];
};

/* XEN_DOMCTL_gettscinfo / settscinfo of d through t (t updated on 0). */
long xtf_tscinfo(uint32_t cmd, domid_t d, struct xen_domctl_tsc_info *t);
/* HVMOP_get_param / set_param of d; *val in and out. */
long xtf_hvm_param(bool set, domid_t d, uint32_t index, uint64_t *val);

/* Pause from and read its context, TSC info and params into st. */
long xtf_move_save(domid_t from, struct xtf_move_state *st);
/* Set st's params on to (before its TSC info and context). */
long xtf_move_set_params(domid_t to, const struct xtf_move_state *st);
/* Frame g of from into to at the same gfn, through our frames
 * local_from and local_to (unmapped again either way). */
long xtf_move_copy_frame(domid_t from, domid_t to, uint64_t g, uint64_t local_from,
                         uint64_t local_to);

/* The body of the first record of typecode in a context, or NULL. */
uint8_t *xtf_hvm_find_record(uint8_t *buf, uint32_t size, uint16_t typecode);

/* Map d's frame gfn (a status page whose first word is a magic) at our
 * frame local and wait (yielding) until the magic is there; NULL if it
 * never comes or the mapping is refused. */
volatile void *xtf_map_status(domid_t d, uint64_t gfn, uint64_t local, uint64_t magic);

#endif /* XTF_MOVE_H */
