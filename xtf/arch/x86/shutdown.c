/*
 * shutdown.c - xtf_shutdown on x86: SCHEDOP_shutdown once the hypercall
 * page works, else QEMU's isa-debug-exit port. Moved out of
 * common/report.c so that the report API is architecture-neutral (the
 * arm64 runtime has its own, arch/arm64/setup.c). Touches only that port.
 */
#include <xtf.h>
#include <xtf/runtime.h>
#include <public/sched.h>

/*
 * Without a hypervisor (e.g. booted straight by QEMU for a smoke test)
 * there is no shutdown hypercall: poke QEMU's isa-debug-exit port, which
 * ends QEMU when that device is configured, then halt.
 */
void __noreturn xtf_shutdown(unsigned int reason)
{
    if ( xtf_hypercalls_ready )
    {
        struct sched_shutdown s = { .reason = reason };
        long rc = hypercall_sched_op(SCHEDOP_shutdown, &s);

        printf("SCHEDOP_shutdown(%u) returned %ld\n", reason, rc);
    }
    else
        outl(reason ? 3 : 1, 0xf4);
    halt_forever();
}
