/*
 * pl011.c - polled driver for the Arm PrimeCell UART (PL011), the console
 * of arm64 machines (QEMU virt's is at the device tree's arm,pl011 node).
 * The console layer above (common/console.c) decides what to print; this
 * file only moves bytes. Register offsets: PL011 TRM (DDI 0183).
 */
#include <xen/console.h>
#include <asm/arm64.h>

#define UARTDR    0x000 /* data */
#define UARTFR    0x018 /* flags */
#define UARTIBRD  0x024 /* integer baud divisor */
#define UARTFBRD  0x028 /* fractional baud divisor */
#define UARTLCR_H 0x02c /* line control */
#define UARTCR    0x030 /* control */
#define UARTIMSC  0x038 /* interrupt mask set/clear */
#define UARTICR   0x044 /* interrupt clear */

#define FR_BUSY      (1U << 3)
#define FR_RXFE      (1U << 4) /* receive FIFO empty */
#define FR_TXFF      (1U << 5) /* transmit FIFO full */
#define LCR_H_FEN    (1U << 4) /* FIFOs on */
#define LCR_H_WLEN_8 (3U << 5)
#define CR_UARTEN    (1U << 0)
#define CR_TXE       (1U << 8)
#define CR_RXE       (1U << 9)
#define ICR_ALL      0x7ffU

static volatile uint32_t *uart;

void pl011_set_base(paddr_t base)
{
    uart = (volatile uint32_t *)(uintptr_t)base;
}

static uint32_t rd(unsigned int off)
{
    return uart[off / 4];
}

static void wr(unsigned int off, uint32_t v)
{
    uart[off / 4] = v;
}

/* 115200 8n1 from the 24 MHz reference clock QEMU's virt board
 * describes (a real board's firmware has set it up already). */
void serial_init(void)
{
    if ( !uart )
        return;
    wr(UARTCR, 0);
    while ( rd(UARTFR) & FR_BUSY )
        ;
    wr(UARTIMSC, 0);
    wr(UARTICR, ICR_ALL);
    wr(UARTIBRD, 13);
    wr(UARTFBRD, 1);
    wr(UARTLCR_H, LCR_H_WLEN_8 | LCR_H_FEN);
    wr(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

void serial_putc(char c)
{
    unsigned int spins = 0;
    if ( !uart )
        return;
    while ( (rd(UARTFR) & FR_TXFF) && ++spins < 1000000 )
        ;
    wr(UARTDR, (uint8_t)c);
}

void serial_flush(void)
{
    unsigned int spins = 0;
    if ( !uart )
        return;
    while ( (rd(UARTFR) & FR_BUSY) && ++spins < 1000000 )
        ;
}

int serial_getc(void)
{
    if ( !uart || (rd(UARTFR) & FR_RXFE) )
        return -1;
    return (int)(rd(UARTDR) & 0xff);
}
