#!/bin/sh
# check-elf.sh ELF - verify that a test kernel is bootable as a PVH guest:
# ELF64 x86-64, a PT_NOTE holding the Xen PHYS32_ENTRY note (type 18),
# and its first PT_LOAD at guest-physical 0x100000.
set -eu
elf=$1
name=$(basename "$elf")
fail() { echo "check-elf: $name: $*" >&2; exit 1; }

readelf -h "$elf" | grep -q 'Class:.*ELF64' || fail "not ELF64"
readelf -h "$elf" | grep -q 'Machine:.*X86-64' || fail "not x86-64"
readelf -n "$elf" | grep -q 'Xen .*0x00000012' || fail "no Xen note type 18"
readelf -lW "$elf" | grep -q '^ *NOTE' || fail "no PT_NOTE"
paddr=$(readelf -lW "$elf" | awk '$1 == "LOAD" { print $4; exit }')
[ "$((paddr))" -eq $((0x100000)) ] || fail "first PT_LOAD paddr $paddr"
