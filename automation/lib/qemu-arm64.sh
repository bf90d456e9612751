# automation/lib/qemu-arm64.sh - boot the loaded test under QEMU's Arm
# virt board (platform qemu-arm64).
#
# Sourced. qemu-system-aarch64 (Debian's qemu-system-arm) with
# virtualization=on enters the hypervisor at EL2 through -kernel, which
# loads an image with the arm64 Image header and passes its own device
# tree in x0 (-append becomes /chosen/bootargs). -cpu max offers 52-bit
# IPAs, HAFDBS and VHE; gic-version=3 gives a GICv3. PSCI goes by SMC
# (the device tree's /psci method), and SYSTEM_OFF ends QEMU with status
# 0 whatever happened: as on Bochs, the serial log alone is judged.
# Multi-threaded TCG, the default for this target: each emulated CPU is
# a host thread, so two CPUs really race (the smp test needs that).
#
# Boot modules go as Xen on Arm takes them: `multiboot,module` nodes under
# /chosen (reg and bootargs; module 0 also `multiboot,kernel`, a ramdisk
# `multiboot,ramdisk`). QEMU's own tree is dumped (dumpdtb=), the nodes
# added with dtc (Debian's device-tree-compiler), the result passed with
# -dtb, and each file put in RAM with -device loader.

QEMU_ARM64=${QEMU_ARM64:-qemu-system-aarch64}
QEMU_ARM64_MACHINE=virt,virtualization=on,gic-version=3
QEMU_ARM64_ARGS=(-cpu max -accel tcg,thread=multi -m 512 -display none -no-reboot -nic none
                 -monitor none)
# Modules from 16 MiB into RAM (the image is at 2 MiB), each 2 MiB-aligned,
# below the device tree QEMU puts at RAM + min(RAM / 2, 128 MiB).
ARM64_RAM_BASE=$((0x40000000))
ARM64_MODULE_BASE=$((0x41000000))

# qemu_arm64_machine [EXTRA]: the same machine for the run and the dump.
qemu_arm64_machine()
{
    printf '%s' "$QEMU_ARM64_MACHINE${1:+,$1}"
}

# dts_string TEXT: TEXT as a device-tree source string literal.
dts_string()
{
    local t=${1//\\/\\\\}
    printf '"%s"' "${t//\"/\\\"}"
}

# arm64_module_nodes: the /chosen nodes of MOD_FILE[]/MOD_STRING[], as
# device-tree source; sets MOD_DEVICES (QEMU's loader options for them).
arm64_module_nodes()
{
    local i addr=$ARM64_MODULE_BASE size compat limit mem=${T_MEMORY:-512}
    limit=$(( ARM64_RAM_BASE + (mem / 2 < 128 ? mem / 2 : 128) * 1024 * 1024 ))
    MOD_DEVICES=()
    printf '/ {\n\tchosen {\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n'
    for i in "${!MOD_FILE[@]}"; do
        size=$(stat -c %s "$XTF_DIR/${MOD_FILE[i]}") || return 1
        (( addr + size <= limit )) || die "$T_NAME: modules do not fit below the device tree"
        compat='"multiboot,module"'
        (( i == 0 )) && compat='"multiboot,kernel", "multiboot,module"'
        [[ ${MOD_STRING[i]} == *" ramdisk" ]] && compat='"multiboot,ramdisk", "multiboot,module"'
        printf '\t\tmodule@%x {\n\t\t\tcompatible = %s;\n' "$addr" "$compat"
        printf '\t\t\treg = <0x%x 0x%x 0x%x 0x%x>;\n' $(( addr >> 32 )) $(( addr & 0xffffffff )) \
            $(( size >> 32 )) $(( size & 0xffffffff ))
        printf '\t\t\tbootargs = %s;\n\t\t};\n' "$(dts_string "${MOD_STRING[i]}")"
        MOD_DEVICES+=(-device "loader,file=$XTF_DIR/${MOD_FILE[i]},addr=$addr,force-raw=on")
        addr=$(( (addr + size + 0x1fffff) & ~0x1fffff ))
    done
    printf '\t};\n};\n'
}

# qemu_arm64_dtb DIR EMU_LOG: QEMU's device tree with the modules added,
# as DIR/boot.dtb; sets MOD_DEVICES. Fails (status 1) with the reason in
# EMU_LOG.
qemu_arm64_dtb()
{
    local dir=$1 emulog=$2
    "$QEMU_ARM64" -machine "$(qemu_arm64_machine "dumpdtb=$dir/qemu.dtb")" "${QEMU_ARM64_ARGS[@]}" \
        -smp "${T_CPUS:-2}" ${T_MEMORY:+-m "$T_MEMORY"} </dev/null >>"$emulog" 2>&1 || return 1
    dtc -q -I dtb -O dts -o "$dir/qemu.dts" "$dir/qemu.dtb" 2>>"$emulog" || return 1
    arm64_module_nodes >>"$dir/qemu.dts" || return 1
    dtc -q -I dts -O dtb -o "$dir/boot.dtb" "$dir/qemu.dts" 2>>"$emulog"
}

# qemu_arm64_argv SERIAL_SPEC EMU_LOG [DTB]: the command line, in QEMU_CMD.
qemu_arm64_argv()
{
    QEMU_CMD=("$QEMU_ARM64" -machine "$(qemu_arm64_machine)" "${QEMU_ARM64_ARGS[@]}"
              -smp "${T_CPUS:-2}" ${T_MEMORY:+-m "$T_MEMORY"}
              -serial "$1" -d guest_errors,unimp -D "$2.d"
              -kernel "$XEN_BIN" -append "$XEN_CMDLINE")
    [[ -n ${3:-} ]] && QEMU_CMD+=(-dtb "$3" "${MOD_DEVICES[@]}")
}

# qemu_arm64_run SERIAL_LOG EMU_LOG LIMIT: boot with a time limit, in the
# background of this shell (EMU_PID names its process group) and wait.
# Sets EMU_STATUS, EMU_TIMED_OUT, EMU_NOTE and EMU_DIAG.
qemu_arm64_run()
{
    local log=$1 emulog=$2 limit=$3 dtb=

    if (( ${#MOD_FILE[@]} )); then
        dtb=${emulog%/*}/boot.dtb
        qemu_arm64_dtb "${emulog%/*}" "$emulog" ||
            die "$T_NAME: cannot make the device tree with the modules: $(tail -n 1 "$emulog")"
    fi
    qemu_arm64_argv "file:$log" "$emulog" "$dtb"
    ( cd "$XTF_DIR" && exec timeout -s KILL "$limit" "${QEMU_CMD[@]}" ) </dev/null >"$emulog" 2>&1 &
    EMU_PID=$!
    wait "$EMU_PID" 2>/dev/null
    EMU_STATUS=$?
    EMU_PID=
    qemu_collect "$emulog"
}
