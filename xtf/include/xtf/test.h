/*
 * test.h - what each test provides, and helpers shared by tests.
 */
#ifndef XTF_TEST_H
#define XTF_TEST_H

#include <xtf/types.h>
#include <public/xen.h>
#include <public/domctl.h>
#include <xtf/ram-base.h>

/* Every test defines these two. */
extern const char test_title[];
void test_main(void);

/*
 * The "counter" guest increments a uint64_t at this guest-physical
 * address forever; the "pause" controller maps that frame and watches it.
 * 512 KiB into RAM: below the image on x86, past it on Arm.
 */
#define WREN_TEST_COUNTER_GPA (XTF_RAM_BASE + 0x80000UL)

/*
 * XEN_DOMCTL_getdomaininfo for exactly 'domid'. Returns 0, or a negative
 * XEN_E*; -XEN_ESRCH also when the hypervisor described a different
 * domain (as Xen before domctl interface 0x16 did).
 */
long xtf_getdomaininfo(domid_t domid, struct xen_domctl_getdomaininfo *info);

/* Simple domctls on 'domid': pausedomain, unpausedomain, destroydomain. */
long xtf_domctl_simple(uint32_t cmd, domid_t domid);

/* Number of domains with ids 1, 2, ... before the first missing one. */
unsigned int xtf_count_domus(void);

/*
 * Poll (yielding between polls) until 'domid' has XEN_DOMINF_shutdown or
 * max_polls polls are done. Returns 0 and the SHUTDOWN_* code in *reason,
 * -XEN_ETIMEDOUT, or the error of getdomaininfo.
 */
long xtf_wait_shutdown(domid_t domid, unsigned long max_polls, unsigned int *reason);

const char *xtf_shutdown_name(unsigned int reason);

/* For a test whose domU powers off once it was refused what it asked
 * (and crashes otherwise): wait for domid and report which it was,
 * naming what refused means in what ("-EPERM"). */
void xtf_expect_domu_refused(domid_t domid, const char *what);

/* A bound for polling loops: generous, so that slow emulators pass. */
#define XTF_POLL_LIMIT 2000000UL

#endif /* XTF_TEST_H */
