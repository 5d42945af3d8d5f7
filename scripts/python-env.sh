#!/usr/bin/env bash
# Makes .venv with the Python tools of the test suite (schemathesis, pypaystack2, pytest), once.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=Tests/python/requirements.txt
stamp=.venv/.installed
if [ ! -x .venv/bin/python ] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
