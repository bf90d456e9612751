# automation/lib/qemu.sh - boot the loaded test under QEMU (platform qemu-svm).
#
# Sourced. QEMU's TCG models AMD SVM with nested paging under `-cpu max`. It
# loads the hypervisor with its multiboot1 loader: -kernel, -append, and the
# modules from -initrd, comma separated ("file args,file args"), where a
# literal comma inside a module string is written ",,". Each module string is
# the text exactly as given (the file name is the first word), so QEMU runs
# in build/xtf/ and names modules without a directory.

QEMU=${QEMU:-qemu-system-x86_64}
# Single-threaded TCG by default: QEMU 7.2's multi-threaded TCG has a race
# in which an FXRSTOR on any vCPU rewrites CPU 0's hflags2 (its IGNNE
# bit, with an unlocked read-modify-write) and so can undo CPU 0's VMRUN or
# #VMEXIT: host state lands in a guest VMCB, or the hypervisor triple
# faults. Not Wren's to fix; docs/platforms.md, "QEMU SVM under multi-
# threaded TCG", has the proof (automation/svm-stress.sh). Set
# WREN_QEMU_TCG_THREAD=multi to see it.
QEMU_TCG_THREAD=${WREN_QEMU_TCG_THREAD:-single}
QEMU_ARGS=(-machine pc -accel "tcg,thread=$QEMU_TCG_THREAD" -cpu max -m 512 -display none -no-reboot -nic none
           -device isa-debug-exit,iobase=0xf4,iosize=4)

# The -initrd argument for MOD_STRING[].
qemu_initrd()
{
    local s out=
    for s in "${MOD_STRING[@]}"; do
        out+="${out:+,}${s//,/,,}"
    done
    printf '%s' "$out"
}

# qemu_status_note STATUS: what QEMU's exit status says about the run.
qemu_status_note()
{
    case $1 in
    0) ;;                               # powered off (ACPI), or reset with -no-reboot
    3) echo "dom0 crashed (QEMU exit status 3)" ;;
    5) echo "hypervisor panicked (QEMU exit status 5)" ;;
    137) ;;                             # killed at the time limit
    *) echo "QEMU exit status $1" ;;
    esac
}

# qemu_argv SERIAL_SPEC EMU_LOG: the command line for the loaded test, in
# QEMU_CMD. It must run in build/xtf/ (see above).
qemu_argv()
{
    QEMU_CMD=("$QEMU" "${QEMU_ARGS[@]}" -smp "${T_CPUS:-2}" ${T_MEMORY:+-m "$T_MEMORY"}
              ${T_ICOUNT:+-icount shift=0,sleep=off} -serial "$1" -d cpu_reset,guest_errors -D "$2.d"
              -kernel "$XEN_BIN" -append "$XEN_CMDLINE" -initrd "$(qemu_initrd)")
    [[ $1 == mon:* ]] || QEMU_CMD+=(-monitor none)
}

# qemu_monitor_watch SERIAL_LOG PIPE: for a test with QEMU_MONITOR=yes.
# Each serial line "WREN-MONITOR: mce ARGS" (a guest asking for a machine
# check, docs/designs/vmce.md) is sent once, as "mce ARGS", to QEMU's
# monitor on PIPE.in; only `mce` with hexadecimal/decimal arguments is
# passed on. Runs until killed.
qemu_monitor_watch()
{
    local log=$1 pipe=$2 sent=0 lines line

    while :; do
        mapfile -t lines < <(grep -a -o 'WREN-MONITOR: mce[ 0-9a-fx]*' "$log")
        while (( sent < ${#lines[@]} )); do
            line=${lines[sent]#WREN-MONITOR: }
            printf '%s\n' "$line" >"$pipe.in"
            sent=$((sent + 1))
        done
        sleep 0.05
    done
}

# qemu_wait_dump PIPE LIMIT: wait for QEMU (EMU_PID) and set EMU_STATUS;
# two seconds before the time limit, ask its monitor for every CPU's
# registers (the answer lands in PIPE.log), so a run that hangs says where
# each CPU was (qemu_limit_report). The timer is a plain `sleep` child,
# reaped here: nothing is left behind. The pipe is opened read-write,
# which never blocks, even if QEMU has just gone.
qemu_wait_dump()
{
    local pipe=$1 at=$(( $2 > 4 ? $2 - 2 : $2 )) timer done= fd

    sleep "$at" &
    timer=$!
    wait -n -p done "$EMU_PID" "$timer" 2>/dev/null
    EMU_STATUS=$?
    if [[ $done != "$EMU_PID" ]]; then
        exec {fd}<>"$pipe.in"
        printf 'info registers -a\n' >&"$fd"
        exec {fd}>&-
        wait "$EMU_PID" 2>/dev/null
        EMU_STATUS=$?
    fi
    { kill -KILL "$timer"; wait "$timer"; } 2>/dev/null
}

# qemu_limit_report PIPE SERIAL_LOG EMU_LOG: for a run killed at its
# limit, append the monitor's register dump to EMU_LOG and one line per
# CPU to SERIAL_LOG (its tail is what a failure prints): RIP, whether it
# was halted, CR3, and where it was: in the hypervisor (CR3 is its
# boot_pml4) with the function at RIP from xen-syms, or in a guest; and
# the short form of it in EMU_DIAG, for the verdict line.
qemu_limit_report()
{
    local pipe=$1 log=$2 emulog=$3 syms=${XEN_BIN%/*}/xen-syms cpu rip hlt cr3 where fn cpus= xen_cr3=

    if [[ ! -s $pipe.log ]]; then
        echo "(runner) at the time limit QEMU's monitor gave no registers" >>"$log"
        return
    fi
    { echo "--- QEMU monitor at the time limit ---"; cat "$pipe.log"; } >>"$emulog"
    [[ -f $syms ]] && xen_cr3=$(nm "$syms" 2>/dev/null | awk '$3 == "boot_pml4" { print $1 }')
    while read -r cpu rip hlt cr3; do
        if [[ -n $xen_cr3 ]] && (( 16#$cr3 == 16#$xen_cr3 )); then
            fn=$(addr2line -f -e "$syms" "0x$rip" 2>/dev/null | head -n 1)
            where="in the hypervisor: $(addr2line -f -e "$syms" "0x$rip" 2>/dev/null | paste -sd' ')"
        else
            fn=guest where="in a guest"
        fi
        (( hlt == 1 )) && fn+=" (halted)"
        cpus+="${cpus:+, }CPU $cpu $fn"
        echo "(runner) at the time limit CPU $cpu: RIP=$rip HLT=$hlt CR3=$cr3, $where" >>"$log"
    done < <(awk '{ sub(/\r$/, "") }
                  /^CPU#/ { cpu = substr($1, 5) }
                  /^RIP=/ { rip = substr($1, 5); hlt = $0; sub(/.*HLT=/, "", hlt); sub(/ .*/, "", hlt) }
                  /^CR0=/ { cr3 = $0; sub(/.*CR3=/, "", cr3); sub(/ .*/, "", cr3); print cpu, rip, hlt, cr3 }' \
                 "$pipe.log")
    EMU_DIAG+="${EMU_DIAG:+; }at the limit: $cpus"
}

# qemu_helpers_end: end qemu_run's monitor reader and mce watcher (also the runner's cleanup, for an interrupted run). KILL, not
# TERM: they are subshells with the runner's traps until they run their
# first command (qemu_peer_wait says why that matters).
qemu_helpers_end()
{
    [[ -n ${QEMU_HELPERS:-} ]] || return 0
    # shellcheck disable=SC2086 # a list of PIDs
    { kill -KILL $QEMU_HELPERS; wait $QEMU_HELPERS; } 2>/dev/null
    QEMU_HELPERS=
    return 0
}

# qemu_run SERIAL_LOG EMU_LOG LIMIT: boot with a time limit in the
# background of this shell (EMU_PID names its process group, so a trap can
# end it) and wait. QEMU's monitor is on a pair of pipes beside EMU_LOG
# (answers in monitor.log): the mce watcher writes to it, and so does the
# register dump before the limit. Sets EMU_STATUS, EMU_TIMED_OUT, EMU_NOTE
# and EMU_DIAG.
qemu_run()
{
    local log=$1 emulog=$2 limit=$3 pipe=${2%/*}/monitor watcher= reader

    qemu_argv "file:$log" "$emulog"
    mkfifo "$pipe.in" "$pipe.out" || die "cannot make the monitor pipes $pipe.in/.out"
    QEMU_CMD=("${QEMU_CMD[@]:0:${#QEMU_CMD[@]}-2}" -monitor "pipe:$pipe")
    # Their output goes nowhere: a leftover `sleep` must not hold the
    # runner's stdout open for whoever reads it.
    cat "$pipe.out" >"$pipe.log" 2>/dev/null &
    reader=$!
    if [[ ${T_QEMU_MONITOR:-} == yes ]]; then
        qemu_monitor_watch "$log" "$pipe" >/dev/null 2>&1 &
        watcher=$!
    fi
    QEMU_HELPERS="$reader $watcher"
    ( cd "$XTF_DIR" && exec timeout -s KILL "$limit" "${QEMU_CMD[@]}" ) </dev/null >"$emulog" 2>&1 &
    EMU_PID=$!
    qemu_wait_dump "$pipe" "$limit"
    EMU_PID=
    qemu_helpers_end
    qemu_collect "$emulog"
    (( EMU_TIMED_OUT )) && qemu_limit_report "$pipe" "$log" "$emulog"
    return 0
}

# qemu_collect EMU_LOG: interpret EMU_STATUS and QEMU's own logs.
qemu_collect()
{
    local emulog=$1 err

    EMU_TIMED_OUT=0
    (( EMU_STATUS == 137 )) && EMU_TIMED_OUT=1
    EMU_NOTE=$(qemu_status_note "$EMU_STATUS")
    EMU_DIAG=
    if [[ -f $emulog.d ]]; then
        grep -q 'Triple fault' "$emulog.d" && EMU_DIAG="triple fault (QEMU reset the machine)"
        cat "$emulog.d" >>"$emulog"
        rm -f "$emulog.d"
    fi
    case $EMU_STATUS in
    0|3|5|137) ;;
    *)  err=$(grep -m1 -i 'qemu' "$emulog" | one_line 200)
        [[ -n $err ]] && EMU_DIAG+="${EMU_DIAG:+; }$err"
        ;;
    esac
}

# qemu_pair_run SERIAL_A EMU_A SERIAL_B EMU_B LIMIT SHM: a two-machine test
# (T_PEER, common.sh's test_load_peer). SHM is made a zeroed file of
# LINK_MB MiB; both machines map it through ivshmem-plain (PCI 1af4:1110,
# BAR2 the memory, no interrupts). B (PEER_MOD_STRING) starts first, then
# A (MOD_STRING); both run under the same time limit in their own process
# groups (EMU_PID, PEER_PID), B at most PEER_GRACE s longer than A. Sets EMU_* for A as qemu_run does, and
# PEER_STATUS, PEER_TIMED_OUT, PEER_NOTE, PEER_DIAG for B.
qemu_pair_run()
{
    local log=$1 emulog=$2 plog=$3 pemulog=$4 limit=$5 shm=$6 mods link
    truncate -s "${T_LINK_MB}M" "$shm" || die "cannot make the link file $shm"
    link=(-object "memory-backend-file,id=wrenlink,share=on,mem-path=$shm,size=${T_LINK_MB}M"
          -device ivshmem-plain,memdev=wrenlink)
    mods=("${MOD_STRING[@]}")
    MOD_STRING=("${PEER_MOD_STRING[@]}")
    qemu_argv "file:$plog" "$pemulog"
    ( cd "$XTF_DIR" && exec timeout -s KILL "$limit" "${QEMU_CMD[@]}" "${link[@]}" ) </dev/null >"$pemulog" 2>&1 &
    PEER_PID=$!
    MOD_STRING=("${mods[@]}")
    qemu_argv "file:$log" "$emulog"
    ( cd "$XTF_DIR" && exec timeout -s KILL "$limit" "${QEMU_CMD[@]}" "${link[@]}" ) </dev/null >"$emulog" 2>&1 &
    EMU_PID=$!
    wait "$EMU_PID" 2>/dev/null
    EMU_STATUS=$?
    EMU_PID=
    qemu_peer_wait
    qemu_collect_peer "$pemulog"
    qemu_collect "$emulog"
}

# qemu_peer_wait: once A is done, B has PEER_GRACE seconds (default 15)
# to finish; then it is ended as timed out (a failed A would otherwise
# leave B waiting on the link for the whole limit).
qemu_peer_wait()
{
    local killer
    # The watcher is a subshell with the runner's traps until it runs its
    # first command: a TERM could make it run the EXIT trap (and remove
    # the run's directory), so it is ended with KILL, which runs nothing.
    ( sleep "${PEER_GRACE:-15}"; kill -KILL -- "-$PEER_PID" ) >/dev/null 2>&1 &
    killer=$!
    wait "$PEER_PID" 2>/dev/null
    PEER_STATUS=$?
    PEER_PID=
    kill -KILL "$killer" 2>/dev/null
    wait "$killer" 2>/dev/null
}

# qemu_collect_peer EMU_LOG: qemu_collect for machine B, into PEER_*.
qemu_collect_peer()
{
    local status=$EMU_STATUS
    EMU_STATUS=$PEER_STATUS
    qemu_collect "$1"
    PEER_TIMED_OUT=$EMU_TIMED_OUT PEER_NOTE=$EMU_NOTE PEER_DIAG=$EMU_DIAG
    EMU_STATUS=$status
}
