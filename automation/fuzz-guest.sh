#!/bin/bash
# automation/fuzz-guest.sh [PLATFORM...] - the hostile-guest fuzzer's long
# runs, the guest stages of `make fuzz` (automation/fuzz.sh calls it once
# per platform): the `fuzz` test's kernels with a seed and a call
# count of our choosing, one emulator at a time. Prints per platform
#
#   fuzz qemu-svm: seed 1733300000, 1000000 calls in 131.2s: 7622 calls/s
#
# then the run's verdict line and a closing "N passed, N failed".
#
# Environment: WREN_FUZZ_SEED (default: the time), WREN_FUZZ_CALLS (default
# 1000000 on qemu-svm and qemu-arm64, 20000 on bochs-vmx, which is ~50x
# slower),
# WREN_FUZZ_SPECIAL (1: aim at shared_info and the console ring too;
# default 1), WREN_FUZZ_STRICT (1: the known bugs listed in
# xtf/tests/fuzz/main.c fail the run; default 1). The generated descriptor
# is build/xtf/fuzz-run.cfg (build/arm64/tests/ for qemu-arm64; a helper: PLATFORMS is empty, so
# run-all.sh never picks it up); logs are build/logs/PLATFORM/fuzz-run.log.

set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"

seed=${WREN_FUZZ_SEED:-$(date +%s)}
special=${WREN_FUZZ_SPECIAL:-1}
strict=${WREN_FUZZ_STRICT:-1}
platforms=("$@")
(( ${#platforms[@]} )) || platforms=(qemu-svm bochs-vmx)

default_calls()
{
    case $1 in
    bochs-*) echo 20000 ;;
    *) echo 1000000 ;;
    esac
}

# write_cfg CALLS: the fuzz test's descriptor with our seed and count.
write_cfg()
{
    local calls=$1 base=$XTF_DIR/fuzz.cfg out=$XTF_DIR/fuzz-run.cfg
    [[ -r $base ]] || die "no $base (run make build)"
    sed -e "s/^DOMU1_ARGS=.*/DOMU1_ARGS=\"vcpus=2 mem=16M seed=$seed calls=$calls special=$special strict=$strict\"/" \
        -e "s/^DOMU2_ARGS=.*/DOMU2_ARGS=\"vcpus=1 mem=8M seed=$seed\"/" \
        -e "s/^PLATFORMS=.*/PLATFORMS=\"\"/" \
        -e "s/^TIMEOUT=.*/TIMEOUT=$(( calls / 2000 + 60 ))\nBOCHS_TIMEOUT=$(( calls / 40 + 180 ))/" \
        "$base" >"$out"
}

pass=0 fail=0
for p in "${platforms[@]}"; do
    platform_known "$p" || die "unknown platform $p"
    platform_select "$p" # XTF_DIR: qemu-arm64 has its own build of the kernels
    calls=${WREN_FUZZ_CALLS:-$(default_calls "$p")}
    write_cfg "$calls"
    start=$(now)
    line=$("$here/run-test.sh" "$p" fuzz-run)
    status=$?
    secs=$(seconds_since "$start")
    log=$LOG_DIR/$p/fuzz-run.log
    done_calls=$(sed -n -E 's/^fuzz: seed [0-9]+, ([0-9]+) calls \(.*/\1/p' "$log" | tail -n 1)
    rate=$(awk -v c="${done_calls:-0}" -v s="$secs" 'BEGIN { printf "%d", (s > 0 ? c / s : 0) }')
    echo "fuzz $p: seed $seed, ${done_calls:-0} calls in ${secs}s: $rate calls/s (boot included)"
    echo "$line"
    (( status == 0 )) && pass=$((pass + 1)) || fail=$((fail + 1))
done
rm -f "$XTF_DIR/fuzz-run.cfg"
echo "$pass passed, $fail failed"
(( fail == 0 ))
