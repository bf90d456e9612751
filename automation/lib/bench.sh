# automation/lib/bench.sh - what the benchmark scripts share: booting a
# BENCH-printing test on each platform and splicing a generated table
# into the marked part of a document. Sourced; defines functions only.

# bench_collect TEST ROWS PLATFORM... - run TEST on each platform through
# run-test.sh (BUILD=$build) and append its BENCH lines to ROWS, each
# prefixed with platform=P. Returns 1 if any run failed (its rows are
# then missing), 0 otherwise.
bench_collect()
{
    local test=$1 rows=$2 p status=0
    shift 2
    for p in "$@"; do
        if ! BUILD=$build "$here/run-test.sh" "$p" "$test" >&2; then
            echo "bench: $test on $p failed; see $build/logs/$p/$test.log" >&2
            status=1
            continue
        fi
        grep -h '^BENCH ' "$build/logs/$p/$test.log" | tr -d '\r' |
            sed "s/^BENCH /platform=$p /" >>"$rows"
    done
    return $status
}

# bench_splice FILE BEGIN END TABLE - replace the lines between the
# marker lines BEGIN and END of FILE by TABLE's; FILE without BEGIN is
# left alone.
bench_splice()
{
    local file=$1 begin=$2 end=$3 table=$4
    [[ -f $file ]] && grep -qF "$begin" "$file" || return 0
    awk -v table="$table" -v b="$begin" -v e="$end" '
        $0 == b { print; while ((getline l < table) > 0) print l; skip = 1; next }
        $0 == e { skip = 0 }
        !skip' "$file" >"$file.tmp" && mv "$file.tmp" "$file"
}
