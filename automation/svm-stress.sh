#!/bin/bash
# automation/svm-stress.sh [single|multi] [ENTRIES] [FLAGS] - boot the
# hypervisor once under QEMU in its "svm_stress" mode (no domains: each of
# the two CPUs makes ENTRIES VM entries into one of three one-instruction
# guests; xen/arch/x86/hvm/svm/stress.c) with single- or multi-threaded TCG,
# and print one line:
#
#   PASS  svm-stress multi 200000 flags=0  (9.8s)
#   FAIL  svm-stress multi 200000 flags=0  (1.2s)  (XEN) PANIC on CPU 1: ...
#
# FLAGS is svm_stress_flags: bit 0 no LAPIC timer, bit 1 no x87/SSE switch,
# bit 2 CPU0 alone enters guests while the other CPU only runs FXRSTOR, bit 3
# (with bit 2) sets FSW.ES in the area restored: QEMU then skips the racy write.
# Defaults: multi 200000 0. The serial log is kept as
# build/logs/qemu-svm/svm-stress.log. One QEMU at a time: it keeps both
# host cores busy. Exit status 0 PASS, 1 FAIL. See docs/platforms.md,
# "QEMU SVM under multi-threaded TCG".

set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
BUILD=${BUILD:-./build}
thread=${1:-multi}
entries=${2:-200000}
flags=${3:-0}
xen=$(realpath "$BUILD/xen/xen.bin")
logs=$BUILD/logs/qemu-svm
mkdir -p "$logs"
log=$(realpath "$logs")/svm-stress.log
[[ -f $xen ]] || { echo "no $xen: run make build" >&2; exit 2; }
case $thread in single|multi) ;; *) echo "usage: ${0##*/} [single|multi] [ENTRIES] [FLAGS]" >&2; exit 2 ;; esac

# Any module will do: the stress loop starts before domains are built.
mod=$(realpath "$BUILD/xtf/example.elf")
rm -f "$log" "$log.d"
start=$(date +%s.%N)
( cd "$(dirname "$mod")" &&
  exec timeout -s KILL 300 "${QEMU:-qemu-system-x86_64}" -machine pc -accel "tcg,thread=$thread" \
      -cpu max -smp 2 -m 512 -display none -no-reboot -nic none \
      -device isa-debug-exit,iobase=0xf4,iosize=4 -serial "file:$log" \
      -d cpu_reset,guest_errors -D "$log.d" -monitor none -kernel "$xen" \
      -append "console=com1 loglvl=all noreboot svm_stress=$entries svm_stress_flags=$flags" \
      -initrd "$(basename "$mod")" ) </dev/null >/dev/null 2>&1
status=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
what="svm-stress $thread $entries flags=$flags"
if grep -q "svm_stress: CPU1 done" "$log" && grep -q "Powering off" "$log"; then
    printf 'PASS  %s  (%.1fs)\n' "$what" "$secs"
    exit 0
fi
why=$(grep -m1 -a "PANIC" "$log")
[[ -z $why ]] && grep -q "Triple fault" "$log.d" 2>/dev/null && why="triple fault (QEMU reset the machine)"
[[ -z $why ]] && why="QEMU exit status $status, last output: $(tail -1 "$log")"
printf 'FAIL  %s  (%.1fs)  %s\n' "$what" "$secs" "$why"
exit 1
