# Wren top-level Makefile.
#
#   make run [PLATFORM=qemu|bochs] [GUEST=linux]
#                                    install what is missing, build, boot the demo
#                                    (or Debian's Linux kernel as a PVH domU)
#   make test                        install what is missing, build, run every test
#   make bench                       benchmarks (counts, not times)
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_STAGES="host-decode ..."]
#                                    fuzzers, each for a bounded time; the
#                                    guest stages run the hostile-guest
#                                    fuzzer (10^6 calls on QEMU)
#   make build                       hypervisor, XTF guests, dom0 (tools/dom0),
#                                    and the arm64 hypervisor with its boot tests
#   make build ARCH=arm64            the arm64 hypervisor and its boot tests only
#                                    (build/arm64/; docs/designs/arm64.md)
#   make format-check                every C file as .clang-format says (in make test)
#   make format                      reformat every C file in place
#
# Everything built goes under build/.
#
# lib/ (string, formatted output, bit operations, types) has no target of
# its own: xen/Makefile and xtf/Makefile each compile lib/*.c with their
# own flags, and tools/tests builds it for the host and tests it.

include Config.mk

PLATFORM ?= qemu
BUILD := $(CURDIR)/build
export BUILD

.PHONY: all build xen xtf tools linux arm64 unit deps run test bench fuzz format format-check clean

all: build

deps:
	@automation/install-deps.sh

ifeq ($(ARCH),arm64)
build: arm64
else
build: xen xtf linux tools arm64
endif

# The Arm64 hypervisor (xen/arch/arm64, cross-compiled), the
# descriptors of its boot tests and the AArch64 XTF kernels (xtf/arm64.mk:
# the tests with a test-arm64.cfg), and dom0 for arm64 with the ramdisks
# of its tests that have a test-arm64.cfg (tools/dom0, ARCH=arm64), for
# the qemu-arm64 platform. The
# `modules` test boots two stand-in modules (text, not ELF), each saying
# its own name.
ARM64_STAND_IN_MODULES := mod-kernel mod-extra
arm64:
	@$(MAKE) -s -C xen ARCH=arm64 BUILD=$(BUILD)/arm64/xen
	@mkdir -p $(BUILD)/arm64/tests
	@cp xen/arch/arm64/tests/*.cfg $(BUILD)/arm64/tests/
	@$(MAKE) -s -C xtf -f arm64.mk BUILD=$(BUILD)/arm64/tests XEN_PUBLIC=$(CURDIR)/xen/include
	@for m in $(ARM64_STAND_IN_MODULES); do \
		printf 'WREN-MODULE %s.elf\n' $$m >$(BUILD)/arm64/tests/$$m.elf; done
	@$(MAKE) -s -C tools/dom0 ARCH=arm64 BUILD=$(BUILD)/arm64/tools XTF_OUT=$(BUILD)/arm64/tests

# The Linux guest test's kernel (Debian's, fetched with apt-get download),
# its initramfs and its descriptor, beside the XTF tests.
linux:
	@automation/linux/build.sh $(BUILD)/xtf

xen:
	@$(MAKE) -s -C xen BUILD=$(BUILD)/xen

xtf:
	@$(MAKE) -s -C xtf BUILD=$(BUILD)/xtf XEN_PUBLIC=$(CURDIR)/xen/include

# The dom0 unikernel (tools/dom0: its runtime, musl, the toolstack) and
# the ramdisks and descriptors of its tests, installed beside the XTF
# tests in build/xtf where the runner finds boot modules.
tools: xtf linux
	@$(MAKE) -s -C tools/dom0 BUILD=$(BUILD)/tools XTF_OUT=$(BUILD)/xtf

# One C style, clang-format's (.clang-format, docs/CODING_STYLE.md).
format-check:
	@automation/format-check.sh

format:
	@git ls-files '*.c' '*.h' | grep -Ev '(^|/)decode-corpus\.h$$' | xargs clang-format -i

unit:
	@$(MAKE) -s -C tools/tests BUILD=$(BUILD)/tests run

# ARCH=arm64: Wren-arm64 under qemu-system-aarch64 (platform qemu-arm64).
RUN_PLATFORM := $(if $(filter arm64,$(ARCH)),qemu-arm64,$(PLATFORM))
run: deps build
	@automation/run-demo.sh $(RUN_PLATFORM) $(GUEST)

test: deps
	@$(MAKE) -s build
	@automation/test-all.sh

bench: deps build
	@automation/bench.sh

# FUZZ_SECONDS (default 60) bounds each host stage; FUZZ_STAGES picks some
# (default: all). See automation/fuzz.sh. The guest stages need the build.
fuzz: deps build
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) automation/fuzz.sh $(FUZZ_STAGES)

clean:
	rm -rf $(BUILD)
