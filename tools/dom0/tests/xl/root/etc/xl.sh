# xl: each line is a dom0 command (tools/dom0/script.c); '!' lines must
# fail. The guest is XTF's "counter" (it loops without hypercalls), from
# /boot (test.cfg's DOM0_BOOT_FILES).
xl info
xl list
xl list Domain-0
xl create /etc/counter.cfg memory=40
xl list
xl list -v counter
xl list -l counter
xl domid counter
xl domname 1
xl vcpu-list counter
xl pause counter
xl list counter
xl unpause counter
xl mem-set counter 32
!xl mem-set counter 64
xl mem-max counter 56
xl mem-set counter 52
xl rename counter counted
!xl domid counter
xl uptime counted
!xl create /etc/bad.cfg
!xl create /etc/counter.cfg 'name="counted"'
xl create /etc/counter.cfg 'name="second"'
xl list
xl destroy counted
xl destroy second
!xl list counted
!xl destroy 0
xl list
xl dmesg
