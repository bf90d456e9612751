# xl-migrate: migrate-guest writes generation numbers over 512 pages as
# fast as it can and checks them all the moment its domain id changes
# (xtf/tests/migrate-guest). It is moved to this host while it writes:
# the progress shows a second round (round 1 left pages dirty), a final
# round, the platform's best log-dirty mechanism (PML on bochs-vmx, the
# A/D flags on qemu-svm) and the receiver's new domain; the guest then
# says every page holds what it wrote; the source is gone, nothing is
# left renamed, and destroying the moved domain gives every frame back.
free-pages save
xl create /etc/mover.cfg
wait-console 1 "migrate-guest: writing" 120
expect-output "xl migrate mover localhost" "migrate: round 2:" "(final)" "the platform's best" "migrate-receive: domain mover arrived as domain 2"
wait-console 2 "migrate-guest: arrived in domain 2 at generation" 60
!xl domid mover--migratedaway
!xl domid mover--incoming
!xl domname 1
xl list
xl destroy mover
free-pages same
