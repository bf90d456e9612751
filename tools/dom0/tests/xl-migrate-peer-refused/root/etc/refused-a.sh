# xl-migrate-peer-refused, machine A (the sender): the stream over
# /dev/wren-link carries a record B must refuse after round 1; xl
# migrate fails and says the domain still runs here, and it does, under
# its own name. Destroying it gives every frame back.
free-pages save
xl create /etc/mover.cfg
wait-console 1 "migrate-guest: writing" 120
expect-output -f "xl migrate -T mover peer" "migrate: round 1:" "still runs here"
xl domid mover
!xl domid mover--migratedaway
xl destroy mover
free-pages same
