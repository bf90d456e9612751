#!/bin/bash
# automation/run-all.sh [PLATFORM...] - run every XTF-style test on every
# platform it lists (default: all platforms), two runs at a time, one line
# per run in a stable order, then the logs of the failures, then
#
#   N passed, N failed, N skipped
#
# as the last line. Writes JUnit XML to build/junit.xml. Exit status 0 only
# if nothing failed and at least one test ran.
#
# Tests are the build/xtf/*.cfg (qemu-arm64: build/arm64/tests/*.cfg) with
# a non-empty PLATFORMS; the others are helper images that tests boot as
# domUs. Environment: WREN_JOBS (parallel
# runs, default 2), and what run-test.sh reads.

set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"
. "$here/lib/judge.sh"

platforms=("$@")
(( ${#platforms[@]} )) || read -ra platforms <<<"$WREN_PLATFORMS"
for p in "${platforms[@]}"; do
    platform_known "$p" || die "unknown platform '$p' (known: $WREN_PLATFORMS)"
done
max_jobs=${WREN_JOBS:-2}
[[ $max_jobs =~ ^[1-9][0-9]*$ ]] || die "WREN_JOBS must be a positive number"

# The runs, in order: by test directory (x86's build/xtf, then arm64's
# build/arm64/tests), by test, then by platform.
runs=()
width=0
dirs=()
for p in "${platforms[@]}"; do
    platform_select "$p"
    [[ " ${dirs[*]} " == *" $XTF_DIR "* ]] || dirs+=("$XTF_DIR")
done
for dir in "${dirs[@]}"; do
    while read -r t; do
        plats=$(test_cfg_var "$dir/$t.cfg" PLATFORMS)
        for p in "${platforms[@]}"; do
            [[ " $plats " == *" $p "* ]] || continue
            runs+=("$p $t")
            (( ${#t} > width )) && width=${#t}
        done
    done < <(XTF_DIR=$dir list_tests)
done

if (( ${#runs[@]} == 0 )); then
    echo "no test for ${platforms[*]} in ${dirs[*]} (has the build run?)"
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
fi

res=$(wren_tmpdir all) || die "cannot make a scratch directory under $BUILD/tmp"
trap 'rm -rf "$res"' EXIT
# Background jobs of a script ignore SIGINT: pass a ^C on as SIGTERM, on
# which run-test.sh ends its emulator and cleans up.
trap 'kill -TERM $(jobs -p) 2>/dev/null; wait; exit 130' INT
trap 'kill -TERM $(jobs -p) 2>/dev/null; wait; exit 143' TERM HUP

echo "${#runs[@]} runs on ${platforms[*]}, $max_jobs at a time; logs in ${LOG_DIR#"$PWD"/}/"
start=$(now)
next=0
flush()
{
    while [[ -e $res/$next.rc ]]; do
        cat "$res/$next.out"
        next=$((next + 1))
    done
}
for i in "${!runs[@]}"; do
    while (( $(jobs -pr | wc -l) >= max_jobs )); do
        wait -n
        flush
    done
    read -r p t <<<"${runs[i]}"
    (
        WREN_RESULT_FILE=$res/$i.rec WREN_NAME_WIDTH=$width \
            "$here/run-test.sh" "$p" "$t" >"$res/$i.out" 2>&1
        rc=$?
        if [[ ! -s $res/$i.rec ]]; then
            # A setup error (a missing file, a bad descriptor): no verdict
            # was printed, so make one from what the runner said.
            why="runner failed (status $rc): $(tail -n 1 "$res/$i.out" | one_line 200)"
            WREN_NAME_WIDTH=$width print_result FAIL "$p" "$t" 0.0 "$why" >"$res/$i.out"
            printf 'FAIL\t%s\t%s\t0.0\t%s\t%s\n' "$p" "$t" "$why" "$LOG_DIR/$p/$t.log" >"$res/$i.rec"
        fi
        echo "$rc" >"$res/$i.rc"
    ) &
done
while (( $(jobs -pr | wc -l) > 0 )); do
    wait -n
    flush
done
wait
flush

# A run that left no record (killed before it could write one) fails.
for i in "${!runs[@]}"; do
    [[ -s $res/$i.rec ]] && continue
    read -r p t <<<"${runs[i]}"
    printf 'FAIL\t%s\t%s\t0.0\trunner killed\t%s\n' "$p" "$t" "$LOG_DIR/$p/$t.log" >"$res/$i.rec"
    (( i >= next )) && WREN_NAME_WIDTH=$width print_result FAIL "$p" "$t" 0.0 "runner killed"
done
records=()
for i in "${!runs[@]}"; do
    records+=("$(head -n 1 "$res/$i.rec")")
done

pass=0 fail=0 skip=0
for r in "${records[@]}"; do
    case ${r%%$'\t'*} in
    PASS) pass=$((pass + 1)) ;;
    SKIP) skip=$((skip + 1)) ;;
    *) fail=$((fail + 1)) ;;
    esac
done

# The end of each failing log, so that a CI transcript alone says why.
for r in "${records[@]}"; do
    IFS=$'\t' read -r verdict p t _ _ log <<<"$r"
    [[ $verdict == FAIL ]] || continue
    echo
    echo "--- FAIL $p $t: last lines of ${log#"$PWD"/}"
    tail -n 20 "$log" 2>/dev/null | tr -d '\r' | sed 's/^/    /'
done

"$here/lib/junit.sh" "$BUILD/junit.xml" "$(seconds_since "$start")" "${records[@]}" ||
    echo "warning: could not write $BUILD/junit.xml" >&2

echo
echo "$pass passed, $fail failed, $skip skipped"
(( fail == 0 ))
