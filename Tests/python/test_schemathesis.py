"""schemathesis against the live server and the project's own openapi.yml: every phase (examples,
coverage, fuzzing, stateful through the document's OpenAPI links), every check.

Settings are in schemathesis.toml next to this file: case counts that bound the run, the warnings
that fail it ("Missing test data", "Authentication failed", "Schema validation mismatch") and the
few per-operation check settings, each with its reason. The seed is fixed (SCHEMATHESIS_SEED
overrides it), so a run is reproducible.

Each group runs on a server of its own, because some operations reset, replace or re-time the store.
"""
import os
import pathlib
import re
import subprocess
import sys

import pytest

from conftest import ACME_TEST_KEY, ROOT, MockServer

SPEC = ROOT / "Sources" / "PaystackMock" / "openapi.yml"
CONFIG = pathlib.Path(__file__).resolve().parent / "schemathesis.toml"
PHASES = ("Examples", "Coverage", "Fuzzing", "Stateful")

# Operations in the document that no run can test meaningfully:
NOT_TESTED = [
    # An event stream does not end by itself: every case would wait out the request timeout (or
    # read a fixed number of events), and a text/event-stream schema says nothing of the events.
    "sandbox_events",
    # Static files and the redirect to them: no parameters and one fixed answer each, nothing to
    # generate.
    "dashboard_redirect", "dashboard_page", "dashboard_script", "dashboard_stylesheet",
    # Its 303 needs `Accept: text/html`, which OpenAPI 3.0 cannot declare (a header parameter named
    # Accept is ignored), so every request schemathesis could make would get the 404.
    "root_redirect",
]

# The saved-card routes are admin routes, but they are what gives the deactivate routes a card
# (the links create a customer, add a card, then deactivate it): they run with the Customer routes.
SAVED_CARDS = ["sandbox_customer_authorization_add", "sandbox_customer_authorizations_remove"]
# Replacing the whole store mid-run would pull every other operation's data away: its own server.
STATE = ["sandbox_state_export", "sandbox_state_import"]


def selection(include=(), exclude=(), tags=()):
    arguments = []
    for tag in tags:
        arguments += ["--include-tag", tag]
    for operation in include:
        arguments += ["--include-operation-id", operation]
    for operation in exclude:
        arguments += ["--exclude-operation-id", operation]
    return arguments


def run_schemathesis(url, tmp_path, *selected):
    cli = pathlib.Path(sys.executable).parent / "schemathesis"
    command = [
        str(cli), "--config-file", str(CONFIG), "run", str(SPEC), "--url", url,
        "-H", f"Authorization: Bearer {ACME_TEST_KEY}",
        "--seed", os.environ.get("SCHEMATHESIS_SEED", "20261129"),
        "--no-color", *selected,
    ]
    if "SCHEMATHESIS_MAX_EXAMPLES" in os.environ:
        command += ["--max-examples", os.environ["SCHEMATHESIS_MAX_EXAMPLES"]]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    output = result.stdout
    (tmp_path / "schemathesis.out").write_text(output + result.stderr)
    summary = output[-6000:]
    assert result.returncode == 0, f"schemathesis reported failures or warnings:\n{summary}\n{result.stderr[-2000:]}"
    assert "No issues found" in summary, summary
    # Every phase ran (none skipped or not applicable) ...
    phases = output[output.rindex("Test Phases:"):]
    for phase in PHASES:
        assert re.search(rf"✅ {phase}\b", phases), f"{phase} did not run:\n{summary}"
    # ... and the stateful phase followed every link it was given.
    links = re.search(r"API Links:\s+(\d+) covered / (\d+) selected", output)
    assert links and links.group(1) == links.group(2), f"links not followed:\n{summary}"


@pytest.fixture
def customer_server():
    mock = MockServer()
    yield mock
    mock.stop()


def test_schemathesis_finds_no_failures_on_the_customer_routes(customer_server, tmp_path):
    run_schemathesis(customer_server.url, tmp_path, *selection(tags=["Customer"], include=SAVED_CARDS))


@pytest.fixture
def sandbox_server(tmp_path):
    # Webhook sends need a target; port 9 (discard) refuses, and the attempt is only logged.
    # HTTPS on, so that the CA route has a CA to give (kept in this test's own folder).
    mock = MockServer("--webhook-url", "http://127.0.0.1:9/hook", "--kyc-delay", "0",
                      "--tls-port", "0", "--tls-dir", str(tmp_path / "tls"))
    yield mock
    mock.stop()


def test_schemathesis_finds_no_failures_on_the_sandbox_and_mcp_routes(sandbox_server, tmp_path):
    run_schemathesis(sandbox_server.url, tmp_path, *selection(
        tags=["Sandbox", "MCP", "Meta"], exclude=SAVED_CARDS + STATE + NOT_TESTED))


@pytest.fixture
def state_server():
    mock = MockServer()
    yield mock
    mock.stop()


def test_schemathesis_finds_no_failures_on_the_state_routes(state_server, tmp_path):
    # The stateful phase imports what the export gave (a link), and documents generated from the
    # schema: see schemathesis.toml for the one check that does not apply to them.
    run_schemathesis(state_server.url, tmp_path, *selection(include=STATE))


def test_the_served_spec_is_the_projects_openapi_yml(customer_server):
    import requests

    served = requests.get(customer_server.url + "/openapi.yml", timeout=10)
    assert served.status_code == 200
    assert served.text == SPEC.read_text()
