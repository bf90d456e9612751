/*
 * ns16550.c - polled driver for the PC's 16550 UART (COM1 at 0x3f8).
 * Output, and polled input (serial_getc); the console layer above
 * decides what to print and who gets what is typed.
 */
#include <xen/console.h>
#include <asm/x86.h>

#define UART_THR 0 /* transmit holding register */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0
#define UART_DLM 1
#define UART_RBR 0    /* receive buffer register */
#define LSR_DR   0x01 /* a received character is waiting */
#define LSR_THRE 0x20 /* transmitter holding register empty */
#define LSR_TEMT 0x40 /* transmitter completely empty */

#define COM1_BASE 0x3f8

static uint16_t uart_base;

void serial_init(void)
{
    uint16_t base = COM1_BASE;

    uart_base = base;
    outb(base + UART_IER, 0x00);
    outb(base + UART_LCR, 0x80); /* divisor latch on */
    outb(base + UART_DLL, 0x01); /* 115200 baud */
    outb(base + UART_DLM, 0x00);
    outb(base + UART_LCR, 0x03); /* 8n1 */
    outb(base + UART_FCR, 0xc7);
    outb(base + UART_MCR, 0x03);
}

void serial_putc(char c)
{
    unsigned int spins = 0;
    if ( !uart_base )
        return;
    while ( !(inb(uart_base + UART_LSR) & LSR_THRE) && ++spins < 100000 )
        ;
    outb(uart_base + UART_THR, (uint8_t)c);
}

/* Wait until the last character has left the shift register: Bochs drops
 * whatever is still there when the machine powers off. */
void serial_flush(void)
{
    unsigned int spins = 0;
    if ( !uart_base )
        return;
    while ( !(inb(uart_base + UART_LSR) & LSR_TEMT) && ++spins < 1000000 )
        ;
}

/* The next character received, or -1 if none is waiting. */
int serial_getc(void)
{
    if ( !uart_base || !(inb(uart_base + UART_LSR) & LSR_DR) )
        return -1;
    return inb(uart_base + UART_RBR);
}
