#!/usr/bin/env bash
# Starts paystack-mock on a free port in the background and prints its base URL.
# Usage: start.sh [flags for paystack-mock]    (PAYSTACK_MOCK=/path/to/paystack-mock to choose the binary)
set -euo pipefail
binary="${PAYSTACK_MOCK:-$(command -v paystack-mock || echo ./.build/release/paystack-mock)}"
log=$(mktemp)
"$binary" --port 0 --log-level warning "$@" >"$log" 2>&1 &
for _ in $(seq 100); do
    if line=$(grep -m1 "listening on" "$log"); then
        echo "${line#paystack-mock listening on }" | cut -d' ' -f1
        exit 0
    fi
    sleep 0.05
done
echo "paystack-mock did not start: $(cat "$log")" >&2
exit 1
