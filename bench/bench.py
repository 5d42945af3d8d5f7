#!/usr/bin/env python3
"""Drives the benchmark: both servers, every scenario, wrk over loopback, server CPU from /proc.

For each scenario the C baseline serves a fixed JSON body of the same size as paystack-mock's answer,
so the ratios say what the Swift layers (routing, auth, store, JSON) cost on top of libevent.
"""
import argparse
import datetime
import json
import os
import platform
import re
import socket
import shutil
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MOCK = os.path.join(ROOT, ".build", "release", "paystack-mock")
BASELINE = os.path.join(ROOT, "bench", "evhttp-baseline")
OUT = os.path.join(ROOT, "bench", "out")
KEY = "sk_test_" + "a1" * 20
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, command, env=None, stderr_path=None):
        started = time.monotonic()
        self.stderr = open(stderr_path, "w") if stderr_path else subprocess.DEVNULL
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
                                        env={**os.environ, **(env or {})})
        line = self.process.stdout.readline()
        self.ready_seconds = time.monotonic() - started
        if "listening on" not in line:
            raise RuntimeError(f"{command[0]} did not start: {line!r}")
        urls = line.strip().split("listening on ", 1)[1].split(" and ")
        self.url = urls[0]
        self.https_url = next((url for url in urls if url.startswith("https://")), None)

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        if self.stderr is not subprocess.DEVNULL:
            self.stderr.close()


def http(url, method="GET", body=None, headers=None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        return error.read()


# Set from the command line in main(): wrk's threads, a warm-up before each measured round, the
# steal above which a round is measured again, and how rounds are combined.
WRK_THREADS = 2
WARM_UP = 0
MAX_STEAL = 5.0
PICK = "median"
# Fixed: how many times in all a round in steal is tried, and how long to wait for a calm second first.
ATTEMPTS = 4
CALM_WAIT = 30.0


def cpu_times():
    """The machine's aggregate CPU times from /proc/stat (jiffies): (steal, total)."""
    with open("/proc/stat") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    steal = fields[7] if len(fields) > 7 else 0
    return steal, sum(fields[:8])


def steal_since(before):
    """The machine's steal, in percent of its CPU time, since `before` (a `cpu_times()` reading)."""
    steal, total = cpu_times()
    return 100.0 * (steal - before[0]) / max(1, total - before[1])


def wrk(url, duration, connections, script=None, close=False):
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", script]
    if close:
        command += ["-H", "Connection: close"]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            env={**os.environ, "BENCH_SECRET_KEY": KEY}).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    maximum = re.search(r"^\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\s", output, re.M)
    return {"requests": requests, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": latency(50), "p99": latency(99), "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "max": float(maximum.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[maximum.group(2)]}


def until_calm(one_round, attempts=ATTEMPTS):
    """`one_round()` (a dict with the machine's "steal" during it), made again while that steal is
    above MAX_STEAL (the hypervisor ran someone else on our cores), up to `attempts` times in all;
    the attempt with the least steal counts (the first calm one, or the calmest of a spell), with
    "retries" set to how many were made again."""
    tries = []
    for attempt in range(attempts):
        if attempt:
            wait_for_calm()
        tries.append(one_round())
        if tries[-1]["steal"] <= MAX_STEAL:
            break
    result = min(tries, key=lambda one: one["steal"])
    result["retries"] = len(tries) - 1
    return result


def wait_for_calm(longest=CALM_WAIT):
    """Before a round is made again: steal comes in spells, so wait (up to `longest` seconds) for a
    one-second window whose steal is at most MAX_STEAL, rather than measuring inside the same spell."""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        machine = cpu_times()
        time.sleep(1.0)
        if steal_since(machine) <= MAX_STEAL:
            return


def measure(server, url, duration, connections, script=None, close=False, attempts=ATTEMPTS):
    """One round: the server's CPU per request and the machine's steal during it, made again
    while steal is high (`until_calm`)."""
    def one_round():
        if WARM_UP:
            wrk(url, WARM_UP, connections, script, close)
        machine = cpu_times()
        before = server.cpu_seconds()
        result = wrk(url, duration, connections, script, close)
        result["cpu_us"] = (server.cpu_seconds() - before) / max(1, result["requests"]) * 1e6
        result["steal"] = steal_since(machine)
        return result
    return until_calm(one_round, attempts)


def median_result(results):
    """Per figure, the median of repeated runs (the machine is shared: single runs vary by ±20%);
    with --single, the round that cost the server least CPU (the minimum of the rounds), with the
    latencies still the medians of the rounds (one round's p99 is a draw: how the scheduler shared
    the two cores between wrk and the server's loops in those seconds). Steal: the
    highest of the rounds; retries: their sum. `p99_low`/`p99_high`: the spread of the rounds' p99s."""
    keys = results[0].keys()
    chosen = {key: sorted(result[key] for result in results)[len(results) // 2] for key in keys}
    if "p99" in chosen:
        if PICK == "min":
            chosen = {**min(results, key=lambda result: result["cpu_us"]),
                      "p50": chosen["p50"], "p99": chosen["p99"]}
        chosen["p99_low"] = min(result["p99"] for result in results)
        chosen["p99_high"] = max(result["p99"] for result in results)
    elif PICK == "min":
        chosen = dict(min(results, key=lambda result: result["cpu_us"]))
    chosen["steal"] = max(result.get("steal", 0.0) for result in results)
    chosen["retries"] = sum(result.get("retries", 0) for result in results)
    return chosen


def run_pair(name, mock, path, body, args, script=None):
    """Loads the mock's route and the C baseline serving `body`, alternating, `args.repeat` times each."""
    body_file = os.path.join(OUT, "body-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".json")
    with open(body_file, "wb") as handle:
        handle.write(body)
    baseline = Server([BASELINE, str(free_port()), str(args.workers), body_file])
    # The second reference: the same C server with the epoll change list, as our loops use it.
    tuned = Server([BASELINE, str(free_port()), str(args.workers), body_file, "changelist"])
    c_runs, tuned_runs, our_runs = [], [], []
    try:
        for _ in range(args.repeat):
            c_runs.append(measure(baseline, baseline.url + path, args.duration, args.connections, script))
            tuned_runs.append(measure(tuned, tuned.url + path, args.duration, args.connections, script))
            our_runs.append(measure(mock, mock.url + path, args.duration, args.connections, script))
    finally:
        baseline.stop()
        tuned.stop()
    return {"scenario": name, "bytes": len(body), "ours": median_result(our_runs), "c": median_result(c_runs),
            "tuned": median_result(tuned_runs)}


def keyed_wrk_script():
    """wrk sends no Authorization by default: a tiny script adds the key."""
    path = os.path.join(OUT, "keyed.lua")
    with open(path, "w") as handle:
        handle.write(f'wrk.headers["Authorization"] = "Bearer {KEY}"\n')
    return path


def generate_seed(count, folder):
    if os.path.exists(os.path.join(folder, "customers.json")):
        return
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "generate_seed.py"), "--out", folder,
                    "--customers", str(count), "--authorizations", "200"], check=True)


def spread(result):
    """A p99 cell: the median of the rounds, with the lowest and highest round in brackets."""
    if result["p99_low"] == result["p99_high"]:
        return f"{result['p99']:.2f}"
    return f"{result['p99']:.2f} ({result['p99_low']:.1f}–{result['p99_high']:.1f})"


def table(rows):
    lines = ["| scenario | body bytes | ours req/s | C req/s | req/s ours/C | ours p50 ms | C p50 ms | ours p99 ms (rounds) | C p99 ms (rounds) | ours CPU µs/req | C CPU µs/req | CPU ours/C | C+cl CPU µs/req | CPU ours/C+cl | steal % (retries) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        o, c, t = row["ours"], row["c"], row["tuned"]
        lines.append(
            f"| {row['scenario']} | {row['bytes']} | {o['rps']:.0f} | {c['rps']:.0f} | {o['rps'] / c['rps']:.2f} | "
            f"{o['p50']:.2f} | {c['p50']:.2f} | {spread(o)} | {spread(c)} | {o['cpu_us']:.1f} | {c['cpu_us']:.1f} | "
            f"{o['cpu_us'] / c['cpu_us']:.2f} | {t['cpu_us']:.1f} | {o['cpu_us'] / t['cpu_us']:.2f} | "
            f"{max(o['steal'], c['steal'], t['steal']):.1f} ({o['retries'] + c['retries'] + t['retries']}) |")
    return "\n".join(lines)


def positive(text):
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main():
    parser = argparse.ArgumentParser()
    # Five rounds of 4 s rather than three of 6 s: about the same time, and a median of five
    # rounds' p99s moves less between runs than a median of three.
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    # Both servers get the same number of loops: paystack-mock's default, one per two cores (wrk
    # runs on the same cores). Earlier runs in RESULTS.md used one loop per core.
    parser.add_argument("--workers", type=positive, default=max(1, (os.cpu_count() or 2) // 2),
                        help="event loops of both servers (default: paystack-mock's default, one per two cores)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per server and scenario; medians are reported")
    parser.add_argument("--quick", action="store_true", help="3 s per run, one run each")
    parser.add_argument("--no-scale", action="store_true", help="skip the 1,000,000-customer scenarios")
    parser.add_argument("--single", action="store_true",
                        help="one wrk thread, 1 s warm-up, 4 s measured, 3 rounds, the minimum of the rounds; "
                             "only the main table")
    parser.add_argument("--max-steal", type=float, default=5.0,
                        help=f"measure a round again (up to {ATTEMPTS - 1} times, the calmest attempt kept) when the machine's steal exceeded this percent")
    args = parser.parse_args()
    global WRK_THREADS, WARM_UP, MAX_STEAL, PICK
    MAX_STEAL = args.max_steal
    if args.single:
        WRK_THREADS, WARM_UP, PICK = 1, 1, "min"
        args.duration, args.repeat, args.no_scale = 4, 3, True
    if args.quick:
        args.duration = 3
        args.repeat = 1
    os.makedirs(OUT, exist_ok=True)
    keyed = keyed_wrk_script()
    create = os.path.join(ROOT, "bench", "create.lua")
    lines = [f"# paystack-mock benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
             "", f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
             f"wrk -t{WRK_THREADS} -c{args.connections} -d{args.duration}s"
             f"{f' after a {WARM_UP} s warm-up' if WARM_UP else ''}, {args.repeat} alternating runs per server and scenario, "
             f"{'the run with the least server CPU shown, with the median latencies of the rounds' if PICK == 'min' else 'medians shown'}; "
             f"both servers with {args.workers} event loop{'s' if args.workers > 1 else ''}; mock at --log-level warning unless a row says info. "
             "CPU = server user+system time / requests (from /proc/PID/stat). Steal = the machine's steal time "
             f"(/proc/stat) during a round; a round above {MAX_STEAL:g} % is measured again, up to {ATTEMPTS - 1} times, each "
             f"time after waiting (up to {CALM_WAIT:g} s) for a second of the machine with no more steal than that, and the attempt "
             "with the least steal is kept; the "
             "column shows the highest steal of the rounds kept and how many were measured again. "
             "C = the bare evhttp server (bench/evhttp_baseline.c, without libevent's epoll change list), the floor "
             "the targets are read against; C+cl = the same server with the change list paystack-mock's loops use, "
             "measured in the same alternation, for a like-for-like reading.", ""]

    # Start-up on the bundled seed (built into the binary) and the idle server's memory: the
    # median of five starts, from spawn to the ready line; RSS a second after it. A start is a
    # round like the others, made again while steal is high.
    def one_start():
        machine = cpu_times()
        idle = Server([MOCK, "--port", "0", "--workers", str(args.workers), "--log-level", "warning"])
        time.sleep(1)
        # Over the start and the second after it: /proc/stat counts in 10 ms ticks, about the
        # length of a start, so the start alone would read 0 or 50 %.
        start = {"ms": idle.ready_seconds * 1000, "rss": idle.rss_mib(), "steal": steal_since(machine)}
        idle.stop()
        return start
    starts = [until_calm(one_start) for _ in range(5)]
    ready_ms = sorted(start["ms"] for start in starts)[2]
    idle_rss = sorted(start["rss"] for start in starts)[2]
    lines += [f"Start-up on the bundled seed: **{ready_ms:.1f} ms** from spawn to the ready line; idle RSS "
              f"**{idle_rss:.2f} MiB** (medians of five starts; highest steal of a start kept "
              f"{max(start['steal'] for start in starts):.1f} %, {sum(start['retries'] for start in starts)} made again).", ""]

    # 1,000 customers: the base of the customer scenarios (and of the scale comparison).
    small = os.path.join(OUT, "seed-1k")
    generate_seed(1000, small)
    mock = Server([MOCK, "--port", "0", "--workers", str(args.workers), "--log-level", "warning", "--seed-data", small])
    rows = []
    try:
        auth = {"Authorization": f"Bearer {KEY}"}
        unauthenticated = http(mock.url + "/customer")
        rows.append(run_pair("fixed: 401 JSON (GET /customer, no key)", mock, "/customer", unauthenticated, args))
        spec = http(mock.url + "/openapi.yml")
        rows.append(run_pair("fixed: GET /openapi.yml", mock, "/openapi.yml", spec, args))
        listing = json.loads(http(mock.url + "/customer?perPage=1", headers=auth))
        code = listing["data"][0]["customer_code"]
        fetched = http(mock.url + f"/customer/{code}", headers=auth)
        rows.append(run_pair("fetch by code (1k)", mock, f"/customer/{code}", fetched, args, script=keyed))
        page = http(mock.url + "/customer?perPage=50", headers=auth)
        rows.append(run_pair("list perPage=50 (1k)", mock, "/customer?perPage=50", page, args, script=keyed))
        created = http(mock.url + "/customer", "POST", json.dumps({"email": "size@example.com", "first_name": "Bench"}).encode(),
                       {**auth, "Content-Type": "application/json"})
        rows.append(run_pair("create, unique email", mock, "/customer", created, args, script=create))
    finally:
        mock.stop()
    # The default log level: an access line per request, batched to stderr, which is a file here
    # (bench/out/info-stderr.log), counted afterwards.
    access_log = os.path.join(OUT, "info-stderr.log")
    talkative = Server([MOCK, "--port", "0", "--workers", str(args.workers), "--log-level", "info", "--seed-data", small],
                       stderr_path=access_log)
    try:
        rows.append(run_pair("fetch by code (1k), --log-level info", talkative, f"/customer/{code}", fetched, args, script=keyed))
        rows.append(run_pair("create, unique email, --log-level info", talkative, "/customer", created, args, script=create))
    finally:
        talkative.stop()
    # Nothing lost at shutdown: an access line for every request wrk counted (and its warm-ups).
    with open(access_log, "rb") as handle:
        access_lines = sum(1 for line in handle if b" GET /customer/" in line or b" POST /customer " in line)
    counted = sum(row["ours"]["requests"] for row in rows[-2:])
    lines += ["## Fixed body and customer routes", "", table(rows), "",
              f"At info the mock wrote {access_lines} access lines to a file as stderr; the kept rounds alone counted "
              f"{counted} requests (the other rounds and warm-ups sent the rest; fewer lines than that would be a loss).", ""]
    if args.single:
        report = "\n".join(lines)
        print(report)
        with open(os.path.join(OUT, "latest-single.md"), "w") as handle:
            handle.write(report + "\n")
        return

    # The question: one listening socket shared by all loops, or one SO_REUSEPORT socket each?
    # With one loop there is no socket to share: skipped.
    lines += ["## Listening: one shared socket (default) against one SO_REUSEPORT socket per loop", ""]
    if args.workers < 2:
        lines += [f"Not measured: with {args.workers} event loop no socket is shared (run with `--workers 2` or more).", ""]
    else:
        reuse = Server([MOCK, "--port", "0", "--workers", str(args.workers), "--log-level", "warning",
                        "--seed-data", small, "--reuse-port"])
        try:
            reuse_rows = []
            for row, path, script in ((rows[0], "/customer", None), (rows[2], f"/customer/{code}", keyed)):
                runs = [measure(reuse, reuse.url + path, args.duration, args.connections, script) for _ in range(args.repeat)]
                reuse_rows.append((row, median_result(runs)))
        finally:
            reuse.stop()
        lines += ["| scenario | shared req/s | reuseport req/s | shared CPU µs/req | reuseport CPU µs/req |",
                  "|---|---:|---:|---:|---:|"]
        for row, result in reuse_rows:
            lines.append(f"| {row['scenario']} | {row['ours']['rps']:.0f} | {result['rps']:.0f} | "
                         f"{row['ours']['cpu_us']:.1f} | {result['cpu_us']:.1f} |")
        lines.append("")

    # Durable state: every create is appended to PATH.log and flushed (fdatasync) before the answer.
    # Beside it, the cost of the request journal (on by default) as a create with --journal-size 0.
    variants = []
    state_dir = os.path.join(OUT, "state")
    shutil.rmtree(state_dir, ignore_errors=True)
    os.makedirs(state_dir)
    for label, extra in (("create, --state-file", ["--state-file", os.path.join(state_dir, "state.json")]),
                         ("create, --journal-size 0", ["--journal-size", "0"])):
        server = Server([MOCK, "--port", "0", "--workers", str(args.workers), "--log-level", "warning",
                         "--seed-data", small] + extra)
        try:
            runs = [measure(server, server.url + "/customer", args.duration, args.connections, create) for _ in range(args.repeat)]
            variants.append((label, median_result(runs)))
        finally:
            server.stop()
    base = rows[4]["ours"]
    lines += ["## Create with a state file, and without the request journal", "",
              f"Against the default create above (journal on, no state file; {base['rps']:.0f} req/s, "
              f"{base['cpu_us']:.1f} µs/req) in the same run. The state file is on {state_dir}'s file system.", "",
              "| scenario | req/s | req/s vs default | p50 ms | p99 ms | CPU µs/req | CPU vs default | CPU vs C |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, result in variants:
        lines.append(f"| {label} | {result['rps']:.0f} | {result['rps'] / base['rps']:.2f} | {result['p50']:.2f} | "
                     f"{result['p99']:.2f} | {result['cpu_us']:.1f} | {result['cpu_us'] / base['cpu_us']:.2f} | "
                     f"{result['cpu_us'] / rows[4]['c']['cpu_us']:.2f} |")
    lines.append("")

    # HTTPS on the same server as plain HTTP: keep-alive fetch on each, then a new connection per
    # request (with Connection: close), which over TLS is a full handshake each time.
    tls_dir = os.path.join(OUT, "tls")
    secure = Server([MOCK, "--port", "0", "--tls-port", "0", "--tls-dir", tls_dir, "--workers", str(args.workers),
                     "--log-level", "warning", "--seed-data", small])
    try:
        tls_rows = []
        for label, base, close in (("fetch, keep-alive", secure.url, False), ("fetch, keep-alive", secure.https_url, False),
                                   ("fetch, new connection each", secure.url, True), ("fetch, new connection each", secure.https_url, True)):
            runs = [measure(secure, base + f"/customer/{code}", args.duration, args.connections, keyed, close)
                    for _ in range(args.repeat)]
            tls_rows.append((label, base.split(":", 1)[0].upper(), median_result(runs)))
        # Full handshakes: openssl s_time -new opens a connection with a fresh session each time.
        host_port = secure.https_url.split("//", 1)[1]
        full = []
        for _ in range(args.repeat):
            before = secure.cpu_seconds()
            output = subprocess.run(["openssl", "s_time", "-connect", host_port, "-new", "-time", str(args.duration)],
                                    capture_output=True, text=True, check=True).stdout
            count, seconds = re.search(r"(\d+) connections in ([\d.]+) real seconds", output).groups()
            full.append({"rps": int(count) / float(seconds), "cpu_us": (secure.cpu_seconds() - before) / int(count) * 1e6})
        full = median_result(full)
    finally:
        secure.stop()
    plain_keep, tls_keep, plain_new, tls_new = (row[2] for row in tls_rows)
    lines += ["## HTTPS against HTTP", "",
              "One server with `--tls-port 0` (its made certificate: ECDSA P-256), both listeners loaded alternately; "
              "\"new connection each\" sends `Connection: close`, so over HTTPS every request is a new TLS handshake: wrk "
              "offers the session of its previous connection (`SSL_clear` keeps it), so these are resumed handshakes, and "
              "their req/s is handshakes per second. Full handshakes (new session, ECDHE and a certificate signature "
              "each) are measured below with `openssl s_time -new` (one client connection at a time, no request sent).", "",
              "| scenario | protocol | req/s | p50 ms | p99 ms | CPU µs/req | CPU vs HTTP |", "|---|---|---:|---:|---:|---:|---:|"]
    for (label, protocol, result), reference in zip(tls_rows, (plain_keep, plain_keep, plain_new, plain_new)):
        lines.append(f"| {label} | {protocol} | {result['rps']:.0f} | {result['p50']:.2f} | {result['p99']:.2f} | "
                     f"{result['cpu_us']:.1f} | {result['cpu_us'] / reference['cpu_us']:.2f} |")
    lines += ["", f"HTTPS keep-alive fetch costs **{tls_keep['cpu_us'] / plain_keep['cpu_us']:.2f}×** plain HTTP's CPU per request. "
              f"New connections: **{tls_new['rps']:.0f} resumed handshakes/s** (with a fetch each, {args.connections} connections); "
              f"full handshakes with `openssl s_time -new`: **{full['rps']:.0f}/s** from one client, "
              f"{full['cpu_us']:.0f} µs of server CPU each.", ""]

    if not args.no_scale:
        large = os.path.join(ROOT, "bench", "data", "seed-1m")
        generate_seed(1_000_000, large)
        size_mib = os.path.getsize(os.path.join(large, "customers.json")) / 2**20
        big = Server([MOCK, "--port", "0", "--workers", str(args.workers), "--log-level", "warning", "--seed-data", large])
        try:
            rss = big.rss_mib()
            listing = json.loads(http(big.url + "/customer?perPage=1", headers={"Authorization": f"Bearer {KEY}"}))
            code = listing["data"][0]["customer_code"]
            def repeated(path):
                return median_result([measure(big, big.url + path, args.duration, args.connections, keyed)
                                      for _ in range(args.repeat)])
            fetch = repeated(f"/customer/{code}")
            page = repeated("/customer?perPage=50")
            deep = repeated("/customer?perPage=50&page=9000")
        finally:
            big.stop()
        small_fetch, small_list = rows[2]["ours"], rows[3]["ours"]
        lines += ["## Scale: 1,000,000 customers", "",
                  f"Seed file: {size_mib:.0f} MiB of customers.json. Ready (spawn → listening line): "
                  f"**{big.ready_seconds:.2f} s**; RSS once ready: **{rss:.0f} MiB**.", "",
                  "| scenario | req/s | p50 ms | p99 ms | CPU µs/req | CPU at 1M / at 1k |", "|---|---:|---:|---:|---:|---:|",
                  f"| fetch by code (1M) | {fetch['rps']:.0f} | {fetch['p50']:.2f} | {fetch['p99']:.2f} | {fetch['cpu_us']:.1f} | {fetch['cpu_us'] / small_fetch['cpu_us']:.2f} |",
                  f"| list perPage=50 (1M) | {page['rps']:.0f} | {page['p50']:.2f} | {page['p99']:.2f} | {page['cpu_us']:.1f} | {page['cpu_us'] / small_list['cpu_us']:.2f} |",
                  f"| list perPage=50, page 9000 (1M) | {deep['rps']:.0f} | {deep['p50']:.2f} | {deep['p99']:.2f} | {deep['cpu_us']:.1f} | {deep['cpu_us'] / small_list['cpu_us']:.2f} |",
                  ""]
    if not args.no_scale:
        # Growth: one integration from empty to over a million customers under create load, and the
        # C baseline under the same load; wrk's maximum latency is the longest a request waited,
        # the largest stall growth caused (the store's tables must not rehash all at once).
        # Creates slow down as the store grows (~0.8 of the small store's rate at a million):
        # 1.5 million at the small store's rate reaches a million with room to spare.
        growth_seconds = max(10, int(1_500_000 / max(1.0, rows[4]["ours"]["rps"])) + 2)
        body = os.path.join(OUT, "body-create-unique-email.json")
        # The store only grows once, so a run whose steal is above the threshold is measured again
        # from the start, with a new server (up to ATTEMPTS runs, the calmest kept, as for the other rounds).
        def fresh_run(command, after=lambda server: None):
            """One growth run on a new server; made again (`until_calm`) while steal is above the threshold."""
            def one_run():
                server = Server(command)
                try:
                    result = measure(server, server.url + "/customer", growth_seconds, args.connections, create, attempts=1)
                    result["after"] = after(server)
                finally:
                    server.stop()
                return result
            result = until_calm(one_run)
            return result, result["after"]

        c_growth, _ = fresh_run([BASELINE, str(free_port()), str(args.workers), body])
        growth, (total, growth_rss) = fresh_run(
            [MOCK, "--port", "0", "--workers", str(args.workers), "--log-level", "warning", "--seed-data", "none", "--secret-key", KEY],
            lambda server: (json.loads(http(server.url + "/customer?perPage=1", headers={"Authorization": f"Bearer {KEY}"}))["meta"]["total"],
                            server.rss_mib()))
        lines += ["## Growth: create from empty to a million customers", "",
                  f"One run of {growth_seconds} s each, from an empty store; a run above {MAX_STEAL:g} % steal is made "
                  f"again with a new server (up to {ATTEMPTS} runs, the calmest kept; made again: mock {growth['retries']}, C {c_growth['retries']}). The mock ended with "
                  f"**{total:,} customers** in the integration{'' if total >= 1_000_000 else ' (**short of a million**: the run was too short)'} "
                  f"and {growth_rss:.0f} MiB RSS; steal {growth['steal']:.1f} % "
                  f"(C run: {c_growth['steal']:.1f} %).", "",
                  "| server | req/s | p50 ms | p99 ms | max ms (largest stall) | CPU µs/req |", "|---|---:|---:|---:|---:|---:|",
                  f"| paystack-mock | {growth['rps']:.0f} | {growth['p50']:.2f} | {growth['p99']:.2f} | {growth['max']:.1f} | {growth['cpu_us']:.1f} |",
                  f"| C baseline | {c_growth['rps']:.0f} | {c_growth['p50']:.2f} | {c_growth['p99']:.2f} | {c_growth['max']:.1f} | {c_growth['cpu_us']:.1f} |",
                  ""]
    report = "\n".join(lines)
    print(report)
    with open(os.path.join(OUT, "latest.md"), "w") as handle:
        handle.write(report + "\n")


if __name__ == "__main__":
    main()
