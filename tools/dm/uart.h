/* SPDX-License-Identifier: MIT */
/*
 * uart.h - the device model's 16550 (COM2, ports 0x2f8-0x2ff; MMIO on Arm,
 * layout.h): what the
 * guest sends is collected into lines handed to an emit callback (the
 * dom0 console, prefixed by the domain) and kept in a log the tests read;
 * what a test queues is what the guest receives. Polled mode only: no
 * interrupt is ever raised, IIR just reports what would be pending.
 *
 * Private to tools/dm; pure state, no Xen call.
 */
#ifndef WRENDM_UART_H
#define WRENDM_UART_H

#include <stddef.h>
#include <stdint.h>

#define UART_COM2_BASE 0x2f8U
#define UART_MMIO_BASE 0x23000000U /* Arm guests: layout.h */
#define UART_NR_PORTS  8U
#define UART_RX_SIZE   256U
#define UART_LINE_MAX  120U
#define UART_LOG_SIZE  4096U

/* Register offsets and bits used by the model and its tests (16550). */
#define UART_RBR      0 /* DLAB 0, read */
#define UART_THR      0 /* DLAB 0, write */
#define UART_DLL      0 /* DLAB 1 */
#define UART_IER      1 /* DLAB 0 */
#define UART_DLM      1 /* DLAB 1 */
#define UART_IIR      2 /* read */
#define UART_FCR      2 /* write */
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_MSR      6
#define UART_SCR      7
#define UART_LCR_DLAB 0x80
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_MCR_LOOP 0x10
#define UART_IIR_NONE 0x01
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI  0x04
#define UART_IIR_FIFO 0xc0
#define UART_IER_RDI  0x01
#define UART_IER_THRI 0x02
#define UART_FCR_FIFO 0x01

struct uart
{
    uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
    uint8_t rx[UART_RX_SIZE];
    unsigned int rx_head, rx_len;
    char line[UART_LINE_MAX + 1];
    unsigned int line_len;
    char log[UART_LOG_SIZE]; /* the last bytes sent, NUL-terminated */
    unsigned int log_len;
    uint64_t tx_bytes, rx_bytes;
    /* A finished line (no newline), or NULL to drop them. */
    void (*emit)(void *opaque, const char *line);
    void *opaque;
};

void uart_init(struct uart *u, void (*emit)(void *opaque, const char *line), void *opaque);
uint8_t uart_read(struct uart *u, unsigned int reg);
void uart_write(struct uart *u, unsigned int reg, uint8_t val);
/* Queue bytes for the guest to read; how many fitted. */
size_t uart_queue_input(struct uart *u, const char *s, size_t len);

#endif /* WRENDM_UART_H */
