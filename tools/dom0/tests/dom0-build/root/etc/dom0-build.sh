# dom0-build: the domain builder (tools/libs/guest) in dom0 against the
# hypervisor. xl create builds xtf/tests/pvh-layout with a ramdisk, a
# command line and two vCPUs; the guest checks its start info, memory
# map, ACPI tables, ramdisk and HVM params from inside and prints its
# verdict on its console, which the console daemon serves. Then kernels
# the builder must refuse (not ELF; a truncated ELF header) and a memory size
# it must refuse: each create fails and the host's free memory is back
# where it began. The guest powers off by itself after its verdict, and
# xl's death service destroys it (on_poweroff destroy, the default)
# without any xl command: its store directory goes.
free-pages save
xl create /etc/pvh-layout.cfg
wait-console 1 "Test result: SUCCESS" 40
wait-xs /local/domain/1 gone 60
!xl domid pvh-layout
free-pages same
!xl create /etc/not-elf.cfg
free-pages same
!xl create /etc/truncated.cfg
free-pages same
!xl create /etc/too-small.cfg
free-pages same
xl list
