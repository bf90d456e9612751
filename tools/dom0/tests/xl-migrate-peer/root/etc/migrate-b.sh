# xl-migrate-peer, machine B (the receiver; its dom0 prints "Peer
# result:"). The guest notices it moved when its domain id changes: it is
# domain 1 on A, so B first spends id 1 on a domain it destroys, and the
# arrival is domain 2. The guest then checks every page it wrote; B
# destroys it and gets every frame back.
xl create /etc/mover.cfg 'name="filler"'
xl destroy filler
free-pages save
expect-output "xl migrate-receive" "domain mover arrived as domain 2"
wait-console 2 "migrate-guest: arrived in domain 2 at generation" 60
!xl domid mover--incoming
xl list
xl destroy mover
free-pages same
