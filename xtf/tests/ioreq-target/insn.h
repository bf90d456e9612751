/*
 * insn.h - what ioreq-target's main.c asks of the architecture's file
 * (x86.c, arm64.c): carry out the mailbox command IOT_PIO,
 * IOT_PIO_STRING or IOT_MMIO with the instruction it names. Each returns
 * the command's result (-XEN_EOPNOTSUPP where the architecture has no
 * such instruction). Declarations only.
 */
#ifndef IOREQ_TARGET_INSN_H
#define IOREQ_TARGET_INSN_H

long iot_pio(void);
long iot_pio_string(void);
long iot_mmio(void);

#endif /* IOREQ_TARGET_INSN_H */
