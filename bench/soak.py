#!/usr/bin/env python3
"""`make soak`: 5 minutes of a mixed load at 256 connections, webhooks delivered to a local receiver.

Prints requests, unexpected statuses, socket errors, p99, and the server's RSS and open file
descriptors at 1, 3 and 5 minutes; writes them to bench/out/soak.md. Fails on any unexpected status
or socket error, or when RSS or descriptors grow by more than 5% after the first minute.
"""
import http.server
import json
import os
import re
import socketserver
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOCK = os.path.join(ROOT, ".build", "release", "paystack-mock")
KEY = "sk_test_" + "a1" * 20
DURATION = int(os.environ.get("SOAK_SECONDS", "300"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "256"))


class Receiver(http.server.BaseHTTPRequestHandler):
    received = 0
    lock = threading.Lock()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with Receiver.lock:
            Receiver.received += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def sample(pid, receiver_port):
    """RSS in MiB, open descriptors, and how many of them are webhook deliveries in flight (sockets
    connected to the receiver), which come and go with the receiver's pace rather than leak."""
    with open(f"/proc/{pid}/status") as handle:
        rss = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:")) / 1024
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    total = len(os.listdir(f"/proc/{pid}/fd"))
    webhook = 0
    for table in ("tcp", "tcp6"):
        with open(f"/proc/{pid}/net/{table}") as handle:
            next(handle)
            for line in handle:
                fields = line.split()
                if int(fields[2].rsplit(":", 1)[1], 16) == receiver_port and fields[9] in inodes:
                    webhook += 1
    return rss, total, webhook


def main():
    receiver = ThreadingServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    server = subprocess.Popen([MOCK, "--port", "0", "--log-level", "warning", "--webhook-url", hook, "--kyc-delay", "0.2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip().rsplit(" ", 1)[-1]
    request = urllib.request.Request(url + "/customer?perPage=50", headers={"Authorization": "Bearer " + KEY})
    codes = [item["customer_code"] for item in json.load(urllib.request.urlopen(request))["data"]]
    receiver_port = receiver.server_address[1]
    idle = sample(server.pid, receiver_port)
    environment = {**os.environ, "BENCH_SECRET_KEY": KEY, "BENCH_CODES": ",".join(codes)}
    wrk = subprocess.Popen(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "10s", "--latency",
                            "-s", os.path.join(ROOT, "bench", "soak.lua"), url],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
    started = time.monotonic()
    samples = {}
    for minute in (1, 3, 5):
        at = minute * DURATION / 5
        time.sleep(max(0, started + at - time.monotonic()))
        samples[minute] = sample(server.pid, receiver_port)
        rss, total, webhook = samples[minute]
        print(f"{minute} min: RSS {rss:.1f} MiB, {total} descriptors ({webhook} webhook deliveries in flight)", flush=True)
    output = wrk.communicate()[0]
    # After the load: once the deliveries still in flight are done and the server has seen the
    # clients' connections close (up to 10 s), descriptors are back where they started.
    for _ in range(100):
        after = sample(server.pid, receiver_port)
        if after[2] == 0 and after[1] <= idle[1]:
            break
        time.sleep(0.1)
    server.terminate()
    server.wait(timeout=30)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    socket_errors = sum(map(int, m.groups())) if (m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)) else 0
    p99 = re.search(r"99%\s+(\S+)", output).group(1)
    rate = re.search(r"Requests/sec:\s+(\S+)", output).group(1)
    rss_growth = samples[5][0] / samples[1][0] - 1
    fd_growth = (samples[5][1] - samples[5][2]) / (samples[1][1] - samples[1][2]) - 1
    report = "\n".join([
        f"Soak: {DURATION} s, {CONNECTIONS} connections (wrk -t2), mixed load (bench/soak.lua), webhooks to a local receiver",
        "", f"| requests | req/s | unexpected statuses | socket errors | p99 | webhooks received |", "|---:|---:|---:|---:|---:|---:|",
        f"| {requests} | {rate} | {non2xx} | {socket_errors} | {p99} | {Receiver.received} |", "",
        "| at | RSS MiB | open descriptors | of which webhook deliveries in flight |", "|---|---:|---:|---:|",
        f"| before the load | {idle[0]:.1f} | {idle[1]} | {idle[2]} |",
        *[f"| {minute} min | {rss:.1f} | {fds} | {webhook} |" for minute, (rss, fds, webhook) in samples.items()],
        f"| after the load, deliveries done | {after[0]:.1f} | {after[1]} | {after[2]} |", "",
        f"Growth from 1 to 5 min: RSS {rss_growth * 100:+.1f} %, descriptors other than deliveries in flight "
        f"{fd_growth * 100:+.1f} % (limit +5 %); after the load {after[1]} descriptors against {idle[1]} before it.",
    ])
    print(report)
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "out", "soak.md"), "w") as handle:
        handle.write(report + "\n")
    failed = non2xx or socket_errors or rss_growth > 0.05 or fd_growth > 0.05 or after[1] > idle[1]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
