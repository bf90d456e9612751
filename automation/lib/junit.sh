#!/bin/bash
# automation/lib/junit.sh OUT SECONDS RECORD... - write JUnit XML for CI.
#
# Each RECORD is one tab-separated line from run-test.sh: verdict, platform,
# test, seconds, reason, serial log path. One <testsuite> per platform,
# classname "xtf.<platform>"; a failure carries the end of the serial log.

set -uo pipefail

xml_escape()
{
    tr -d '\000-\010\013\014\016-\037' |
        sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'
}

out=$1 total=$2
shift 2
records=("$@")

suite()
{
    local platform=$1 r verdict p t secs reason log n=0 f=0 s=0 time=0 cases=

    for r in "${records[@]}"; do
        IFS=$'\t' read -r verdict p t secs reason log <<<"$r"
        [[ $p == "$platform" ]] || continue
        n=$((n + 1))
        time=$(awk -v a="$time" -v b="$secs" 'BEGIN { print a + b }')
        cases+="    <testcase classname=\"xtf.$p\" name=\"$(xml_escape <<<"$t")\" time=\"$secs\">"$'\n'
        case $verdict in
        PASS) ;;
        SKIP)
            s=$((s + 1))
            cases+="      <skipped message=\"$(xml_escape <<<"$reason")\"/>"$'\n'
            ;;
        *)
            f=$((f + 1))
            cases+="      <failure type=\"FAIL\" message=\"$(xml_escape <<<"$reason")\">"
            cases+="$(tail -n 40 "$log" 2>/dev/null | tr -d '\r' | xml_escape)</failure>"$'\n'
            ;;
        esac
        cases+="      <system-out>serial log: $(xml_escape <<<"$log")</system-out>"$'\n'
        cases+="    </testcase>"$'\n'
    done
    (( n )) || return 0
    echo "  <testsuite name=\"xtf.$platform\" tests=\"$n\" failures=\"$f\" errors=\"0\" skipped=\"$s\" time=\"$time\">"
    printf '%s' "$cases"
    echo "  </testsuite>"
}

platforms=$(for r in "${records[@]}"; do cut -f2 <<<"$r"; done | awk '!seen[$0]++')
tmp=$out.tmp.$$
{
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuites name=\"wren\" time=\"$total\">"
    for p in $platforms; do
        suite "$p"
    done
    echo "</testsuites>"
} >"$tmp" && mv -f "$tmp" "$out"
