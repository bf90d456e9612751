# xen-access: the guest (mem-access-guest) writes gfns 0x400..0x403 at
# offset 0x18 and calls into gfn 0x410, round after round, checking each
# write. xen-access write over the four frames for 3 s: exactly one
# event per frame (each then gets rwx back), kind w, vCPU 0, and the
# guest runs on; exec over gfn 0x410: exactly one event, kind x; write
# again: four events again; altp2m_write (the guest's config allows
# external altp2m): the frames rx in view 1, each event names view 1 and
# its answer runs the vCPU on in view 0 for a moment; the guest has lost
# no write (it would have crashed). Then the refusals, and the frames
# back after destroy.
free-pages save
xl create /etc/target.cfg
wait-console 1 "ok round 4"
expect-output "xen-access -g 0x400 -c 4 -t 3 1 write" "d1 vcpu 0 view 0 gfn 0x400 offset 0x18 access -w-" "gfn 0x401 offset 0x18 access -w-" "gfn 0x402 offset 0x18 access -w-" "gfn 0x403 offset 0x18 access -w-" "d1: 4 events"
expect-output "xen-access -g 0x410 -c 1 -t 3 1 exec" "d1 vcpu 0 view 0 gfn 0x410 offset 0 access --x" "d1: 1 events"
expect-output "xen-access -g 0x400 -c 4 -n 4 1 write" "gfn 0x403 offset 0x18 access -w-" "d1: 4 events"
expect-output "xen-access -g 0x400 -c 4 -t 2 1 altp2m_write" "d1: altp2m_write restricted, listening" "d1 vcpu 0 view 1 gfn 0x400 offset 0x18 access -w-"
expect-output "xl list" "target" "!MISMATCH"
!xen-access 1 bogus
!xen-access 1 altp2m_exec
!xen-access one write
!xen-access -g 0x400 1 write
!xen-access -c 0 -g 0x400 1 write
!xen-access 77 write
!xen-access 0 write
!xen-access -g 0x7fffffff -c 1 1 write
expect-output "xen-access -t 1 1 write" "d1: write restricted, listening"
expect-output "xl list" "target"
xl destroy target
free-pages same
