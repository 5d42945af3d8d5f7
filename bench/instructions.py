#!/usr/bin/env python3
"""Instructions per request, counted by callgrind: a figure the machine's noise does not move.

CPU time per request on a shared VM varies by ±10–20 % between rounds (bench/RESULTS.md), which
hides a 5 % change. callgrind counts the user-space instructions (the server's own code, libevent,
libc, the allocator; not the kernel's) that each server executes while wrk sends requests to it,
and the count per request repeats to within a fraction of a percent. It does not replace the CPU
tables (the kernel's share, about half of a request here, is not counted, nor cache misses); it
tells whether a change to the server's code made a request cheaper, and by how much.

Each scenario: the server runs under callgrind with one event loop, is warmed up for 2 s, then
counting is switched on for `--seconds` of wrk (one thread, 4 connections) and off again. The C
baseline serves a body of the same size. `--compare BINARY` adds another paystack-mock build (for
example the previous commit's) to the same table.

Usage: bench/instructions.py [--seconds 5] [--compare PATH]...   (make bench-instructions)
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

SCENARIOS = [
    # name, path, wrk script ("keyed", "create" or None), whether the path needs a customer code
    ("401 (no key)", "/customer", None),
    ("fetch", "/customer/{code}", "keyed"),
    ("list perPage=50", "/customer?perPage=50", "keyed"),
    ("create", "/customer", "create"),
]


def counting_script(base, folder):
    """wrk script that includes `base` (if any) and prints the number of requests at the end."""
    path = os.path.join(folder, f"count-{os.path.basename(base or 'none')}")
    with open(path, "w") as handle:
        if base:
            handle.write(f'dofile("{base}")\n')
        handle.write('done = function(summary) io.write(string.format("requests=%d\\n", summary.requests)) end\n')
    return path


def without_debug_info(binary, folder):
    """valgrind 3.19 cannot read the DWARF 5 that Swift writes: count on a copy without it (the
    symbol table stays, so function names remain for callgrind_annotate)."""
    copy = os.path.join(folder, re.sub(r"[^A-Za-z0-9]+", "-", binary.strip("/")))
    subprocess.run(["strip", "--strip-debug", "-o", copy, binary], check=True)
    return copy


def count(command, url_path, script, seconds, folder):
    """Instructions per request of `command` (which prints `listening on URL`) for wrk on `url_path`."""
    out = os.path.join(folder, "callgrind.out")
    for name in os.listdir(folder):
        if name.startswith("callgrind.out"):
            os.remove(os.path.join(folder, name))
    process = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"] + command,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "BENCH_SECRET_KEY": bench.KEY})
    try:
        line = process.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"{command[0]} did not start under valgrind: {line!r}")
        url = line.strip().split("listening on ", 1)[1].split(" and ")[0] + url_path
        env = {**os.environ, "BENCH_SECRET_KEY": bench.KEY}
        subprocess.run(["wrk", "-t1", "-c4", "-d2s"] + (["-s", script] if script else []) + [url],
                       capture_output=True, env=env, check=True)
        subprocess.run(["callgrind_control", "-i", "on", str(process.pid)], capture_output=True, check=True)
        result = subprocess.run(["wrk", "-t1", "-c4", f"-d{seconds}s", "-s", script, url],
                                capture_output=True, text=True, env=env, check=True).stdout
        subprocess.run(["callgrind_control", "-i", "off", str(process.pid)], capture_output=True, check=True)
        subprocess.run(["callgrind_control", "-d", str(process.pid)], capture_output=True, check=True)
        requests = int(re.search(r"requests=(\d+)", result).group(1))
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    totals = []
    for name in os.listdir(folder):
        if name.startswith("callgrind.out"):
            with open(os.path.join(folder, name)) as handle:
                found = re.findall(r"^(?:summary|totals): (\d+)", handle.read(), re.M)
                totals += [int(value) for value in found]
    return {"per_request": max(totals) / max(1, requests), "requests": requests,
            "non2xx": int(non2xx.group(1)) if non2xx else 0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="counted seconds of wrk per scenario")
    parser.add_argument("--compare", action="append", default=[], metavar="BINARY",
                        help="another paystack-mock build to count in the same table")
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control", "wrk", "strip"):
        if not shutil.which(tool):
            sys.exit(f"bench/instructions.py needs {tool} (make bench-instructions installs it)")
    os.makedirs(bench.OUT, exist_ok=True)
    small = os.path.join(bench.OUT, "seed-1k")
    bench.generate_seed(1000, small)
    keyed = bench.keyed_wrk_script()
    create = os.path.join(bench.ROOT, "bench", "create.lua")
    binaries = [("paystack-mock (this build)", bench.MOCK)] + [(f"compared: {path}", path) for path in args.compare]

    with tempfile.TemporaryDirectory() as folder:
        scripts = {None: counting_script(None, folder), "keyed": counting_script(keyed, folder),
                   "create": counting_script(create, folder)}
        stripped = [(name, without_debug_info(path, folder)) for name, path in binaries]
        mock_command = ["--port", "0", "--workers", "1", "--log-level", "warning", "--seed-data", small]

        # The fetch scenario's code, and each answer's body for the baseline, from a plain run.
        plain = bench.Server([bench.MOCK] + mock_command)
        try:
            headers = {"Authorization": "Bearer " + bench.KEY}
            listed = bench.http(plain.url + "/customer?perPage=1", headers=headers)
            code = re.search(rb'"customer_code":"([^"]+)"', listed).group(1).decode()
            bodies = {}
            for name, path, script in SCENARIOS:
                if script == "create":
                    bodies[name] = bench.http(plain.url + path, "POST", b'{"email":"instructions@example.com"}',
                                              {**headers, "Content-Type": "application/json"})
                else:
                    bodies[name] = bench.http(plain.url + path.format(code=code), headers=headers if script else {})
        finally:
            plain.stop()

        rows = []
        for name, path, script in SCENARIOS:
            body_file = os.path.join(folder, "body.json")
            with open(body_file, "wb") as handle:
                handle.write(bodies[name])
            c = count([bench.BASELINE, str(bench.free_port()), "1", body_file], path.format(code=code),
                       scripts[script], args.seconds, folder)
            ours = [count([binary] + mock_command, path.format(code=code), scripts[script], args.seconds, folder)
                    for _, binary in stripped]
            rows.append((name, len(bodies[name]), c, ours))
            print(f"{name}: C {c['per_request']:.0f}, " + ", ".join(f"{o['per_request']:.0f}" for o in ours),
                  file=sys.stderr, flush=True)

    print(f"Instructions per request (user space, callgrind; valgrind --tool=callgrind, one event loop, "
          f"wrk -t1 -c4 -d{args.seconds}s after 2 s of warm-up), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    header = "| scenario | body bytes | C | " + " | ".join(f"{name} | ÷ C" for name, _ in binaries) + " |"
    print(header)
    print("|---|---:|---:|" + "---:|---:|" * len(binaries))
    for name, size, c, ours in rows:
        cells = " | ".join(f"{o['per_request']:,.0f} | {o['per_request'] / c['per_request']:.2f}" for o in ours)
        print(f"| {name} | {size} | {c['per_request']:,.0f} | {cells} |")
    unexpected = [(name, o["non2xx"]) for name, _, _, ours in rows for o in ours if o["non2xx"] and not name.startswith("401")]
    if unexpected:
        print(f"\nwarning: non-2xx answers counted in {unexpected}", file=sys.stderr)


if __name__ == "__main__":
    main()
