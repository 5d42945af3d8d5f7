"""What docker/compose.yml configures (no engine runs in `make test`; `make docker-test` runs it for
real), and its client scripts run here against a local mock as they run in the stack."""
import os
import socket
import subprocess
import sys
import urllib.request

import pytest
import yaml

from conftest import ROOT, MockServer

COMPOSE = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_the_drop_in_profile_makes_the_mock_answer_as_api_paystack_co_on_443():
    mock = SERVICES["paystack-mock-tls"]
    assert mock["profiles"] == ["drop-in"]
    assert "api.paystack.co" in mock["networks"]["default"]["aliases"]
    assert mock["command"][mock["command"].index("--tls-port") + 1] == "443"
    assert mock["sysctls"]["net.ipv4.ip_unprivileged_port_start"] == "0", "443 for the image's unprivileged user"
    tls_dir = mock["environment"]["PAYSTACK_MOCK_TLS_DIR"]
    volume, mount = mock["volumes"][0].split(":")[:2]
    assert tls_dir.startswith(mount + "/") and volume in COMPOSE["volumes"]


def test_the_drop_in_app_trusts_the_ca_from_the_shared_volume():
    mock, app = SERVICES["paystack-mock-tls"], SERVICES["app"]
    assert app["profiles"] == ["drop-in"]
    assert app["depends_on"]["paystack-mock-tls"]["condition"] == "service_healthy"
    volume, mount = app["volumes"][0].split(":")[:2]
    assert volume == mock["volumes"][0].split(":")[0], "the same volume"
    ca = mock["environment"]["PAYSTACK_MOCK_TLS_DIR"].replace(mock["volumes"][0].split(":")[1], mount) + "/ca.pem"
    assert app["environment"]["SSL_CERT_FILE"] == ca
    assert app["environment"]["PAYSTACK_SECRET_KEY"] == mock["environment"]["PAYSTACK_MOCK_SECRET_KEY"]


def test_the_test_runner_is_built_from_the_debian_base_not_pulled():
    for name in ("tests", "app"):
        assert SERVICES[name]["build"]["dockerfile"] == "docker/client.Dockerfile"
    client = (ROOT / "docker" / "client.Dockerfile").read_text()
    assert "FROM debian:bookworm-slim" in client
    runtime = (ROOT / "docker" / "Dockerfile").read_text().split("\nFROM ")[-1]
    assert runtime.startswith("debian:bookworm-slim"), "the same base as the mock's image"


def run_client(script, environment, resolve_port=None):
    """Runs a client script as the stack runs it; with `resolve_port`, api.paystack.co resolves to
    the mock's HTTPS port (the compose alias's work)."""
    prelude = ""
    if resolve_port:
        prelude = (
            "import socket; real = socket.getaddrinfo\n"
            "socket.getaddrinfo = lambda host, port, *rest: real('127.0.0.1', "
            f"{resolve_port}, *rest) if host == 'api.paystack.co' else real(host, port, *rest)\n")
    code = prelude + f"import runpy; runpy.run_path({str(ROOT / 'docker' / 'client' / script)!r}, run_name='__main__')"
    return subprocess.run([sys.executable, "-c", code], env={**os.environ, **environment}, capture_output=True, text=True, timeout=60)


def test_the_stack_check_passes_against_the_mock():
    mock = MockServer("--secret-key", "sk_test_compose_stack_key")
    try:
        result = run_client("stack_check.py", {"PAYSTACK_BASE_URL": mock.url, "PAYSTACK_SECRET_KEY": "sk_test_compose_stack_key"})
        assert result.returncode == 0, result.stderr
        assert "stack check passed" in result.stdout
    finally:
        mock.stop()


def test_the_drop_in_app_passes_with_verification_on(tmp_path):
    mock = MockServer("--secret-key", "sk_test_compose_stack_key", "--tls-port", "0", "--tls-dir", str(tmp_path / "tls"))
    try:
        environment = {"SSL_CERT_FILE": str(tmp_path / "tls" / "ca.pem"), "PAYSTACK_SECRET_KEY": "sk_test_compose_stack_key"}
        result = run_client("drop_in.py", environment, resolve_port=mock.tls_port)
        assert result.returncode == 0, result.stderr
        assert "over https://api.paystack.co" in result.stdout
        untrusted = run_client("drop_in.py", {**environment, "SSL_CERT_FILE": "/nonexistent.pem"}, resolve_port=mock.tls_port)
        assert untrusted.returncode != 0 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    finally:
        mock.stop()
