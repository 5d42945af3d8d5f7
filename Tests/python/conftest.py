"""Starts the real paystack-mock binary on a free loopback port for the Python client tests."""
import os
import pathlib
import signal
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("PAYSTACK_MOCK_BINARY", str(ROOT / ".build" / "debug" / "paystack-mock"))
SEED = str(ROOT / "seed-data")
# The bundled seed's first integration (463433).
ACME_TEST_KEY = "sk_test_" + "a1" * 20
ACME_LIVE_KEY = "sk_live_" + "b2" * 20


class MockServer:
    def __init__(self, *arguments, port="0"):
        self.process = subprocess.Popen(
            [BINARY, "--port", port, "--seed-data", SEED, "--log-level", "error", *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("paystack-mock listening on http://"):
            self.process.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.process.stderr.read()}")
        # `… listening on http://HOST:PORT` and, with --tls-port, ` and https://HOST:TLSPORT`.
        urls = [word for word in line.split() if word.startswith("http")]
        self.url = urls[0]
        self.tls_url = urls[1] if len(urls) > 1 else None
        self.tls_port = int(self.tls_url.rsplit(":", 1)[1]) if self.tls_url else None

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        assert code == 0, f"server exited with {code}: {self.process.stderr.read()}"


@pytest.fixture(scope="module")
def server():
    mock = MockServer()
    yield mock
    mock.stop()
