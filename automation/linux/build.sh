#!/bin/bash
# automation/linux/build.sh OUTDIR [ARCH] - the Linux guest test's files,
# from Debian's own packages, unmodified. ARCH amd64 (the default):
#   OUTDIR/linux.elf            the kernel's ELF payload (linux-image-amd64)
#   OUTDIR/linux-initrd.cpio.gz busybox-static and automation/linux/init
#   OUTDIR/linux.cfg            the test descriptor (automation/linux/test.cfg)
# ARCH arm64 (the qemu-arm64 platform's, OUTDIR build/arm64/tests):
#   OUTDIR/linux.img            the arm64 `Image` (linux-image-arm64)
#   OUTDIR/linux-initrd.cpio.gz busybox-static:arm64 and the same init
#   OUTDIR/linux.cfg            automation/linux/test-arm64.cfg
#
# The kernel package is fetched with `apt-get download` into
# $BUILD/linux-cache (kept between builds); the amd64 ELF is the xz stream
# inside the bzImage, found by its magic bytes and unpacked with xz; the
# arm64 vmlinuz is the Image itself, or gzip of it (then unpacked). The
# arm64 busybox is fetched the same way (never installed: it would
# replace the host's). Nothing is rebuilt when the outputs are newer than
# their inputs.
set -euo pipefail
out=$1
arch=${2:-amd64}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${LINUX_CACHE:-$out/../linux-cache}
[[ $arch == arm64 ]] && cache=${LINUX_CACHE:-$out/../../linux-cache}
mkdir -p "$out" "$cache"

die() { echo "linux/build.sh: $*" >&2; exit 1; }

# The versioned package the metapackage depends on right now.
kernel_package()
{
    apt-cache depends "linux-image-$arch:$arch" 2>/dev/null |
        sed -n "s/^ *Depends: \(linux-image-[0-9].*-$arch\)\(:$arch\)\?\$/\1/p" | head -n 1
}

# fetch PATTERN PACKAGE: the .deb in the cache matching PATTERN, else
# PACKAGE (for $arch) downloaded into it.
fetch()
{
    local pattern=$1 pkg=$2 deb
    deb=$(ls "$cache"/$pattern 2>/dev/null | head -n 1 || true)
    if [[ -z $deb ]]; then
        (cd "$cache" && apt-get download -q "$pkg:$arch" >/dev/null 2>&1) ||
            die "apt-get download $pkg:$arch failed"
        deb=$(ls "$cache"/$pattern | head -n 1)
    fi
    echo "$deb"
}

fetch_kernel()
{
    local pkg deb
    deb=$(ls "$cache"/linux-image-[0-9]*_$arch.deb 2>/dev/null | head -n 1 || true)
    if [[ -z $deb ]]; then
        pkg=$(kernel_package)
        [[ -n $pkg ]] || { apt-get update -qq >/dev/null 2>&1 || true; pkg=$(kernel_package); }
        [[ -n $pkg ]] || die "apt knows no linux-image-$arch dependency"
        deb=$(fetch "linux-image-[0-9]*_$arch.deb" "$pkg")
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

# The arm64 Image: vmlinuz as it is, or gunzipped; its header's magic
# "ARM\x64" at byte 56 checked.
build_image()
{
    local deb tmp z
    deb=$(fetch_kernel)
    [[ $out/linux.img -nt $deb ]] && return 0
    tmp=$(mktemp -d)
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*'
    z=$(ls "$tmp"/boot/vmlinuz-*)
    if [[ $(head -c 2 "$z" | od -An -tx1 | tr -d ' ') == 1f8b ]]; then
        gzip -dc "$z" >"$out/linux.img.tmp"
    else
        cp "$z" "$out/linux.img.tmp"
    fi
    [[ $(tail -c +57 "$out/linux.img.tmp" | head -c 4) == $'ARM\x64' ]] ||
        die "$z is not an arm64 Image"
    mv "$out/linux.img.tmp" "$out/linux.img"
    rm -rf "$tmp"
    echo "  LINUX   $(basename "$deb") -> linux.img"
}

# The static busybox for the guest: the host's (amd64), or arm64's
# unpacked from its package.
guest_busybox()
{
    local deb
    if [[ $arch == amd64 ]]; then
        [[ -x /bin/busybox ]] && /bin/busybox --list >/dev/null 2>&1 ||
            die "no static busybox at /bin/busybox (package busybox-static)"
        echo /bin/busybox
        return
    fi
    deb=$(fetch "busybox-static_*_$arch.deb" busybox-static)
    if [[ ! $cache/busybox-$arch -nt $deb ]]; then
        rm -rf "$cache/bb-$arch"
        dpkg-deb -x "$deb" "$cache/bb-$arch"
        cp "$cache/bb-$arch/bin/busybox" "$cache/busybox-$arch"
    fi
    echo "$cache/busybox-$arch"
}

build_initrd()
{
    local bb tmp
    bb=$(guest_busybox)
    if [[ $out/linux-initrd.cpio.gz -nt $here/init && $out/linux-initrd.cpio.gz -nt $here/expected-warnings &&
          $out/linux-initrd.cpio.gz -nt $bb ]]; then
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

if [[ $arch == arm64 ]]; then
    build_image
    build_initrd
    cp "$here/test-arm64.cfg" "$out/linux.cfg"
else
    build_kernel
    build_initrd
    cp "$here/test.cfg" "$out/linux.cfg"
fi
