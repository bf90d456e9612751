#!/bin/bash
# automation/bench-p2m.sh - the p2m global type change benchmark: entries
# written when a change begins, when the guest then touches pages
# (sequential, random, sparse), and when p2m_finish_pending does the rest;
# 4K and 2M leaves, EPT, NPT and Arm stage 2, lazy and eager. Counts,
# never times.
#
# Builds tools/tests/bench-p2m.c for the host, prints its markdown table
# and writes it to docs/bench/p2m-global.md. BUILD (default: build/) is
# where objects go, as with the top-level Makefile.

set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
out=$root/docs/bench/p2m-global.md

make -s -C "$root/tools/tests" BUILD="$build/tests" bench
mkdir -p "$(dirname "$out")"
"$build/tests/bench-p2m" >"$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
