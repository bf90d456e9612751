# xl-migrate-arm64: an arm64 guest that ticks every 200 ms (checking its
# pattern, V0-V31, FPCR, FPSR and that its counter never goes back, and
# rewriting its pattern's pages between ticks) moves to a new domain on
# this host while it runs (xl migrate DOMID localhost): log-dirty rounds
# on stage 2 and a final one, the receiver's new domain 2, which carries
# on ticking without a banner of its own and without a failed check; the
# source is gone, nothing is left renamed, and destroying the moved
# domain gives every frame back.
free-pages save
xl create /etc/mover.cfg
wait-console 1 "arm64-xl-saver: tick 5," 30
expect-output "xl migrate mover localhost" "migrate: round 2:" "(final)" "migrate-receive: domain mover arrived as domain 2"
wait-console 2 ", moved 1" 30
!xl domid mover--migratedaway
!xl domid mover--incoming
expect-output "xl list" "mover " "!--incoming" "!--migratedaway"
xl destroy mover
free-pages same
