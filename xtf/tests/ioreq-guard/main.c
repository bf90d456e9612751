/*
 * ioreq-guard - XEN_DMOP_map_mem_type_to_ioreq_server's checks, the
 * guard (seed 000: a new server may not take the p2m_ioreq_server type
 * while entries of an earlier claim are not reset) and the reset sweep.
 *
 * dom0 creates servers A, B, C, D for d1 (ioreq-target, 64 MiB). Steps:
 *  1. Argument checks: type 5 and flags 4 are -EINVAL, READ is
 *     -EOPNOTSUPP, an unknown server -ENOENT, a continuation (opaque) of
 *     a claim -EINVAL, unmapping a type one does not own -EINVAL; A claims,
 *     B is -EBUSY (A owns it).
 *  2. A marks 512 frames from 0x601 (two 2M regions, split into 4K
 *     leaves) and G = 0xe01: 513 frames stored as ioreq_server.
 *  3. With the knob (WREN_P2M_IOREQ_NO_SWEEP) A unmaps: every entry reads
 *     ram_rw at once, but 513 are still stored as the old claim's; B's
 *     claim is -EBUSY (and the hypervisor logs "513 entries of an earlier
 *     claim are not reset"). The guest writes G: G's table is reset, 512
 *     left, still -EBUSY; it writes 0x601: that table is reset, 1 left
 *     (0x800); it writes 0x800: 0 left, and B's claim succeeds. Every
 *     write lands in RAM, none reaches a server.
 *  4. B marks G: HVMOP_get_mem_type says HVMMEM_ioreq_server, and the
 *     guest's write goes to B, not RAM.
 *  5. Without the knob: B marks one frame in each of 24 2M regions (24
 *     tables of 4K leaves) and unmaps: 0, through at least two
 *     continuations (the opaque the hypervisor left counts them), and
 *     nothing of B's claim is stored afterwards.
 *  6. C claims, marks H and is destroyed (the release of a destroyed
 *     owner stays lazy): with the knob D's claim is -EBUSY (1 entry);
 *     without it, D's claims sweep a slice each until one succeeds
 *     (a device model retrying on -EBUSY, docs/designs/ioreq.md).
 * FINISH leaves nothing pending and the audit is clean at the end.
 */
#include "../ioreq-type-lib/lib.c"

const char test_title[] = "ioreq: the ioreq_server type's guard and reset sweep";

#define A  0
#define B  1
#define C  2
#define D  3
#define R0 (IT_RAM_GFN + 0x601)
#define R1 (IT_RAM_GFN + 0x800)
#define G  (IT_RAM_GFN + 0xe01)
#define H  (IT_RAM_GFN + 0x1201)
#define W  XEN_DMOP_IOREQ_MEM_ACCESS_WRITE

static void checks(void)
{
    ioservid_t a = it_srvs[A].s.id;

    it_expect_rc("type 5", it_map_type_raw(a, 5, W, 0, NULL), -XEN_EINVAL);
    it_expect_rc("flags 4", it_map_type_raw(a, HVMMEM_ioreq_server, 4, 0, NULL), -XEN_EINVAL);
    it_expect_rc("READ",
                 it_map_type_raw(a, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_READ, 0, NULL),
                 -XEN_EOPNOTSUPP);
    it_expect_rc("no such server", it_map_type_raw(7, HVMMEM_ioreq_server, W, 0, NULL),
                 -XEN_ENOENT);
    it_expect_rc("claim with opaque", it_map_type_raw(a, HVMMEM_ioreq_server, W, 1, NULL),
                 -XEN_EINVAL);
    it_expect_rc("unmap, not the owner", it_map_type(A, 0, NULL), -XEN_EINVAL);
    it_expect_rc("A claims", it_map_type(A, W, NULL), 0);
    it_expect_rc("A claims again", it_map_type(A, W, NULL), 0);
    it_expect_rc("B while A owns", it_map_type(B, W, NULL), -XEN_EBUSY);
}

static void guarded(void)
{
    it_expect_rc("A marks R", it_set_type(R0, 512, HVMMEM_ioreq_server), 0);
    it_expect_rc("A marks G", it_set_type(G, 1, HVMMEM_ioreq_server), 0);
    it_expect_stored("A's claim", 513);
    it_expect_rc("knob on", it_knob(true), 0);
    it_expect_rc("A unmaps", it_map_type(A, 0, NULL), 0);
    it_expect_type("A gone", R0, IT_RW);
    it_expect_type("A gone", G, IT_RW);
    it_expect_stored("A gone, nothing swept", 513);
    it_expect_rc("B, 513 outstanding", it_map_type(B, W, NULL), -XEN_EBUSY);
    it_write_lands("G written", G, 0x6161);
    it_expect_stored("G's table reset", 512);
    it_expect_rc("B, 512 outstanding", it_map_type(B, W, NULL), -XEN_EBUSY);
    it_write_lands("R0 written", R0, 0x7272);
    it_expect_stored("R0's table reset", 1);
    it_expect_rc("B, 1 outstanding", it_map_type(B, W, NULL), -XEN_EBUSY);
    it_write_lands("R1 written", R1, 0x7373);
    it_expect_stored("all reset", 0);
    it_expect_rc("B, nothing outstanding", it_map_type(B, W, NULL), 0);
    it_expect_rc("B marks G", it_set_type(G, 1, HVMMEM_ioreq_server), 0);
    {
        uint16_t hvmmem = 0xffff;

        it_expect_rc("get_mem_type", xtf_get_mem_type(IT_TARGET, G, &hvmmem), 0);
        if ( hvmmem != HVMMEM_ioreq_server )
            xtf_failure("HVMOP_get_mem_type of G: %u, expected HVMMEM_ioreq_server", hvmmem);
    }
    it_write_goes_to("G, B's", G, 0xb0b0, B);
    it_expect_type("G stays B's", G, IT_IOREQ);
}

static void big_unmap(void)
{
    uint64_t slices = 0;

    it_expect_rc("knob off", it_knob(false), 0);
    for ( uint64_t r = 8; r < 32; r++ )
        it_expect_rc("B marks", it_set_type(IT_RAM_GFN + r * 0x200 + 3, 1, HVMMEM_ioreq_server), 0);
    it_expect_stored("B's claim", 25);
    it_expect_rc("B unmaps", it_map_type(B, 0, &slices), 0);
    if ( slices < 2 )
        xtf_failure("B's unmap took %lu continuations, expected at least 2", (unsigned long)slices);
    it_expect_stored("B's unmap swept", 0);
    it_expect_type("B gone", G, IT_RW);
}

/* A device model's claim after a destroyed owner: every try sweeps a
 * bounded slice of what the owner left, so -EBUSY ends within as many
 * tries as the p2m has tables to sweep (a few on x86; arm64 guests have
 * more, below their RAM). */
static long claim_retrying(unsigned int srv)
{
    long rc = -XEN_EBUSY;

    for ( unsigned int i = 0; i < 64 && rc == -XEN_EBUSY; i++ )
        rc = it_map_type(srv, W, NULL);
    return rc;
}

static void owner_destroyed(void)
{
    it_expect_rc("C claims", it_map_type(C, W, NULL), 0);
    it_expect_rc("C marks H", it_set_type(H, 1, HVMMEM_ioreq_server), 0);
    it_expect_rc("knob on", it_knob(true), 0);
    it_server_down(C);
    it_expect_type("C destroyed", H, IT_RW);
    it_expect_stored("C destroyed, lazily", 1);
    it_expect_rc("D, C's entry outstanding", it_map_type(D, W, NULL), -XEN_EBUSY);
    it_expect_rc("mark with no owner", it_set_type(H, 1, HVMMEM_ioreq_server), -XEN_EINVAL);
    it_expect_rc("knob off", it_knob(false), 0);
    it_expect_rc("D sweeps and claims", claim_retrying(D), 0);
    it_expect_stored("D's claim", 0);
    it_expect_rc("D unmaps", it_map_type(D, 0, NULL), 0);
}

void test_main(void)
{
    if ( !it_attach() )
        return;
    for ( unsigned int i = 0; i < IT_MAX_SRV; i++ )
        if ( !it_server_up(i) )
            return;
    checks();
    guarded();
    big_unmap();
    owner_destroyed();
    it_settle("end");
    it_exit();
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
