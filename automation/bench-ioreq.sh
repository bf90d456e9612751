#!/bin/bash
# automation/bench-ioreq.sh [PLATFORM...] - the IOREQ benchmark.
#
# Boots bench-ioreq (xtf/tests/bench-ioreq: dom0 is the device model,
# bench-ioreq-target the domU) on each platform (default: qemu-svm
# bochs-vmx) through automation/run-test.sh and prints one markdown table,
# per operation: the target's VM exits, the machine's instructions (QEMU
# runs the test with one CPU and -icount shift=0, so the target's pvclock
# counts instructions; Bochs has no such clock: "-"), requests the
# servers answered and invalidations they received, each per operation;
# then the cost of one invalidation broadcast (a frame given back with
# the servers enabled, minus the same with them disabled). Counts, never
# times. The table goes to the generated part of docs/bench/ioreq.md.
# Needs `make build` first. Exit status 1 if a platform's run failed.

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD:-$root/build}
. "$here/lib/bench.sh"
out=$root/docs/bench/ioreq.md
platforms=${*:-qemu-svm bochs-vmx}
begin='<!-- bench-ioreq:begin -->'
end='<!-- bench-ioreq:end -->'
status=0
rows=$(mktemp)
table=$(mktemp)
trap 'rm -f "$rows" "$table"' EXIT

# shellcheck disable=SC2086  # a list of platforms
bench_collect bench-ioreq "$rows" $platforms || status=1

awk '
function per(a, n, d) { return n ? sprintf("%." d "f", a / n) : "-" }
BEGIN {
    print "| platform | operation | exits/op | instructions/op | requests/op | invalidations/op |"
    print "|---|---|---|---|---|---|"
}
{
    delete f
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    icount = f["platform"] == "qemu-svm"
    printf "| %s | %s | %s | %s | %s | %s |\n", f["platform"], f["what"], per(f["exits"], f["n"], 2),
        icount ? per(f["insns"], f["n"], 0) : "-", per(f["requests"], f["n"], 2),
        per(f["invalidates"], f["n"], 3)
    key = f["platform"] SUBSEP f["what"]
    insns[key] = f["insns"]; n[key] = f["n"]
    if (icount) plat[f["platform"]] = 1
}
END {
    for (p in plat) {
        a = p SUBSEP "give-back-1-no-access"; b = p SUBSEP "give-back-1-no-server"
        if ((a in insns) && (b in insns))
            printf "\nOne invalidation broadcast (%s, one server answering): %s instructions.\n", p,
                per(insns[a] - insns[b], n[a], 0)
    }
}' "$rows" >"$table"

bench_splice "$out" "$begin" "$end" "$table"
cat "$table"
exit $status
