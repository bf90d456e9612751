# automation/lib/judge.sh - the verdict of one run, from its serial log.
#
# Sourced. The log is the only evidence: exit statuses differ between
# emulators (Bochs's means nothing), so they only add detail to a reason.
#
# Log conventions: hypervisor lines start "(XEN) ", domain N's lines start
# "(dN) ", dom0's output is raw. The domain named by RESULT_FROM must print
# exactly one "Test result: SUCCESS|SKIP|ERROR|FAILURE" line; a line
# containing "PANIC" after "(XEN) " is a hypervisor panic. RESULT_FROM=xen
# (the arm64 boot tests) reads the result from the "(XEN) " lines.
#
# A test with EXPECT_PANIC=yes passes only by panicking: no result line,
# a PANIC line, and if the hypervisor printed "expect-panic: TEXT" before,
# TEXT within the PANIC line (so the panic is the one the test caused).

# judge_scan LOG FROM: print eight lines: result-line count, result word,
# panic text, skip messages, last failure/error message, last message of
# the domain before its result, last line of the log, and the text of the
# hypervisor's "expect-panic:" line.
judge_scan()
{
    tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][A-Za-z0-9]//g' |
    awk -v from="$2" '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    {
        line = $0
        if (trim(line) == "")
            next
        if (line ~ /^\(runner\) /)   # notes of the runner (qemu.sh), not of the machine
            next
        last = line
        if (line ~ /^\(XEN\) /) {
            msg = substr(line, 7)
            if (want_next) {
                if (msg !~ /^\*+$/)
                    panic = panic " / " trim(msg)
                want_next = 0
            }
            if (panic == "" && msg ~ /PANIC/) {
                panic = trim(msg)
                want_next = (msg ~ /:[ \t]*$/ || msg ~ /^\*+$/)
            }
            if (expect == "" && msg ~ /^expect-panic: /)
                expect = trim(substr(msg, 15))
            if (from != "xen")
                next
            dom = "xen"
        } else if (match(line, /^\(d[0-9]+\) /)) {
            dom = substr(line, 2, RLENGTH - 3)
            msg = substr(line, RLENGTH + 1)
            if (dom == "d0")
                dom = "dom0"
        } else {
            dom = "dom0"
            msg = line
        }
        if (dom != from)
            next
        if (msg ~ /^Test result:/) {
            count++
            if (count == 1) {
                value = trim(substr(msg, 13))
                sub(/[ \t].*/, "", value)
            }
            next
        }
        if (count)
            next
        if (tolower(msg) ~ /skip/)
            skip = skip (skip == "" ? "" : "; ") trim(msg)
        if (tolower(msg) ~ /fail|error/)
            failmsg = trim(msg)
        lastmsg = trim(msg)
    }
    END {
        print count + 0; print value; print panic; print skip
        print failmsg; print lastmsg; print last; print expect
    }'
}

# judge LOG FROM TIMEOUT_SECONDS: set VERDICT (PASS/SKIP/FAIL) and REASON.
# Reads EMU_TIMED_OUT (1 if the emulator was killed at the time limit),
# EMU_NOTE (what the exit status says) and EMU_DIAG (what the emulator's own
# log says went wrong), both possibly empty.
judge()
{
    local log=$1 from=$2 limit=$3 scan count value panic skip failmsg lastmsg last expect extra=

    mapfile -t scan < <(judge_scan "$log" "$from")
    count=${scan[0]:-0} value=${scan[1]:-} panic=${scan[2]:-} skip=${scan[3]:-}
    failmsg=${scan[4]:-} lastmsg=${scan[5]:-} last=${scan[6]:-} expect=${scan[7]:-}
    [[ -n ${EMU_NOTE:-} ]] && extra+="; ${EMU_NOTE}"
    [[ -n ${EMU_DIAG:-} ]] && extra+="; ${EMU_DIAG}"

    VERDICT=FAIL
    if [[ ${T_EXPECT_PANIC:-} == yes ]]; then
        judge_expected_panic
    elif [[ -n $panic ]]; then
        REASON="hypervisor panic: $panic"
    elif (( count == 0 )); then
        if [[ ${EMU_TIMED_OUT:-0} == 1 ]]; then
            REASON="timeout after ${limit}s, no result line from $from"
        else
            REASON="no result line from $from"
        fi
        REASON+="$extra; last output: ${last:-<none>}"
    elif (( count > 1 )); then
        REASON="$count result lines from $from (exactly one expected)"
    else
        case $value in
        SUCCESS)
            VERDICT=PASS
            REASON=
            [[ ${EMU_TIMED_OUT:-0} == 1 ]] && REASON="did not power off: killed after ${limit}s"
            ;;
        SKIP)
            VERDICT=SKIP
            REASON=${skip:-${lastmsg:-no reason given}}
            ;;
        FAILURE|ERROR)
            REASON="$value: ${failmsg:-${lastmsg:-no message}}"
            ;;
        *)
            REASON="unrecognised result '$value' from $from"
            ;;
        esac
    fi
    REASON=$(printf '%s' "$REASON" | one_line 300)
}

# judge_expected_panic: judge's verdict for EXPECT_PANIC=yes, from its
# locals (count, value, panic, expect, last, extra).
judge_expected_panic()
{
    if (( count )); then
        REASON="expected a panic, got a result line: $value${failmsg:+: $failmsg}"
    elif [[ -z $panic ]]; then
        REASON="expected a panic, none came${extra}; last output: ${last:-<none>}"
    elif [[ -n $expect && $panic != *"$expect"* ]]; then
        REASON="the panic is not the expected one ($expect): $panic"
    else
        VERDICT=PASS
        REASON=
    fi
}

# judge_peer LOG TIMEOUT_SECONDS: machine B of a two-machine test. Its dom0
# says "Peer result: ..." (never "Test result:": exactly one of those is
# allowed across both machines); a panic, a missing or failed peer result,
# or a time-out (its own, or PEER_GRACE s after A ended) fails the run.
# Reads PEER_TIMED_OUT, PEER_NOTE, PEER_DIAG; changes VERDICT and REASON
# only if B failed.
judge_peer()
{
    local log=$1 limit=$2 scan why= peer
    mapfile -t scan < <(judge_scan "$log" dom0)
    peer=$(tr -d '\r' <"$log" | grep -a -m1 '^Peer result:' | one_line 200)
    if [[ -n ${scan[2]:-} ]]; then
        why="hypervisor panic: ${scan[2]}"
    elif (( ${scan[0]:-0} )); then
        why="printed a Test result line (only machine A may)"
    elif [[ -z $peer ]]; then
        why="no Peer result line"
        if [[ ${PEER_TIMED_OUT:-0} == 1 && ${EMU_TIMED_OUT:-0} == 1 ]]; then
            why="timeout after ${limit}s, no Peer result line"
        elif [[ ${PEER_TIMED_OUT:-0} == 1 ]]; then
            why="ended ${PEER_GRACE:-15}s after machine A, no Peer result line"
        fi
        why+="${PEER_NOTE:+; $PEER_NOTE}${PEER_DIAG:+; $PEER_DIAG}; last output: ${scan[6]:-<none>}"
    elif [[ $peer != "Peer result: SUCCESS" ]]; then
        why=$peer
    fi
    [[ -z $why ]] && return 0
    if [[ $VERDICT == FAIL ]]; then
        REASON+="; machine B: $why"
    else
        VERDICT=FAIL
        REASON="machine B: $why"
    fi
    REASON=$(printf '%s' "$REASON" | one_line 300)
}

# print_result VERDICT PLATFORM TEST SECONDS [REASON]: the one line a run
# prints, e.g. "PASS  qemu-svm   example  (0.4s)". WREN_NAME_WIDTH pads the
# test name so that a whole table lines up.
print_result()
{
    local width=${WREN_NAME_WIDTH:-0}
    printf '%-6s%-11s%-*s  (%ss)%s\n' "$1" "$2" "$width" "$3" "$4" "${5:+  $5}"
}
