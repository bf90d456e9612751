# xl-migrate-ring: as xl-migrate, with --ring: migrate-guest writes
# generation numbers over 512 pages as fast as it can and checks them
# all the moment its domain id changes (xtf/tests/migrate-guest). Every
# round's dirty set comes from the dirty rings (the bitmap only where
# the hypervisor says the rings lack frames: the first round after they
# are enabled); the progress shows a second round, a final round and the
# ring's count of entries harvested; the guest then says every page
# holds what it wrote; the source is gone and its frames are back.
free-pages save
xl create /etc/mover.cfg
wait-console 1 "migrate-guest: writing" 120
expect-output "xl migrate --ring mover localhost" "migrate: round 2:" "(final)" "migrate: dirty ring:" "migrate-receive: domain mover arrived as domain 2"
wait-console 2 "migrate-guest: arrived in domain 2 at generation" 60
!xl domid mover--migratedaway
!xl domid mover--incoming
!xl migrate --ring mover
xl destroy mover
free-pages same
