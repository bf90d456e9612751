#!/bin/bash
# automation/bench-vcpu-load.sh [PLATFORM...] - the vCPU load benchmark.
#
# Boots the vcpu-load test (xtf/tests/vcpu-load: four dom0 vCPUs yielding
# on two CPUs) on each platform (default: qemu-svm bochs-vmx) through
# automation/run-test.sh, takes its BENCH line and prints one markdown
# table of XEN_SYSCTL_wren_vcpu_load's counts per 1000 yields of vCPU 0,
# alone and among the domUs' vCPUs:
# VM entries, VMLAUNCH/VMRESUME, VMPTRLD, VMCLEAR (and how many of those
# another CPU asked for), ASIDs handed out, ASID generation rollovers
# and VMRUNs that flushed every ASID. Counts, never times. The table
# goes to the generated part of docs/bench/vcpu-load.md. Needs
# `make build` first. Exit status 1 if a platform's run failed.

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD:-$root/build}
. "$here/lib/bench.sh"
out=$root/docs/bench/vcpu-load.md
platforms=${*:-qemu-svm bochs-vmx}
begin='<!-- bench-vcpu-load:begin -->'
end='<!-- bench-vcpu-load:end -->'
status=0
rows=$(mktemp)
table=$(mktemp)
trap 'rm -f "$rows" "$table"' EXIT

# shellcheck disable=SC2086  # a list of platforms
bench_collect vcpu-load "$rows" $platforms || status=1

awk '
# n per 1000 yields
function k(n, y) { return y ? sprintf("%.0f", n * 1000 / y) : "-" }
BEGIN {
    print "| platform | scenario | entries | VMLAUNCH | VMRESUME | VMPTRLD | VMCLEAR | of them asked by another CPU | ASIDs handed out | ASID rollovers | flush-all VMRUNs |"
    print "|---|---|---|---|---|---|---|---|---|---|---|"
}
{
    delete f
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    y = f["yields"]
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f["platform"], f["scenario"],
        k(f["entries"], y), k(f["vmlaunches"], y), k(f["vmresumes"], y), k(f["vmptrlds"], y),
        k(f["vmclears"], y), k(f["remote_clears"], y), k(f["asid_allocs"], y),
        k(f["asid_rollovers"], y), k(f["tlb_flush_all"], y)
}' "$rows" >"$table"

bench_splice "$out" "$begin" "$end" "$table"
cat "$table"
exit $status
