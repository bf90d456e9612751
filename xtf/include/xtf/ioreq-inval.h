/*
 * ioreq-inval.h - what the mapcache invalidation tests (tests/ioreq-inval-*)
 * and their helper domU (tests/ioreq-inval-target) agree on: the frames
 * the scripts use, the values they write, the MARK steps and the control
 * page dom0 maps to stop the helper and watch it. Nothing else includes it.
 */
#ifndef XTF_IOREQ_INVAL_H
#define XTF_IOREQ_INVAL_H

#include <xtf/types.h>
#include <xtf/ioreq.h>
#include <xtf/mapcache.h>

#define INVAL_MODE_GUEST  1
#define INVAL_MODE_BATCH  2
#define INVAL_MODE_REMOTE 3
#define INVAL_MODE_STALL  4
#define INVAL_MODE_INSN   5

/* mode 5: the two dwords one REP OUTSL writes to MARK. */
#define INVAL_INSN_1 0x5001U
#define INVAL_INSN_2 0x5002U

/* The target's frames, from the start of its RAM: 0 on x86, Xen on
 * Arm's GUEST_RAM0_BASE (0x40000000) on arm64. */
#if defined(__aarch64__)
#define INVAL_RAM_GFN 0x40000UL
#else
#define INVAL_RAM_GFN 0UL
#endif
#define INVAL_CTL_GFN   (INVAL_RAM_GFN + 0x280) /* the control page (struct inval_ctl) */
#define INVAL_G         (INVAL_RAM_GFN + 0x300) /* mode 1: the frame given back */
#define INVAL_R         (INVAL_RAM_GFN + 0x301) /* mode 3: the frame dom0 replaces */
#define INVAL_G2        (INVAL_RAM_GFN + 0x302) /* mode 1: shared_info goes here, then away */
#define INVAL_BATCH_GFN (INVAL_RAM_GFN + 0x400) /* mode 2: the frames given back */
#define INVAL_BATCH_NR  64UL

/* Values written at the start of a frame: before, after, after again. */
#define INVAL_A 0xa5a50000U
#define INVAL_B 0xb6b60000U
#define INVAL_C 0xc7c70000U

#define INVAL_MARK_BEFORE 1      /* about to give frames back */
#define INVAL_MARK_GONE   2      /* given back (not yet populated again) */
#define INVAL_MARK_END    3      /* the script is done */
#define INVAL_MARK_ERROR  0xdead /* a hypercall of the script failed */

struct inval_ctl
{
    uint64_t stop;     /* dom0: end the loops */
    uint64_t progress; /* mode 4: vCPU 0's count */
    uint64_t reads[2]; /* mode 3: DMA reads done, per vCPU */
    uint64_t ready;    /* d1: INVAL_READY once its runtime is set up */
    uint64_t device;   /* dom0: INVAL_READY once the device's server is on */
};

/* d1's runtime changes its own physmap as it starts (shared_info, the
 * console ring). dom0 creates the server only after d1 wrote this, so
 * no server ever sees those changes and every log starts with d1's
 * script. */
#define INVAL_READY 0x52454459UL

/* ---- dom0's side: the device, served through a mapcache, and a log ---- */

#define INVAL_TARGET    1
#define INVAL_LOG_MAX   8192
#define INVAL_IOPAGE    0x7f000UL /* dom0's gfn for the server's page */
#define INVAL_CACHE_GFN 0x7f100UL /* dom0's gfns for the mapcache */
#define INVAL_CTL_LOCAL 0x7f200UL /* dom0's gfn for the control page */
#define INVAL_SCRATCH   0x7f201UL /* dom0's gfn for one-off mappings */

enum inval_kind
{
    INVAL_EV_READ,  /* value: what DATA returned */
    INVAL_EV_MARK,  /* value: the step */
    INVAL_EV_INVAL, /* an IOREQ_TYPE_INVALIDATE taken */
};

struct inval_event
{
    uint8_t kind, vcpu;
    uint32_t value;
};

struct inval_server
{
    struct xtf_ioreq_server io;
    struct xtf_mapcache mc;
    uint64_t addr[XTF_IOREQ_MAX_VCPUS];   /* ADDR latched, per vCPU */
    uint64_t invals[XTF_IOREQ_MAX_VCPUS]; /* INVALIDATEs taken, per vCPU */
    uint64_t reads[XTF_IOREQ_MAX_VCPUS];
    bool owes[XTF_IOREQ_MAX_VCPUS]; /* dom0 changed the target: not yet invalidated */
    uint64_t overtaken;             /* requests from a vCPU that owed one */
    struct inval_event log[INVAL_LOG_MAX];
    unsigned int nr_log;
    bool log_full;
};

/* Create the server for INVAL_TARGET with nr_vcpus, claim the device's
 * ports, enable it, map the control page. false (with ERROR) on failure. */
bool inval_server_start(struct inval_server *is, unsigned int nr_vcpus);
volatile struct inval_ctl *inval_ctl(void);
/* The server's handler (a test may wrap it): the device, and the log. */
void inval_handle(struct xtf_ioreq_server *s, ioreq_t *p);
/* Serve until the target shuts down (true) or polls run out (false). */
bool inval_serve_until_shutdown(struct inval_server *is);
/* The log, printed (for the record and for a failure's reason). */
void inval_print_log(const struct inval_server *is);
/* Serve d1's whole script and print the log; with check_marks, also
 * refuse a script one of whose hypercalls failed (its ERROR mark).
 * false (with ERROR) if it never finished or failed. */
bool inval_run_script(struct inval_server *is, bool check_marks);
/* The index of the first event of kind (and value, for a MARK) at or
 * after from; -1 if none. */
int inval_find(const struct inval_server *is, int from, enum inval_kind kind, uint32_t value);
/* INVALs logged strictly between two indexes. */
unsigned int inval_between(const struct inval_server *is, int from, int to);
/* WREN_P2M_IOREQ_INVAL of the target since inval_server_start:
 * broadcasts, flags set, frames gone. */
bool inval_counters(uint64_t *sent, uint64_t *flags, uint64_t *frames);

#endif /* XTF_IOREQ_INVAL_H */
