/*
 * runtime.h (arm64) - what the AArch64 runtime's files share: the entry's
 * hand-off and the exception report. Declares only.
 */
#ifndef XTF_RUNTIME_H
#define XTF_RUNTIME_H

#include <xtf/types.h>

/* head.S -> setup.c: x1 and x2 as the hypervisor left them. */
void __noreturn xtf_main(uint64_t cmdline_ipa, uint64_t domid);
/* setup.c: the command line's IPA, the last page of RAM (0: none). */
extern uint64_t xtf_cmdline_ipa;
/* vectors.S -> setup.c: an exception at EL1 (vector 0-15), x0..x30. */
void __noreturn xtf_exception(uint64_t kind, const uint64_t *regs);

#endif /* XTF_RUNTIME_H */
