# tools/Rules.mk - what the toolstack is made of, for the two builds that
# compile it: tools/dom0/Makefile links every component into the dom0
# unikernel (Debian's musl C library underneath, our runtime below that);
# tools/tests/tools.mk builds host unit tests of the same files (glibc,
# ASan/UBSan).
#
# A component is a directory; every .c directly in it is part of it, and
# so is every .l (flex) and .y (bison) file, generated into
# $(TOOLS_GEN)/<component>/. Its public headers are in <component>/include.
# Tool code is portable POSIX C: it reaches Xen only through the devices
# in include/xen-sys/ (as on a Linux dom0), never through the hypervisor's
# own headers. <xen/...> is the public ABI (include/xen links to
# xen/include/public). One hypervisor file is shared with tool code by
# design: the hypercall list, xen/include/xen/hypercall-defs.h (MIT,
# macros only), reached as <wren/hypercall-defs.h> through the link
# include/wren/hypercall-defs.h, so the toolstack's hypercall stubs are
# expanded from the rows the hypervisor dispatches from. Nothing else of
# xen/include/xen is on the tools' include path.

TOOLS_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# One component a line, in link order (libraries before their users).
TOOLS_COMPONENTS :=
TOOLS_COMPONENTS += libs/call
TOOLS_COMPONENTS += libs/ctrl
TOOLS_COMPONENTS += libs/foreignmemory
TOOLS_COMPONENTS += libs/evtchn
TOOLS_COMPONENTS += libs/gnttab
TOOLS_COMPONENTS += libs/devicemodel
TOOLS_COMPONENTS += libs/store
TOOLS_COMPONENTS += libs/guest
TOOLS_COMPONENTS += libs/light
TOOLS_COMPONENTS += xenstored
TOOLS_COMPONENTS += console
TOOLS_COMPONENTS += dm
TOOLS_COMPONENTS += xl

# <wren/...> is lib/include: the freestanding parts tool code shares with
# the hypervisor (libs/guest compiles lib's ELF parser and ACPI tables).
TOOLS_INCLUDES := -I$(TOOLS_ROOT)/include -I$(TOOLS_ROOT)/../lib/include \
	$(foreach c,$(TOOLS_COMPONENTS),-I$(TOOLS_ROOT)/$(c)/include)

TOOLS_WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers
TOOLS_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(TOOLS_WARN) $(TOOLS_INCLUDES)

# The sources of component $(1): its C files, and the C files flex and
# bison make from its .l and .y files under $(2) (the generated tree).
tools_csrcs = $(wildcard $(TOOLS_ROOT)/$(1)/*.c)
tools_lsrcs = $(wildcard $(TOOLS_ROOT)/$(1)/*.l)
tools_ysrcs = $(wildcard $(TOOLS_ROOT)/$(1)/*.y)
tools_gensrcs = $(patsubst $(TOOLS_ROOT)/%.l,$(2)/%.lex.c,$(tools_lsrcs)) \
	$(patsubst $(TOOLS_ROOT)/%.y,$(2)/%.tab.c,$(tools_ysrcs))

# Generation rules, for an includer that sets TOOLS_GEN. The bison header
# (<name>.tab.h) lands beside the .tab.c; add -I$(TOOLS_GEN)/<component>.
define tools_gen_rules
$(TOOLS_GEN)/%.tab.c $(TOOLS_GEN)/%.tab.h: $(TOOLS_ROOT)/%.y
	@mkdir -p $$(dir $$@)
	bison --defines=$(TOOLS_GEN)/$$*.tab.h -o $(TOOLS_GEN)/$$*.tab.c $$<
$(TOOLS_GEN)/%.lex.c $(TOOLS_GEN)/%.lex.h: $(TOOLS_ROOT)/%.l
	@mkdir -p $$(dir $$@)
	flex --header-file=$(TOOLS_GEN)/$$*.lex.h -o $(TOOLS_GEN)/$$*.lex.c $$<
endef
