# harnesses.mk - the host fuzz harnesses and the hypervisor sources each
# one links (paths under xen/). Included by fuzz/Makefile (libFuzzer
# builds) and tools/tests/Makefile (corpus replay in `make unit`).

FUZZ_HARNESSES := decode elf walk

FUZZ_SRCS_decode := arch/x86/x86_decode.c
FUZZ_SRCS_elf    := common/libelf.c
FUZZ_SRCS_walk   := arch/x86/guest_walk.c
