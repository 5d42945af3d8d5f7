"""Hostile input over raw sockets: whatever a client sends, the server answers or closes, never
crashes, never answers 5xx, and keeps serving others."""
import random
import resource
import socket
import subprocess
import tempfile
import time

import requests

from conftest import ACME_TEST_KEY, BINARY, SEED

PATHS = ["/customer", "/customer/", "/customer/CUS_x", "/customer/a%40b.co", "/customer/set_risk_action",
         "/customer/authorization/deactivate", "/customer/deactivate_authorization", "/customer/x/identification",
         "/customer/%", "/customer/%ff%fe", "/%00", "/" + "a" * 5000, "/customer?perPage=%%&page=\x01",
         "/_sandbox/requests?since=%ff&status=99999999999999999999&limit=-1", "/_sandbox/requests?path=%00*",
         "/_sandbox/webhook", "/_sandbox/webhooks/99999999999999999999999/redeliver", "/_sandbox/webhooks/test",
         "/_sandbox/clock", "/_sandbox/faults", "/_sandbox/state"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "QUERY", "BREW", "get", ""]


def raw_exchange(url, payload, timeout=5.0):
    host, port = url.rsplit("//", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        try:
            connection.sendall(payload)
            connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer and close before reading everything (e.g. headers too large)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except OSError:
            pass
        return received


def random_body(rng):
    choice = rng.randrange(6)
    if choice == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
    if choice == 1:
        return b'{"email":' * rng.randrange(1, 50)
    if choice == 2:
        return b"[" * rng.randrange(1, 5000)
    if choice == 3:
        return ('{"email":"a@b.co","metadata":' + '{"a":' * 300 + "1" + "}" * 300 + "}").encode()
    if choice == 4:
        return b"email=%zz&metadata=%7B&first_name=" + bytes([0xC3, 0x28])
    return '{"email":"\\ud800@x.co","first_name":"\\u0000"}'.encode()


def test_garbage_never_crashes_or_errors(server):
    rng = random.Random(20261129)
    statuses = []
    for _ in range(400):
        method = rng.choice(METHODS)
        path = rng.choice(PATHS)
        body = random_body(rng)
        headers = [f"Host: x", f"Authorization: Bearer {ACME_TEST_KEY}"]
        if rng.random() < 0.5:
            headers.append(f"Content-Length: {len(body) if rng.random() < 0.8 else rng.randrange(-5, 100000)}")
        if rng.random() < 0.3:
            headers.append("Content-Type: " + rng.choice(["application/json", "application/x-www-form-urlencoded", "text/plain", ""]))
        if rng.random() < 0.1:
            headers.append("X-Big: " + "b" * rng.randrange(70000))
        if rng.random() < 0.1:
            headers.append("Transfer-Encoding: chunked")
        payload = f"{method} {path} HTTP/1.{rng.randrange(3)}\r\n".encode() + "\r\n".join(headers).encode("latin-1") + b"\r\n\r\n" + body
        if rng.random() < 0.1:
            payload = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        answer = raw_exchange(server.url, payload)
        if answer.startswith(b"HTTP/"):
            statuses.append(int(answer.split(b" ", 2)[1]))
    assert len(statuses) > 300, "the server answered most of the requests"
    assert all(status < 500 for status in statuses), sorted(set(statuses))
    alive = requests.get(server.url + "/customer?perPage=1", headers={"Authorization": f"Bearer {ACME_TEST_KEY}"}, timeout=10)
    assert alive.status_code == 200
    # The journal holds the garbage too, and still renders as JSON without the full key.
    journal = requests.get(server.url + "/_sandbox/requests", timeout=10)
    assert journal.status_code == 200
    assert len(journal.json()["data"]) > 50, "the customer-route garbage that reached a route is recorded"
    assert ACME_TEST_KEY not in journal.text
    assert requests.get(server.url + "/_sandbox/webhooks", timeout=10).status_code == 200
    assert server.process.poll() is None, "the server is still running"


def test_out_of_descriptors_pauses_accepting_and_recovers():
    """More clients than the process may hold descriptors for: accept() fails with EMFILE while the
    socket stays readable. The server must pause accepting (not call accept() again at once,
    forever, at full CPU with a warning per turn), and serve again once clients leave."""
    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))

    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(
            [BINARY, "--port", "0", "--workers", "1", "--seed-data", SEED, "--log-level", "warning"],
            stdout=subprocess.PIPE, stderr=errors, text=True, preexec_fn=low_limit)
        clients = []
        try:
            line = process.stdout.readline()
            assert "listening on http://" in line, line
            url = line.split("listening on ", 1)[1].split()[0]
            host, port = url.rsplit("//", 1)[1].split(":")
            for _ in range(80):  # the kernel's backlog completes these connections whether accepted or not
                clients.append(socket.create_connection((host, int(port)), timeout=5))
            time.sleep(1.5)
            assert process.poll() is None, "the server died when out of descriptors"
            for client in clients:
                client.close()
            clients = []
            answer = None
            for _ in range(50):  # the pause lasts 100 ms; the connections closed above drain first
                try:
                    answer = requests.get(f"{url}/customer?perPage=1", headers={"Authorization": f"Bearer {ACME_TEST_KEY}"},
                                          timeout=5)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            assert answer is not None and answer.status_code == 200, answer
        finally:
            for client in clients:
                client.close()
            process.terminate()
            process.wait(timeout=10)
        errors.seek(0)
        log = errors.read()
    accept_lines = [line for line in log.splitlines() if "accept" in line.lower()]
    # One warning (at most one per ten seconds), not one per turn of a spinning loop.
    assert 1 <= len(accept_lines) <= 3, f"{len(accept_lines)} lines about accept: {accept_lines[:5]}"
    assert "Too many open files" in accept_lines[0], accept_lines[0]
