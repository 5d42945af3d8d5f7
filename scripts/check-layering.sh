#!/usr/bin/env bash
# Fails when a module under Sources/ imports a module at its own level or above (see Package.swift):
# the folder list is the architecture, and imports run one way.
set -euo pipefail
cd "$(dirname "$0")/.."
# Level of each module of the project; a module may import only modules of a lower level.
declare -A level=(
    [CLibevent]=0 [CEventShims]=0 [CJemalloc]=0 [CTLS]=0
    [Platform]=1
    [JSON]=2
    [EventHTTP]=3 [PaystackCore]=3
    [PaystackAPI]=4 [Webhooks]=4
    [Sandbox]=5
    [MCP]=6 [Dashboard]=6
    [PaystackMock]=7
    [paystack-mock]=8
)
# C modules only their one user may import: no layer above EventHTTP sees a libevent pointer.
declare -A only=([CLibevent]=EventHTTP [CEventShims]=EventHTTP [CTLS]="EventHTTP Webhooks" [CJemalloc]=paystack-mock)
status=0
for dir in Sources/*/; do
    module=$(basename "$dir")
    if [[ -z "${level[$module]+set}" ]]; then
        echo "layering: Sources/$module has no level in scripts/check-layering.sh" >&2
        status=1
        continue
    fi
    while IFS=: read -r file line text; do
        imported=$(sed -E 's/^[[:space:]]*(@testable[[:space:]]+)?import[[:space:]]+(struct |class |enum |func )?([A-Za-z_][A-Za-z0-9_-]*).*/\3/' <<<"$text")
        [[ -n "${level[$imported]+set}" ]] || continue   # the system's and packages' modules
        if [[ -n "${only[$imported]+set}" && " ${only[$imported]} " != *" $module "* ]]; then
            echo "layering: $file:$line: only ${only[$imported]} may import $imported" >&2
            status=1
        elif ((level[$imported] >= level[$module])); then
            echo "layering: $file:$line: $module (level ${level[$module]}) imports $imported (level ${level[$imported]})" >&2
            status=1
        fi
    done < <(grep -rnE '^[[:space:]]*(@testable[[:space:]]+)?import[[:space:]]' "$dir" --include='*.swift' || true)
done
((status == 0)) && echo "layering: every import runs one way"
exit $status
