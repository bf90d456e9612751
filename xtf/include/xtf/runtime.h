/*
 * runtime.h - functions the runtime's assembly calls and runtime-internal
 * state. Tests do not include this.
 */
#ifndef XTF_RUNTIME_H
#define XTF_RUNTIME_H

#include <xtf/types.h>
#include <xtf/traps.h>

void __noreturn xtf_main(void);
void __noreturn xtf_ap_main(unsigned int id);
void do_exception(struct cpu_regs *regs);

extern uint64_t xtf_pt_low[512];
extern const uint64_t exc_stubs[32];
extern const struct extable_entry __start_extable[], __stop_extable[];
extern char xtf_ap_entry64[];

/* True once hypercall_page has been registered with the hypervisor. */
extern bool xtf_hypercalls_ready;

/* Find and register the hypercall page; false if not under Xen. */
bool xen_detect(void);
void xen_identify_domain(void);

#endif /* XTF_RUNTIME_H */
