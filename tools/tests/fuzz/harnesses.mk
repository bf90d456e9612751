# harnesses.mk - the host fuzz harnesses and the hypervisor sources each
# one links (paths under xen/; lib/ is ../lib/), and any flags of their
# own. Included by fuzz/Makefile (libFuzzer builds) and
# tools/tests/Makefile (corpus replay in `make unit`).

FUZZ_HARNESSES := decode elf walk format

FUZZ_SRCS_decode := arch/x86/x86_decode.c
FUZZ_SRCS_elf    := ../lib/elf.c
FUZZ_SRCS_walk   := arch/x86/guest_walk.c
FUZZ_SRCS_format := ../lib/format.c
# lib's formatter under other names, beside the C library's.
FUZZ_CFLAGS_format := -Dvsnprintf=lib_vsnprintf -Dsnprintf=lib_snprintf
