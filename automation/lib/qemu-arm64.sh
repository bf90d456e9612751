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

QEMU_ARM64=${QEMU_ARM64:-qemu-system-aarch64}
QEMU_ARM64_ARGS=(-machine virt,virtualization=on,gic-version=3 -cpu max -accel tcg,thread=multi
                 -m 512 -display none -no-reboot -nic none -monitor none)

# qemu_arm64_argv SERIAL_SPEC EMU_LOG: the command line, in QEMU_CMD.
qemu_arm64_argv()
{
    QEMU_CMD=("$QEMU_ARM64" "${QEMU_ARM64_ARGS[@]}" -smp "${T_CPUS:-2}" ${T_MEMORY:+-m "$T_MEMORY"}
              -serial "$1" -d guest_errors,unimp -D "$2.d"
              -kernel "$XEN_BIN" -append "$XEN_CMDLINE")
}

# qemu_arm64_run SERIAL_LOG EMU_LOG LIMIT: boot with a time limit, in the
# background of this shell (EMU_PID names its process group) and wait.
# Sets EMU_STATUS, EMU_TIMED_OUT, EMU_NOTE and EMU_DIAG.
qemu_arm64_run()
{
    local log=$1 emulog=$2 limit=$3

    (( ${#MOD_FILE[@]} == 0 )) || die "$T_NAME: boot modules are not supported on qemu-arm64 yet"
    qemu_arm64_argv "file:$log" "$emulog"
    ( cd "$XTF_DIR" && exec timeout -s KILL "$limit" "${QEMU_CMD[@]}" ) </dev/null >"$emulog" 2>&1 &
    EMU_PID=$!
    wait "$EMU_PID" 2>/dev/null
    EMU_STATUS=$?
    EMU_PID=
    qemu_collect "$emulog"
}
