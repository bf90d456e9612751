/*
 * logdirty-grant - writes through a grant mapping bypass the granter's
 * p2m, so log-dirty must report them another way (logdirty-foreign.c,
 * docs/designs/ioreq.md).
 *
 * d1 (gnttab-peer) grants its frame G to dom0; log-dirty starts on d1
 * (write-protect, then the CPU's best mechanism); dom0 maps the grant
 * writable and writes through it in three rounds: every CLEAN reports
 * G. dom0 writes once more and unmaps: the next CLEAN reports G, the one
 * after does not. A frame G2 granted read-only and mapped read-only is
 * never reported. Nothing else in d1's data range is reported (d1 writes
 * nothing there meanwhile).
 */
#include "../logdirty-lib/ctl.c"
#include <public/grant_table.h>
#include "../gnttab-peer/gnttab-peer.h"

const char test_title[] = "log-dirty: writes through a grant mapping are reported";

#define G         XTF_GFN(0x600)
#define G2        XTF_GFN(0x640)
#define MAP_GFN   0x7f400UL
#define MAP2_GFN  0x7f401UL
#define REF       5
#define REF2      6
#define PEER_DATA XTF_GFN(0x400)

/* d1 maps its grant frame at PEER_GT_GFN, so its bitmap covers that far. */
#define BITS (PEER_GT_GFN + 0x100)
static uint64_t got[BITS / 64];
static ld_bits_t want;

static long clean(void)
{
    memset(got, 0, sizeof(got));
    return ld_shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, BITS, NULL);
}

static long peer(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    ld_mb->arg[0] = a0;
    ld_mb->arg[1] = a1;
    ld_mb->arg[2] = a2;
    ld_mb->arg[3] = a3;
    return xtf_mb_call(ld_mb, op, 0);
}

static int16_t map(uint64_t gfn, grant_ref_t ref, bool ro, grant_handle_t *h)
{
    struct gnttab_map_grant_ref op = { .host_addr = gfn << PAGE_SHIFT,
                                       .flags = GNTMAP_host_map | (ro ? GNTMAP_readonly : 0),
                                       .ref = ref,
                                       .dom = LD_TARGET };
    long rc = hypercall_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    *h = op.handle;
    return rc ? GNTST_general_error : op.status;
}

static int16_t unmap(uint64_t gfn, grant_handle_t h)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = gfn << PAGE_SHIFT, .handle = h };
    long rc = hypercall_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    return rc ? GNTST_general_error : op.status;
}

static void clean_expect(const char *what)
{
    uint64_t end = ld_ram_end;

    long rc = clean();

    if ( rc )
    {
        xtf_failure("%s: CLEAN %ld", what, rc);
        return;
    }
    for ( uint64_t g = PEER_DATA; g < end; g++ )
        if ( bitmap_test(want, g) != bitmap_test(got, g) )
            xtf_failure("%s: gfn %#lx %s", what, (unsigned long)g,
                        bitmap_test(want, g) ? "written, not reported" : "reported, not written");
    ld_clear(want);
}

static void rounds(uint32_t mech)
{
    volatile uint64_t *p = (volatile uint64_t *)(MAP_GFN << PAGE_SHIFT);
    volatile uint64_t *q = (volatile uint64_t *)(MAP2_GFN << PAGE_SHIFT);
    grant_handle_t h, h2;
    uint64_t sink;

    int16_t st = map(MAP_GFN, REF, false, &h), st2 = map(MAP2_GFN, REF2, true, &h2);

    if ( st || st2 )
    {
        xtf_failure("mapping the grants: status %d, %d", st, st2);
        return;
    }
    if ( ld_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
                   WREN_LOGDIRTY_MECH(mech) | WREN_LOGDIRTY_SP_SHATTER, NULL, 0, NULL) ||
         clean() )
        xtf_failure("enable %s", ld_mech_names[mech]);
    ld_clear(want);
    for ( unsigned int r = 0; r < 3; r++ )
    {
        *p = 0x6a6a000000000000ULL + r;
        sink = *q;
        bitmap_set(want, G);
        clean_expect("grant mapped and written");
    }
    (void)sink;
    *p = 0x6a6affffffffffffULL;
    if ( unmap(MAP_GFN, h) || unmap(MAP2_GFN, h2) )
        xtf_failure("unmapping the grants");
    bitmap_set(want, G);
    clean_expect("grant written, then unmapped");
    clean_expect("grant gone");
    if ( ld_shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL) )
        xtf_failure("OFF");
}

void test_main(void)
{
    struct xen_domctl_wren_logdirty s;

    if ( !ld_attach() || !ld_get_stats(&s) )
        return;
    if ( peer(PEER_SETUP, 0, 0, 0, 0) || peer(PEER_GRANT, REF, 0, G, GTF_permit_access) ||
         peer(PEER_GRANT, REF2, 0, G2, GTF_permit_access | GTF_readonly) )
    {
        xtf_error("d1 could not grant");
        return;
    }
    rounds(WREN_LOGDIRTY_MECH_WP);
    rounds(s.default_mech);
    peer(XTF_MB_EXIT, 0, 0, 0, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
