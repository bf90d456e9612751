#!/bin/bash
# automation/test-all.sh [PLATFORM...] - what `make test` runs after the
# build: the host unit tests, then every XTF-style test on the emulators,
# then one combined closing line:
#
#   N passed, N failed, N skipped
#
# Exit status 0 only if both parts ran and nothing failed.

set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"

tmp=$(wren_tmpdir test-all) || die "cannot make a scratch directory under $BUILD/tmp"
trap 'rm -rf "$tmp"' EXIT

# counts FILE: "P F S" from the last "N passed, N failed[, N skipped]" line
# (one word and a colon may stand before it), or nothing.
counts()
{
    sed -n -E 's/^([A-Za-z_-]+: )?([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?[[:space:]]*$/\2 \3 \5/p' "$1" |
        tail -n 1 | awk '{ print $1, $2, ($3 == "" ? 0 : $3) }'
}

pass=0 fail=0 skip=0
part()
{
    local name=$1 status=$2 out=$3 c p f s
    c=$(counts "$out")
    if [[ -z $c ]]; then
        echo "$name: no 'N passed, N failed' line (exit status $status): counted as one failure"
        fail=$((fail + 1))
        return
    fi
    read -r p f s <<<"$c"
    if (( status != 0 && f == 0 )); then
        echo "$name: exit status $status with no failure counted: counted as one failure"
        f=1
    fi
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

echo "=== coding style (make format-check) ==="
"$here/format-check.sh" 2>&1 | tee "$tmp/format.out" | tail -n 5
part "format check" "${PIPESTATUS[0]}" "$tmp/format.out"

echo
echo "=== host unit tests (tools/tests) ==="
make -s -C "$WREN_ROOT/tools/tests" BUILD="$BUILD/tests" run 2>&1 | tee "$tmp/unit.out"
part "host unit tests" "${PIPESTATUS[0]}" "$tmp/unit.out"

echo
echo "=== guest tests on the emulators ==="
"$here/run-all.sh" "$@" 2>&1 | tee "$tmp/guest.out"
part "guest tests" "${PIPESTATUS[0]}" "$tmp/guest.out"

echo
echo "=== interactive sessions (make run, dom0's shell) ==="
"$here/test-interactive.sh" "$@" 2>&1 | tee "$tmp/interactive.out"
part "interactive sessions" "${PIPESTATUS[0]}" "$tmp/interactive.out"

echo
echo "=== total ==="
echo "$pass passed, $fail failed, $skip skipped"
(( fail == 0 ))
