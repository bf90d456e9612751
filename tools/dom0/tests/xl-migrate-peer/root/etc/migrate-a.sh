# xl-migrate-peer, machine A (the sender): migrate-guest
# (xtf/tests/migrate-guest) writes generations over 512 pages and is
# moved to machine B over /dev/wren-link while it writes. The progress
# shows a second round and a final one; afterwards neither the domain nor
# a renamed leftover is here, and every frame it had is free again.
free-pages save
xl create /etc/mover.cfg
wait-console 1 "migrate-guest: writing" 120
link-check map
expect-output "xl migrate mover peer" "migrate: round 2:" "(final)" "migrate: log-dirty by"
!xl domid mover
!xl domid mover--migratedaway
!xl domname 1
free-pages same
