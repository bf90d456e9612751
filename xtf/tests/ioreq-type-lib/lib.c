/*
 * lib.c - what ioreq-guard and ioreq-george share: the target's mailbox
 * (tests/ioreq-target), servers that record the writes forwarded to
 * them, XEN_DMOP_map_mem_type_to_ioreq_server with its opaque read back,
 * and checks of p2m types and of the type's outstanding frames.
 *
 * Not a test (no test.cfg): the tests include it. The target is domain 1.
 * May not touch anything of the target but through hypercalls and the
 * mailbox.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq.h>
#include <xtf/ioreq_target.h>
#include <xtf/p2m.h>
#include <public/hvm/hvm_op.h>
#include <public/wren.h>
#include <public/domctl.h>

#define IT_LIB        static __attribute__((unused))
#define IT_TARGET     1
#define IT_MB_GFN     0x7f100UL
#define IT_SRV_GFN(i) (0x7f200UL + 0x10UL * (i))
#define IT_MAX_SRV    4
#define IT_IOREQ      15 /* p2m_ioreq_server */
/* The target's RAM starts at gfn 0 on x86, at Xen on Arm's
 * GUEST_RAM0_BASE (0x40000000, 2M- and 1G-aligned) on arm64: the tests'
 * frames are counted from there. */
#if defined(__aarch64__)
#define IT_RAM_GFN 0x40000UL
#else
#define IT_RAM_GFN 0UL
#endif
#define IT_RW XTF_P2M_RAM_RW
#define IT_LD XTF_P2M_RAM_LOGDIRTY

/* A server and the writes it was sent. */
struct it_srv
{
    struct xtf_ioreq_server s;
    bool live;
    unsigned int writes;
    uint64_t last_addr, last_data;
    /* If set: the server completes writes to ram_gfn into guest RAM
     * itself, through its own (foreign) mapping of that frame. */
    volatile uint8_t *ram;
    uint64_t ram_gfn;
};

static xtf_mb_t *it_mb;
static struct it_srv it_srvs[IT_MAX_SRV];

static void it_handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    struct it_srv *me = (struct it_srv *)s; /* s is the first member */

    if ( p->type == IOREQ_TYPE_COPY && IOREQ_DIR(p) == IOREQ_WRITE )
    {
        me->writes++;
        me->last_addr = p->addr;
        me->last_data = p->data;
        if ( me->ram && (p->addr >> PAGE_SHIFT) == me->ram_gfn && p->size == 8 )
            *(volatile uint64_t *)(me->ram + (p->addr & (PAGE_SIZE - 1))) = p->data;
    }
    else if ( IOREQ_DIR(p) == IOREQ_READ )
        p->data = ~0ULL;
}

IT_LIB bool it_attach(void)
{
    it_mb = xtf_mb_attach(IT_TARGET, IT_MB_GFN);
    if ( !it_mb )
        xtf_error("cannot attach d%u's mailbox", IT_TARGET);
    return it_mb != NULL;
}

/* Server i, created and enabled (no ranges: it serves the type only). */
IT_LIB bool it_server_up(unsigned int i)
{
    struct it_srv *v = &it_srvs[i];
    long rc =
        xtf_ioreq_create(&v->s, IT_TARGET, 1, HVM_IOREQSRV_BUFIOREQ_OFF, IT_SRV_GFN(i), it_handler);

    if ( !rc )
        rc = xtf_ioreq_set_state(&v->s, true);
    if ( rc )
        xtf_failure("server %u: setting up: %ld", i, rc);
    v->live = !rc;
    v->writes = 0;
    v->ram = NULL;
    return !rc;
}

IT_LIB bool it_server_down(unsigned int i)
{
    long rc = xtf_ioreq_destroy(&it_srvs[i].s);

    if ( rc )
        xtf_failure("server %u: destroy: %ld", i, rc);
    it_srvs[i].live = false;
    return !rc;
}

/* XEN_DMOP_map_mem_type_to_ioreq_server; *opaque (if given) is what the
 * hypervisor left there: the continuation's slice count. */
IT_LIB long it_map_type_raw(ioservid_t id, uint16_t type, uint32_t flags, uint64_t opaque_in,
                            uint64_t *opaque)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_map_mem_type_to_ioreq_server,
        .u.map_mem_type_to_ioreq_server = { .id = id,
                                            .type = type,
                                            .flags = flags,
                                            .opaque = opaque_in },
    };
    long rc = xtf_dm_op(IT_TARGET, &op);

    if ( opaque )
        *opaque = op.u.map_mem_type_to_ioreq_server.opaque;
    return rc;
}

IT_LIB long it_map_type(unsigned int i, uint32_t flags, uint64_t *opaque)
{
    return it_map_type_raw(it_srvs[i].s.id, HVMMEM_ioreq_server, flags, 0, opaque);
}

IT_LIB void it_expect_rc(const char *what, long rc, long want)
{
    if ( rc != want )
        xtf_failure("%s: rc %ld, expected %ld", what, rc, want);
}

IT_LIB unsigned int it_type(uint64_t gfn)
{
    return xtf_p2m_type_of(IT_TARGET, gfn);
}

IT_LIB void it_expect_type(const char *what, uint64_t gfn, unsigned int t)
{
    xtf_p2m_expect_type(IT_TARGET, what, gfn, t);
}

/* 4K frames stored as ioreq_server (WREN_P2M_TYPE_COUNT's arg[2]). */
IT_LIB uint64_t it_stored_frames(void)
{
    struct xen_domctl_wren_p2m r;

    if ( xtf_wren_p2m(IT_TARGET, WREN_P2M_TYPE_COUNT, IT_IOREQ, 0, 0, &r) )
    {
        xtf_error("TYPE_COUNT failed");
        return ~0ULL;
    }
    return r.arg[2];
}

IT_LIB void it_expect_stored(const char *what, uint64_t want)
{
    uint64_t n = it_stored_frames();

    if ( n != want )
        xtf_failure("%s: %lu frames stored as ioreq_server, expected %lu", what, (unsigned long)n,
                    (unsigned long)want);
}

IT_LIB long it_set_type(uint64_t gfn, uint32_t nr, uint16_t hvmmem)
{
    return xtf_dm_set_mem_type(IT_TARGET, gfn, nr, hvmmem);
}

IT_LIB long it_knob(bool no_sweep)
{
    return xtf_wren_p2m(IT_TARGET, WREN_P2M_IOREQ_NO_SWEEP, no_sweep, 0, 0, NULL);
}

/* One guest instruction on gfn's first qword (kind IOT_MMIO_*), serving
 * every live server meanwhile; the register afterwards. */
IT_LIB uint64_t it_guest(uint64_t gfn, unsigned int kind, uint64_t v)
{
    struct xtf_ioreq_server *list[IT_MAX_SRV];
    unsigned int n = 0;
    long rc;

    for ( unsigned int i = 0; i < IT_MAX_SRV; i++ )
        if ( it_srvs[i].live )
            list[n++] = &it_srvs[i].s;
    it_mb->arg[0] = gfn << PAGE_SHIFT;
    it_mb->arg[1] = 8;
    it_mb->arg[2] = kind;
    it_mb->arg[3] = v;
    rc = xtf_mb_call_serving(it_mb, IOT_MMIO, 0, list, n);
    if ( rc )
        xtf_mb_report(it_mb, "guest access", rc);
    return it_mb->out[0];
}

IT_LIB void it_guest_write(uint64_t gfn, uint64_t v)
{
    it_guest(gfn, IOT_MMIO_STORE, v);
}

IT_LIB uint64_t it_guest_read(uint64_t gfn)
{
    return it_guest(gfn, IOT_MMIO_LOAD, 0);
}

/* The guest writes v to gfn: it must reach RAM (and no server). */
IT_LIB void it_write_lands(const char *what, uint64_t gfn, uint64_t v)
{
    unsigned int before[IT_MAX_SRV];
    uint64_t got;

    for ( unsigned int i = 0; i < IT_MAX_SRV; i++ )
        before[i] = it_srvs[i].writes;
    it_guest_write(gfn, v);
    got = it_guest_read(gfn);
    if ( got != v )
        xtf_failure("%s: gfn %#lx reads %#lx after the write of %#lx", what, (unsigned long)gfn,
                    (unsigned long)got, (unsigned long)v);
    for ( unsigned int i = 0; i < IT_MAX_SRV; i++ )
        if ( it_srvs[i].writes != before[i] )
            xtf_failure("%s: the write to RAM reached server %u", what, i);
}

/* The guest writes v to gfn: it must reach server i only, and RAM is
 * unchanged (or holds v, if the server completes writes into RAM). */
IT_LIB void it_write_goes_to(const char *what, uint64_t gfn, uint64_t v, unsigned int i)
{
    uint64_t ram = it_guest_read(gfn), got;
    unsigned int before = it_srvs[i].writes;

    it_guest_write(gfn, v);
    got = it_guest_read(gfn);
    if ( it_srvs[i].writes != before + 1 || it_srvs[i].last_addr != gfn << PAGE_SHIFT ||
         it_srvs[i].last_data != v )
        xtf_failure("%s: server %u saw %u writes (last %#lx <- %#lx), expected one to %#lx", what,
                    i, it_srvs[i].writes - before, (unsigned long)it_srvs[i].last_addr,
                    (unsigned long)it_srvs[i].last_data, (unsigned long)(gfn << PAGE_SHIFT));
    if ( !it_srvs[i].ram && got != ram )
        xtf_failure("%s: the write reached RAM (%#lx, was %#lx)", what, (unsigned long)got,
                    (unsigned long)ram);
    if ( it_srvs[i].ram && got != v )
        xtf_failure("%s: the server completed %#lx, RAM holds %#lx", what, (unsigned long)v,
                    (unsigned long)got);
}

/* ---- log-dirty ---- */

#define IT_MAX_GFNS (IT_RAM_GFN + 0x4000UL) /* 64 MiB of target */
static uint64_t it_bitmap[IT_MAX_GFNS / 64];

IT_LIB long it_shadow(uint32_t op, uint32_t mode)
{
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_shadow_op,
        .domain = IT_TARGET,
        .u.shadow_op = { .op = op, .mode = mode, .pages = IT_MAX_GFNS },
    };

    memset(it_bitmap, 0, sizeof(it_bitmap));
    if ( op == XEN_DOMCTL_SHADOW_OP_CLEAN || op == XEN_DOMCTL_SHADOW_OP_PEEK )
        set_xen_guest_handle(d.u.shadow_op.dirty_bitmap, it_bitmap);
    return hypercall_domctl(&d);
}

IT_LIB bool it_dirty(uint64_t gfn)
{
    return it_bitmap[gfn / 64] >> (gfn % 64) & 1;
}

/* CLEAN; in [first, end) exactly the gfns of want[] must be reported. */
IT_LIB void it_clean_expect(const char *what, uint64_t first, uint64_t end, const uint64_t *want,
                            unsigned int n)
{
    long rc = it_shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0);

    if ( rc )
    {
        xtf_failure("%s: CLEAN %ld", what, rc);
        return;
    }
    for ( uint64_t g = first; g < end; g++ )
    {
        bool wanted = false;

        for ( unsigned int i = 0; i < n; i++ )
            wanted |= want[i] == g;
        if ( wanted && !it_dirty(g) )
            xtf_failure("%s: gfn %#lx was written and is not reported", what, (unsigned long)g);
        else if ( !wanted && it_dirty(g) )
            xtf_failure("%s: gfn %#lx is reported and was not written", what, (unsigned long)g);
    }
}

/* FINISH, nothing pending, audit clean. */
IT_LIB void it_settle(const char *what)
{
    struct xen_domctl_wren_p2m s;
    long rc = xtf_wren_p2m(IT_TARGET, WREN_P2M_FINISH, 0, 0, 0, &s);

    if ( rc || s.recalc_pending )
        xtf_failure("%s: FINISH rc %ld, %lu marks left", what, rc, (unsigned long)s.recalc_pending);
    xtf_p2m_audit(IT_TARGET, what);
}

IT_LIB void it_exit(void)
{
    long rc = xtf_mb_call(it_mb, XTF_MB_EXIT, 0);

    if ( rc )
        xtf_mb_report(it_mb, "exit", rc);
}
