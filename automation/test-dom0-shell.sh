#!/bin/bash
# automation/test-dom0-shell.sh [qemu|bochs|qemu-arm64] - type at dom0's interactive
# shell (tools/dom0/shell.c) as a person would, through a pseudo-terminal
# (lib/drive-console.py driving run-demo.sh with the dom0-shell
# descriptor), and print one verdict line:
#
#   PASS  qemu-svm   dom0-shell
#
# The keys exercise the line editor against the real console path:
# typing, cursor left and backspace in the middle of a word, Ctrl-E,
# history (up twice), Ctrl-C dropping a line, a command with quotes,
# xl, and poweroff. The session is kept in build/logs/PLATFORM/dom0-shell.log.
set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"
platform=${1:-qemu}
case $platform in
qemu|qemu-svm) platform=qemu-svm limit=90 ;;
qemu-arm64|arm64) platform=qemu-arm64 limit=90 ;;
bochs|bochs-vmx) platform=bochs-vmx limit=1500
    # Bochs drops typed characters its UART cannot hold when it runs
    # slowly (docs/platforms.md): type at a person's pace there.
    export DRIVE_CONSOLE_DELAY=${DRIVE_CONSOLE_DELAY:-0.15} ;;
*) echo "usage: ${0##*/} [qemu|bochs|qemu-arm64]" >&2; exit 2 ;;
esac
mkdir -p "$LOG_DIR/$platform"
log=$LOG_DIR/$platform/dom0-shell.log
steps=(
    'expect:xl> '
    'send:echo "one  two"\r'  'expect:one  two'
    'send:ecXho\x1b[D\x1b[D\x7f\x05 ab\r'  'expect:ab'
    'send:\x1b[A\x1b[A\r'  'expect:one  two'
    'send:junk\x03'  'send:cat /etc/motd\r'  'expect:hello from the ramdisk'
    'send:xl list\r'  'expect:Domain-0'
    'send:poweroff\r'  'eof'
)
if python3 "$here/lib/drive-console.py" "$limit" "${steps[@]}" -- \
    "$here/run-demo.sh" "$platform" dom0-shell </dev/null >"$log" 2>&1 &&
    ! grep -q "no such command" "$log"; then
    printf 'PASS  %-9s  dom0-shell\n' "$platform"
    exit 0
fi
printf 'FAIL  %-9s  dom0-shell  (%s)\n' "$platform" "$(tail -1 "$log" | tr -d '\r' | cut -c1-120)"
exit 1
