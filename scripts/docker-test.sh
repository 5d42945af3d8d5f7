#!/usr/bin/env bash
# `make docker-test`: builds docker/Dockerfile with docker (when an engine answers) or podman, runs
# the image as the README says, checks it over HTTP, then runs the compose stacks. One line per
# check; exits 1 if any fails. Needs the base images (debian:bookworm-slim, swift:6.3-bookworm):
# pulled from a registry, or made locally (see the README's Docker section).
set -uo pipefail
cd "$(dirname "$0")/.."
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    engine=docker; build_flags=(); compose=(docker compose)
else
    engine=podman; build_flags=(--format docker)   # podman's default OCI format drops HEALTHCHECK
    compose=(podman-compose)
    # Debian 12's podman-compose (1.0.3) knows neither profiles nor network aliases, which the
    # drop-in stack needs: use a current one from PyPI, kept under .build.
    if ! podman-compose --help 2>/dev/null | grep -q -- --profile; then
        if [ ! -x .build/compose-venv/bin/podman-compose ]; then
            python3 -m venv .build/compose-venv \
                && .build/compose-venv/bin/pip install -q --disable-pip-version-check 'podman-compose>=1.1' >/dev/null
        fi
        compose=(.build/compose-venv/bin/podman-compose)
    fi
fi
image=paystack-mock:docker-test
name=paystack-mock-docker-test
failures=0
check() {  # check "what" command...; the command's output is shown when it fails
    local what=$1; shift
    if "$@" >/tmp/paystack-mock-docker-check.log 2>&1; then echo "ok    $what"
    else echo "FAIL  $what"; tail -15 /tmp/paystack-mock-docker-check.log | sed 's/^/      /'; failures=$((failures + 1)); fi
}
note() { echo "info  $*"; }
cleanup() {
    # One at a time: podman 4.3 removes none of the names when one does not exist.
    $engine rm -f "$name" >/dev/null 2>&1
    $engine rm -f "$name-state" >/dev/null 2>&1
    $engine volume rm -f "$name-volume" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
key=sk_test_a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1

started=$(date +%s)
if ! $engine build "${build_flags[@]}" -f docker/Dockerfile -t "$image" . >/tmp/paystack-mock-docker-build.log 2>&1; then
    tail -30 /tmp/paystack-mock-docker-build.log
    echo "FAIL  docker/Dockerfile builds with $engine"; exit 1
fi
echo "ok    docker/Dockerfile builds with $engine ($(( $(date +%s) - started )) s)"
size=$($engine image inspect --format '{{.Size}}' "$image")
base=$($engine image inspect --format '{{.Size}}' debian:bookworm-slim 2>/dev/null || echo 0)
note "image size: $(awk -v s="$size" -v b="$base" 'BEGIN { printf "%.1f MB, %.1f MB over its base debian:bookworm-slim", s / 1e6, (s - b) / 1e6 }')"

# As the README runs it: docker run --rm -p 8787:8787 paystack-mock
port=$(free_port)
if ! $engine run -d --name "$name" -p "127.0.0.1:$port:8787" "$image" >/dev/null; then
    echo "FAIL  $engine run starts the image"; exit 1
fi
ready() { $engine logs "$name" 2>&1 | grep -q "paystack-mock listening on http://0.0.0.0:8787"; }
for _ in $(seq 100); do ready && break; sleep 0.1; done
check "the ready line is in the logs" ready
check "the README's demo key answers" curl -sf "http://127.0.0.1:$port/customer?perPage=1" -H "Authorization: Bearer $key"
healthy() {
    if [ "$engine" = docker ]; then [ "$(docker inspect --format '{{.State.Health.Status}}' "$name")" = healthy ]
    else podman healthcheck run "$name"; fi
}
for _ in $(seq 40); do healthy >/dev/null 2>&1 && break; sleep 0.5; done
check "the health check passes" healthy
check "the process is not root (uid 10001)" bash -c "[ \"\$($engine exec $name id -u)\" = 10001 ]"
stopping=$(date +%s%N)
$engine stop -t 10 "$name" >/dev/null
took=$(( ($(date +%s%N) - stopping) / 1000000 ))
code=$($engine inspect --format '{{.State.ExitCode}}' "$name")
check "SIGTERM stops it with exit 0 within 5 s (exit $code after $took ms)" bash -c "[ $code = 0 ] && [ $took -lt 5000 ]"

# A state file on a mounted volume survives a restart of the container.
port=$(free_port)
$engine volume create "$name-volume" >/dev/null
$engine run -d --name "$name-state" -p "127.0.0.1:$port:8787" -v "$name-volume:/var/lib/paystack-mock" "$image" \
    --state-file /var/lib/paystack-mock/state.json >/dev/null
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/openapi.yml" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/customer" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"email":"volume@example.com"}' >/dev/null
$engine restart -t 10 "$name-state" >/dev/null
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/openapi.yml" >/dev/null && break; sleep 0.1; done
check "a --state-file on a mounted volume survives a container restart" \
    curl -sf "http://127.0.0.1:$port/customer/volume@example.com" -H "Authorization: Bearer $key"
$engine rm -f "$name-state" >/dev/null

# The compose stacks: the test runner, then the HTTPS drop-in.
if command -v "${compose[0]}" >/dev/null 2>&1; then
    check "compose: the stack's own check passes (${compose[*]})" \
        "${compose[@]}" -f docker/compose.yml up --build --abort-on-container-exit --exit-code-from tests paystack-mock tests
    "${compose[@]}" -f docker/compose.yml down -v >/dev/null 2>&1
    check "compose: the drop-in app talks to https://api.paystack.co with verification on" \
        "${compose[@]}" -f docker/compose.yml --profile drop-in up --build --abort-on-container-exit --exit-code-from app paystack-mock-tls app
    "${compose[@]}" -f docker/compose.yml --profile drop-in down -v >/dev/null 2>&1
else
    echo "FAIL  compose: neither docker compose nor podman-compose is installed"; failures=$((failures + 1))
fi

echo "$failures failed"
exit $((failures > 0))
