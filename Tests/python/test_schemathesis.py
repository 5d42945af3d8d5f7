"""schemathesis against the live server and the project's own openapi.yml, every check enabled."""
import os
import pathlib
import subprocess
import sys

from conftest import ACME_TEST_KEY, ROOT

SPEC = ROOT / "Sources" / "PaystackMock" / "openapi.yml"


def test_schemathesis_finds_no_failures(server, tmp_path):
    cli = pathlib.Path(sys.executable).parent / "schemathesis"
    examples = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "150")
    command = [
        str(cli), "run", str(SPEC), "--url", server.url,
        "-H", f"Authorization: Bearer {ACME_TEST_KEY}",
        "--checks", "all", "--max-examples", examples,
        "--seed", os.environ.get("SCHEMATHESIS_SEED", "20261129"),
        "--no-color",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    summary = result.stdout[-6000:]
    assert result.returncode == 0, f"schemathesis reported failures:\n{summary}\n{result.stderr[-2000:]}"
    assert "passed" in summary


def test_the_served_spec_is_the_projects_openapi_yml(server):
    import requests

    served = requests.get(server.url + "/openapi.yml", timeout=10)
    assert served.status_code == 200
    assert served.text == SPEC.read_text()
