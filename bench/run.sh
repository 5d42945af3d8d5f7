#!/usr/bin/env bash
# Benchmarks paystack-mock against a minimal C evhttp server with wrk, in one run.
# Usage: bench/run.sh [--quick] [--no-scale] [--single] [--max-steal P] [--workers N]
#        (make bench [BENCH_ARGS=...] runs it after installing wrk and gcc)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh bench
make --no-print-directory release >/dev/null
mkdir -p bench/out
gcc -O2 -o bench/evhttp-baseline bench/evhttp_baseline.c $(pkg-config --cflags --libs libevent libevent_pthreads)
exec python3 bench/bench.py "$@"
