#!/bin/bash
# automation/bench.sh - Wren's benchmarks. They report counts, not times
# (VM exits per dirtied page, p2m entries touched per type change, pages
# sent per migration round, hypervisor instructions per operation): counts
# are the same on every host and under every emulator speed.

set -uo pipefail

printf '%-32s %-10s %-28s %s\n' benchmark platform metric value
printf '%-32s %-10s %-28s %s\n' --------- -------- ------ -----
echo "(no benchmarks yet)"

# Log-dirty: exits, reports and p2m writes per mechanism and superpage
# policy, on both platforms (docs/bench/logdirty.md).
echo
"$(dirname "${BASH_SOURCE[0]}")/bench-logdirty.sh"
