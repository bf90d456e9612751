/*
 * ioreq-logdirty - the p2m_ioreq_server type and log-dirty together, in
 * either order, and no dirty page lost to writes the guest's own p2m
 * never sees (docs/designs/ioreq.md, "The ioreq_server type").
 *
 * dom0 is the controller and plays the device model; d1 runs
 * logdirty-target (2 vCPUs, 16 MiB). Each part runs once with
 * write-protect and once with the CPU's best mechanism (PML on
 * bochs-vmx, A/D on qemu-svm), shatter policy, so reports are 4K-exact.
 *
 *  1. Foreign mappings: frame F1 is mapped writable into dom0 *before*
 *     log-dirty starts; dom0 writes it in three rounds: every CLEAN
 *     reports it. F1 is unmapped after a last write: the next CLEAN
 *     reports it, the one after does not (the record is dropped once the
 *     frame is nobody else's). F2 is mapped, written and unmapped between
 *     two CLEANs: reported. Nothing else in the data range is reported
 *     but what the guest wrote.
 *  2. XEN_DMOP_modified_memory: two extents are reported by the next
 *     CLEAN; a bad extent (beyond the gfn space) or a missing extent
 *     buffer is -EINVAL and marks nothing.
 *  3. Order "type first": a server in dom0 claims the type, X and X3 are
 *     made ioreq_server; log-dirty starts: they stay ioreq_server
 *     (LOOKUP), RAM around them is tracked; X is given back with
 *     set_mem_type(ram_rw) while log-dirty is on: it becomes ram_logdirty,
 *     the guest's write to it is in the next CLEAN and X is ram_rw after;
 *     the server gives the type back (unmap) during log-dirty: X3 is
 *     ram_logdirty, its write is in the next CLEAN.
 *  4. Order "log-dirty first": log-dirty on, then the server's claim, and Y (now
 *     ram_logdirty or ram_rw) is made ioreq_server; OFF leaves Y
 *     ioreq_server; a frame Z reset during log-dirty and never written is
 *     ram_rw again after OFF, whatever the mechanism.
 *  5. set_mem_type to ioreq_server with nobody owning the type: -EINVAL.
 * AUDIT is clean at the end of every part.
 */
#include "../logdirty-lib/ctl.c"
#include <xtf/ioreq.h>
#include <public/hvm/hvm_op.h>

const char test_title[] = "ioreq_server and log-dirty, foreign writes logged";

#define IOREQ_T   15 /* p2m_ioreq_server */
#define LOCAL_GFN 0x7f200UL
#define SRV_GFN   0x7f300UL
#define F1        XTF_GFN(0x300UL)
#define F2        XTF_GFN(0x340UL)
#define MM1       XTF_GFN(0x500UL) /* modified_memory: [MM1, MM1 + 3) */
#define MM2       XTF_GFN(0x6a0UL)
#define X         XTF_GFN(0x800UL) /* STREAM writes X and X + 1 */
#define Y         XTF_GFN(0x900UL)
#define Z         XTF_GFN(0x980UL)
#define X3        XTF_GFN(0xa00UL) /* given back by the server's unmap */

static ld_bits_t got, want;

static void expect_rc(const char *what, long rc, long want_rc)
{
    if ( rc != want_rc )
        xtf_failure("%s: rc %ld, expected %ld", what, rc, want_rc);
}

/* CLEAN, then the data range must be exactly want. */
static void clean_expect(const char *what)
{
    struct ld_allow allow = { 0 };
    long rc = ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL);

    if ( rc )
        xtf_failure("%s: CLEAN %ld", what, rc);
    else
        ld_check(got, want, &allow, what);
    ld_clear(want);
}

static bool enable(uint32_t mech)
{
    long rc = ld_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
                        WREN_LOGDIRTY_MECH(mech) | WREN_LOGDIRTY_SP_SHATTER, NULL, 0, NULL);

    if ( rc )
        xtf_failure("enable %s: %ld", ld_mech_names[mech], rc);
    ld_clear(want);
    return !rc && !ld_report(XEN_DOMCTL_SHADOW_OP_CLEAN, 0, got, NULL);
}

static void off(void)
{
    expect_rc("OFF", ld_shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL), 0);
}

/* The guest writes g and g + 1 through its own p2m. */
static void guest_writes(uint64_t g)
{
    ld_job(LD_MB_STREAM, g, 2, 1);
    bitmap_set(want, g);
    bitmap_set(want, g + 1);
}

static void dom0_writes(uint64_t v)
{
    *(volatile uint64_t *)(LOCAL_GFN << PAGE_SHIFT) = v;
}

/* ---- 1: foreign mappings ---- */

static void part_foreign(uint32_t mech)
{
    expect_rc("map F1", xtf_map_foreign(LD_TARGET, F1, LOCAL_GFN), 0);
    if ( !enable(mech) )
        return;
    for ( unsigned int round = 0; round < 3; round++ )
    {
        dom0_writes(0xf1f1000000000000ULL + round);
        bitmap_set(want, F1);
        clean_expect("foreign F1, mapped before enable");
    }
    dom0_writes(0xf1f1ffffffffffffULL);
    expect_rc("unmap F1", xtf_unmap_local(LOCAL_GFN), 0);
    bitmap_set(want, F1);
    clean_expect("foreign F1, written then unmapped");
    clean_expect("foreign F1, gone");
    expect_rc("map F2", xtf_map_foreign(LD_TARGET, F2, LOCAL_GFN), 0);
    dom0_writes(0xf2f2f2f2f2f2f2f2ULL);
    expect_rc("unmap F2", xtf_unmap_local(LOCAL_GFN), 0);
    bitmap_set(want, F2);
    clean_expect("foreign F2, mapped and unmapped between CLEANs");
    off();
    ld_audit("foreign");
}

/* ---- 2: modified_memory ---- */

static long modified(const struct xen_dm_op_modified_memory_extent *e, uint32_t nr,
                     bool extents_buf)
{
    struct xen_dm_op op = { .op = XEN_DMOP_modified_memory };
    struct xen_dm_op_buf bufs[2];

    op.u.modified_memory.nr_extents = nr;
    set_xen_guest_handle(bufs[0].h, &op);
    bufs[0].size = sizeof(op);
    set_xen_guest_handle(bufs[1].h, (void *)e);
    bufs[1].size = nr * sizeof(*e);
    return hypercall_dm_op(LD_TARGET, extents_buf ? 2 : 1, bufs);
}

static void part_modified(uint32_t mech)
{
    const struct xen_dm_op_modified_memory_extent good[] = {
        { .nr = 3, .first_pfn = MM1 },
        { .nr = 1, .first_pfn = MM2 },
    };
    const struct xen_dm_op_modified_memory_extent bad[] = {
        { .nr = 1, .first_pfn = MM2 + 2 },
        { .nr = 2, .first_pfn = (1ULL << 36) - 1 },
    };

    if ( !enable(mech) )
        return;
    expect_rc("modified_memory, bad extent", modified(bad, 2, true), -XEN_EINVAL);
    expect_rc("modified_memory, no extent buffer", modified(good, 2, false), -XEN_EINVAL);
    expect_rc("modified_memory", modified(good, 2, true), 0);
    for ( uint64_t g = MM1; g < MM1 + 3; g++ )
        bitmap_set(want, g);
    bitmap_set(want, MM2);
    clean_expect("modified_memory");
    off();
}

/* ---- 3-5: the type and log-dirty ---- */

static long set_type(uint64_t gfn, uint32_t nr, uint16_t hvmmem)
{
    return xtf_dm_set_mem_type(LD_TARGET, gfn, nr, hvmmem);
}

static struct xtf_ioreq_server srv;

static void no_handler(struct xtf_ioreq_server *s, ioreq_t *p)
{
    xtf_failure("the guest's access reached the server (addr %#lx)", (unsigned long)p->addr);
}

/* The server takes (claim) or gives back the type. */
static long own(bool claim)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_map_mem_type_to_ioreq_server,
        .u.map_mem_type_to_ioreq_server = { .id = srv.id,
                                            .type = HVMMEM_ioreq_server,
                                            .flags = claim ? XEN_DMOP_IOREQ_MEM_ACCESS_WRITE : 0 },
    };

    return xtf_dm_op(LD_TARGET, &op);
}

static void part_type_first(uint32_t mech)
{
    expect_rc("claim", own(true), 0);
    expect_rc("mark X", set_type(X, 2, HVMMEM_ioreq_server), 0);
    expect_rc("mark X3", set_type(X3, 2, HVMMEM_ioreq_server), 0);
    xtf_p2m_expect_type(LD_TARGET, "marked", X, IOREQ_T);
    if ( !enable(mech) )
        return;
    xtf_p2m_expect_type(LD_TARGET, "log-dirty on", X, IOREQ_T);
    xtf_p2m_expect_type(LD_TARGET, "log-dirty on", X + 1, IOREQ_T);
    if ( mech == WREN_LOGDIRTY_MECH_WP )
        xtf_p2m_expect_type(LD_TARGET, "log-dirty on, beside X", X + 2, XTF_P2M_RAM_LOGDIRTY);
    expect_rc("X back to RAM during log-dirty", set_type(X, 2, HVMMEM_ram_rw), 0);
    xtf_p2m_expect_type(LD_TARGET, "X given back during log-dirty", X, XTF_P2M_RAM_LOGDIRTY);
    guest_writes(X);
    xtf_p2m_expect_type(LD_TARGET, "X written", X, XTF_P2M_RAM_RW);
    clean_expect("X given back, then written");
    expect_rc("the server gives the type back during log-dirty", own(false), 0);
    xtf_p2m_expect_type(LD_TARGET, "X3 released during log-dirty", X3, XTF_P2M_RAM_LOGDIRTY);
    guest_writes(X3);
    xtf_p2m_expect_type(LD_TARGET, "X3 written", X3, XTF_P2M_RAM_RW);
    clean_expect("X3 released, then written");
    off();
    ld_audit("type first");
}

static void part_logdirty_first(uint32_t mech)
{
    if ( !enable(mech) )
        return;
    expect_rc("claim during log-dirty", own(true), 0);
    expect_rc("mark Y during log-dirty", set_type(Y, 2, HVMMEM_ioreq_server), 0);
    expect_rc("mark Z during log-dirty", set_type(Z, 2, HVMMEM_ioreq_server), 0);
    xtf_p2m_expect_type(LD_TARGET, "Y marked during log-dirty", Y, IOREQ_T);
    expect_rc("Z back to RAM during log-dirty", set_type(Z, 2, HVMMEM_ram_rw), 0);
    xtf_p2m_expect_type(LD_TARGET, "Z given back during log-dirty", Z, XTF_P2M_RAM_LOGDIRTY);
    clean_expect("nothing written");
    off();
    xtf_p2m_expect_type(LD_TARGET, "log-dirty off", Y, IOREQ_T);
    xtf_p2m_expect_type(LD_TARGET, "log-dirty off, Z never written", Z, XTF_P2M_RAM_RW);
    expect_rc("Y back to RAM", set_type(Y, 2, HVMMEM_ram_rw), 0);
    xtf_p2m_expect_type(LD_TARGET, "Y given back, log-dirty off", Y, XTF_P2M_RAM_RW);
    expect_rc("release", own(false), 0);
    expect_rc("mark without an owner", set_type(Y, 1, HVMMEM_ioreq_server), -XEN_EINVAL);
    xtf_p2m_expect_type(LD_TARGET, "not marked", Y, XTF_P2M_RAM_RW);
    expect_rc("FINISH", xtf_wren_p2m(LD_TARGET, WREN_P2M_FINISH, 0, 0, 0, NULL), 0);
    ld_audit("log-dirty first");
}

void test_main(void)
{
    struct xen_domctl_wren_logdirty s;
    uint32_t mechs[2] = { WREN_LOGDIRTY_MECH_WP, 0 };

    if ( !ld_attach() || !ld_get_stats(&s) )
        return;
    mechs[1] = s.default_mech;
    if ( xtf_ioreq_create(&srv, LD_TARGET, 2, HVM_IOREQSRV_BUFIOREQ_OFF, SRV_GFN, no_handler) ||
         xtf_ioreq_set_state(&srv, true) )
    {
        xtf_error("cannot set up the IOREQ server");
        return;
    }
    for ( unsigned int i = 0; i < 2; i++ )
    {
        printf("mechanism %s\n", ld_mech_names[mechs[i]]);
        part_foreign(mechs[i]);
        part_modified(mechs[i]);
        part_type_first(mechs[i]);
        part_logdirty_first(mechs[i]);
    }
    xtf_ioreq_destroy(&srv);
    ld_job(XTF_MB_EXIT, 0, 0, 0);
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
