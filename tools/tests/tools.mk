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
	-I$(TOOLS_ROOT)/dom0/include \
	$(foreach c,$(TOOLS_COMPONENTS),-I$(TOOLS_GEN)/$(c))

TOOL_TESTS :=
TOOL_TESTS += test-libxenctrl
TOOL_SRCS_test-libxenctrl += tests/tools/fake-privcmd.c
TOOL_SRCS_test-libxenctrl += libs/call/xencall.c
TOOL_SRCS_test-libxenctrl += libs/ctrl/xc_core.c
TOOL_SRCS_test-libxenctrl += libs/ctrl/xc_domain.c
TOOL_SRCS_test-libxenctrl += libs/ctrl/xc_memory.c
TOOL_SRCS_test-libxenctrl += libs/ctrl/xc_misc.c
TOOL_SRCS_test-libxenctrl += libs/ctrl/xc_wren.c
TOOL_SRCS_test-libxenctrl += libs/ctrl/xc_sr.c
TOOL_SRCS_test-libxenctrl += libs/ctrl/xc_resume.c
TOOL_TESTS += test-mem-access-tools
TOOL_SRCS_test-mem-access-tools += tests/tools/fake-privcmd.c
TOOL_SRCS_test-mem-access-tools += libs/call/xencall.c
TOOL_SRCS_test-mem-access-tools += libs/ctrl/xc_core.c
TOOL_SRCS_test-mem-access-tools += libs/ctrl/xc_domain.c
TOOL_SRCS_test-mem-access-tools += libs/ctrl/xc_memory.c
TOOL_SRCS_test-mem-access-tools += libs/ctrl/xc_sr.c
TOOL_SRCS_test-mem-access-tools += libs/ctrl/xc_monitor.c
TOOL_SRCS_test-mem-access-tools += libs/ctrl/xc_mem_access.c
TOOL_SRCS_test-mem-access-tools += libs/foreignmemory/xenforeignmemory.c
TOOL_SRCS_test-libxenctrl += libs/ctrl/xc_altp2m.c
TOOL_TESTS += test-libxenforeignmemory
TOOL_SRCS_test-libxenforeignmemory += tests/tools/fake-privcmd.c
TOOL_SRCS_test-libxenforeignmemory += libs/foreignmemory/xenforeignmemory.c
TOOL_TESTS += test-libxenevtchn
TOOL_SRCS_test-libxenevtchn += tests/tools/fake-privcmd.c
TOOL_SRCS_test-libxenevtchn += libs/evtchn/xenevtchn.c
TOOL_TESTS += test-libxengnttab
TOOL_SRCS_test-libxengnttab += tests/tools/fake-privcmd.c
TOOL_SRCS_test-libxengnttab += libs/call/xencall.c
TOOL_SRCS_test-libxengnttab += libs/gnttab/xengnttab.c
TOOL_SRCS_test-libxengnttab += libs/devicemodel/xendevicemodel.c
TOOL_TESTS += test-libxendevicemodel
TOOL_SRCS_test-libxendevicemodel += tests/tools/fake-privcmd.c
TOOL_SRCS_test-libxendevicemodel += libs/devicemodel/xendevicemodel.c
TOOL_SRCS_test-libxendevicemodel += libs/foreignmemory/xenforeignmemory.c

# wren-dm, the device model, against the fake privcmd.
TOOL_TESTS += test-wrendm
TOOL_SRCS_test-wrendm += tests/tools/fake-privcmd.c
TOOL_SRCS_test-wrendm += libs/devicemodel/xendevicemodel.c
TOOL_SRCS_test-wrendm += libs/foreignmemory/xenforeignmemory.c
TOOL_SRCS_test-wrendm += libs/evtchn/xenevtchn.c
TOOL_SRCS_test-wrendm += dm/mapcache.c
TOOL_SRCS_test-wrendm += dm/uart.c
TOOL_SRCS_test-wrendm += dm/dtable.c
TOOL_SRCS_test-wrendm += dm/io.c
TOOL_SRCS_test-wrendm += dm/pcidev.c
TOOL_SRCS_test-wrendm += dm/server.c
TOOL_SRCS_test-wrendm += dm/service.c

# xenstored: every test links the daemon's core (XS_CORE).
XS_CORE :=
XS_CORE += xenstored/tree.c
XS_CORE += xenstored/perms.c
XS_CORE += xenstored/txn.c
XS_CORE += xenstored/watch.c
XS_CORE += xenstored/ops.c
XS_CORE += xenstored/ops-domain.c
XS_CORE += xenstored/conn.c
XS_CORE += xenstored/ring.c
XS_CORE += xenstored/socket.c
XS_CORE += xenstored/daemon.c
TOOL_TESTS += test-xs-proto
TOOL_SRCS_test-xs-proto += $(XS_CORE)
TOOL_TESTS += test-xs-perms
TOOL_SRCS_test-xs-perms += $(XS_CORE)
TOOL_TESTS += test-xs-txn
TOOL_SRCS_test-xs-txn += $(XS_CORE)
TOOL_TESTS += test-xs-watch
TOOL_SRCS_test-xs-watch += $(XS_CORE)
TOOL_TESTS += test-xs-quota
TOOL_SRCS_test-xs-quota += $(XS_CORE)
TOOL_TESTS += test-xs-ring
TOOL_SRCS_test-xs-ring += $(XS_CORE)
# libxenstore against the daemon, over a Unix socket and a ring.
TOOL_TESTS += test-xs-client
TOOL_SRCS_test-xs-client += $(XS_CORE)
TOOL_SRCS_test-xs-client += libs/store/xs.c
TOOL_SRCS_test-xs-client += libs/store/xs-list.c
TOOL_SRCS_test-xs-client += libs/store/xs-watch.c
TOOL_SRCS_test-xs-client += libs/store/transport-socket.c
TOOL_SRCS_test-xs-client += libs/store/transport-ring.c
# The console daemon with a console page in memory.
TOOL_TESTS += test-console
TOOL_SRCS_test-console += console/daemon.c
TOOL_SRCS_test-console += console/clients.c

# The domain builder against a fake domain (tests/tools/fake-xen.c).
TOOL_TESTS += test-guest-build
TOOL_SRCS_test-guest-build += libs/guest/xg_build.c
TOOL_SRCS_test-guest-build += libs/guest/xg_kernel.c
TOOL_SRCS_test-guest-build += libs/guest/xg_memory.c
TOOL_SRCS_test-guest-build += libs/guest/xg_start.c
TOOL_SRCS_test-guest-build += libs/guest/xg_cpu.c
TOOL_SRCS_test-guest-build += libs/guest/xg_arm64.c
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
TOOL_SRCS_test-guest-elf += libs/guest/xg_arm64.c
TOOL_SRCS_test-guest-elf += libs/guest/shared.c
TOOL_SRCS_test-guest-elf += tests/tools/fake-xen.c
TOOL_SRCS_test-guest-elf += tests/tools/elf-fixture.c

# Save and restore: the stream's writer and reader between fake domains.
TOOL_TESTS += test-save-restore
TOOL_SRCS_test-save-restore += libs/guest/xg_sr_common.c
TOOL_SRCS_test-save-restore += libs/guest/xg_sr_save.c
TOOL_SRCS_test-save-restore += libs/guest/xg_sr_restore.c
TOOL_SRCS_test-save-restore += tests/tools/fake-xen.c
# Live saves: rounds over the fake's log-dirty while its guest writes.
TOOL_TESTS += test-save-live
TOOL_SRCS_test-save-live += libs/guest/xg_sr_common.c
TOOL_SRCS_test-save-live += libs/guest/xg_sr_save.c
TOOL_SRCS_test-save-live += libs/guest/xg_sr_restore.c
TOOL_SRCS_test-save-live += tests/tools/fake-xen.c

# xl's config reader: the grammar, the settings, the keys' meaning.
TOOL_TESTS += test-xl-cfg
TOOL_SRCS_test-xl-cfg += xl/xl_cfg.tab.c
TOOL_SRCS_test-xl-cfg += xl/xl_cfg.lex.c
TOOL_SRCS_test-xl-cfg += xl/xlu_cfg.c
TOOL_SRCS_test-xl-cfg += xl/xl_parse.c
TOOL_SRCS_test-xl-cfg += libs/light/libxl_config.c

# The libxl-style layer over test doubles of the lower libraries.
LIGHT_SRCS :=
LIGHT_SRCS += libs/light/libxl.c
LIGHT_SRCS += libs/light/libxl_config.c
LIGHT_SRCS += libs/light/libxl_console.c
LIGHT_SRCS += libs/light/libxl_create.c
LIGHT_SRCS += libs/light/libxl_death.c
LIGHT_SRCS += libs/light/libxl_domain.c
LIGHT_SRCS += libs/light/libxl_dm.c
LIGHT_SRCS += libs/light/libxl_dommisc.c
LIGHT_SRCS += libs/light/libxl_host.c
LIGHT_SRCS += libs/light/libxl_xs.c
LIGHT_SRCS += libs/light/libxl_save.c
LIGHT_SRCS += libs/light/libxl_suspend.c
TOOL_TESTS += test-light
TOOL_SRCS_test-light += $(LIGHT_SRCS)
TOOL_SRCS_test-light += tests/tools/fake-light.c

# xl's commands over a stand-in libxl.
TOOL_TESTS += test-xl
TOOL_SRCS_test-xl += xl/xl.c
TOOL_SRCS_test-xl += xl/xl_cmdtable.c
TOOL_SRCS_test-xl += xl/xl_info.c
TOOL_SRCS_test-xl += xl/xl_mem.c
TOOL_SRCS_test-xl += xl/xl_memshare.c
TOOL_SRCS_test-xl += xl/xl_vmcontrol.c
TOOL_SRCS_test-xl += xl/xl_fork.c
TOOL_SRCS_test-xl += xl/xl_ioreq.c
TOOL_SRCS_test-xl += xl/xl_saverestore.c
TOOL_SRCS_test-xl += xl/xl_migrate.c
TOOL_SRCS_test-xl += tests/tools/stub-task.c
TOOL_SRCS_test-xl += xl/xl_parse.c
TOOL_SRCS_test-xl += xl/xlu_cfg.c
TOOL_SRCS_test-xl += xl/xl_cfg.tab.c
TOOL_SRCS_test-xl += xl/xl_cfg.lex.c
TOOL_SRCS_test-xl += libs/light/libxl_config.c
TOOL_SRCS_test-xl += tests/tools/stub-libxl.c

# dom0's ramdisk reader and its shell's pure parts.
TOOL_TESTS += test-dom0-cpio
TOOL_SRCS_test-dom0-cpio += dom0/runtime/cpio.c
TOOL_TESTS += test-dom0-shell
TOOL_SRCS_test-dom0-shell += dom0/split.c
TOOL_SRCS_test-dom0-shell += dom0/lineedit.c
# The two-machine link's ring protocol.
TOOL_TESTS += test-link-ring
TOOL_SRCS_test-link-ring += dom0/runtime/link_ring.c

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

# Host benchmarks of tool code (make bench): tools/bench-NAME.c, linked
# with the TOOL_SRCS_bench-NAME it lists, no test harness.
TOOL_BENCHES :=
TOOL_BENCH_BINS = $(addprefix $(BUILD)/tools/,$(TOOL_BENCHES))

# The objects of sources $(1). A function, because a '%' written in the
# pattern rule below would be taken for the rule's stem.
tool_objs = $(patsubst %.c,$(BUILD)/tools/obj/%.o,$(1))

.SECONDEXPANSION:
$(BUILD)/tools/bench-%: $(BUILD)/tools/bench-%.o \
		$$(call tool_objs,$$(TOOL_SRCS_bench-$$*))
	$(CC) $(TOOL_TEST_CFLAGS) $^ -o $@

$(BUILD)/tools/test-%: $(BUILD)/tools/test-%.o $(BUILD)/tools/harness.o \
		$$(call tool_objs,$$(TOOL_SRCS_test-$$*))
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
TOOL_SRCS_bench-domain-build += libs/guest/xg_arm64.c
TOOL_SRCS_bench-domain-build += libs/guest/shared.c
TOOL_SRCS_bench-domain-build += tests/tools/fake-xen.c
TOOL_SRCS_bench-domain-build += tests/tools/elf-fixture.c

# Keep the objects between runs, and rebuild them when a header they
# include changes (their .d files).
TOOL_OBJS := $(foreach t,$(TOOL_TESTS) $(TOOL_BENCHES),$(BUILD)/tools/$(t).o $(call tool_objs,$(TOOL_SRCS_$(t))))
.SECONDARY: $(TOOL_OBJS) $(BUILD)/tools/harness.o
-include $(TOOL_OBJS:.o=.d)
# A generated scanner includes its parser's header and the parser the
# scanner's: build every generated header before any generated object.
TOOL_GEN_HDRS := $(foreach c,$(TOOLS_COMPONENTS), \
	$(patsubst $(TOOLS_ROOT)/%.y,$(TOOLS_GEN)/%.tab.h,$(call tools_ysrcs,$(c))) \
	$(patsubst $(TOOLS_ROOT)/%.l,$(TOOLS_GEN)/%.lex.h,$(call tools_lsrcs,$(c))))
TOOL_GEN_OBJS := $(patsubst $(TOOLS_GEN)/%.c,$(BUILD)/tools/obj/%.o, \
	$(foreach c,$(TOOLS_COMPONENTS),$(call tools_gensrcs,$(c),$(TOOLS_GEN))))
$(TOOL_GEN_OBJS): $(TOOL_GEN_HDRS)

# The toolstack's fuzz harnesses (fuzz/harnesses.mk), replayed over their
# committed corpus by "make unit", with the toolstack's flags.
TOOL_REPLAYS := $(addprefix $(BUILD)/fuzz/replay-,$(FUZZ_TOOL_HARNESSES))
REPLAYS += $(TOOL_REPLAYS)

$(TOOL_REPLAYS): $(BUILD)/fuzz/replay-%: fuzz/fuzz-%.c fuzz/driver-replay.c \
		$$(call fuzz_tool_srcs,$$*) fuzz/fuzz.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(TOOL_TEST_CFLAGS)) -Wno-unused-function -Ifuzz -DNAME=\"$*\" \
		-DCORPUS=\"$(abspath fuzz/corpus/$*)\" $(filter %.c,$^) -o $@
