#!/bin/bash
# automation/linux/build.sh OUTDIR - the Linux guest test's files, from
# Debian's own packages, unmodified:
#   OUTDIR/linux.elf            the kernel's ELF payload (linux-image-amd64)
#   OUTDIR/linux-initrd.cpio.gz busybox-static and automation/linux/init
#   OUTDIR/linux.cfg            the test descriptor (automation/linux/test.cfg)
#
# The kernel package is fetched with `apt-get download` into
# $BUILD/linux-cache (kept between builds); the ELF is the xz stream inside
# the bzImage, found by its magic bytes and unpacked with xz. Nothing is
# rebuilt when the outputs are newer than their inputs.
set -euo pipefail
out=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${LINUX_CACHE:-$out/../linux-cache}
mkdir -p "$out" "$cache"

die() { echo "linux/build.sh: $*" >&2; exit 1; }

# The versioned package the metapackage depends on right now.
kernel_package()
{
    apt-cache depends linux-image-amd64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1
}

fetch_kernel()
{
    local pkg deb
    deb=$(ls "$cache"/linux-image-[0-9]*_amd64.deb 2>/dev/null | head -n 1 || true)
    if [[ -z $deb ]]; then
        pkg=$(kernel_package)
        [[ -n $pkg ]] || { apt-get update -qq >/dev/null 2>&1 || true; pkg=$(kernel_package); }
        [[ -n $pkg ]] || die "apt knows no linux-image-amd64 dependency"
        (cd "$cache" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
            die "apt-get download $pkg failed"
        deb=$(ls "$cache"/linux-image-[0-9]*_amd64.deb | head -n 1)
    fi
    echo "$deb"
}

# The ELF inside a bzImage: the payload is one xz stream (magic FD 37 7A
# 58 5A 00) and the vmlinux ELF is what it unpacks to.
extract_elf()
{
    local vmlinuz=$1 elf=$2 off
    off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n 1 | cut -d: -f1)
    [[ -n $off ]] || die "$vmlinuz holds no xz stream"
    tail -c +$((off + 1)) "$vmlinuz" | xz -dc --single-stream >"$elf.tmp" 2>/dev/null || true
    [[ $(head -c 4 "$elf.tmp" | od -An -tx1 | tr -d ' ') == 7f454c46 ]] ||
        die "the xz stream in $vmlinuz is not an ELF image"
    mv "$elf.tmp" "$elf"
}

build_kernel()
{
    local deb tmp
    deb=$(fetch_kernel)
    [[ $out/linux.elf -nt $deb ]] && return 0
    tmp=$(mktemp -d)
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*'
    extract_elf "$(ls "$tmp"/boot/vmlinuz-*)" "$out/linux.elf"
    rm -rf "$tmp"
    echo "  LINUX   $(basename "$deb") -> linux.elf"
}

build_initrd()
{
    local bb=/bin/busybox tmp
    [[ -x $bb ]] && "$bb" --list >/dev/null 2>&1 || die "no static busybox at $bb (package busybox-static)"
    if [[ $out/linux-initrd.cpio.gz -nt $here/init && $out/linux-initrd.cpio.gz -nt $here/expected-warnings ]]; then
        return 0
    fi
    tmp=$(mktemp -d)
    mkdir -p "$tmp"/{bin,dev,etc,proc,sys,tmp}
    cp "$bb" "$tmp/bin/busybox"
    install -m 755 "$here/init" "$tmp/init"
    cp "$here/expected-warnings" "$tmp/etc/expected-warnings"
    (cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -9n >"$out/linux-initrd.cpio.gz"
    rm -rf "$tmp"
    echo "  INITRD  linux-initrd.cpio.gz"
}

build_kernel
build_initrd
cp "$here/test.cfg" "$out/linux.cfg"
