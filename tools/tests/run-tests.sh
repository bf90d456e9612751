#!/bin/sh
# run-tests.sh BINARY... - run host test binaries, echo their PASS/FAIL
# lines, and end with exactly one "N passed, N failed" line. A binary that
# dies (sanitizer report, crash) without a FAIL line counts as one failure.
# Exits 1 if anything failed.

passed=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for bin in "$@"; do
    name=$(basename "$bin")
    "$bin" >"$out"
    status=$?
    cat "$out"
    p=$(grep -c '^PASS ' "$out")
    f=$(grep -c '^FAIL ' "$out")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: exited with status $status"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
