#!/bin/bash
# automation/test-interactive.sh [PLATFORM...] - the sessions a person has
# at a terminal, typed through a pseudo-terminal (lib/drive-console.py):
#
#   make-run    `make run`'s own path (run-demo.sh with no guest named):
#               dom0's xl prompt, `xl list` showing Domain-0 in Xen's
#               format, `xl create` of the example XTF guest, the guest
#               in the list, `xl destroy`, poweroff (qemu-arm64, `make
#               run ARCH=arm64`: xl list, xl info naming Xen on Arm's
#               capabilities, poweroff)
#   dom0-shell  the line editor (test-dom0-shell.sh)
#
# One PASS/FAIL line each, then "N passed, N failed". Sessions are kept in
# build/logs/PLATFORM/make-run.session.log.
set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/lib/common.sh"

platforms=("$@")
(( ${#platforms[@]} )) || read -ra platforms <<<"$WREN_DOM0_PLATFORMS"
pass=0 fail=0

make_run()
{
    local platform=$1 limit=240 log
    # Bochs drops typed characters its UART cannot hold when it runs
    # slowly (docs/platforms.md): type at a person's pace there.
    local delay=0.02
    [[ $platform == bochs-vmx ]] && limit=1500 delay=0.15
    mkdir -p "$LOG_DIR/$platform"
    log=$LOG_DIR/$platform/make-run.session.log
    local steps=(
        'expect:xl> '
        'send:xl list\r' 'expect:Domain-0                                     0'
        'expect:xl> '
        'send:xl create /etc/examples/xs-guest.cfg\r' 'expect:xl> '
        'send:xl list\r' 'expect:xs-guest                                     1'
        'expect:xl> '
        'send:xl destroy xs-guest\r' 'expect:xl> '
        'send:poweroff\r' 'eof'
    )
    [[ $platform == qemu-arm64 ]] && steps=(
        'expect:xl> '
        'send:xl list\r' 'expect:Domain-0                                     0'
        'expect:xl> '
        'send:xl info\r' 'expect:xen-3.0-aarch64'
        'expect:xl> '
        'send:poweroff\r' 'eof'
    )
    if DRIVE_CONSOLE_DELAY=${DRIVE_CONSOLE_DELAY:-$delay} python3 "$here/lib/drive-console.py" "$limit" "${steps[@]}" -- \
        "$here/run-demo.sh" "$platform" </dev/null >"$log" 2>&1; then
        printf 'PASS  %-9s  make-run\n' "$platform"
        return 0
    fi
    printf 'FAIL  %-9s  make-run  (%s; session in %s)\n' "$platform" \
        "$(grep -a 'drive-console' "$log" | tail -1 | tr -d '\r' | cut -c1-100)" "$log"
    return 1
}

for p in "${platforms[@]}"; do
    if make_run "$p"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
    if "$here/test-dom0-shell.sh" "$p"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
(( fail == 0 ))
