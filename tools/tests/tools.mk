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
TOOL_TESTS += test-dom0-cpio
TOOL_SRCS_test-dom0-cpio += dom0/runtime/cpio.c
TOOL_TESTS += test-dom0-shell
TOOL_SRCS_test-dom0-shell += dom0/split.c
TOOL_SRCS_test-dom0-shell += dom0/lineedit.c

TOOL_BINS := $(addprefix $(BUILD)/tools/,$(TOOL_TESTS))

$(BUILD)/tools/obj/%.o: $(TOOLS_ROOT)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_TEST_CFLAGS) -c $< -o $@

$(BUILD)/tools/obj/%.o: $(TOOLS_GEN)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_TEST_CFLAGS) -Wno-unused-function -c $< -o $@

$(BUILD)/tools/%.o: tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_TEST_CFLAGS) -c $< -o $@

# The objects of test-$(1). A function, not inline in the rule: make would
# replace the % of a patsubst written there with the rule's stem.
tool_objs = $(patsubst %.c,$(BUILD)/tools/obj/%.o,$(TOOL_SRCS_test-$(1)))

.SECONDEXPANSION:
$(BUILD)/tools/test-%: $(BUILD)/tools/test-%.o $(BUILD)/tools/harness.o \
		$$(call tool_objs,$$*)
	$(CC) $(TOOL_TEST_CFLAGS) $^ -o $@

$(BUILD)/tools/harness.o: harness.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_TEST_CFLAGS) -DWREN_TOOLS_TEST -c $< -o $@
