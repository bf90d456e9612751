#!/bin/bash
# automation/fuzz.sh [STAGE...] - what `make fuzz` runs: a list of stages,
# each fuzzing one thing for a bounded time and printing one line, then
# one closing line:
#
#   N passed, N failed
#
# Stages, in order (default: all of them):
#   host-decode  host-elf  host-walk  host-format  host-xsmsg  host-xlcfg
#   host-pvh-build  host-sr-restore
#       the libFuzzer harnesses of tools/tests/fuzz/ (x86 decoder, ELF
#       parser, guest page walk, lib/'s formatter, xenstored's request
#       handling, xl's config reader, the toolstack's domain builder
#       against a fake domain, the migration stream reader), FUZZ_SECONDS each,
#       from the committed corpus tools/tests/fuzz/corpus/NAME/ (only
#       read, never written) plus a work corpus in build/fuzz/corpus/NAME/
#       that grows between runs.
#
#   guest-qemu  guest-bochs  guest-arm64
#       the hostile-guest fuzzer (automation/fuzz-guest.sh, xtf/tests/fuzz):
#       10^6 calls on qemu-svm and qemu-arm64, 2*10^4 on bochs-vmx, with the seed, call
#       count and rate on the stage's line; its output is kept in
#       build/fuzz/logs/guest-PLATFORM.log, the serial log in
#       build/logs/PLATFORM/fuzz-run.log. WREN_FUZZ_* tune it (see there).
#
# To add a stage: write a function stage_NAME (dashes in NAME become
# underscores) that prints one line starting PASS or FAIL and returns 0 on
# a pass, and add NAME to STAGES below. It may read FUZZ_SECONDS and run
# under $NICE.
#
# Environment: FUZZ_SECONDS (default 60), FUZZ_NICE (default 10: the
# machine is shared), FUZZ_CC (default clang), BUILD (default ./build).
# A failing host stage leaves the input in build/fuzz/artifacts/NAME/ and
# its log in build/fuzz/logs/NAME.log, and names both.
#
# Exit status 0 only if every stage passed. The host stages write only
# under build/fuzz/; they never change the committed corpus.

set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"

STAGES=(host-decode host-elf host-walk host-format host-xsmsg host-xlcfg host-pvh-build host-sr-restore guest-qemu guest-bochs guest-arm64)

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
NICE="nice -n ${FUZZ_NICE:-10}"
FUZZ_DIR=$WREN_ROOT/tools/tests/fuzz
OUT=$BUILD/fuzz

# Per harness: the largest input worth trying, and a dictionary if any.
declare -A MAX_LEN=([decode]=40 [elf]=2048 [walk]=1200 [format]=200 [xsmsg]=6000 [xlcfg]=1024 [pvh-build]=2048 [sr-restore]=20000)

# stat NAME LOG: a number from libFuzzer's -print_final_stats output.
stat()
{
    sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

built=
build_harnesses()
{
    [[ -n $built ]] && return "$built"
    if $NICE make -s -C "$FUZZ_DIR" BUILD="$OUT" >"$OUT/build.log" 2>&1; then
        built=0
    else
        built=1
    fi
    return "$built"
}

# host_stage NAME: build, fuzz for FUZZ_SECONDS, print the stage's line.
host_stage()
{
    local name=$1 log=$OUT/logs/$1.log art=$OUT/artifacts/$1/ dict=$FUZZ_DIR/$1.dict
    local start status runs rate crash opts=()
    start=$(now)
    mkdir -p "$OUT/logs" "$OUT/corpus/$name" "$art"
    if ! build_harnesses; then
        echo "FAIL  fuzz  $name  cannot build the harnesses (clang with libFuzzer: automation/install-deps.sh); see $OUT/build.log"
        return 1
    fi
    [[ -f $dict ]] && opts+=("-dict=$dict")
    $NICE "$OUT/fuzz-$name" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
        -max_len="${MAX_LEN[$name]}" -timeout=10 -rss_limit_mb=1024 \
        -artifact_prefix="$art" "${opts[@]}" \
        "$OUT/corpus/$name" "$FUZZ_DIR/corpus/$name" >"$log" 2>&1
    status=$?
    runs=$(stat number_of_executed_units "$log")
    rate=$(stat average_exec_per_sec "$log")
    if (( status == 0 )); then
        echo "PASS  fuzz  $name  runs ${runs:-?}  exec/s ${rate:-?}  ($(seconds_since "$start")s)"
        return 0
    fi
    crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
    echo "FAIL  fuzz  $name  exit status $status after ${runs:-?} runs;" \
         "input ${crash:-none saved}; log $log; replay: $OUT/fuzz-$name ${crash:-INPUT}"
    return 1
}

stage_host_decode() { host_stage decode; }
stage_host_elf() { host_stage elf; }
stage_host_walk() { host_stage walk; }
stage_host_format() { host_stage format; }
stage_host_xsmsg() { host_stage xsmsg; }
stage_host_xlcfg() { host_stage xlcfg; }
stage_host_pvh_build() { host_stage pvh-build; }

# guest_stage PLATFORM NAME: the hostile-guest fuzzer on one emulator.
guest_stage()
{
    local p=$1 name=guest-$2 log=$OUT/logs/guest-$1.log start status line verdict
    start=$(now)
    mkdir -p "$OUT/logs"
    $NICE "$here/fuzz-guest.sh" "$p" >"$log" 2>&1
    status=$?
    line=$(sed -n "s/^fuzz $p: //p" "$log" | tail -n 1)
    if (( status == 0 )); then
        echo "PASS  fuzz  $name  ${line:-?}  ($(seconds_since "$start")s)"
        return 0
    fi
    verdict=$(grep -m1 -E '^(FAIL|SKIP) ' "$log" | one_line 200)
    echo "FAIL  fuzz  $name  ${line:-no run}; ${verdict:-see the log}; log $log"
    return 1
}

stage_guest_qemu() { guest_stage qemu-svm qemu; }
stage_guest_bochs() { guest_stage bochs-vmx bochs; }
stage_guest_arm64() { guest_stage qemu-arm64 arm64; }

main()
{
    local stages=("$@") passed=0 failed=0 s fn
    (( ${#stages[@]} )) || stages=("${STAGES[@]}")
    [[ $FUZZ_SECONDS =~ ^[1-9][0-9]*$ ]] || die "FUZZ_SECONDS must be a positive number of seconds"
    mkdir -p "$OUT" || die "cannot make $OUT"
    for s in "${stages[@]}"; do
        fn=stage_${s//-/_}
        declare -F "$fn" >/dev/null || die "no stage '$s' (stages: ${STAGES[*]})"
    done
    for s in "${stages[@]}"; do
        fn=stage_${s//-/_}
        if "$fn"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done
    echo "$passed passed, $failed failed"
    (( failed == 0 ))
}

main "$@"
