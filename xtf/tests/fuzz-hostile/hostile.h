/*
 * hostile.h - what the fuzz-hostile kernel's files share: its layout,
 * the generator state of one call, and the oracle hook. main.c runs the
 * loops; calls.c is the call table and the argument generators.
 */
#ifndef FUZZ_HOSTILE_H
#define FUZZ_HOSTILE_H

#include <xtf.h>
#include <xtf/fuzz.h>

#define GFN_LIMIT          (1ULL << 36) /* 48-bit guest-physical addresses */
#define PEER_DOMID         2            /* the victim */
#define TWIN_DOMID         3            /* destroyed by the controller at the start */
#define NO_GFN             (~0ULL)
#define MEMOP_EXTENT_SHIFT 6 /* memory_op: resume point above the sub-op (Xen ABI) */

/* Scratch layout (FUZZ_SCRATCH_GFN..+8): output buffers, gfn lists, structs. */
#define OUT_AREA     (FUZZ_SCRATCH_GFN << PAGE_SHIFT)       /* 2 pages */
#define LIST_AREA    ((FUZZ_SCRATCH_GFN + 2) << PAGE_SHIFT) /* 4 pages, across 2 MiB */
#define LIST_ENTRIES (4 * PAGE_SIZE / 8)
#define ARG_AREA     ((FUZZ_SCRATCH_GFN + 6) << PAGE_SHIFT) /* 2 pages */

extern volatile struct fuzz_hostile_status *const st;
extern uint64_t ram_end_gfn, image_first_gfn, image_end_gfn;
extern uint64_t shinfo_gfn;  /* where vCPU 0 last put shared_info */
extern uint64_t console_gfn; /* the PV console ring (NO_GFN: none) */
extern bool special;         /* FUZZ_F_SPECIAL */
extern bool list_dirty;      /* an output buffer overlapped the list */

/* Held by vCPU 0 around a decrease and its check, by vCPU 1 around moving
 * shared_info: a move in between would empty the checked gfn legitimately. */
void shinfo_lock(void);
void shinfo_unlock(void);

/* May a destructive call (decrease, remove, map over) touch [gfn, +2^order)? */
bool gfn_range_allowed(uint64_t gfn, unsigned int order);
/* The HVMMEM_* type of one of our gfns (0xffff if the call fails). */
unsigned int mem_type(uint64_t gfn);
/* Refill the gfn-list area with harmless entries (holes far above RAM). */
void list_reset(void);
/* Record an oracle's finding against call c. */
void finding(const struct fuzz_call *c, const char *fmt, ...) __printf(2, 3);
/* The read-only page still holds what setup put there. */
bool ro_page_intact(void);

/*
 * The architecture's half (x86.c, arm64.c).
 * fuzz_arch_protect: make the page at gpa read-only in this vCPU's stage 1
 * (its page tables), in a way the hypervisor's own copies must honour too;
 * called once by vCPU 0 before the calls start.
 * fuzz_arch_absent_hvmop: an HVMOP sub-op this architecture does not have
 * (Xen's build for it answers -ENOSYS), which is then the only right answer.
 * fuzz_arch_absent_call: a hypercall number likewise absent.
 */
void fuzz_arch_protect(uint64_t gpa);
bool fuzz_arch_absent_hvmop(unsigned int op);
bool fuzz_arch_absent_call(uint64_t nr);

unsigned int fuzz_pick_kind(uint64_t *rng);
/* Generate and issue one call of kind; fills c->arg[] and c->rc. */
void fuzz_issue(unsigned int kind, uint64_t *rng, struct fuzz_call *c);

#endif /* FUZZ_HOSTILE_H */
