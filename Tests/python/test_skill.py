"""The Agent Skill: valid by the reference validator, and its scripts work against the real binary."""
import hashlib
import hmac
import json
import os
import pathlib
import signal
import subprocess
import sys
import urllib.request

from conftest import ACME_TEST_KEY, BINARY, ROOT

SKILL = ROOT / "docs" / "agent-skill" / "paystack-mock"


def test_the_reference_validator_accepts_the_skill():
    validator = pathlib.Path(sys.executable).parent / "agentskills"
    result = subprocess.run([str(validator), "validate", str(SKILL)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    text = (SKILL / "SKILL.md").read_text()
    assert text.split("\n")[1] == "name: paystack-mock" and SKILL.name == "paystack-mock"
    assert len(text.splitlines()) < 500


def test_start_script_prints_a_base_url_that_answers_and_the_signature_script_checks(tmp_path):
    result = subprocess.run([str(SKILL / "scripts" / "start.sh"), "--kyc-delay", "0"], capture_output=True, text=True,
                            timeout=30, env={**os.environ, "PAYSTACK_MOCK": BINARY})
    assert result.returncode == 0, result.stderr
    base = result.stdout.strip()
    try:
        health = json.load(urllib.request.urlopen(base + "/_sandbox/health"))
        assert health["message"] == "Sandbox is healthy"
        sent = json.load(urllib.request.urlopen(urllib.request.Request(base + "/_sandbox/webhooks/test", data=b'{"url":"http://127.0.0.1:9/hook"}',
                                                                         headers={"Content-Type": "application/json"})))
        body = tmp_path / "body.json"
        body.write_text(sent["data"]["body"])
        check = [sys.executable, str(SKILL / "scripts" / "verify_signature.py"), str(body), sent["data"]["signature"], ACME_TEST_KEY]
        assert subprocess.run(check, capture_output=True, text=True).stdout.strip() == "valid"
        check[3] = "sk_test_wrong"
        assert subprocess.run(check, capture_output=True).returncode == 1
    finally:
        subprocess.run(["pkill", "-f", f"paystack-mock --port 0 --log-level warning --kyc-delay 0"], check=False)
