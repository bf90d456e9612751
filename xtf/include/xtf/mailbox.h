/*
 * mailbox.h - a controller (dom0) drives a target domU through one page.
 *
 * The page is the target's frame at XTF_MAILBOX_GPA; the controller maps
 * it into its own physmap with gmfn_foreign (xtf_mb_attach). To issue a
 * command the controller fills in op, nr, arg[], gfn[], val[] and bumps
 * seq; the target carries it out with its own vCPU, so every access goes
 * through the target's own p2m, fills in result and out[] and sets
 * ack = seq. The target is tests/p2m-target; its main.c says what each
 * XTF_MB_* command does.
 */
#ifndef XTF_MAILBOX_H
#define XTF_MAILBOX_H

#include <xtf/types.h>
#include <public/xen.h>
#include <xtf/ram-base.h>

#define XTF_MAILBOX_GPA (XTF_RAM_BASE + 0x81000UL)
#define XTF_MB_MAGIC    0x786f626c69616d57ULL /* "Wmailbox" */
#define XTF_MB_MAX      128                   /* frames per command */

enum xtf_mb_op
{
    XTF_MB_NOP,      /* just ack */
    XTF_MB_READ,     /* out[i] = the u64 at the start of frame gfn[i] */
    XTF_MB_WRITE,    /* write val[i] there, then out[i] = what reads back */
    XTF_MB_FILL,     /* frames [arg0, arg0 + arg1) get arg2 + gfn */
    XTF_MB_DM_OP,    /* result = set_mem_type(arg0 domid, arg1 pfn, arg2 nr,
                         arg3 mem_type), issued by the target itself */
    XTF_MB_BG_START, /* vCPU 1 writes/reads [arg0, arg0 + arg1) for ever */
    XTF_MB_BG_STOP,  /* ... until told to stop; result = passes done */
    XTF_MB_EXIT,     /* ack, then shut down (poweroff) */
    XTF_MB_DECREASE, /* give back frames gfn[0..nr) (decrease_reservation,
                         one call per frame); result = frames given back, or
                         -XEN_EFAULT if the first was refused */
    XTF_MB_POPULATE, /* populate_physmap at gfn[0..nr), order arg0, one call
                         each; result = extents populated, out[0] = what the
                         call that stopped it returned (0: refused, Xen's
                         count; 0 also if none stopped) */
};

struct xtf_mailbox
{
    uint64_t magic;   /* target: XTF_MB_MAGIC once it serves */
    uint64_t ram_end; /* target: end of its RAM */
    uint32_t domid;   /* target: its own domid */
    uint32_t pad;
    uint32_t seq;   /* controller: bumped to post a command */
    uint32_t ack;   /* target: = seq when the command is done */
    uint32_t op;    /* XTF_MB_* */
    uint32_t nr;    /* entries of gfn[]/val[]/out[] used */
    int64_t result; /* 0 or -XEN_E* (or per command) */
    uint64_t arg[4];
    uint64_t idle_rounds; /* target: idle-loop yields completed */
    /* The background writer (vCPU 1), published as it goes. */
    uint64_t bg_passes;     /* whole passes over its range */
    uint64_t bg_mismatches; /* reads that did not return what it wrote */
    uint64_t bg_bad_gfn;    /* the last frame that mismatched */
    uint64_t bg_stop;       /* target vCPU 0 -> vCPU 1: stop */
    uint64_t gfn[XTF_MB_MAX];
    uint64_t val[XTF_MB_MAX];
    uint64_t out[XTF_MB_MAX];
};
_Static_assert(sizeof(struct xtf_mailbox) <= PAGE_SIZE, "mailbox fits a page");

typedef volatile struct xtf_mailbox xtf_mb_t;

/*
 * Controller side. Attach maps target's mailbox frame at our local_gfn
 * (a free frame above our RAM) and waits until the target serves it;
 * NULL (with the reason printed) if either fails.
 */
xtf_mb_t *xtf_mb_attach(domid_t target, uint64_t local_gfn);

/*
 * Post command op with nr entries (the caller filled in arg/gfn/val) and
 * wait for the ack. Returns the target's result, -XEN_ESRCH if the target
 * shut down (crashed) meanwhile, or -XEN_ETIMEDOUT if it never answered.
 */
long xtf_mb_call(xtf_mb_t *mb, uint32_t op, uint32_t nr);
/* The same, calling work(arg) while it waits (it returns true if it did
 * something, so the controller does not yield then). */
long xtf_mb_call_idle(xtf_mb_t *mb, uint32_t op, uint32_t nr, bool (*work)(void *arg), void *arg);

/*
 * Wait until the target has gone round its idle loop (a yield included)
 * twice since the last ack: from then on it touches only pages it has
 * touched since that command. A controller that counts the faults one
 * command causes calls this first, or the first write of the idle loop
 * after a type change (its stack, say) may land in the count. 0,
 * -XEN_ESRCH if the target is gone, -XEN_ETIMEDOUT.
 */
long xtf_mb_settle(xtf_mb_t *mb);

/* True if the target has shut down; *reason (if not NULL) = SHUTDOWN_*. */
bool xtf_mb_target_gone(xtf_mb_t *mb, unsigned int *reason);

/*
 * Report a command that did not return 0: FAILURE if the target has shut
 * down (the hypervisor crashed it, say: the behaviour under test broke),
 * ERROR otherwise (the test asked for something the target refused).
 */
void xtf_mb_report(xtf_mb_t *mb, const char *what, long rc);

/*
 * The target's side: publish the mailbox at XTF_MAILBOX_GPA (crash if it
 * is not RAM), then for ever carry out each posted command with serve()
 * (its result goes in result), acknowledge it, and power off after
 * XTF_MB_EXIT.
 */
__attribute__((noreturn)) void xtf_mb_serve(long (*serve)(uint32_t op, uint32_t nr));

#endif /* XTF_MAILBOX_H */
