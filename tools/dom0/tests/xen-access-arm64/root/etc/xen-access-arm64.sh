# xen-access-arm64: xen-access on Arm. The guest (mem-access-guest)
# writes gfns 0x40400..0x40403 at offset 0x18 and calls into gfn 0x40410,
# round after round, checking each write (RAM starts at gfn 0x40000).
# xen-access write over the four frames for 3 s: exactly one event per
# frame (each then gets rwx back), kind w, vCPU 0, and the guest runs
# on; exec over gfn 0x40410: exactly one event, kind x; write again:
# four events again; altp2m_write is refused (no altp2m on Arm); the
# guest has lost no write (it would have crashed). Then the refusals,
# and the frames back after destroy.
free-pages save
xl create /etc/target.cfg
wait-console 1 "ok round 4"
expect-output "xen-access -g 0x40400 -c 4 -t 3 1 write" "d1 vcpu 0 view 0 gfn 0x40400 offset 0x18 access -w-" "gfn 0x40401 offset 0x18 access -w-" "gfn 0x40402 offset 0x18 access -w-" "gfn 0x40403 offset 0x18 access -w-" "d1: 4 events"
expect-output "xen-access -g 0x40410 -c 1 -t 3 1 exec" "d1 vcpu 0 view 0 gfn 0x40410 offset 0 access --x" "d1: 1 events"
expect-output "xen-access -g 0x40400 -c 4 -n 4 1 write" "gfn 0x40403 offset 0x18 access -w-" "d1: 4 events"
!xen-access -g 0x40400 -c 4 -t 2 1 altp2m_write
expect-output "xl list" "target" "!MISMATCH"
!xen-access 1 bogus
!xen-access 1 altp2m_exec
!xen-access one write
!xen-access -g 0x40400 1 write
!xen-access -c 0 -g 0x40400 1 write
!xen-access 77 write
!xen-access 0 write
!xen-access -g 0x7fffffff -c 1 1 write
expect-output "xen-access -t 1 1 write" "d1: write restricted, listening"
expect-output "xl list" "target"
xl destroy target
free-pages same
