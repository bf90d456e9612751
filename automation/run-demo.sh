#!/bin/bash
# automation/run-demo.sh qemu|bochs [GUEST] - boot the demo (build/xtf/
# demo.cfg), or GUEST's descriptor (GUEST=linux: Debian's kernel as a PVH
# domU, build/xtf/linux.cfg), with the console live on this terminal,
# until the machine powers off.
#
# QEMU puts the serial line on stdio (with its monitor multiplexed: Ctrl-a x
# quits, Ctrl-a c switches to the monitor). Bochs writes the serial line to
# a file, which is shown as it grows (output only; Ctrl-C ends Bochs). A copy
# of the console is kept in build/logs/PLATFORM/run-demo.log.
#
# Without a terminal (make run </dev/null, CI) the run has the demo's time
# limit and stdin is not read.

set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"
. "$here/lib/judge.sh"
. "$here/lib/qemu.sh"
. "$here/lib/bochs.sh"

case ${1:-} in
qemu|qemu-svm) platform=qemu-svm ;;
bochs|bochs-vmx) platform=bochs-vmx ;;
*) echo "usage: ${0##*/} qemu|bochs [GUEST]" >&2; exit 2 ;;
esac
guest=${2:-demo}
test_load "$guest"

limit=0
interactive=1
if ! [[ -t 0 && -t 1 ]]; then
    interactive=0
    limit=$(platform_timeout "$platform")
fi
mkdir -p "$LOG_DIR/$platform"
log=$LOG_DIR/$platform/run-demo.log
emulog=$LOG_DIR/$platform/run-demo.emu.log
EMU_PID='' TAIL_PID=''
tmp=$(wren_tmpdir demo) || die "cannot make a scratch directory under $BUILD/tmp"
cleanup() { kill_group "$EMU_PID"; [[ -n $TAIL_PID ]] && kill "$TAIL_PID" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

demo_qemu()
{
    qemu_argv mon:stdio "$emulog"
    (( interactive )) && echo "[QEMU: Ctrl-a x quits, Ctrl-a c toggles the monitor]"
    if (( interactive )); then
        # In the foreground, so that QEMU owns the terminal's input.
        ( cd "$XTF_DIR" && exec "${QEMU_CMD[@]}" ) 2>"$emulog" | tee "$log"
    else
        ( cd "$XTF_DIR" && exec timeout -s KILL "$limit" "${QEMU_CMD[@]}" ) </dev/null 2>"$emulog" | tee "$log"
    fi
    EMU_STATUS=${PIPESTATUS[0]}
    qemu_collect "$emulog"
}

demo_bochs()
{
    : >"$log"
    bochs_prepare "$log" "$tmp" || die "could not build the boot ISO: $EMU_DIAG"
    (( interactive )) && echo "[Bochs: console output only; Ctrl-C ends Bochs]"
    bochs_start "$tmp" "$limit"
    tail -n +1 -F --pid="$EMU_PID" "$log" 2>/dev/null &
    TAIL_PID=$!
    wait "$EMU_PID" 2>/dev/null
    EMU_STATUS=$?
    EMU_PID=
    wait "$TAIL_PID"
    TAIL_PID=
    bochs_collect "$emulog" "$tmp"
}

echo "[booting the Wren $guest on $platform]"
case $platform in
qemu-svm) demo_qemu ;;
bochs-vmx) demo_bochs ;;
esac

mapfile -t scan < <(judge_scan "$log" dom0)
panic=${scan[2]:-}
echo
if [[ -n $panic ]]; then
    echo "[$guest ended: hypervisor panic: $panic; log: $log]"
    exit 1
elif [[ $EMU_TIMED_OUT == 1 ]]; then
    echo "[$guest ended: no power off within ${limit}s; log: $log]"
    exit 1
elif tail -n 2 "$log" | grep -q '^QEMU: Terminated'; then
    echo "[$guest ended: QEMU was told to quit; log: $log]"
    exit 0
elif [[ -n $EMU_NOTE && $platform == qemu-svm ]]; then
    echo "[$guest ended: $EMU_NOTE${EMU_DIAG:+; $EMU_DIAG}; log: $log]"
    exit 1
fi
echo "[$guest powered off${EMU_DIAG:+ ($EMU_DIAG)}; log: $log]"
