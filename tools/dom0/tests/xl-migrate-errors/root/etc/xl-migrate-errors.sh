# xl-migrate-errors: the refusals of xl migrate, each with its message,
# then a stream the receiver refuses mid-way: -T puts an unknown
# mandatory record after round 1, the receiver (a task of this dom0)
# refuses it and destroys what it built, the sender's next write finds
# the socket closed and the source runs on, log-dirty off, its frames
# the same. That it still runs with every write in place is proved by
# migrating it afterwards: it arrives in domain 3 and checks its pages
# (and the new log-dirty enable would be refused if the failed one had
# left it on).
xl create /etc/mover.cfg
wait-console 1 "migrate-guest: writing" 120
free-pages save
expect-output -f "xl migrate nosuch localhost" "Domain 'nosuch' does not exist"
expect-output -f "xl migrate 0 localhost" "cannot migrate domain 0"
expect-output -f "xl migrate mover peer" "no link to host 'peer'"
expect-output -f "xl migrate" "Usage: xl migrate"
expect-output -f "xl migrate -T mover localhost" "migrate: round 1:" "!migrate: round 2:" "unknown mandatory record" "still runs here"
!xl domid mover--incoming
!xl domid mover--migratedaway
!xl domname 2
xl domid mover
free-pages same
expect-output "xl migrate mover localhost" "migrate-receive: domain mover arrived as domain 3"
wait-console 3 "migrate-guest: arrived in domain 3 at generation" 60
xl destroy mover
