# vmce-tool: xen-mceinj breaks gfn 0x300 of a running guest (vmce-target,
# with CR4.MCE and a #MC handler). The guest prints the bank it got; -q
# shows the frame broken; after the guest is destroyed the host has one
# free frame fewer than before (the broken one is retired, never reused).
# Then the tool's refusals: a domain that is gone, no RAM at the address,
# and arguments that are not numbers or are missing.
free-pages save
xl create /etc/victim.cfg
wait-console 1 "Serving the mailbox"
xen-mceinj -q -d 1 -g 0x300
xen-mceinj -d 1 -g 0x300 -o 0x40
wait-console 1 "#MC: MCG_STATUS 0x5 MC1_STATUS 0xbd8000000000009f ADDR 0x300040"
xen-mceinj -q -d 1 -g 0x300
xl destroy victim
free-pages fewer 1
!xen-mceinj -d 1 -g 0x300
!xen-mceinj -d 0 -g 0xfffffffff
!xen-mceinj -d one -g 0x300
!xen-mceinj -d 0
!xen-mceinj -d 0 -g 0x300 -c 4000
free-pages fewer 1
xl list
