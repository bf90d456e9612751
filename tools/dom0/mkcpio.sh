#!/bin/bash
# tools/dom0/mkcpio.sh DIR OUT - pack DIR into a cpio "newc" archive, the
# format dom0's runtime reads as its root file system (its first boot
# module's ramdisk). Names are relative ("etc/x"), sorted, and owned by
# root, so the archive depends only on the tree's contents.
set -euo pipefail
(( $# == 2 )) || { echo "usage: ${0##*/} DIR OUT" >&2; exit 2; }
dir=$1 out=$2
[[ -d $dir ]] || { echo "${0##*/}: $dir is not a directory" >&2; exit 1; }
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
(cd "$dir" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
    cpio -o -H newc --quiet --owner=0:0 --reproducible) >"$tmp"
mv -f "$tmp" "$out"
