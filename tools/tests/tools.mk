# tools/tests/tools.mk - host unit tests of toolstack code (tools/), run
# with the hypervisor's host tests by "make unit". Included by Makefile.
#
# Tool code sees the C library and the public ABI only (tools/Rules.mk),
# never xen/include's internal headers, so these tests are compiled with
# their own flags. A test is tools/test-NAME.c; the component files it
# links are listed in TOOL_SRCS_test-NAME (paths under tools/), one
# "+=" a line, so that adding one is a one-line change.

include ../Rules.mk
TOOLS_GEN := $(BUILD)/tools-gen
$(eval $(tools_gen_rules))

TOOL_TEST_CFLAGS := $(filter-out -Wmissing-prototypes,$(TOOLS_CFLAGS)) -O1 -g \
	-fsanitize=address,undefined -fno-omit-frame-pointer $(SAN_STRICT) -I. -MMD -MP \
	$(foreach c,$(TOOLS_COMPONENTS),-I$(TOOLS_GEN)/$(c))

TOOL_TESTS :=
# TOOL_TESTS += test-xs-proto
# TOOL_SRCS_test-xs-proto += xenstored/store.c

# The domain builder against a fake domain (tests/tools/fake-xen.c).
TOOL_TESTS += test-guest-build
TOOL_SRCS_test-guest-build += libs/guest/xg_build.c
TOOL_SRCS_test-guest-build += libs/guest/xg_kernel.c
TOOL_SRCS_test-guest-build += libs/guest/xg_memory.c
TOOL_SRCS_test-guest-build += libs/guest/xg_start.c
TOOL_SRCS_test-guest-build += libs/guest/xg_cpu.c
TOOL_SRCS_test-guest-build += libs/guest/shared.c
TOOL_SRCS_test-guest-build += tests/tools/fake-xen.c
TOOL_SRCS_test-guest-build += tests/tools/elf-fixture.c

# The builder's refusals of malformed kernels.
TOOL_TESTS += test-guest-elf
TOOL_SRCS_test-guest-elf += libs/guest/xg_build.c
TOOL_SRCS_test-guest-elf += libs/guest/xg_kernel.c
TOOL_SRCS_test-guest-elf += libs/guest/xg_memory.c
TOOL_SRCS_test-guest-elf += libs/guest/xg_start.c
TOOL_SRCS_test-guest-elf += libs/guest/xg_cpu.c
TOOL_SRCS_test-guest-elf += libs/guest/shared.c
TOOL_SRCS_test-guest-elf += tests/tools/fake-xen.c
TOOL_SRCS_test-guest-elf += tests/tools/elf-fixture.c

TOOL_BINS := $(addprefix $(BUILD)/tools/,$(TOOL_TESTS))

# (In a pattern rule's prerequisites, make puts the stem in for every %
# before the second expansion, so the object list is built without %
# or a colon.)

$(BUILD)/tools/obj/%.o: $(TOOLS_ROOT)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_TEST_CFLAGS) -c $< -o $@

$(BUILD)/tools/obj/%.o: $(TOOLS_GEN)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_TEST_CFLAGS) -Wno-unused-function -c $< -o $@

$(BUILD)/tools/%.o: tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_TEST_CFLAGS) -c $< -o $@

# Host benchmarks of tool code (make bench): tools/bench-NAME.c, linked
# with the TOOL_SRCS_bench-NAME it lists, no test harness.
TOOL_BENCHES :=
TOOL_BENCH_BINS = $(addprefix $(BUILD)/tools/,$(TOOL_BENCHES))

.SECONDEXPANSION:
$(BUILD)/tools/bench-%: $(BUILD)/tools/bench-%.o \
		$$(addprefix $(BUILD)/tools/obj/,$$(addsuffix .o,$$(basename $$(TOOL_SRCS_bench-$$*))))
	$(CC) $(TOOL_TEST_CFLAGS) $^ -o $@

$(BUILD)/tools/test-%: $(BUILD)/tools/test-%.o $(BUILD)/tools/harness.o \
		$$(addprefix $(BUILD)/tools/obj/,$$(addsuffix .o,$$(basename $$(TOOL_SRCS_test-$$*))))
	$(CC) $(TOOL_TEST_CFLAGS) $^ -o $@

$(BUILD)/tools/harness.o: harness.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_TEST_CFLAGS) -DWREN_TOOLS_TEST -c $< -o $@

# What building a domain costs, on the fake domain (make bench).
TOOL_BENCHES += bench-domain-build
TOOL_SRCS_bench-domain-build += libs/guest/xg_build.c
TOOL_SRCS_bench-domain-build += libs/guest/xg_kernel.c
TOOL_SRCS_bench-domain-build += libs/guest/xg_memory.c
TOOL_SRCS_bench-domain-build += libs/guest/xg_start.c
TOOL_SRCS_bench-domain-build += libs/guest/xg_cpu.c
TOOL_SRCS_bench-domain-build += libs/guest/shared.c
TOOL_SRCS_bench-domain-build += tests/tools/fake-xen.c
TOOL_SRCS_bench-domain-build += tests/tools/elf-fixture.c

# Rebuild an object when a header (or a lib/ file shared.c includes) changes.
-include $(wildcard $(BUILD)/tools/*.d $(BUILD)/tools/obj/*/*.d $(BUILD)/tools/obj/*/*/*.d \
	$(BUILD)/tools/obj/*/*/*/*.d)
