/*
 * guest_walk.h - translating a guest-virtual address through the guest's
 * own page tables, in whichever paging mode its vCPU is in (none, 2-level
 * 32-bit with optional 4M pages, 3-level PAE, 4- or 5-level long mode).
 *
 * The walker knows table formats and access rights only. It reaches the
 * tables through two callbacks that work on guest-physical addresses, so
 * it knows nothing of frames, the p2m or vendor state: guest_access.c
 * gives it the p2m, the host fuzzer gives it a buffer.
 *
 * Compiles on its own, freestanding or hosted.
 */
#ifndef ASM_GUEST_WALK_H
#define ASM_GUEST_WALK_H

#include <xen/types.h>

struct pt_format;

struct guest_walk_ops
{
    /*
     * Read the entry of 'bytes' (4 or 8) bytes at guest-physical address
     * gpa, which is aligned to its size. false: the table frame is not
     * readable RAM, and the walk fails.
     */
    bool (*read_entry)(void *ctx, uint64_t gpa, unsigned int bytes, uint64_t *e);
    /*
     * OR bits (accessed, dirty) into that entry in one atomic update, if
     * the hypervisor may write its frame; otherwise leave it alone (that
     * is not a fault).
     */
    void (*set_bits)(void *ctx, uint64_t gpa, unsigned int bytes, uint64_t bits);
};

/* What an access needs, fixed for a whole copy. */
struct guest_walk
{
    const struct pt_format *fmt; /* NULL: paging is off */
    uint64_t cr3;
    bool write, user, wp;
    const struct guest_walk_ops *ops;
    void *ctx;
};

/* Paging state of the vCPU, as read from its VMCS or VMCB. */
struct guest_paging
{
    uint64_t cr0, cr3, cr4, efer;
    bool user; /* CPL 3 */
};

void guest_walk_init(struct guest_walk *w, const struct guest_paging *p, bool write,
                     const struct guest_walk_ops *ops, void *ctx);

/* Is va inside the paging mode's address space (canonical in long
 * mode, below 4 GiB otherwise)? */
bool guest_va_canonical(const struct guest_walk *w, uint64_t va);

/* Translate va to a guest-physical address in *gpa, or -EFAULT. */
int guest_walk(const struct guest_walk *w, uint64_t va, uint64_t *gpa);

#endif /* ASM_GUEST_WALK_H */
