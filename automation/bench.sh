#!/bin/bash
# automation/bench.sh - Wren's benchmarks. They report counts, not times
# (VM exits per dirtied page, p2m entries touched per type change, pages
# sent per migration round, hypervisor instructions per operation): counts
# are the same on every host and under every emulator speed.

set -uo pipefail

here=$(dirname "${BASH_SOURCE[0]}")

# p2m: entries written when a global type change begins and as the guest
# touches memory afterwards, lazy against eager (docs/bench/p2m-global.md).
echo "== p2m global type changes (host) =="
"$here/bench-p2m.sh"

# Log-dirty: exits, reports and p2m writes per mechanism and superpage
# policy, on the x86 platforms and qemu-arm64 (docs/bench/logdirty.md).
echo
echo "== log-dirty (guests on qemu-svm, bochs-vmx and qemu-arm64) =="
"$here/bench-logdirty.sh"

# Dirty rings: bitmap words scanned against ring entries harvested per
# round, small and large working sets (docs/bench/dirty-ring.md).
echo
echo "== dirty ring (guests on both platforms) =="
"$here/bench-dirty-ring.sh"

# vCPU load: VMPTRLD/VMCLEAR, VMLAUNCH/VMRESUME and ASID work per 1000
# yields of vCPUs moving between CPUs (docs/bench/vcpu-load.md).
echo
echo "== vCPU load and unload (guests on both platforms) =="
"$here/bench-vcpu-load.sh"

# Domain building: hypercalls, populate extents, map batches and frames
# mapped per xc_pvh_build(), on the builder's test double
# (docs/bench/domain-build.md).
echo
echo "== domain build (host) =="
"$here/bench-domain-build.sh"

# IOREQ servers: exits per forwarded write, instructions per round trip
# and per invalidation broadcast (QEMU -icount), invalidations per frame
# given back (docs/bench/ioreq.md).
echo
echo "== IOREQ forwarding (guests on both platforms) =="
"$here/bench-ioreq.sh"

# Live migration: pages sent per round, total over guest pages, the final
# round against the guest's working set, the pause in instructions (QEMU
# -icount) (docs/bench/migrate.md).
echo
echo "== live migration (guests on both platforms) =="
"$here/bench-migrate.sh"

# altp2m: VM exits per view switch (hypercall, VMFUNC), per EPT violation
# handled as #VE in the guest and per violation a dom0 listener handles
# through the vm_event ring (docs/bench/altp2m-sharing.md).
echo
echo "== altp2m views and mem_access (guests on both platforms) =="
"$here/bench-altp2m.sh"

# Sharing and fork: an unshare fault in instructions (QEMU -icount), p2m
# entries copied at fork and pages freed per fork_reset, frames saved by
# xl mem-share of two identical guests (docs/bench/altp2m-sharing.md).
echo
echo "== memory sharing and VM fork (guests on both platforms) =="
"$here/bench-sharing.sh"
