# xl-linux-save: Debian's unmodified Linux through xl save and restore,
# then xl migrate (one Linux boot for both: each move of 96 MiB costs
# the suite tens of seconds). Its xenbus says it can suspend (control/feature-suspend), so xl
# asks it to, through control/shutdown. The guest's init answers each
# line typed at its console with a count, whether its clock ever went
# back, and whether its kernel log is clean:
#  1. answered once before any save;
#  2. xl save -c: a checkpoint; the guest's suspend is cancelled and it
#     goes on in domain 1 (answer 2);
#  3. xl save: domain 1 goes; xl restore builds domain 2, where Linux
#     re-registers shared_info, vcpu_info, its event channels, timers and
#     grant frames, reconnects to xenstored and to the console daemon,
#     and answers a third time (a guest booted afresh would say 1);
#  4. xl migrate localhost from domain 2 to domain 3: a resumed Linux
#     does not write control/feature-* again, so only what the save file
#     carried from domain 1 (the xl header's guest-node record) makes xl
#     ask it rather than pause it (a paused Linux never answers in
#     domain 3), and only what the migration carried puts
#     feature-suspend in domain 3's store for the next move;
#  5. xl shutdown reaches it through the store; the host's free frames
#     are back.
# The listings of the guest's store area show what it wrote at boot and
# what the restored domain holds. The image is one path, overwritten:
# dom0's /tmp is its RAM.
free-pages save
xl create /etc/linux-save.cfg
wait-xs /local/domain/1/control/feature-suspend =1 900
wait-console 1 "Test result: SUCCESS" 900
wait-console 1 "waiting for xl shutdown" 120
console-send 1 ping
wait-console 1 "answer 1: clock steady, kernel log clean" 60
xenstore-ls /local/domain/1
xl save -c 1 /tmp/linux.img
console-send 1 ping
wait-console 1 "answer 2: clock steady, kernel log clean" 60
xl save 1 /tmp/linux.img
!xl domid linux
xl restore /tmp/linux.img
xl list
console-send 2 ping
wait-console 2 "answer 3: clock steady, kernel log clean" 120
xenstore-ls /local/domain/2
expect-output "xl migrate linux localhost" "migrate-receive: domain linux arrived as domain 3"
!xl domid linux--migratedaway
console-send 3 ping
wait-console 3 "answer 4: clock steady, kernel log clean" 120
wait-xs /local/domain/3/control/feature-suspend =1 1
xl shutdown -w linux
free-pages same
xl list
