# xl-linux-migrate: Debian's unmodified Linux through xl migrate to
# localhost, twice. The rounds copy its memory while it runs; for the
# final round xl asks it to suspend (control/feature-suspend says it
# can), and in domain 2 it sets up again what xl-linux-save's restore
# showed. It does not announce control/feature-* again there: the second
# move, to domain 3, asks it only because the first carried what it had
# announced in domain 1 (the xl header's guest-node record); paused
# instead, it would never answer in domain 3.
# Its init answers each line typed at its console with a count, whether
# its clock ever went back and whether its kernel log is clean: answer
# 1 before, 2 in domain 2, 3 in domain 3 (a guest booted afresh would
# say 1). xl shutdown then reaches it through the store; the frames
# come back.
free-pages save
xl create /etc/linux-save.cfg
wait-xs /local/domain/1/control/feature-suspend =1 900
wait-console 1 "waiting for xl shutdown" 900
console-send 1 ping
wait-console 1 "answer 1: clock steady, kernel log clean" 60
expect-output "xl migrate linux localhost" "migrate-receive: domain linux arrived as domain 2"
!xl domid linux--migratedaway
xl list
console-send 2 ping
wait-console 2 "answer 2: clock steady, kernel log clean" 120
xenstore-read /local/domain/2/control/feature-suspend
expect-output "xl migrate linux localhost" "migrate-receive: domain linux arrived as domain 3"
xl list
console-send 3 ping
wait-console 3 "answer 3: clock steady, kernel log clean" 120
xl shutdown -w linux
free-pages same
xl list
