/*
 * xtf32.h - what a 32-bit XTF test kernel (RUNTIME=x86_32) may call: the
 * 32-bit hypercall convention through the hypercall page, printf to the
 * console, and the same verdict calls as the 64-bit runtime. The test
 * defines test_main(); the runtime prints the one "Test result:" line and
 * powers the domain off.
 *
 * Guest code only: it may not include hypervisor headers, only the
 * public ABI (<public/...>) and lib/'s.
 */
#ifndef XTF32_H
#define XTF32_H

#include <stdarg.h>
#include <wren/types.h>
#include <wren/string.h>
#include <wren/format.h>
#include <public/xen.h>
#include <public/hvm/start_info.h>

extern uint8_t hypercall_page[4096];
extern const char *test_title;
extern const struct hvm_start_info *xtf32_start_info;

/* nr's stub in the hypercall page, arguments in EBX ECX EDX ESI EDI. */
long hypercall32(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5);
#define hc32_2(nr, a, b) hypercall32(__HYPERVISOR_##nr, (uint32_t)(a), (uint32_t)(b), 0, 0, 0)
#define hc32_3(nr, a, b, c) \
    hypercall32(__HYPERVISOR_##nr, (uint32_t)(a), (uint32_t)(b), (uint32_t)(c), 0, 0)
#define PTR(p) ((uint32_t)(uintptr_t)(p))

void printf(const char *fmt, ...) __printf(1, 2);
void xtf_success(const char *fmt, ...) __printf(1, 2);
void xtf_skip(const char *fmt, ...) __printf(1, 2);
void xtf_error(const char *fmt, ...) __printf(1, 2);
void xtf_failure(const char *fmt, ...) __printf(1, 2);

void test_main(void);

#endif /* XTF32_H */
