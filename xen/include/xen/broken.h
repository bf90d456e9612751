/*
 * broken.h - frames that a machine check found bad, and the guest-physical
 * entries that say so (p2m_ram_broken). The contract between the vMCE
 * code (common/vmce.c and the arch #MC handler: it finds the frame, marks
 * it, tells the owner) and save/restore (a stream's BROKEN page becomes a
 * broken entry on the receiving side; XEN_DOMCTL_getpageframeinfo3
 * reports one as XEN_DOMCTL_PFINFO_BROKEN). docs/designs/vmce.md.
 *
 * A broken frame is out of service for good: the frame table says so,
 * and the allocator never hands it out again, even after its owner dies.
 */
#ifndef XEN_BROKEN_H
#define XEN_BROKEN_H

#include <xen/types.h>

struct domain;

/* Machine frame m is broken (a machine check, real or injected, named
 * it): mark it in the frame table and, if a domain owns it as RAM, give
 * that gfn a p2m_ram_broken entry (same frame, no access: nothing reads
 * it again) and deliver a vMCE to the owner. 0, or -errno (-EINVAL: not
 * a frame of RAM). Callable from the #MC path: takes no lock that the
 * interrupted code may hold. */
int frame_report_broken(mfn_t m);

/* Is m out of service? */
bool frame_is_broken(mfn_t m);

/* Restore: d's gfn is broken on the sending side. Whatever RAM d has
 * there is given back and the entry becomes p2m_ram_broken with no frame
 * (a hole becomes one too; one already broken is left as it is). 0,
 * -EINVAL (gfn beyond d's limit, or an entry that is not d's RAM nor a
 * hole: MMIO, a foreign or grant mapping), -ENOMEM. */
int domain_set_gfn_broken(struct domain *d, uint64_t gfn);

#endif /* XEN_BROKEN_H */
