# harnesses.mk - the host fuzz harnesses and the hypervisor sources each
# one links (paths under xen/; lib/ is ../lib/, tools/ is ../tools/), and
# any flags of their own. Included by fuzz/Makefile (libFuzzer builds) and
# tools/tests/Makefile (corpus replay in `make unit`).

FUZZ_HARNESSES := decode elf walk format

FUZZ_SRCS_decode := arch/x86/x86_decode.c
FUZZ_SRCS_elf    := ../lib/elf.c
FUZZ_SRCS_walk   := arch/x86/guest_walk.c
FUZZ_SRCS_format := ../lib/format.c
# lib's formatter under other names, beside the C library's.
FUZZ_CFLAGS_format := -Dvsnprintf=lib_vsnprintf -Dsnprintf=lib_snprintf

# The toolstack's domain builder against a fake domain: tool code, so the
# tools' include flags (tools/Rules.mk).
include $(dir $(lastword $(MAKEFILE_LIST)))../../Rules.mk
FUZZ_HARNESSES += pvh-build
FUZZ_SRCS_pvh-build := ../tools/libs/guest/xg_build.c
FUZZ_SRCS_pvh-build += ../tools/libs/guest/xg_kernel.c
FUZZ_SRCS_pvh-build += ../tools/libs/guest/xg_memory.c
FUZZ_SRCS_pvh-build += ../tools/libs/guest/xg_start.c
FUZZ_SRCS_pvh-build += ../tools/libs/guest/xg_cpu.c
FUZZ_SRCS_pvh-build += ../tools/libs/guest/shared.c
FUZZ_SRCS_pvh-build += ../tools/tests/tools/fake-xen.c
FUZZ_CFLAGS_pvh-build := -D_GNU_SOURCE $(TOOLS_INCLUDES) -I$(TOOLS_ROOT)/tests/tools
