/* SPDX-License-Identifier: MIT */
/*
 * layout.h - where wren-dm's devices sit in a served guest, by the
 * architecture dom0 (and so the guest) was built for: x86's UART is COM2
 * in port space and its RAM starts at 0; an Arm guest has no port space,
 * so the same 16550 register block is MMIO at DM_UART_BASE (one byte per
 * register, reg-shift 0: the device tree's "ns16550a"), in the device
 * hole below RAM, which starts at 0x40000000 (Xen on Arm's
 * GUEST_RAM0_BASE). The Arm window stays clear of the vGIC
 * (0x03001000..), the grant table (0x38000000) and the magic pages
 * (0x39000000). The table device's registers (0xfebf0000) are MMIO on
 * both: a hole of every guest. The PCI function is x86's only (config
 * space through 0xcf8/0xcfc; Arm would need an ECAM window).
 *
 * Private to tools/dm. Defines only.
 */
#ifndef WRENDM_LAYOUT_H
#define WRENDM_LAYOUT_H

#include <xen/hvm/dm_op.h>
#include <xen/hvm/ioreq.h>

#include "uart.h"

#if defined(__aarch64__)
#define DM_RAM_BASE   0x40000000ULL
#define DM_UART_BASE  UART_MMIO_BASE
#define DM_UART_TYPE  IOREQ_TYPE_COPY
#define DM_UART_RANGE XEN_DMOP_IO_RANGE_MEMORY
#define DM_UART_KIND  "mmio" /* as xl ioreq-list names it */
#define DM_HAS_PCI    0
#else
#define DM_RAM_BASE   0ULL
#define DM_UART_BASE  UART_COM2_BASE
#define DM_UART_TYPE  IOREQ_TYPE_PIO
#define DM_UART_RANGE XEN_DMOP_IO_RANGE_PORT
#define DM_UART_KIND  "port"
#define DM_HAS_PCI    1
#endif

#endif /* WRENDM_LAYOUT_H */
