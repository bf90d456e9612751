/*
 * link-sysctl - XEN_SYSCTL_wren_link (docs/designs/live-migration.md,
 * "Two machines") on a machine with no link device, as every
 * single-machine run is: the hypervisor found nothing on PCI bus 0 and
 * mapped nothing, and says so.
 *
 * The same kernel runs as dom0 (the verdict) and as domain 1.
 *  - dom0: non-zero padding is -EINVAL (checked before anything else),
 *    then -ENODEV, with the output fields left as they were.
 *  - d1: -EPERM; it powers off if so and crashes if not, printing no
 *    verdict of its own; dom0 reads the shutdown reason.
 * Two machines with the device are tools/dom0/tests/link-check's.
 * Touches nothing: the call only reads.
 */
#include <xtf.h>

const char test_title[] = "sysctl wren_link without a link";

static long link_sysctl(struct xen_sysctl *op, uint16_t pad)
{
    *op = (struct xen_sysctl){ .cmd = XEN_SYSCTL_wren_link };
    op->u.wren_link.pad[1] = pad;
    op->u.wren_link.gfn = 0x5a5a;
    return hypercall_sysctl(op);
}

static void check_dom0(void)
{
    struct xen_sysctl op;
    long rc = link_sysctl(&op, 1);

    printf("wren_link with padding set: %ld (expected %d)\n", rc, -XEN_EINVAL);
    if ( rc != -XEN_EINVAL )
        xtf_failure("padding not refused: %ld", rc);
    rc = link_sysctl(&op, 0);
    printf("wren_link without a device: %ld (expected %d)\n", rc, -XEN_ENODEV);
    if ( rc != -XEN_ENODEV )
        xtf_failure("expected -ENODEV, got %ld (gfn %#lx, %lu frames)", rc,
                    (unsigned long)op.u.wren_link.gfn, (unsigned long)op.u.wren_link.nr_frames);
}

static void check_domu(void)
{
    xtf_expect_domu_refused(1, "-EPERM");
}

static void __noreturn domu_main(void)
{
    struct xen_sysctl op;
    long rc = link_sysctl(&op, 0);

    printf("wren_link from a domU: %ld (expected %d)\n", rc, -XEN_EPERM);
    xtf_shutdown(rc == -XEN_EPERM ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void test_main(void)
{
    if ( !xtf_is_dom0 )
        domu_main();
    check_dom0();
    check_domu();
    xtf_success(NULL);
}
