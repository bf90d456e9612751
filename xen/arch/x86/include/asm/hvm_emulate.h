/*
 * hvm_emulate.h - emulating the guest instruction whose memory access
 * reached no RAM (a hole or an MMIO device, asm/hvm_mmio.h), and string
 * port I/O. Called from the exit handlers (npf.c, hvm.c) only.
 */
#ifndef ASM_HVM_EMULATE_H
#define ASM_HVM_EMULATE_H

#include <xen/types.h>

struct vcpu;
struct hvm_exit;

/*
 * Carry out the instruction at the guest's RIP, whose access to gpa
 * e->gpa found no RAM: every access it makes goes to RAM or through the
 * MMIO registry, registers and flags change as the CPU would change
 * them, and RIP moves past it (a REP string instruction may stop part
 * way, with its registers updated, and run again). An instruction the
 * emulator does not know crashes the domain with the reason.
 */
void hvm_emulate_mmio(struct vcpu *v, const struct hvm_exit *e);

/* INS/OUTS (with or without REP): no port has a device behind it, so INS
 * stores all-ones and OUTS reads guest memory and drops it (port 0xE9
 * goes to the debug console). Moves RIP itself. */
void hvm_emulate_string_io(struct vcpu *v, const struct hvm_exit *e);

#endif /* ASM_HVM_EMULATE_H */
