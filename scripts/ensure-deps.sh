#!/usr/bin/env bash
# Installs what the build and the tests need and a fresh Debian lacks. Idempotent; quiet when all is there.
# Usage: scripts/ensure-deps.sh [build|test|bench]
set -euo pipefail
stage="${1:-build}"
need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists libevent libevent_pthreads 2>/dev/null || need+=(libevent-dev)
pkg-config --exists jemalloc 2>/dev/null || need+=(libjemalloc-dev)
pkg-config --exists openssl libevent_openssl 2>/dev/null || need+=(libssl-dev)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ "$stage" = test ] || [ "$stage" = bench ]; then
    command -v python3 >/dev/null 2>&1 || need+=(python3)
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
    # The dashboard's browser tests, and the HTTPS drop-in's curl test.
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
    command -v curl >/dev/null 2>&1 || need+=(curl)
fi
if [ "$stage" = bench ]; then
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    command -v gcc >/dev/null 2>&1 || need+=(gcc)
    command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
fi
if [ "${#need[@]}" -gt 0 ]; then
    echo "installing: ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
