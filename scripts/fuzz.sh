#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/) with -sanitize=fuzzer,address and runs each for SECONDS
# (default 30), starting from the committed corpus in Fuzz/corpus/<target>/. A crash, a leak or an
# invariant a target checks stops the run: the input is saved in .build-fuzz/findings/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET ...]   (targets: json form router seed)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(json form router seed)
flags=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld)
export PAYSTACK_MOCK_SANITIZE=1
for target in "${targets[@]}"; do
    swift build --product "$target-fuzzer" "${flags[@]}" --scratch-path .build-fuzz >/dev/null
done
mkdir -p .build-fuzz/findings
status=0
for target in "${targets[@]}"; do
    work=".build-fuzz/corpus/$target"
    mkdir -p "$work"
    log=".build-fuzz/$target.log"
    # The router target drives one long-lived application, which keeps what inputs leave behind
    # (customers, the journal's last 20 requests, rendered answers): an input that allocates more
    # than it frees is the usual case there, not a leak, and libFuzzer answered each with a scan of
    # the whole heap (4x fewer inputs in 30 s). Its leaks are checked once, by LeakSanitizer at exit;
    # the stateless targets keep libFuzzer's check after every input.
    extra=()
    [ "$target" = router ] && extra=(-detect_leaks=0)
    if ! ".build-fuzz/debug/$target-fuzzer" "$work" "Fuzz/corpus/$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=4096 -artifact_prefix=".build-fuzz/findings/$target-" -print_final_stats=1 "${extra[@]}" >"$log" 2>&1; then
        echo "fuzz $target: FAILED (see $log and .build-fuzz/findings/)" >&2
        tail -40 "$log" >&2
        status=1
        continue
    fi
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    echo "fuzz $target: ${seconds}s, $runs inputs, coverage $coverage edges, no crash"
done
exit $status
