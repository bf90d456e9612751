# xl-migrate-ring-arm64: as xl-migrate-arm64, with --ring: the guest
# ticks every 200 ms (checking its pattern, V0-V31, FPCR, FPSR and that
# its counter never goes back, and rewriting its pattern's pages between
# ticks) and moves to a new domain on this host while it runs, every
# round's dirty set taken from the dirty rings (the bitmap only where the
# hypervisor says the rings lack frames); the progress shows a second
# round, a final round and the rings' count of entries harvested; the
# guest carries on in domain 2 without a failed check; the source is
# gone and destroying the moved domain gives every frame back.
free-pages save
xl create /etc/mover.cfg
wait-console 1 "arm64-xl-saver: tick 5," 30
expect-output "xl migrate --ring mover localhost" "migrate: round 2:" "(final)" "migrate: dirty ring:" "migrate-receive: domain mover arrived as domain 2"
wait-console 2 ", moved 1" 30
!xl domid mover--migratedaway
!xl domid mover--incoming
expect-output "xl list" "mover " "!--incoming" "!--migratedaway"
xl destroy mover
free-pages same
