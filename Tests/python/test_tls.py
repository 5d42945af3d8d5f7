"""HTTPS as a drop-in for api.paystack.co: SDKs whose base URL is https://api.paystack.co, unmodified,
reach the mock when the name resolves to it and its CA is trusted; verification stays on."""
import importlib
import os
import re
import socket
import subprocess
import sys
import urllib.request

import pytest

from conftest import ACME_TEST_KEY, ROOT, MockServer

HOST = "api.paystack.co"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    mock = MockServer("--tls-port", "0", "--tls-dir", str(tmp_path_factory.mktemp("tls")))
    ca = tmp_path_factory.mktemp("trust") / "ca.pem"
    ca.write_bytes(urllib.request.urlopen(mock.url + "/_sandbox/tls/ca.pem").read())
    mock.ca = str(ca)
    yield mock
    mock.stop()


@pytest.fixture
def resolve_to_mock(tls_server, monkeypatch):
    """api.paystack.co resolves to the mock's TLS port in this process (what a hosts line or a
    compose alias does for a whole machine); the URL, the SNI and the certificate check still say
    api.paystack.co."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if (host.decode() if isinstance(host, bytes) else host) == HOST:
            return real("127.0.0.1", tls_server.tls_port, socket.AF_INET, type, proto, flags)
        return real(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for variable in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(variable, raising=False)
    return tls_server


def test_pypaystack2_with_its_base_url_untouched(resolve_to_mock, monkeypatch):
    from pypaystack2 import PaystackClient

    assert PaystackClient._BASE_URL == "https://api.paystack.co"
    client = PaystackClient(secret_key=ACME_TEST_KEY)
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        client.customers.get_customers()  # verification is on: the mock's CA is not trusted yet
    monkeypatch.setenv("SSL_CERT_FILE", resolve_to_mock.ca)  # httpx reads it for each client
    client = PaystackClient(secret_key=ACME_TEST_KEY)
    created = client.customers.create(email="tls-pypaystack2@example.com", first_name="Tee")
    assert created.status and created.data.email == "tls-pypaystack2@example.com"
    fetched = client.customers.get_customer(created.data.customer_code)
    assert fetched.status and fetched.data.customer_code == created.data.customer_code
    listed = client.customers.get_customers(pagination=5)
    assert listed.status and len(listed.data) == 5


def test_paystackapi_with_its_base_url_untouched(resolve_to_mock, monkeypatch):
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", ACME_TEST_KEY)  # paystackapi reads it when imported
    for name in [module for module in sys.modules if module.startswith("paystackapi")]:
        monkeypatch.delitem(sys.modules, name)
    paystackapi = importlib.import_module("paystackapi")
    from paystackapi.customer import Customer

    assert paystackapi.API_URL == "https://api.paystack.co/"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", resolve_to_mock.ca)
    created = Customer.create(email="tls-paystackapi@example.com", first_name="Pee")
    assert created["status"] is True and created["data"]["email"] == "tls-paystackapi@example.com"
    fetched = Customer.get(created["data"]["customer_code"])
    assert fetched["data"]["email"] == "tls-paystackapi@example.com"
    listed = Customer.list(perPage=3)
    assert listed["status"] is True and len(listed["data"]) == 3


def test_curl_with_the_ca_and_resolve(tls_server):
    result = subprocess.run(
        ["curl", "-sS", "--fail-with-body", "--cacert", tls_server.ca,
         "--resolve", f"{HOST}:{tls_server.tls_port}:127.0.0.1",
         f"https://{HOST}:{tls_server.tls_port}/customer?perPage=1", "-H", f"Authorization: Bearer {ACME_TEST_KEY}"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert '"message":"Customers retrieved"' in result.stdout
    untrusted = subprocess.run(
        ["curl", "-sS", "--resolve", f"{HOST}:{tls_server.tls_port}:127.0.0.1", f"https://{HOST}:{tls_server.tls_port}/customer"],
        capture_output=True, text=True, timeout=30)
    assert untrusted.returncode == 60, "without the CA, curl refuses the certificate"


def readme_drop_in_commands():
    """The README's drop-in example: the block between its drop-in markers."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- drop-in example -->", 2)[1]
    return re.search(r"```sh\n(.*?)```", block, re.S).group(1)


def test_the_readme_drop_in_example_as_written(tmp_path):
    """The commands of the README's drop-in section, run as they are written: the first starts
    the server (run here with the same flags on the README's ports), the others run in a shell."""
    commands = readme_drop_in_commands()
    first, rest = commands.split("\n", 1)
    flags = re.search(r'ARGS="([^"]*)"', first).group(1).split()
    mock = MockServer(*flags, "--tls-dir", str(tmp_path / "tls"), port="8787")
    try:
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", rest], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        assert '"message":"Customers retrieved"' in result.stdout
    finally:
        mock.stop()
