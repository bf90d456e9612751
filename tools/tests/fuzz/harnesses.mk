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

# Harnesses of toolstack code (tools/): the sources each links, as paths
# under tools/ (a flex or bison output, NAME.lex.c / NAME.tab.c, is made
# from tools/.../NAME.l / .y). They build with the toolstack's flags
# (tools/Rules.mk), never the hypervisor's.
FUZZ_TOOL_HARNESSES := xlcfg

FUZZ_TOOL_SRCS_xlcfg := xl/xl_cfg.tab.c xl/xl_cfg.lex.c xl/xlu_cfg.c xl/xl_parse.c \
	libs/light/libxl_config.c

# xenstored's request handling, fed a client's byte stream.
FUZZ_TOOL_HARNESSES += xsmsg
FUZZ_TOOL_SRCS_xsmsg :=
FUZZ_TOOL_SRCS_xsmsg += xenstored/tree.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/perms.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/txn.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/watch.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/ops.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/ops-domain.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/conn.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/ring.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/socket.c
FUZZ_TOOL_SRCS_xsmsg += xenstored/daemon.c

# The domain builder against a fake domain (tests/tools/fake-xen.c).
FUZZ_TOOL_HARNESSES += pvh-build
FUZZ_TOOL_SRCS_pvh-build := libs/guest/xg_build.c libs/guest/xg_kernel.c \
	libs/guest/xg_memory.c libs/guest/xg_start.c libs/guest/xg_cpu.c libs/guest/xg_arm64.c libs/guest/shared.c \
	tests/tools/fake-xen.c

# The migration stream's reader, restoring into a fake domain.
FUZZ_TOOL_HARNESSES += sr-restore
FUZZ_TOOL_SRCS_sr-restore := libs/guest/xg_sr_common.c libs/guest/xg_sr_restore.c \
	tests/tools/fake-xen.c

# The full paths of harness $(1)'s tool sources, given the generated tree.
fuzz_tool_srcs = $(foreach s,$(FUZZ_TOOL_SRCS_$(1)), \
	$(if $(filter %.tab.c %.lex.c,$(s)),$(TOOLS_GEN)/$(s),$(TOOLS_ROOT)/$(s)))
