# harnesses.mk - the host fuzz harnesses and the hypervisor sources each
# one links (paths under xen/; lib/ is ../lib/), and any flags of their
# own. Included by fuzz/Makefile (libFuzzer builds) and
# tools/tests/Makefile (corpus replay in `make unit`).

FUZZ_HARNESSES := decode elf walk format
FUZZ_HARNESSES += xsmsg

FUZZ_SRCS_decode := arch/x86/x86_decode.c
FUZZ_SRCS_elf    := common/libelf.c
FUZZ_SRCS_walk   := arch/x86/guest_walk.c
FUZZ_SRCS_format := ../lib/format.c
# lib's formatter under other names, beside the C library's.
FUZZ_CFLAGS_format := -Dvsnprintf=lib_vsnprintf -Dsnprintf=lib_snprintf

# xenstored's request handling, fed a client's byte stream.
FUZZ_SRCS_xsmsg :=
FUZZ_SRCS_xsmsg += ../tools/xenstored/tree.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/perms.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/txn.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/watch.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/ops.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/ops-domain.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/conn.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/ring.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/socket.c
FUZZ_SRCS_xsmsg += ../tools/xenstored/daemon.c
FUZZ_CFLAGS_xsmsg = -D_GNU_SOURCE -I$(XEN)/../tools/include -I$(XEN)/../tools/xenstored \
	-I$(XEN)/../tools/xenstored/include
