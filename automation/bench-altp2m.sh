#!/bin/bash
# automation/bench-altp2m.sh [PLATFORM...] - the altp2m benchmark.
#
# Boots bench-altp2m (xtf/tests/bench-altp2m: dom0 reads the VM-exit
# counters of altp2m-hw-target and mem-access-target around the work it
# commands) on each platform (default: qemu-svm bochs-vmx) through
# automation/run-test.sh and prints one markdown table: VM exits per
# view switch by hypercall and by VMFUNC, per EPT violation the guest
# handles as #VE, and per violation a dom0 listener handles through the
# vm_event ring (the target's exits less its mailbox idle loop's
# yields, and the ring's own counters, XEN_DOMCTL_wren_vm_event's
# violation exits and requests, per write). VMFUNC and #VE are VMX only: "-" on SVM. Counts,
# never times. The table goes to the generated part of
# docs/bench/altp2m-sharing.md. Needs `make build` first.
# Exit status 1 if a platform's run failed (its rows are then missing).

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD:-$root/build}
. "$here/lib/bench.sh"
out=$root/docs/bench/altp2m-sharing.md
platforms=${*:-qemu-svm bochs-vmx}
begin='<!-- bench-altp2m:begin -->'
end='<!-- bench-altp2m:end -->'
status=0
rows=$(mktemp)
table=$(mktemp)
trap 'rm -f "$rows" "$table"' EXIT

# shellcheck disable=SC2086  # a list of platforms
bench_collect bench-altp2m "$rows" $platforms || status=1

# One row per platform, one column per measurement ("-": not measured
# there, VMFUNC and #VE on SVM).
awk '
function per(a, n) { return n ? sprintf("%.2f", a / n) : "-" }
function cell(p, w) { return (p SUBSEP w) in n ? per(exits[p, w], n[p, w]) : "-" }
BEGIN {
    print "| platform | exits/switch (hypercall) | exits/switch (VMFUNC) | exits/violation (#VE) | exits/violation (listener) | ring: violation exits/violation | ring: requests/violation |"
    print "|---|---|---|---|---|---|---|"
}
{
    delete f
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    p = f["platform"]; w = f["what"]
    if (!(p in seen)) { seen[p] = 1; order[++np] = p }
    n[p, w] = f["n"]; exits[p, w] = f["exits"]
    if (w == "listener") { req[p] = f["requests"]; vex[p] = f["violation_exits"] }
}
END {
    for (i = 1; i <= np; i++) {
        p = order[i]; ln = n[p, "listener"]
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", p, cell(p, "switch-hypercall"),
            cell(p, "switch-vmfunc"), cell(p, "ve"), cell(p, "listener"),
            (p in vex) ? per(vex[p], ln) : "-", (p in req) ? per(req[p], ln) : "-"
    }
}' "$rows" >"$table"

bench_splice "$out" "$begin" "$end" "$table"
cat "$table"
exit $status
