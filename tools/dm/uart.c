/* SPDX-License-Identifier: MIT */
/*
 * uart.c - the 16550 of uart.h. Transmission is instantaneous (THRE and
 * TEMT always set), the receiver holds what uart_queue_input() gave it,
 * loopback (MCR bit 4) feeds sent bytes back to the receiver and mirrors
 * MCR into MSR, as a guest's probe expects.
 *
 * May not touch: anything outside its struct uart; it never calls Xen.
 */
#include <string.h>

#include "uart.h"

/* MSR with the modem lines up: DCD, DSR, CTS. */
#define UART_MSR_IDLE 0xb0

void uart_init(struct uart *u, void (*emit)(void *opaque, const char *line), void *opaque)
{
    memset(u, 0, sizeof(*u));
    u->dll = 12; /* 9600 baud, as firmware leaves it */
    u->lcr = 0x03;
    u->emit = emit;
    u->opaque = opaque;
}

size_t uart_queue_input(struct uart *u, const char *s, size_t len)
{
    size_t n = 0;

    while ( n < len && u->rx_len < UART_RX_SIZE )
    {
        u->rx[(u->rx_head + u->rx_len++) % UART_RX_SIZE] = (uint8_t)s[n++];
        u->rx_bytes++;
    }
    return n;
}

static void uart_flush_line(struct uart *u)
{
    u->line[u->line_len] = '\0';
    if ( u->emit )
        u->emit(u->opaque, u->line);
    u->line_len = 0;
}

static void uart_log(struct uart *u, char c)
{
    if ( u->log_len == UART_LOG_SIZE - 1 )
    {
        /* Keep the newer half. */
        memmove(u->log, u->log + UART_LOG_SIZE / 2, UART_LOG_SIZE / 2 - 1);
        u->log_len = UART_LOG_SIZE / 2 - 1;
    }
    u->log[u->log_len++] = c;
    u->log[u->log_len] = '\0';
}

static void uart_transmit(struct uart *u, uint8_t c)
{
    u->tx_bytes++;
    if ( u->mcr & UART_MCR_LOOP )
    {
        uart_queue_input(u, (const char *)&c, 1);
        return;
    }
    uart_log(u, (char)c);
    if ( c == '\n' )
        uart_flush_line(u);
    else if ( c != '\r' )
    {
        u->line[u->line_len++] = (char)c;
        if ( u->line_len == UART_LINE_MAX )
            uart_flush_line(u);
    }
}

static uint8_t uart_receive(struct uart *u)
{
    uint8_t c;

    if ( !u->rx_len )
        return 0;
    c = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % UART_RX_SIZE;
    u->rx_len--;
    return c;
}

/* What IIR would say; the model raises no interrupt (polled mode). */
static uint8_t uart_iir(const struct uart *u)
{
    uint8_t fifo = (u->fcr & UART_FCR_FIFO) ? UART_IIR_FIFO : 0;

    if ( (u->ier & UART_IER_RDI) && u->rx_len )
        return fifo | UART_IIR_RDI;
    if ( u->ier & UART_IER_THRI )
        return fifo | UART_IIR_THRI;
    return fifo | UART_IIR_NONE;
}

static uint8_t uart_msr(const struct uart *u)
{
    if ( !(u->mcr & UART_MCR_LOOP) )
        return UART_MSR_IDLE;
    /* Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
    return (uint8_t)(((u->mcr & 0x02) << 3) | ((u->mcr & 0x01) << 5) | ((u->mcr & 0x04) << 4) |
                     ((u->mcr & 0x08) << 4));
}

uint8_t uart_read(struct uart *u, unsigned int reg)
{
    int dlab = (u->lcr & UART_LCR_DLAB) != 0;

    switch ( reg )
    {
    case UART_RBR: return dlab ? u->dll : uart_receive(u);
    case UART_IER: return dlab ? u->dlm : u->ier;
    case UART_IIR: return uart_iir(u);
    case UART_LCR: return u->lcr;
    case UART_MCR: return u->mcr;
    case UART_LSR: return UART_LSR_THRE | UART_LSR_TEMT | (u->rx_len ? UART_LSR_DR : 0);
    case UART_MSR: return uart_msr(u);
    case UART_SCR: return u->scr;
    default: return 0xff;
    }
}

void uart_write(struct uart *u, unsigned int reg, uint8_t val)
{
    int dlab = (u->lcr & UART_LCR_DLAB) != 0;

    switch ( reg )
    {
    case UART_THR:
        if ( dlab )
            u->dll = val;
        else
            uart_transmit(u, val);
        break;
    case UART_IER:
        if ( dlab )
            u->dlm = val;
        else
            u->ier = val & 0x0f;
        break;
    case UART_FCR:
        u->fcr = val & 0xc9;
        if ( val & 0x02 )
            u->rx_len = 0;
        break;
    case UART_LCR: u->lcr = val; break;
    case UART_MCR: u->mcr = val & 0x1f; break;
    case UART_SCR: u->scr = val; break;
    default: break; /* LSR and MSR are read-only */
    }
}
