/*
 * dmuart.h - where a test kernel finds wren-dm's 16550 (tools/dm,
 * layout.h) and how it reaches a register: COM2's ports on x86 (IN/OUT),
 * an MMIO block of byte registers at XTF_DMUART_BASE on Arm, which has no
 * port I/O (LDRB/STRB: one IOREQ_TYPE_COPY each). Register numbers are
 * the 16550's (0 RBR/THR, 3 LCR, 5 LSR, 7 SCR). Defines and accessors
 * only; touches nothing but the device.
 */
#ifndef XTF_DMUART_H
#define XTF_DMUART_H

#include <xtf/types.h>

#if defined(__aarch64__)
#define XTF_DMUART_BASE 0x23000000UL

static inline uint8_t xtf_dmuart_read(unsigned int reg)
{
    uint32_t v;

    __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(XTF_DMUART_BASE + reg) : "memory");
    return (uint8_t)v;
}

static inline void xtf_dmuart_write(unsigned int reg, uint8_t v)
{
    __asm__ volatile("strb %w0, [%1]" ::"r"((uint32_t)v), "r"(XTF_DMUART_BASE + reg) : "memory");
}
#else
#define XTF_DMUART_BASE 0x2f8UL

static inline uint8_t xtf_dmuart_read(unsigned int reg)
{
    uint8_t v;

    __asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"((uint16_t)(XTF_DMUART_BASE + reg)));
    return v;
}

static inline void xtf_dmuart_write(unsigned int reg, uint8_t v)
{
    __asm__ volatile("outb %0, %w1" ::"a"(v), "Nd"((uint16_t)(XTF_DMUART_BASE + reg)));
}
#endif

#endif /* XTF_DMUART_H */
