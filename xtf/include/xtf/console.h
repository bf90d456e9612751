/*
 * console.h - where printf output goes.
 *
 * Before the hypercall page exists the only channel is I/O port 0xE9 (the
 * QEMU debugcon / Bochs port_e9_hack convention); a hypervisor may ignore
 * it, so nothing important should be printed that early. Afterwards:
 * dom0 uses console_io(CONSOLEIO_write); a domU uses its PV console ring
 * when HVM_PARAM_CONSOLE_PFN is set, console_io otherwise.
 */
#ifndef XTF_CONSOLE_H
#define XTF_CONSOLE_H

#include <xtf/types.h>

enum xtf_console_kind
{
    XTF_CONSOLE_PORT_E9,
    XTF_CONSOLE_HYPERCALL,
    XTF_CONSOLE_RING,
};

void console_write(const char *buf, size_t len);

/* Switch from port 0xE9 once hypercalls work; picks hypercall or ring. */
void console_init_xen(void);
enum xtf_console_kind console_kind(void);
const char *console_kind_name(void);

#endif /* XTF_CONSOLE_H */
