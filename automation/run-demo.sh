#!/bin/bash
# automation/run-demo.sh qemu|bochs|qemu-arm64 [GUEST] - boot Wren with
# dom0 at its xl prompt (build/xtf/xl-demo.cfg: example configs in
# /etc/examples; on qemu-arm64 Wren-arm64 with build/arm64/tests/
# xl-demo-arm64.cfg, `make run ARCH=arm64`), or
# GUEST's descriptor (GUEST=linux: Debian's kernel as a boot-module PVH
# domU, build/xtf/linux.cfg), with the console live on this terminal,
# until the machine powers off ("poweroff" at the prompt).
#
# QEMU puts the serial line on stdio (with its monitor multiplexed: Ctrl-a x
# quits, Ctrl-a c switches to the monitor). Bochs gets a pseudo-terminal as
# its serial line, relayed to this terminal (automation/lib/pty-relay.py;
# Ctrl-C ends Bochs). A copy of the console is kept in
# build/logs/PLATFORM/run-demo.log.
#
# Without a terminal (make run </dev/null, CI) the run has the demo's time
# limit, stdin is not read, and dom0 runs /etc/examples/tour.sh (the
# first session the README shows) instead of waiting at its prompt.

set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"
. "$here/lib/judge.sh"
. "$here/lib/qemu.sh"
. "$here/lib/qemu-arm64.sh"
. "$here/lib/bochs.sh"

case ${1:-} in
qemu|qemu-svm) platform=qemu-svm ;;
bochs|bochs-vmx) platform=bochs-vmx ;;
qemu-arm64|arm64) platform=qemu-arm64 ;;
*) echo "usage: ${0##*/} qemu|bochs|qemu-arm64 [GUEST]" >&2; exit 2 ;;
esac
demo=xl-demo
if [[ $platform == qemu-arm64 ]]; then
    platform_select "$platform"
    demo=xl-demo-arm64
fi
guest=${2:-$demo}
test_load "$guest"

limit=0
interactive=1
if ! [[ -t 0 && -t 1 ]]; then
    interactive=0
    limit=$(platform_timeout "$platform")
fi
# Nobody to type: dom0 takes the tour by itself.
if (( !interactive )) && [[ $guest == "$demo" ]]; then
    MOD_STRING[0]+=" script=/etc/examples/tour.sh"
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

# Wren-arm64: the boot modules go in QEMU's device tree (lib/qemu-arm64.sh).
demo_qemu_arm64()
{
    local dtb=
    if (( ${#MOD_FILE[@]} )); then
        dtb=$tmp/boot.dtb
        qemu_arm64_dtb "$tmp" "$emulog" || die "cannot make the device tree with the modules"
    fi
    qemu_arm64_argv mon:stdio "$emulog" "$dtb"
    (( interactive )) && echo "[QEMU: Ctrl-a x quits, Ctrl-a c toggles the monitor]"
    if (( interactive )); then
        ( cd "$XTF_DIR" && exec "${QEMU_CMD[@]}" ) 2>>"$emulog" | tee "$log"
    else
        ( cd "$XTF_DIR" && exec timeout -s KILL "$limit" "${QEMU_CMD[@]}" ) </dev/null 2>>"$emulog" | tee "$log"
    fi
    EMU_STATUS=${PIPESTATUS[0]}
    qemu_collect "$emulog"
}

# Interactive Bochs: its serial line is a pseudo-terminal relayed to ours.
bochs_relay_start()
{
    local link=$tmp/com1.path
    exec 3<&0
    python3 "$here/lib/pty-relay.py" "$link" "$log" <&3 &
    TAIL_PID=$!
    for _ in $(seq 50); do [[ -s $link ]] && break; sleep 0.1; done
    [[ -s $link ]] || die "pty-relay did not start"
    BOCHS_SERIAL_TERM=$(cat "$link")
    export BOCHS_SERIAL_TERM
}

demo_bochs()
{
    : >"$log"
    (( interactive )) && bochs_relay_start
    bochs_prepare "$log" "$tmp" || die "could not build the boot ISO: $EMU_DIAG"
    (( interactive )) && echo "[Bochs: the serial line is this terminal; Ctrl-C ends Bochs]"
    bochs_start "$tmp" "$limit"
    if (( !interactive )); then
        tail -n +1 -F --pid="$EMU_PID" "$log" 2>/dev/null &
        TAIL_PID=$!
    fi
    wait "$EMU_PID" 2>/dev/null
    EMU_STATUS=$?
    EMU_PID=
    if (( interactive )); then
        kill "$TAIL_PID" 2>/dev/null
    fi
    wait "$TAIL_PID" 2>/dev/null
    TAIL_PID=
    bochs_collect "$emulog" "$tmp"
}

echo "[booting the Wren $guest on $platform]"
case $platform in
qemu-svm) demo_qemu ;;
qemu-arm64) demo_qemu_arm64 ;;
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
