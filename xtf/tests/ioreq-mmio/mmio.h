/*
 * mmio.h - what ioreq-mmio's main.c (the server, the mailbox, plain
 * loads and stores) shares with its architecture's cases (x86.c,
 * arm64.c). Declarations only.
 */
#ifndef IOREQ_MMIO_H
#define IOREQ_MMIO_H

#include <xtf/mailbox.h>
#include <xtf/ioreq.h>
#include <xtf/ioreq_target.h>

#define TARGET  1
#define BASE    IOT_MMIO_BASE
#define NOBODY  (IOT_MMIO_BASE + 0x10000UL)
#define MAX_LOG 256
/* A register the device answers late (the architecture says how late). */
#define SLOW_OFF 0x800

/* The device: 4 KiB of memory at BASE, and every request it answered. */
extern uint8_t dev[4096];
struct mmio_log
{
    ioreq_t req[MAX_LOG];
    unsigned int n, bad;
};
extern struct mmio_log log;
extern xtf_mb_t *mb;
extern struct xtf_ioreq_server *srvs[];

/* d1 executes instruction kind at BASE + off with the register operand
 * reg (IOT_MMIO); 0, or the failure was reported. */
long call(uint64_t off, unsigned int size, unsigned int kind, uint64_t reg);
uint64_t dev_get(uint64_t off, unsigned int size);
/* Request i is a read (or write) of size bytes at off. */
void expect_one(unsigned int i, bool read, uint64_t off, unsigned int size, const char *what);
/* Requests [at, log.n) are exactly seq (r: read, w: write) at off. */
void expect_seq(unsigned int at, const char *seq, uint64_t off, unsigned int size,
                const char *what);

/* Called before the device answers a read at SLOW_OFF. */
void mmio_arch_slow_answer(void);

/* The architecture's cases, after the plain loads and stores; and its
 * last, which may end d1. */
void mmio_arch_cases(void);
void mmio_arch_last(void);

#endif /* IOREQ_MMIO_H */
