#!/bin/bash
# automation/bench-migrate.sh [PLATFORM...] - the live migration benchmark.
#
# Boots bench-migrate (tools/dom0/tests/bench-migrate: dom0 migrates
# xtf/tests/migrate-guest to localhost three times, the guest writing its
# 512-page working set at 1 and 4 pages per ms and unpaced) on each
# platform (default: qemu-svm bochs-vmx) through automation/run-test.sh
# and reads xl migrate's progress lines from the log. One markdown row
# per migration: pages sent in each round (the last is the final one,
# with the guest paused), all pages sent over the guest's pages, the
# final round's pages over the working set the guest writes, and the
# pause from the final round's start to the target's unpause in
# instructions (QEMU runs it with -icount shift=0, so dom0's clock counts
# instructions; Bochs has no such clock: "-"). Counts, never times. The
# table goes to the generated part of docs/bench/migrate.md. Needs
# `make build` first. Exit status 1 if a platform's run failed.

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD:-$root/build}
. "$here/lib/bench.sh"
out=$root/docs/bench/migrate.md
platforms=${*:-qemu-svm bochs-vmx}
begin='<!-- bench-migrate:begin -->'
end='<!-- bench-migrate:end -->'
working_set=512
status=0
table=$(mktemp)
trap 'rm -f "$table"' EXIT

echo "| platform | guest writes | pages sent per round (last: final) | sent / guest pages | final round / working set | pause (instructions) |" >"$table"
echo "|---|---|---|---|---|---|" >>"$table"
for p in $platforms; do
    if ! BUILD=$build "$here/run-test.sh" "$p" bench-migrate </dev/null >&2; then
        echo "bench: bench-migrate on $p failed; see $build/logs/$p/bench-migrate.log" >&2
        status=1
        continue
    fi
    tr -d '\r' <"$build/logs/$p/bench-migrate.log" | awk -v p="$p" -v ws="$working_set" '
    /^\[dom0\] \$ xl migrate / {
        name = $5; rate = name == "free" ? "unpaced" : substr(name, 2) " page(s)/ms"
        sent = ""; next
    }
    /^migrate: round / {
        for (i = 1; i <= NF; i++) if ($i == "pages" && $(i + 1) == "sent,") s = $(i - 1)
        sent = sent (sent == "" ? "" : ", ") s; next
    }
    /^migrate: [0-9]+ pages sent for/ { total = $2; guest = $6; final = $NF; next }
    /^migrate: paused for/ {
        printf "| %s | %s | %s | %.2f | %d / %d = %.2f | %s |\n", p, rate, sent, total / guest,
            final, ws, final / ws, p == "qemu-svm" ? $4 : "-"
    }' >>"$table"
done

bench_splice "$out" "$begin" "$end" "$table"
cat "$table"
exit $status
