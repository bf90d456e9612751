#!/bin/bash
# automation/bench-domain-build.sh - what building a PVH domain costs the
# toolstack's domain builder (tools/libs/guest): hypercalls, populate
# extents, foreign-map batches and frames mapped, for several RAM sizes,
# with and without a ramdisk, and for the XTF example kernel and Debian's
# Linux kernel when the build has them. Counts on the builder's test
# double (tools/tests/tools/fake-xen.c), so exact and host-independent.
#
# Builds tools/tests/tools/bench-domain-build.c for the host, splices its
# table into docs/bench/domain-build.md and prints it. BUILD (default:
# build/) is where objects go, as with the top-level Makefile.

set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
out=$root/docs/bench/domain-build.md
bin=$build/tests/tools/bench-domain-build
begin='<!-- bench-domain-build: begin -->'
end='<!-- bench-domain-build: end -->'

. "$root/automation/lib/bench.sh"

make -s -C "$root/tools/tests" BUILD="$build/tests" bench
table=$(mktemp)
trap 'rm -f "$table"' EXIT
"$bin" >"$table"
[[ -f $build/xtf/example.elf ]] && "$bin" "$build/xtf/example.elf" | tail -n 1 >>"$table"
if [[ -f $build/xtf/linux.elf && -f $build/xtf/linux-initrd.cpio.gz ]]; then
    "$bin" "$build/xtf/linux.elf" "$build/xtf/linux-initrd.cpio.gz" | tail -n 1 >>"$table"
fi
bench_splice "$out" "$begin" "$end" "$table"
cat "$table"
