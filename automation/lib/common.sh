# automation/lib/common.sh - shared helpers of the emulator runners.
#
# Sourced by the automation/*.sh scripts, never run by itself. Knows the
# build layout (build/xen/xen.bin, build/xtf/<test>.{elf,cfg}, build/logs/;
# for qemu-arm64 build/arm64/xen/xen.bin and build/arm64/tests/) and the
# test descriptor format; knows nothing about a particular emulator
# (lib/qemu.sh, lib/qemu-arm64.sh, lib/bochs.sh) or about judging a log
# (lib/judge.sh).

WREN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$WREN_ROOT/build}
XEN_X86_BIN=${XEN_BIN:-}
XEN_BIN=${XEN_BIN:-$BUILD/xen/xen.bin}
XTF_DIR=$BUILD/xtf
LOG_DIR=$BUILD/logs
ISO_DIR=$BUILD/iso

# Every platform the runner knows (run-all.sh's default), and those that
# boot dom0 and its toolstack (the interactive sessions).
WREN_PLATFORMS="qemu-svm bochs-vmx qemu-arm64"
WREN_DOM0_PLATFORMS="qemu-svm bochs-vmx qemu-arm64"
XEN_DEFAULT_ARGS="console=com1 loglvl=all dom0=pvh dom0_mem=64M noreboot"
XEN_ARM64_DEFAULT_ARGS="loglvl=all"
DEFAULT_TIMEOUT=60
# Bochs runs guest code roughly 5-10 times slower than QEMU TCG and spends
# about 2 s in its BIOS and GRUB before the hypervisor starts.
BOCHS_TIMEOUT_SCALE=${WREN_BOCHS_TIMEOUT_SCALE:-3}
BOCHS_TIMEOUT_EXTRA=10

die()
{
    echo "${0##*/}: $*" >&2
    exit 2
}

platform_known()
{
    [[ " $WREN_PLATFORMS " == *" $1 "* ]]
}

# platform_select PLATFORM: point XTF_DIR and XEN_BIN at what that
# platform boots (arm64 has its own hypervisor image and tests), and set
# XEN_PLATFORM_ARGS, the command line every test on it starts with.
platform_select()
{
    case $1 in
    qemu-arm64)
        XTF_DIR=$BUILD/arm64/tests
        XEN_BIN=${XEN_ARM64_BIN:-$BUILD/arm64/xen/xen.bin}
        XEN_PLATFORM_ARGS=$XEN_ARM64_DEFAULT_ARGS ;;
    *)
        XTF_DIR=$BUILD/xtf
        XEN_BIN=${XEN_X86_BIN:-$BUILD/xen/xen.bin}
        XEN_PLATFORM_ARGS=$XEN_DEFAULT_ARGS ;;
    esac
}

# Seconds since the epoch with nanoseconds, and the difference of two.
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# One line of text, safe for our one-line and tab-separated records.
one_line() { tr -s '\t\r\n' '   ' | sed 's/^ *//; s/ *$//' | cut -c1-"${2:-300}"; }

# test_cfg_var CFG VAR: print one variable of a descriptor, defaults not
# applied. The descriptor runs in a clean shell so it cannot touch ours.
test_cfg_var()
{
    env -i PATH="$PATH" bash -c '. "$1" >/dev/null 2>&1; printf "%s" "${!2}"' _ "$1" "$2"
}

# test_load NAME: read build/xtf/NAME.cfg into T_* variables and the module
# list MOD_FILE[i] (file name in build/xtf) / MOD_STRING[i] (its module
# string). Module 0 is dom0 (with DOM0_ARGS as its command line), followed
# by its ramdisk if DOM0_RAMDISK names one; then each domU's kernel,
# followed by its ramdisk ("FILE ramdisk") if DOMU<n>_RAMDISK names one. T_MEMORY is the
# descriptor's MEMORY (MiB of emulated RAM), empty for the default. T_CPUS
# is its CPUS (emulated CPUs, QEMU only; default 2), T_ICOUNT its ICOUNT
# (yes: QEMU counts time in instructions, -icount shift=0,sleep=off, so a
# guest's pvclock deltas are instruction counts: for benchmarks).
# T_QEMU_MONITOR is its QEMU_MONITOR (yes: the guest may drive QEMU's
# monitor by printing "WREN-MONITOR: mce ..." lines, qemu.sh).
# DOM0=none boots no module at all (the arm64 boot tests, which are the
# hypervisor's own); RESULT_FROM=xen then takes the result line from the
# hypervisor's "(XEN) " lines. T_EXPECT_PANIC is EXPECT_PANIC (yes: the
# run passes only if the hypervisor panics, lib/judge.sh).
test_load()
{
    local name=$1 cfg=$XTF_DIR/$1.cfg dump i d v

    [[ -r $cfg ]] || die "no descriptor $cfg (is the test built?)"
    dump=$(cd "$XTF_DIR" && env -i PATH="$PATH" bash -c '
        . "$1" >/dev/null || exit 1
        for v in DOM0 DOM0_ARGS DOM0_RAMDISK DOMUS RESULT_FROM XEN_ARGS PLATFORMS TIMEOUT BOCHS_TIMEOUT MEMORY CPUS ICOUNT QEMU_MONITOR PEER_DOM0_ARGS PEER_DOM0_RAMDISK LINK_MB EXPECT_PANIC; do
            printf "T_%s=%q\n" "$v" "${!v}"
        done
        i=1
        for d in $DOMUS; do
            v=DOMU${i}_ARGS
            printf "T_DOMU_ARGS[%d]=%q\n" "$i" "${!v}"
            v=DOMU${i}_RAMDISK
            printf "T_DOMU_RAMDISK[%d]=%q\n" "$i" "${!v}"
            i=$((i + 1))
        done' _ "$cfg") || die "$cfg: cannot be sourced"
    T_NAME=$name
    T_DESC=$(sed -n '1s/^#[[:space:]]*//p' "$cfg")
    T_DOMU_ARGS=()
    T_DOMU_RAMDISK=()
    eval "$dump"
    T_DOM0=${T_DOM0:-$name}
    T_RESULT_FROM=${T_RESULT_FROM:-dom0}
    T_TIMEOUT=${WREN_TIMEOUT:-${T_TIMEOUT:-$DEFAULT_TIMEOUT}}
    [[ $T_RESULT_FROM == d0 ]] && T_RESULT_FROM=dom0
    [[ $T_TIMEOUT =~ ^[0-9]+$ ]] || die "$cfg: TIMEOUT '$T_TIMEOUT' is not a number of seconds"
    [[ -z $T_BOCHS_TIMEOUT || $T_BOCHS_TIMEOUT =~ ^[0-9]+$ ]] ||
        die "$cfg: BOCHS_TIMEOUT '$T_BOCHS_TIMEOUT' is not a number of seconds"
    [[ -n ${WREN_TIMEOUT:-} ]] && T_BOCHS_TIMEOUT=
    [[ -z $T_MEMORY || $T_MEMORY =~ ^[0-9]+$ ]] || die "$cfg: MEMORY '$T_MEMORY' is not a number of MiB"
    [[ -z $T_CPUS || $T_CPUS =~ ^[1-8]$ ]] || die "$cfg: CPUS '$T_CPUS' is not a number of CPUs from 1 to 8"
    [[ -z $T_ICOUNT || $T_ICOUNT == yes ]] || die "$cfg: ICOUNT '$T_ICOUNT' is not yes or empty"
    [[ -z $T_QEMU_MONITOR || $T_QEMU_MONITOR == yes ]] ||
        die "$cfg: QEMU_MONITOR '$T_QEMU_MONITOR' is not yes or empty"
    [[ -z $T_EXPECT_PANIC || $T_EXPECT_PANIC == yes ]] ||
        die "$cfg: EXPECT_PANIC '$T_EXPECT_PANIC' is not yes or empty"
    if [[ $T_DOM0 == none ]]; then
        [[ -z $T_DOMUS && -z $T_DOM0_RAMDISK ]] || die "$cfg: DOM0=none boots no module at all"
        [[ $T_RESULT_FROM == xen ]] || die "$cfg: DOM0=none needs RESULT_FROM=xen"
        MOD_FILE=() MOD_STRING=()
        test_load_xen "$cfg"
        return
    fi

    MOD_FILE=("$T_DOM0.elf")
    MOD_STRING=("$T_DOM0.elf${T_DOM0_ARGS:+ $T_DOM0_ARGS}")
    if [[ -n $T_DOM0_RAMDISK ]]; then
        MOD_FILE+=("$T_DOM0_RAMDISK")
        MOD_STRING+=("$T_DOM0_RAMDISK ramdisk")
    fi
    i=1
    for d in $T_DOMUS; do
        MOD_FILE+=("$d.elf")
        MOD_STRING+=("$d.elf${T_DOMU_ARGS[i]:+ ${T_DOMU_ARGS[i]}}")
        if [[ -n ${T_DOMU_RAMDISK[i]:-} ]]; then
            MOD_FILE+=("${T_DOMU_RAMDISK[i]}")
            MOD_STRING+=("${T_DOMU_RAMDISK[i]} ramdisk")
        fi
        i=$((i + 1))
    done
    if [[ $T_RESULT_FROM != dom0 && $T_RESULT_FROM != xen ]]; then
        [[ $T_RESULT_FROM =~ ^d([0-9]+)$ ]] || die "$cfg: RESULT_FROM '$T_RESULT_FROM' is not dom0, dN or xen"
        (( BASH_REMATCH[1] < i )) || die "$cfg: RESULT_FROM=$T_RESULT_FROM but only $i domains"
    fi
    for v in "${MOD_FILE[@]}"; do
        [[ -r $XTF_DIR/$v ]] || die "$cfg: module $XTF_DIR/$v is missing"
    done
    test_load_xen "$cfg"
}

# test_load_xen CFG: the hypervisor image and its command line.
test_load_xen()
{
    [[ -r $XEN_BIN ]] || die "no hypervisor image $XEN_BIN (run make build)"
    XEN_CMDLINE="${XEN_PLATFORM_ARGS:-$XEN_DEFAULT_ARGS}${T_XEN_ARGS:+ $T_XEN_ARGS}"
    test_load_peer "$1"
}

# test_load_peer CFG: a two-machine test (PEER_DOM0_ARGS or
# PEER_DOM0_RAMDISK set) boots a second machine B beside the test's
# machine A, the two linked by one ivshmem-plain region of LINK_MB MiB
# (default 4; docs/designs/live-migration.md, "Two machines"). B runs
# the same hypervisor and dom0 kernel with its own arguments and ramdisk
# and no domUs; the runner adds "verdict=peer" to its command line, so
# that only A prints a "Test result:" line. Sets T_PEER (yes or empty)
# and PEER_MOD_STRING[] (B's modules, as MOD_STRING).
test_load_peer()
{
    local cfg=$1
    T_PEER=
    PEER_MOD_STRING=()
    [[ -z $T_PEER_DOM0_ARGS && -z $T_PEER_DOM0_RAMDISK ]] && return 0
    T_PEER=yes
    T_LINK_MB=${T_LINK_MB:-4}
    [[ $T_LINK_MB =~ ^(1|2|4|8|16|32|64|128|256)$ ]] ||
        die "$cfg: LINK_MB '$T_LINK_MB' is not a power of two from 1 to 256"
    [[ -z $T_DOMUS ]] || die "$cfg: a two-machine test boots no domUs at boot (DOMUS must be empty)"
    PEER_MOD_STRING=("$T_DOM0.elf${T_PEER_DOM0_ARGS:+ $T_PEER_DOM0_ARGS} verdict=peer")
    if [[ -n $T_PEER_DOM0_RAMDISK ]]; then
        [[ -r $XTF_DIR/$T_PEER_DOM0_RAMDISK ]] || die "$cfg: module $XTF_DIR/$T_PEER_DOM0_RAMDISK is missing"
        PEER_MOD_STRING+=("$T_PEER_DOM0_RAMDISK ramdisk")
    fi
}

# platform_timeout PLATFORM: seconds before the run is killed. TIMEOUT is
# for QEMU; Bochs gets the descriptor's optional BOCHS_TIMEOUT, or TIMEOUT
# scaled.
platform_timeout()
{
    case $1 in
    bochs-*) echo "${T_BOCHS_TIMEOUT:-$(( T_TIMEOUT * BOCHS_TIMEOUT_SCALE + BOCHS_TIMEOUT_EXTRA ))}" ;;
    *) echo "$T_TIMEOUT" ;;
    esac
}

# Tests: descriptors whose PLATFORMS is not empty (the others are helper
# images used as domUs by some test).
list_tests()
{
    local cfg
    for cfg in "$XTF_DIR"/*.cfg; do
        [[ -e $cfg ]] || continue
        [[ -n $(test_cfg_var "$cfg" PLATFORMS) ]] && basename "$cfg" .cfg
    done
}

# wren_tmpdir: a private scratch directory under build/ (same file system as
# the logs, so finished files are renamed into place atomically).
wren_tmpdir()
{
    mkdir -p "$BUILD/tmp" && mktemp -d "$BUILD/tmp/${1:-run}.XXXXXX"
}

# kill_group PID: end a job started through `timeout` (its own process group).
kill_group()
{
    [[ -n ${1:-} ]] || return 0
    {
        kill -KILL -- "-$1" || kill -KILL "$1"
        wait "$1"       # reap it here, where bash's "Killed" notice is silenced
    } 2>/dev/null
    return 0
}
