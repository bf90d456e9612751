#!/bin/bash
# automation/bench-sharing.sh [PLATFORM...] - the sharing and fork benchmark.
#
# Boots bench-sharing (xtf/tests/bench-sharing, two bench-sharing-target
# domUs) on each platform (default: qemu-svm bochs-vmx) and prints: the
# instructions of one store to a private page, of one that unshares into
# a copy and of one by the last mapper (QEMU only: it runs one CPU with
# -icount shift=0, where the writer's TSC counts instructions; Bochs's
# TSC follows its ticks, not an exact count: "-"), the fault's cost (the difference); the child's p2m
# right after a fork; the pages each fork_reset frees after the child
# writes K pages. Then boots the dom0 scenario bench-mem-share on
# qemu-svm (frames saved do not depend on the platform) and prints the
# host's sharing counters after xl mem-share of two identical guests and
# after each writes 8 pages. Counts, never times. The tables go to the
# generated part of docs/bench/altp2m-sharing.md. Needs `make build`.
# Exit status 1 if a run failed (its rows are then missing).

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD:-$root/build}
. "$here/lib/bench.sh"
out=$root/docs/bench/altp2m-sharing.md
platforms=${*:-qemu-svm bochs-vmx}
begin='<!-- bench-sharing:begin -->'
end='<!-- bench-sharing:end -->'
status=0
rows=$(mktemp)
table=$(mktemp)
trap 'rm -f "$rows" "$table"' EXIT

# shellcheck disable=SC2086  # a list of platforms
bench_collect bench-sharing "$rows" $platforms || status=1

# Unshare: instructions per store on an instruction clock only.
awk '
function per(a, n) { return n ? sprintf("%.0f", a / n) : "-" }
BEGIN {
    print "| platform | store, private page | store unsharing into a copy | store by the last mapper | unshare fault (copy - private) |"
    print "|---|---|---|---|---|"
}
{
    delete f
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if (f["what"] == "private" || f["what"] == "unshare-copy" || f["what"] == "unshare-last")
        v[f["platform"], f["what"]] = f["tsc"] / f["n"]
    if (f["what"] == "private") order[++np] = f["platform"]
}
END {
    for (i = 1; i <= np; i++) {
        p = order[i]
        if (p != "qemu-svm") {
            printf "| %s | - | - | - | - |\n", p
            continue
        }
        printf "| %s | %s | %s | %s | %s |\n", p, per(v[p, "private"], 1),
            per(v[p, "unshare-copy"], 1), per(v[p, "unshare-last"], 1),
            per(v[p, "unshare-copy"] - v[p, "private"], 1)
    }
}' "$rows" >"$table"

# Fork: the child right after the fork, then each reset.
awk '
BEGIN {
    print ""
    print "| platform | child p2m leaves after fork | child RAM pages after fork | p2m entries written by the fork | K pages written | child owned | fork_reset freed |"
    print "|---|---|---|---|---|---|---|"
}
{
    delete f
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if (f["what"] == "fork") { leaves = f["leaves"]; ram = f["ram"]; wr = f["written"] }
    if (f["what"] == "reset")
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", f["platform"], leaves, ram, wr, f["k"],
            f["owned"], f["freed"]
}' "$rows" >>"$table"

# Frames saved: the counters after each step of bench-mem-share.
if BUILD=$build "$here/run-test.sh" qemu-svm bench-mem-share >&2; then
    tr -d '\r' <"$build/logs/qemu-svm/bench-mem-share.log" | awk '
    BEGIN {
        print ""
        print "| step (qemu-svm, two 8 MiB guests) | compared | identical | shared by the step | shared frames | frames saved | share-a shared pages | share-b shared pages |"
        print "|---|---|---|---|---|---|---|---|"
    }
    function d(k) { return (k in c) ? c[k] : "-" }
    function row() {
        if (step != "")
            printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", step, d("compared"),
                d("identical"), d("shared"), d("shared frames"), d("frames saved"), d("domain 1"),
                d("domain 2")
    }
    /^BENCH step=/ { row(); step = substr($2, 6); split("", c); ins = 0; next }
    step == "" { next }
    /^\[dom0\] \$ xl destroy/ { row(); step = ""; next }
    /^shared frames: / { ins = 1 }
    /^(compared|identical|shared|shared frames): / {
        k = $0; sub(/: .*/, "", k); v = $0; sub(/.*: /, "", v)
        if (!ins || k == "shared frames") c[k] = v
    }
    /^frames saved: / && ins { v = $0; sub(/.*: /, "", v); c["frames saved"] = v }
    /^domain [12] shared pages: / { c["domain " $2] = $5 }
    END { row() }
    ' >>"$table"
else
    echo "bench: bench-mem-share on qemu-svm failed; see $build/logs/qemu-svm/bench-mem-share.log" >&2
    status=1
fi

bench_splice "$out" "$begin" "$end" "$table"
cat "$table"
exit $status
