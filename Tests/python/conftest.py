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
    def __init__(self, *arguments):
        self.process = subprocess.Popen(
            [BINARY, "--port", "0", "--seed-data", SEED, "--log-level", "error", *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("paystack-mock listening on http://"):
            self.process.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.process.stderr.read()}")
        self.url = line.rsplit(" ", 1)[-1]

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
