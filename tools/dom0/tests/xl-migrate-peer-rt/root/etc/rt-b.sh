# xl-migrate-peer-rt, machine B (the receiver; its dom0 prints "Peer
# result:"): the guest arrives as domain 2 (id 1 spent first, so it sees
# its id change), finds every page as written, and keeps writing with its
# TSC at A's rate on B's clock; B destroys it and gets every frame back.
xl create /etc/mover.cfg 'name="filler"'
xl destroy filler
free-pages save
expect-output "xl migrate-receive" "domain mover arrived as domain 2"
wait-console 2 "migrate-guest: arrived in domain 2 at generation" 60
xl list
xl destroy mover
free-pages same
