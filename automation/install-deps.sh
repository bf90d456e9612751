#!/bin/bash
# automation/install-deps.sh - install the Debian packages that building and
# testing Wren need, and nothing when they are all there (then it is quiet).
#
# Runs as root, or through sudo. Fails naming the package apt could not
# install.

set -euo pipefail

packages=(
    # build: hypervisor, XTF guests, host unit tests (ASan/UBSan)
    gcc make binutils libc6-dev python3
    # host fuzz harnesses (make fuzz): clang, and its libFuzzer and
    # sanitizer runtimes (a recommendation of clang-14, not a dependency)
    clang libclang-rt-14-dev
    # make format-check (part of make test): the style in .clang-format
    clang-format
    # platform qemu-svm
    qemu-system-x86
    # platform qemu-arm64: the emulator, the cross compiler the arm64
    # hypervisor is built with (make build ARCH=arm64), and dtc, with which
    # the runner adds boot modules to QEMU's device tree
    qemu-system-arm gcc-aarch64-linux-gnu device-tree-compiler
    # platform bochs-vmx: the emulator, its headless display, BIOS and VGA
    # BIOS, and what grub-mkrescue needs for a BIOS-bootable ISO
    bochs bochs-term bochsbios vgabios grub-pc-bin grub-common xorriso mtools
    # runners: timeout (coreutils), the xterm terminfo Bochs's display needs
    coreutils ncurses-base
    # the Linux guest test (automation/linux/build.sh): unpacking Debian's
    # kernel package and building its initramfs from busybox-static
    dpkg xz-utils cpio gzip busybox-static
    # the toolstack: dom0's C library (Debian's musl, linked as it is), and
    # the xl.cfg grammar's scanner and parser generators
    musl-dev musl-tools flex bison
    # dom0 for arm64 (tools/dom0, ARCH=arm64): Debian's arm64 musl, from
    # the arm64 half of the same mirror (the architecture is added below)
    musl-dev:arm64
)

installed()
{
    # Not `| grep -q`: grep would stop reading and, under pipefail, dpkg's
    # SIGPIPE would make an installed package look missing.
    # A name without an architecture means the native one: once a foreign
    # copy is installed too (musl-dev:arm64), a bare name is ambiguous.
    local q=$1
    [[ $q == *:* ]] || ! dpkg -s "$q:$native" >/dev/null 2>&1 || q=$q:$native
    [[ $(dpkg -s "$q" 2>/dev/null | sed -n 's/^Status: //p') == "install ok installed" ]]
}

native=$(dpkg --print-architecture)
missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
(( ${#missing[@]} )) || exit 0

sudo=
if (( EUID != 0 )); then
    command -v sudo >/dev/null || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A package named PKG:ARCH needs ARCH among dpkg's architectures before
# apt-get update fetches its lists.
for p in "${missing[@]}"; do
    [[ $p == *:* ]] || continue
    arch=${p#*:}
    [[ $arch == "$native" ]] && continue
    [[ $'\n'$(dpkg --print-foreign-architectures)$'\n' == *$'\n'"$arch"$'\n'* ]] && continue
    $sudo dpkg --add-architecture "$arch"
done
if ! $sudo apt-get update -qq; then
    echo "install-deps: apt-get update failed (needed for: ${missing[*]})" >&2
    exit 1
fi
apt_install()
{
    $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! apt_install "${missing[@]}"; then
    # Find out which one it was.
    for p in "${missing[@]}"; do
        installed "$p" && continue
        apt_install "$p" || { echo "install-deps: apt-get install failed for package '$p'" >&2; exit 1; }
    done
fi
for p in "${missing[@]}"; do
    installed "$p" || { echo "install-deps: package '$p' is still not installed" >&2; exit 1; }
done
