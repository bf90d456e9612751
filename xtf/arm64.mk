# xtf/arm64.mk - builds the AArch64 XTF test kernels (EL1 guests of Wren
# on arm64) with Debian's cross compiler:
#
#   make -C xtf -f arm64.mk BUILD=<outdir> XEN_PUBLIC=<repo>/xen/include
#
# A test is built for arm64 when its directory holds test-arm64.cfg (the
# qemu-arm64 descriptor; test.cfg stays x86's): <outdir>/<name>.elf from
# the directory's C sources on the arm64 runtime (arch/arm64, the
# architecture-neutral files of common/, lib/), and <outdir>/<name>.cfg.
# Nothing of the x86 build (Makefile) is used or changed.

XTF_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
include $(XTF_ROOT)/../Config.mk

CROSS_COMPILE ?= aarch64-linux-gnu-
ACC := $(CROSS_COMPILE)gcc
ALD := $(CROSS_COMPILE)ld

BUILD      ?= $(XTF_ROOT)/../build/arm64/tests
XEN_PUBLIC ?= $(XTF_ROOT)/../xen/include
LIB        := $(abspath $(XTF_ROOT)/../lib)
OBJ        := $(BUILD)/obj-xtf

# Config.mk's freestanding flags less the x86 ones; no unaligned accesses:
# the kernels run with their stage 1 off, where all data is Device memory.
CFLAGS := $(filter-out -no-pie -mno-red-zone -mno-mmx -mno-sse -mno-sse2,$(FREESTANDING_CFLAGS)) \
	-fno-pic -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-I$(XTF_ROOT)/arch/arm64/include -I$(XTF_ROOT)/include -I$(LIB)/include -I$(XEN_PUBLIC) \
	-MMD -MP
LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --build-id=none \
	--no-warn-rwx-segments

COMMON_SRC  := report.c printf.c cmdline.c domain.c evtchn.c
# The libraries of the tests that run here (IOREQ controller, mailbox,
# mapcache, domain building and moving); sorted so a name listed twice
# links once.
COMMON_SRC  := $(sort $(COMMON_SRC) mailbox.c p2m.c ioreq.c ioreq_inval.c mapcache.c build.c move.c)
# The pvclock (time.c), the xenstore client of dm-guest, sysctl.
COMMON_SRC  := $(sort $(COMMON_SRC) time.c xenstore.c sysctl.c)
RUNTIME_SRC := $(sort $(wildcard $(XTF_ROOT)/arch/arm64/*.S $(XTF_ROOT)/arch/arm64/*.c)) \
	$(addprefix $(XTF_ROOT)/common/,$(COMMON_SRC))
LIB_SRC     := $(LIB)/string.c $(LIB)/format.c
RUNTIME_OBJ := $(patsubst $(XTF_ROOT)/%,$(OBJ)/%.o,$(RUNTIME_SRC)) \
	$(patsubst $(LIB)/%,$(OBJ)/lib/%.o,$(LIB_SRC))

TESTS := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard $(XTF_ROOT)/tests/*/test-arm64.cfg)))))
ELFS  := $(addprefix $(BUILD)/,$(addsuffix .elf,$(TESTS)))
CFGS  := $(addprefix $(BUILD)/,$(addsuffix .cfg,$(TESTS)))

.PHONY: all
all: $(ELFS) $(CFGS)

$(OBJ)/%.c.o: $(XTF_ROOT)/%.c
	@mkdir -p $(dir $@)
	$(ACC) $(CFLAGS) -c $< -o $@

$(OBJ)/%.S.o: $(XTF_ROOT)/%.S
	@mkdir -p $(dir $@)
	$(ACC) $(CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(OBJ)/lib/%.c.o: $(LIB)/%.c
	@mkdir -p $(dir $@)
	$(ACC) $(CFLAGS) -c $< -o $@

define arm64_test
$(BUILD)/$(1).elf: $(patsubst $(XTF_ROOT)/%,$(OBJ)/%.o,$(wildcard $(XTF_ROOT)/tests/$(1)/*.c)) \
	$(RUNTIME_OBJ) $(XTF_ROOT)/arch/arm64/link.lds
	$$(ALD) $$(LDFLAGS) -T $(XTF_ROOT)/arch/arm64/link.lds -o $$@ $$(filter %.o,$$^)
endef
$(foreach t,$(TESTS),$(eval $(call arm64_test,$(t))))

$(BUILD)/%.cfg: $(XTF_ROOT)/tests/%/test-arm64.cfg
	@mkdir -p $(dir $@)
	cp $< $@

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
