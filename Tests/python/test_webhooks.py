"""The KYC flow end to end with pypaystack2: validate a customer, receive the signed
customeridentification webhook on a loopback receiver, verify it with the SDK's own check."""
import http.server
import json
import queue
import threading
import time
import uuid

import pytest
from pypaystack2.enums import Country, Identification
from pypaystack2.sub_clients import CustomerClient

from conftest import ACME_LIVE_KEY, ACME_TEST_KEY, MockServer


class Receiver:
    def __init__(self):
        self.deliveries = queue.Queue()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.deliveries.put((dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/paystack"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self):
        return self.deliveries.get(timeout=15)

    def close(self):
        self.server.shutdown()


@pytest.fixture()
def receiver():
    hook = Receiver()
    yield hook
    hook.close()


@pytest.fixture()
def kyc_server(receiver):
    mock = MockServer("--kyc-delay", "0", "--webhook-url", receiver.url)
    yield mock
    mock.stop()


class StrictCustomerClient(CustomerClient):
    """Raises on any response that does not fit pypaystack2's models (an identified customer too)."""

    def _handle_request(self, *args, **kwargs):
        kwargs["raise_serialization_exception"] = True
        return super()._handle_request(*args, **kwargs)


def client_for(server, key):
    client = StrictCustomerClient(secret_key=key)
    client._BASE_URL = server.url
    return client


def test_success_webhook_verifies_with_pypaystack2(kyc_server, receiver):
    client = client_for(kyc_server, ACME_TEST_KEY)
    created = client.create(email=f"kyc-{uuid.uuid4().hex[:10]}@example.com")
    code = created.data.customer_code
    accepted = client.validate(
        code, first_name="Uchenna", last_name="Okoro", identification_type=Identification.BANK_ACCOUNT,
        country=Country.NIGERIA, bvn="222222222221", bank_code="007", account_number="0111111111")
    assert accepted.status_code == 202

    headers, body = receiver.next()
    signature = headers["x-paystack-signature"]
    assert client.is_verified_webhook_payload(body, signature)
    assert not client_for(kyc_server, ACME_LIVE_KEY).is_verified_webhook_payload(body, signature)
    assert not client.is_verified_webhook_payload(body + b" ", signature)
    assert headers["User-Agent"] == "Paystack/2.0"
    assert headers["Content-Type"] == "application/json"

    event = json.loads(body)
    assert event["event"] == "customeridentification.success"
    assert event["data"]["customer_code"] == code
    assert event["data"]["customer_id"] == created.data.id
    assert event["data"]["identification"] == {
        "country": "NG", "type": "bank_account", "bvn": "222******221", "account_number": "011****111",
        "bank_code": "007"}
    assert body == json.dumps(event, separators=(",", ":")).encode(), "compact JSON"

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        fetched = client.get_customer(code).data
        if fetched.identified:
            break
        time.sleep(0.05)
    assert fetched.identified is True
    assert fetched.first_name == "Uchenna" and fetched.last_name == "Okoro"


def test_failed_webhook_carries_the_reason(kyc_server, receiver):
    client = client_for(kyc_server, ACME_TEST_KEY)
    created = client.create(email=f"kyc-{uuid.uuid4().hex[:10]}@example.com")
    client.validate(
        created.data.customer_code, first_name="Ada", last_name="Obi", identification_type=Identification.BANK_ACCOUNT,
        country=Country.NIGERIA, bvn="12345678901", bank_code="058", account_number="0000000001")
    headers, body = receiver.next()
    assert client.is_verified_webhook_payload(body, headers["x-paystack-signature"])
    event = json.loads(body)
    assert event["event"] == "customeridentification.failed"
    assert event["data"]["reason"] == "Account couldn't be resolved. Please try again"
    assert client.get_customer(created.data.customer_code).data.identified is False
