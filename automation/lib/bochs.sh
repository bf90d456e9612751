# automation/lib/bochs.sh - boot the loaded test under Bochs (platform bochs-vmx).
#
# Sourced. Bochs has no multiboot loader: the hypervisor and its modules go
# on a GRUB rescue ISO (multiboot2/module2) booted from an emulated CD-ROM.
# Bochs's exit status means nothing (it exits 1 on a clean power off and
# sometimes segfaults after the guest's last output): the serial log decides.

BOCHS=${BOCHS:-bochs}
BOCHS_MEGS=${WREN_BOCHS_MEGS:-512}
BOCHS_CPUS=2
BOCHSRC_IN=$WREN_ROOT/automation/bochsrc.in
# Only what the ISO's grub.cfg uses: a full grub-mkrescue image is 9.5 MB and
# costs Bochs 0.8 s more to boot than this 0.8 MB one.
GRUB_MODULES="multiboot2 normal serial terminal iso9660 biosdisk configfile test echo"

# grub_words TEXT: TEXT's words, each single-quoted for grub.cfg.
grub_words()
{
    local w out=
    for w in $1; do
        out+=" '${w//\'/\'\\\'\'}'"
    done
    printf '%s' "$out"
}

# bochs_grub_cfg: the boot menu for the loaded test.
bochs_grub_cfg()
{
    local i
    echo "set timeout=0"
    echo "set default=0"
    # GRUB on the serial line would put its menu and escape codes in front of
    # the hypervisor's log; WREN_GRUB_SERIAL=1 turns it on to debug GRUB.
    if [[ ${WREN_GRUB_SERIAL:-0} == 1 ]]; then
        echo "serial --unit=0 --speed=115200"
        echo "terminal_output serial"
    fi
    echo "menuentry 'wren $T_NAME' {"
    echo "  multiboot2 /boot/xen.bin$(grub_words "$XEN_CMDLINE")"
    for i in "${!MOD_FILE[@]}"; do
        echo "  module2 /boot/${MOD_FILE[i]}$(grub_words "${MOD_STRING[i]}")"
    done
    echo "}"
}

# bochs_make_iso ISO SCRATCH_DIR: the GRUB rescue ISO of the loaded test.
bochs_make_iso()
{
    local iso=$1 stage=$2/iso f

    mkdir -p "$stage/boot/grub"
    cp "$XEN_BIN" "$stage/boot/xen.bin" || return 1
    for f in "${MOD_FILE[@]}"; do
        cp "$XTF_DIR/$f" "$stage/boot/$f" || return 1
    done
    bochs_grub_cfg >"$stage/boot/grub/grub.cfg"
    if ! grub-mkrescue -o "$iso" --install-modules="$GRUB_MODULES" --modules= \
            --fonts= --locales= --themes= "$stage" >"$2/grub-mkrescue.out" 2>&1; then
        EMU_DIAG="grub-mkrescue failed: $(tail -n 1 "$2/grub-mkrescue.out" | one_line 200)"
        return 1
    fi
}

# bochs_make_rc SCRATCH_DIR ISO SERIAL_LOG: bochsrc and the debugger script.
bochs_make_rc()
{
    # BOCHS_SERIAL_TERM (run-demo.sh, interactive): the serial line is that
    # terminal device instead of the log file.
    local com1="com1: enabled=1, mode=file, dev=\"$3\""
    [[ -n ${BOCHS_SERIAL_TERM:-} ]] && com1="com1: enabled=1, mode=term, dev=$BOCHS_SERIAL_TERM"
    sed -e "s|@ISO@|$2|" -e "s|^com1:.*|$com1|" -e "s|@BOCHS_LOG@|$1/bochs.log|" \
        -e "s|@MEGS@|${T_MEMORY:-$BOCHS_MEGS}|g" -e "s|@CPUS@|$BOCHS_CPUS|" \
        "$BOCHSRC_IN" >"$1/bochsrc"
    echo c >"$1/bochs.rc"
}

# bochs_drain_screen SCREEN_FILE: the term display draws into a pseudo-
# terminal of its own, named on stderr ("Bochs connected to screen
# "/dev/pts/N""). Nobody reads it; once its buffer is full Bochs blocks in
# write() for good, every CPU with it (docs/platforms.md). Read it away
# until Bochs closes it.
bochs_drain_screen()
{
    local pts='' i

    for (( i = 0; i < 200; i++ )); do
        pts=$(grep -a -o 'connected to screen "/dev/pts/[0-9]*"' "$1" 2>/dev/null |
              head -n 1 | sed 's/.*"\(.*\)"/\1/')
        [[ -n $pts ]] && break
        sleep 0.05
    done
    [[ -n $pts && -c $pts ]] && exec cat "$pts" >/dev/null 2>&1
}

# bochs_start SCRATCH_DIR LIMIT: start Bochs in the background of this shell
# (EMU_PID names its process group). Its screen goes to SCRATCH_DIR/screen.
bochs_start()
{
    ( cd "$1" && TERM=xterm exec timeout -s KILL "$2" "$BOCHS" -q -f "$1/bochsrc" -rc "$1/bochs.rc" \
    ) </dev/null >"$1/screen" 2>&1 &
    EMU_PID=$!
    bochs_drain_screen "$1/screen" </dev/null &
}

# bochs_prepare SERIAL_LOG SCRATCH_DIR: ISO and bochsrc, published ISO in
# build/iso/. Sets EMU_ISO.
bochs_prepare()
{
    EMU_ISO=$2/boot.iso
    bochs_make_iso "$EMU_ISO" "$2" || return 1
    bochs_make_rc "$2" "$EMU_ISO" "$1"
    mkdir -p "$ISO_DIR" && cp "$EMU_ISO" "$ISO_DIR/.$T_NAME.iso.$$" &&
        mv -f "$ISO_DIR/.$T_NAME.iso.$$" "$ISO_DIR/$T_NAME.iso"
}

# bochs_run SERIAL_LOG EMU_LOG LIMIT SCRATCH_DIR: boot and wait. Sets
# EMU_STATUS, EMU_TIMED_OUT, EMU_NOTE and EMU_DIAG.
bochs_run()
{
    local log=$1 emulog=$2 limit=$3 dir=$4

    EMU_STATUS=0 EMU_TIMED_OUT=0 EMU_NOTE='' EMU_DIAG=''
    if ! bochs_prepare "$log" "$dir"; then
        EMU_STATUS=1
        EMU_NOTE="could not build the boot ISO"
        return
    fi
    bochs_start "$dir" "$limit"
    wait "$EMU_PID" 2>/dev/null
    EMU_STATUS=$?
    EMU_PID=
    bochs_collect "$emulog" "$dir"
}

# bochs_collect EMU_LOG SCRATCH_DIR: interpret the exit status and Bochs's log.
bochs_collect()
{
    local emulog=$1 dir=$2 panic

    EMU_TIMED_OUT=0 EMU_NOTE='' EMU_DIAG=''
    case $EMU_STATUS in
    137) EMU_TIMED_OUT=1 ;;
    139) EMU_NOTE="Bochs segfaulted" ;;
    esac
    cat "$dir/bochs.log" >"$emulog" 2>/dev/null
    panic=$(cat "$dir/bochs.log" "$dir/screen" 2>/dev/null | tr -d '\r' |
            grep -a -o '>>PANIC<<.*' | grep -v 'soft power off' | head -n 1 |
            sed 's/>>PANIC<< *//' | one_line 200)
    [[ -n $panic ]] && EMU_DIAG="Bochs: $panic"
}
