#!/bin/bash
# tools/tests/stage2-qemu/run.sh - cross-check the Arm stage-2 backend
# (xen/arch/arm64/mm/p2m-stage2.c) and its model (tools/tests/p2m-hw.c)
# against QEMU's own MMU: every leaf the backend makes (type x access,
# unmarked and marked) is read, written and executed through at EL1
# under a real stage-2 table, and each outcome must be the model's.
#
#   tools/tests/stage2-qemu/run.sh      (BUILD defaults to build/)
#
# Needs aarch64-linux-gnu-gcc and qemu-system-aarch64; without them it
# prints "Test result: SKIP" and why, and exits 0. Ends with one
# "Test result:" line; exits 1 unless SUCCESS. Runs one QEMU, about a
# second; not part of make unit (a cross compiler is not a host test).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build}
out=$build/stage2-qemu
cross=aarch64-linux-gnu-gcc

for tool in "$cross" qemu-system-aarch64; do
    if ! command -v "$tool" >/dev/null; then
        echo "Test result: SKIP ($tool not installed)"
        exit 0
    fi
done

mkdir -p "$out"
make -s -C "$root/tools/tests" BUILD="$build/tests" stage2-cases
"$build/tests/gen-stage2-cases" >"$out/cases.h"
"$cross" -O1 -Wall -Werror -ffreestanding -nostdlib -static -fno-pic -no-pie \
    -mgeneral-regs-only -mstrict-align -Wl,--no-warn-rwx-segments -I"$out" -I"$root/lib/include" -T "$here/link.ld" \
    "$here/el2.S" "$here/xcheck.c" -o "$out/xcheck.elf"

timeout 60 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max \
    -m 512 -nographic -no-reboot -kernel "$out/xcheck.elf" </dev/null >"$out/xcheck.log" 2>&1 || true
tr -d '\r' <"$out/xcheck.log" | grep -v '^Test result:' || true
result=$(tr -d '\r' <"$out/xcheck.log" | grep -m1 '^Test result:' || echo "Test result: FAILURE (no result line)")
echo "$result"
[ "$result" = "Test result: SUCCESS" ]
