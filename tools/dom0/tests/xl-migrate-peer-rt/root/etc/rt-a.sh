# xl-migrate-peer-rt, machine A (the sender): xl-migrate-peer in real
# time (no -icount), so A and B calibrate their TSCs differently and the
# stream's X86_TSC_INFO names a rate B's hypervisor does not have: B
# scales the guest's TSC and carries its clock on. migrate-guest writes
# 64 pages/s (a burst every 1/8 s of its own time: with rate=1 its first
# check after the move could come 8 s of guest time later, past B's
# grace) and is moved while it writes.
free-pages save
xl create /etc/mover.cfg
wait-console 1 "migrate-guest: writing" 120
link-check map
expect-output "xl migrate mover peer" "migrate: round 2:" "(final)" "migrate: log-dirty by"
!xl domid mover
!xl domid mover--migratedaway
free-pages same
