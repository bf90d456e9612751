/*
 * ioreq-george - George Dunlap's sequences (seeds/000) with real IOREQ
 * servers in dom0 and real log-dirty (shadow_op), on an ioreq-target
 * domU of 16 MiB. Once with write-protect and once with the CPU's best
 * mechanism (PML on bochs-vmx, A/D on qemu-svm), shatter policy:
 *
 *  1. Server A claims the type and marks X; A goes away (destroyed: the
 *     reset stays lazy); server B claims (its claim sweeps what A left)
 *     and marks Y; log-dirty starts. LOOKUP: X is RAM again (ram_logdirty
 *     under write-protect, ram_rw under PML/A-D, whose RAM stays
 *     writable), Y is ioreq_server. The guest writes X and Y: X's write
 *     lands in RAM, X is ram_rw and in the next CLEAN; Y's goes to B, not
 *     RAM, and Y stays ioreq_server and is not reported. (X2, which C has
 *     mapped writable all along, is in every CLEAN: a frame another
 *     domain may write is reported while the mapping lasts.)
 *  2. Release during log-dirty: B unmaps; Y reads ram_logdirty (any
 *     mechanism); the guest's write lands, Y is in the next CLEAN, and
 *     ram_rw after it.
 *  3. "A marks X, log-dirty enabled, X written" (log-dirty already on
 *     here): server C claims and marks X2; the guest's writes to X2 go to
 *     C and X2 stays ioreq_server. C completes them into guest RAM itself
 *     through its own foreign mapping of X2 (mapped before log-dirty
 *     started): in each of three rounds the guest reads back what it
 *     wrote (reads go to RAM) and X2 is in the CLEAN; nothing else is.
 *  4. Log-dirty OFF: X2 stays ioreq_server; C unmaps; FINISH leaves
 *     nothing pending; AUDIT is clean.
 */
#include "../ioreq-type-lib/lib.c"

const char test_title[] = "ioreq: George Dunlap's sequences with real servers and log-dirty";

#define A         0
#define B         1
#define C         2
#define X         (IT_RAM_GFN + 0x480)
#define Y         (IT_RAM_GFN + 0x6c0)
#define X2        (IT_RAM_GFN + 0x880)
#define DATA      (IT_RAM_GFN + 0x400)
#define DATA_END  (IT_RAM_GFN + 0x1000)
#define C_RAM_GFN 0x7f300UL
#define W         XEN_DMOP_IOREQ_MEM_ACCESS_WRITE

static const char *const mech_names[] = { "default", "wp", "pml", "ad" };

static bool enable(uint32_t mech)
{
    long rc = it_shadow(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
                        WREN_LOGDIRTY_MECH(mech) | WREN_LOGDIRTY_SP_SHATTER);

    if ( rc )
        xtf_failure("enable %s: %ld", mech_names[mech], rc);
    return !rc && !it_shadow(XEN_DOMCTL_SHADOW_OP_CLEAN, 0);
}

static void george(uint32_t mech)
{
    unsigned int x_ram = mech == WREN_LOGDIRTY_MECH_WP ? IT_LD : IT_RW;
    const uint64_t x[] = { X, X2 }; /* X2: C's writable mapping, reported while it lasts */

    it_expect_rc("A claims", it_map_type(A, W, NULL), 0);
    it_expect_rc("A marks X", it_set_type(X, 1, HVMMEM_ioreq_server), 0);
    it_expect_type("A marked X", X, IT_IOREQ);
    it_server_down(A);
    it_expect_type("A gone", X, IT_RW);
    it_expect_rc("B claims", it_map_type(B, W, NULL), 0);
    it_expect_stored("B claimed: nothing of A's left", 0);
    it_expect_rc("B marks Y", it_set_type(Y, 1, HVMMEM_ioreq_server), 0);
    it_expect_type("B marked Y", Y, IT_IOREQ);
    it_expect_type("B marked Y", X, IT_RW);
    if ( !enable(mech) )
        return;
    it_expect_type("log-dirty on", X, x_ram);
    it_expect_type("log-dirty on", Y, IT_IOREQ);
    it_write_lands("X written", X, 0x1111);
    it_expect_type("X written", X, IT_RW);
    it_write_goes_to("Y written", Y, 0x2222, B);
    it_expect_type("Y written", Y, IT_IOREQ);
    it_clean_expect("X and Y written", DATA, DATA_END, x, 2);
}

static void release_during_logdirty(void)
{
    const uint64_t y[] = { Y, X2 };

    it_expect_rc("B unmaps during log-dirty", it_map_type(B, 0, NULL), 0);
    it_expect_type("B released", Y, IT_LD);
    it_write_lands("Y written after the release", Y, 0x3333);
    it_expect_type("Y written after the release", Y, IT_RW);
    it_clean_expect("Y written after the release", DATA, DATA_END, y, 2);
}

static void server_completes(void)
{
    const uint64_t x2[] = { X2 };

    it_expect_rc("C claims during log-dirty", it_map_type(C, W, NULL), 0);
    it_expect_rc("C marks X2", it_set_type(X2, 1, HVMMEM_ioreq_server), 0);
    for ( unsigned int round = 0; round < 3; round++ )
    {
        uint64_t v = 0xc0c0000000000000ULL + round;

        it_write_goes_to("X2 written", X2, v, C);
        it_expect_type("X2 written", X2, IT_IOREQ);
        if ( it_guest_read(X2) != v )
            xtf_failure("round %u: X2 reads %#lx, the server completed %#lx", round,
                        (unsigned long)it_guest_read(X2), (unsigned long)v);
        it_clean_expect("X2 completed by the server", DATA, DATA_END, x2, 1);
    }
}

static void once(uint32_t mech)
{
    printf("mechanism %s\n", mech_names[mech]);
    for ( unsigned int i = A; i <= C; i++ )
        if ( !it_server_up(i) )
            return;
    /* C completes X2's writes through its own mapping, made before
     * log-dirty starts (a device model maps guest RAM at its start). */
    if ( xtf_map_foreign(IT_TARGET, X2, C_RAM_GFN) )
        xtf_failure("mapping X2");
    it_srvs[C].ram = (volatile uint8_t *)(uintptr_t)(C_RAM_GFN << PAGE_SHIFT);
    it_srvs[C].ram_gfn = X2;
    george(mech);
    release_during_logdirty();
    server_completes();
    it_expect_rc("OFF", it_shadow(XEN_DOMCTL_SHADOW_OP_OFF, 0), 0);
    it_expect_type("log-dirty off", X2, IT_IOREQ);
    it_expect_rc("C unmaps", it_map_type(C, 0, NULL), 0);
    it_expect_type("C released", X2, IT_RW);
    it_server_down(B);
    it_server_down(C);
    xtf_unmap_local(C_RAM_GFN);
    it_settle(mech_names[mech]);
}

void test_main(void)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_wren_logdirty, .domain = IT_TARGET };
    struct xen_domctl_wren_logdirty req = { .op = WREN_LOGDIRTY_GET_STATS }, s;

    if ( !it_attach() )
        return;
    memcpy(&d.u, &req, sizeof(req));
    if ( hypercall_domctl(&d) )
    {
        xtf_error("XEN_DOMCTL_wren_logdirty failed");
        return;
    }
    memcpy(&s, &d.u, sizeof(s));
    once(WREN_LOGDIRTY_MECH_WP);
    once(s.default_mech);
    it_exit();
    if ( xtf_current_result() == XTF_NONE )
        xtf_success(NULL);
}
