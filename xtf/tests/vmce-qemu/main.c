/*
 * vmce-qemu - a real machine check, raised by QEMU's monitor (`mce`), at
 * the machine address of a domU's frame: the same outcome as vmce-inject,
 * with no injected value anywhere (the #MC handler reads QEMU's banks).
 *
 * dom0 finds d1's frame, puts d1 to sleep (VMCE_MB_SLEEP), prints the
 * runner's monitor line ("WREN-MONITOR: mce CPU BANK STATUS MCG_STATUS
 * ADDR MISC", xtf/README.md) and sleeps too, so every CPU is in the
 * hypervisor's idle loop when QEMU raises the #MC (QEMU's TCG delivers an
 * MCE straight through the IDT of whatever runs, ignoring SVM's exception
 * intercept: a guest running then would take the host's #MC itself). d1
 * must then have its vMCE with its own guest address, the entry be
 * p2m_ram_broken and the frame broken.
 *
 * Bochs has no way to raise a machine check from outside: on it (the
 * Intel platform) the test SKIPs; vmce-inject drives the same handler.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/vmce.h>
#include <public/sched.h>

const char test_title[] = "vMCE: a real #MC from QEMU's monitor breaks a domU frame";

#define TARGET      1
#define MB_GFN      0x7f100UL
#define ADDR_OFFSET 0x80
#define MSCOD_TEST  (0x0020ULL << 16)

static bool on_qemu(void)
{
    uint32_t a = 0, b, c, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    return b == 0x68747541; /* "Auth": AMD, the qemu-svm platform */
}

/* Post a command without waiting for its ack. */
static void post(xtf_mb_t *mb, uint32_t op, uint64_t arg0)
{
    mb->arg[0] = arg0;
    mb->op = op;
    mb->nr = 0;
    __asm__ volatile("" ::: "memory");
    mb->seq++;
}

/*
 * The runner sends the monitor command when it reads the line, which
 * under load may take seconds: d1 sleeps long enough for any of that,
 * and dom0 sleeps in long steps (every CPU idle when the #MC lands, with
 * a look at the frame between steps) until the frame is broken.
 */
#define TARGET_SLEEP_NS 10000000000ULL
#define STEP_NS         500000000ULL
#define STEPS           18

static bool wait_broken(uint64_t mfn)
{
    struct xen_sysctl_wren_frame f;

    for ( unsigned int i = 0; i < STEPS; i++ )
    {
        xtf_vmce_sleep(STEP_NS);
        if ( !xtf_frame_query(mfn, &f) && (f.flags & WREN_FRAME_F_BROKEN) )
            return true;
    }
    return false;
}

static bool check_guest(xtf_mb_t *mb, uint64_t mfn)
{
    struct xen_sysctl_wren_frame f;
    long rc = xtf_mb_call(mb, VMCE_MB_STATUS, 0);

    if ( rc )
        return xtf_mb_report(mb, "status", rc), false;
    if ( mb->out[0] != 1 )
        return xtf_failure("d1 took %lu #MCs, expected 1", (unsigned long)mb->out[0]), false;
    if ( mb->out[3] != ((VMCE_DATA_GFN << PAGE_SHIFT) | ADDR_OFFSET) ||
         mb->out[2] != VMCE_TEST_STATUS || !(mb->out[1] & MCG_STATUS_MCIP) )
        xtf_failure("d1's bank 1: status %#lx addr %#lx, MCG_STATUS %#lx",
                    (unsigned long)mb->out[2], (unsigned long)mb->out[3],
                    (unsigned long)mb->out[1]);
    if ( xtf_frame_of_gfn(TARGET, VMCE_DATA_GFN, &f) )
        return xtf_error("frame query failed"), false;
    if ( f.p2m_type != 13 || f.mfn != mfn || !(f.flags & WREN_FRAME_F_BROKEN) )
        xtf_failure("after the #MC: type %u mfn %#lx flags %#x", f.p2m_type, (unsigned long)f.mfn,
                    f.flags);
    return true;
}

void test_main(void)
{
    struct xen_sysctl_wren_frame f;
    xtf_mb_t *mb;

    if ( !on_qemu() )
        return xtf_skip("Bochs cannot raise a machine check from outside; vmce-inject "
                        "runs the same #MC handler through XEN_MC");
    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb || xtf_frame_of_gfn(TARGET, VMCE_DATA_GFN, &f) || f.p2m_type != 0 )
        return xtf_error("no mailbox with d1, or its frame is not RAM");
    post(mb, VMCE_MB_SLEEP, TARGET_SLEEP_NS);
    xtf_vmce_sleep(200000000ULL); /* d1 is asleep by then */
    printf("WREN-MONITOR: mce 1 1 %#llx %#llx %#lx %#llx\n", VMCE_TEST_STATUS | MSCOD_TEST,
           MCG_STATUS_MCIP | MCG_STATUS_RIPV, (unsigned long)((f.mfn << PAGE_SHIFT) | ADDR_OFFSET),
           VMCE_TEST_MISC);
    if ( !wait_broken(f.mfn) )
        return xtf_failure("the #MC never reached the hypervisor: frame %#lx not broken",
                           (unsigned long)f.mfn);
    if ( check_guest(mb, f.mfn) )
        xtf_success(NULL);
}
