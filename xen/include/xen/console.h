/*
 * console.h - the hypervisor console: a serial port, log levels, and the
 * per-domain line buffers that give guest output its "(dN) " prefix.
 */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/types.h>

/* The console's UART, one polled driver per architecture (x86: the PC's
 * 16550 at COM1, drivers/char/ns16550.c; arm64: the PL011 the device
 * tree names, drivers/char/pl011.c). flush waits until the last character
 * has left; getc is the next character received, or -1. */
void serial_init(void);
void serial_putc(char c);
void serial_flush(void);
int serial_getc(void);

void console_init(void);
void console_set_loglvl(const char *val);
/* For panic(): forget who holds the console lock. */
void console_force_unlock(void);

struct domain;
/* Guest text: a domU's is buffered and printed a line at a time with
 * "(dN) "; the control domain's goes out at once, unfiltered. The caller holds
 * d->console.lock; console_guest_flush takes it itself. */
void console_guest_write(struct domain *d, const char *buf, size_t len);
void console_guest_flush(struct domain *d);

/* The console ring (XEN_SYSCTL_readconsole): copy up to len bytes from
 * *idx if from_idx and the ring still holds it, else from the oldest
 * byte kept; *idx becomes where the copy ended. Any context. */
size_t console_ring_read(char *buf, size_t len, uint32_t *idx, bool from_idx);
/* Forget what lies before upto (a clearing read). */
void console_ring_clear(uint32_t upto);

/* Characters typed on the serial line, for dom0's CONSOLEIO_read. */
size_t console_read(char *buf, size_t len);
/* Start polling the serial line for input (after the timers run). */
void console_start_input(void);

/* Serve a PV console ring for d at gfn (domUs); sets the HVM params. */
int console_ring_setup(struct domain *d, gfn_t gfn);

#endif /* XEN_CONSOLE_H */
