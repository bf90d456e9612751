#!/bin/bash
# automation/run-test.sh PLATFORM TEST - boot one XTF-style test on one
# emulated platform and print one verdict line:
#
#   PASS  qemu-svm   example  (0.4s)
#   FAIL  bochs-vmx  foo      (31.2s)  timeout after 30s, no result line ...
#
# PLATFORM is qemu-svm (QEMU TCG: AMD SVM + NPT), bochs-vmx (Bochs 2.7:
# Intel VMX + EPT) or qemu-arm64 (QEMU TCG: the Arm virt board, Wren at
# EL2). TEST names build/xtf/TEST.cfg (qemu-arm64: build/arm64/tests/). The serial log is kept as
# build/logs/PLATFORM/TEST.log and the emulator's own log beside it as
# TEST.emu.log; a two-machine test (PEER_* keys, QEMU only) keeps machine
# B's as TEST.peer.log and TEST.peer.emu.log, and fails if B fails. Exit
# status: 0 PASS, 77 SKIP, 1 FAIL, 2 usage or setup error.
#
# Environment: BUILD (default: ./build), WREN_TIMEOUT (override the test's
# TIMEOUT), WREN_BOCHS_TIMEOUT_SCALE (default 3), WREN_RESULT_FILE (append a
# tab-separated record for run-all.sh), WREN_NAME_WIDTH (column width).
# Safe to run concurrently: every run works in its own scratch directory and
# renames its logs into place when done.

set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"
. "$here/lib/judge.sh"
. "$here/lib/qemu.sh"
. "$here/lib/qemu-arm64.sh"
. "$here/lib/bochs.sh"

usage()
{
    echo "usage: ${0##*/} PLATFORM TEST   (PLATFORM: ${WREN_PLATFORMS// /, })" >&2
    exit 2
}

(( $# == 2 )) || usage
platform=$1 test=$2
platform_known "$platform" || usage
platform_select "$platform"
test_load "$test"

EMU_PID= PEER_PID=
[[ -n $T_PEER && $platform != qemu-svm ]] &&
    die "$test is a two-machine test: qemu-svm only (Bochs has no ivshmem)"
tmp=$(wren_tmpdir "$platform-$test") || die "cannot make a scratch directory under $BUILD/tmp"
cleanup() { kill_group "$EMU_PID"; kill_group "$PEER_PID"; qemu_helpers_end; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

limit=$(platform_timeout "$platform")
: >"$tmp/serial.log"
start=$(now)
case $platform in
qemu-svm) if [[ -n $T_PEER ]]; then
              : >"$tmp/peer.log"
              qemu_pair_run "$tmp/serial.log" "$tmp/emu.log" "$tmp/peer.log" "$tmp/peer.emu.log" \
                  "$limit" "$tmp/link.shm"
          else
              qemu_run "$tmp/serial.log" "$tmp/emu.log" "$limit"
          fi ;;
bochs-vmx) bochs_run "$tmp/serial.log" "$tmp/emu.log" "$limit" "$tmp" ;;
qemu-arm64) qemu_arm64_run "$tmp/serial.log" "$tmp/emu.log" "$limit" ;;
esac
secs=$(seconds_since "$start")

judge "$tmp/serial.log" "$T_RESULT_FROM" "$limit"
[[ -n $T_PEER ]] && judge_peer "$tmp/peer.log" "$limit"

mkdir -p "$LOG_DIR/$platform"
if [[ -n $T_PEER ]]; then
    touch "$tmp/peer.emu.log"
    mv -f "$tmp/peer.log" "$LOG_DIR/$platform/$test.peer.log"
    mv -f "$tmp/peer.emu.log" "$LOG_DIR/$platform/$test.peer.emu.log"
fi
touch "$tmp/emu.log"
mv -f "$tmp/serial.log" "$LOG_DIR/$platform/$test.log"
mv -f "$tmp/emu.log" "$LOG_DIR/$platform/$test.emu.log"

print_result "$VERDICT" "$platform" "$test" "$secs" "$REASON"
if [[ -n ${WREN_RESULT_FILE:-} ]]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$VERDICT" "$platform" "$test" "$secs" "$REASON" \
        "$LOG_DIR/$platform/$test.log" >>"$WREN_RESULT_FILE"
fi
case $VERDICT in
PASS) exit 0 ;;
SKIP) exit 77 ;;
*) exit 1 ;;
esac
