#!/usr/bin/env python3
"""make bench: how fast netlab's servers are, as ratios to a reference.

Every design runs at -qq and is driven by 'netlab bench'. Before and after
each run of a design, the reference (echo_ref, a minimal epoll echo server)
runs under the same load, and the design's figure is divided by their
mean: the ratio is what is kept, since the machine's speed varies from
minute to minute but runs side by side see the same machine.
Three runs, the median of the per-run ratios. With two cores or more the
load generator has core 0 to itself and the server has core 1 (taskset).

  W2: 100 clients x 500 messages x 64 bytes
  W3: 1,000 clients x 50 messages x 64 bytes
  W4: 10,000 idle connections held, a new client's wait, then all pinged

Also: the time from start to the listening line, what the full log costs
(to a file, against -qq), 'netlab bench' against a minimal ping-pong client
on the reference, and compare's ranking three times in a row. One table,
then a verdict line per target. Every server is stopped on the way out,
also after Ctrl-C.

usage: run.py NETLAB ECHO_REF PINGPONG [w4 [DESIGN...]]
"""
import json
import os
import resource
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

NETLAB, REF, PINGPONG = (os.path.abspath(p) for p in sys.argv[1:4])
DESIGNS = ["epoll", "poll", "select", "pool", "threaded", "limited 1024", "fork",
           "sequential"]
W4_DESIGNS = ["epoll", "poll", "threaded", "fork"]
LOADS = {"W2": (100, 500, 64), "W3": (1000, 50, 64)}
RUNS = 3
TWO_CORES = (os.cpu_count() or 1) >= 2
LOAD_CPU = ["taskset", "-c", "0"] if TWO_CORES else []
SERVER_CPU = ["taskset", "-c", "1"] if TWO_CORES else []
running = []  # every server started and not yet stopped


def note(text):
    print(text, file=sys.stderr, flush=True)


def start(argv, log=None):
    """Start a server in its own process group; return (process, port).

    Its start line is read from a pipe, or from the file 'log' when the
    full log goes there."""
    began = time.monotonic()
    out = open(log, "w") if log else subprocess.PIPE
    proc = subprocess.Popen(SERVER_CPU + argv, stdout=out, start_new_session=True)
    running.append(proc)
    deadline = began + 10
    while time.monotonic() < deadline:
        if log:
            with open(log) as f:
                line = f.readline()
        else:
            line = proc.stdout.readline().decode()
        if "Starting server on" in line and line.endswith("\n"):
            proc.started_ms = (time.monotonic() - began) * 1000
            return proc, int(line.rsplit("port", 1)[1].split()[0])
        if proc.poll() is not None:
            break
        time.sleep(0.001)
    stop(proc)
    raise RuntimeError("%s did not start" % " ".join(argv))


def stop(proc):
    """SIGTERM, as Ctrl-C would; SIGKILL to its whole group if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if proc.stdout:
        proc.stdout.close()
    if proc in running:
        running.remove(proc)


def netlab_server(design, quiet="-qq", log=None):
    return start([NETLAB] + design.split() + [quiet, "-H", "127.0.0.1", "-p", "0",
                                              "--no-color"], log)


def bench(port, load):
    clients, messages, size = load
    out = subprocess.run(LOAD_CPU + [NETLAB, "bench", "-H", "127.0.0.1", "-p", str(port),
                                     "-c", str(clients), "-n", str(messages), "-s", str(size),
                                     "--timeout", "120", "--json"],
                         stdout=subprocess.PIPE, check=False)
    result = json.loads(out.stdout)
    if result["errors"]:
        note("  errors: %s" % result["errors_by_kind"])
    return result["msgs_per_sec"]


def measure(argv_or_design, load, ref=False):
    proc, port = start([REF, "0"]) if ref else netlab_server(argv_or_design)
    try:
        return bench(port, load)
    finally:
        stop(proc)


def throughput():
    """ratios[design][W] = [per-run ratios]; speed[design][W] = [msgs/s].

    The reference runs before the first design and after each one, so that
    every design sits between two runs of the reference, and is divided by
    their mean: the machine it saw is the machine they saw."""
    ratios = {d: {w: [] for w in LOADS} for d in DESIGNS}
    speed = {d: {w: [] for w in LOADS} for d in DESIGNS + ["reference"]}
    for run in range(RUNS):
        for w, load in LOADS.items():
            before = measure(None, load, ref=True)
            speed["reference"][w].append(before)
            for d in DESIGNS:
                note("run %d/%d, %s: %s between two runs of the reference"
                     % (run + 1, RUNS, w, d))
                m = measure(d, load)
                after = measure(None, load, ref=True)
                speed["reference"][w].append(after)
                speed[d][w].append(m)
                ratios[d][w].append(2 * m / (before + after) if before + after else 0)
                before = after
    return ratios, speed


def family(pid):
    """The pid and all its descendants, from /proc/PID/task/*/children."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def memory_kib(pid):
    """Proportional set size of the server and its children: a page shared by
    N processes counts 1/N in each, so the sum is what they cost together."""
    total = 0
    for p in family(pid):
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def w4(design, n=10000):
    """n idle connections held; a new client's wait (the median of five);
    then every one pinged."""
    proc, port = netlab_server(design)
    socks, sel = [], selectors.DefaultSelector()
    try:
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            socks.append(s)
        accepted_all(port)
        time.sleep(1)  # a server that drops connections has had time to do so
        held = sum(1 for s in socks if still_open(s))
        wait_ms = statistics.median(probe(port) for _ in range(5))
        answered = ping_all(socks, sel)
        return {"held": held, "wait_ms": wait_ms, "answered": answered,
                "mib": memory_kib(proc.pid) / 1024}
    except OSError as e:
        return {"held": len(socks), "wait_ms": None, "answered": 0, "mib": 0,
                "error": str(e)}
    finally:
        for s in socks:
            s.close()
        stop(proc)


def probe(port):
    """How long a new client waits for its first answer, in ms."""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"p" * 64)
        got = b""
        while len(got) < 64:
            got += s.recv(64)
    return (time.monotonic() - t0) * 1000


def accepted_all(port, deadline_s=60):
    """Until the listening socket's queue is empty: the server has called
    accept() for every connection (ss shows the queue as Recv-Q)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        out = subprocess.run(["ss", "-Hltn", "sport = :%d" % port], stdout=subprocess.PIPE,
                             check=False).stdout.split()
        if out and out[1] == b"0":
            return
        time.sleep(0.1)


def still_open(s):
    s.setblocking(False)
    try:
        return s.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True  # nothing to read, not closed: held
    except OSError:
        return False


def ping_all(socks, sel, deadline_s=60):
    message = b"w" * 64
    got = {}
    for s in socks:
        try:
            s.send(message)
            sel.register(s, selectors.EVENT_READ)
            got[s] = 0
        except OSError:
            pass
    answered, deadline = 0, time.monotonic() + deadline_s
    while got and time.monotonic() < deadline:
        for key, _ in sel.select(1):
            s = key.fileobj
            try:
                data = s.recv(64)
            except OSError:
                data = b""
            if data:
                got[s] += len(data)
            if not data or got[s] >= 64:
                answered += 1 if data else 0
                sel.unregister(s)
                del got[s]
    return answered


def start_times():
    times = {}
    for d in DESIGNS:
        samples = []
        for _ in range(5):
            proc, _ = netlab_server(d)
            samples.append(proc.started_ms)
            stop(proc)
        times[d] = statistics.median(samples)
    return times


def log_cost(design="epoll"):
    """The full log to a file against -qq, W2's 100 clients: msgs/s ratio."""
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(RUNS):
            quiet = measure(design, LOADS["W2"])
            proc, port = netlab_server(design, quiet="--no-color", log=tmp + "/full.log")
            try:
                full = bench(port, LOADS["W2"])
            finally:
                stop(proc)
            ratios.append(quiet / full if full else float("inf"))
    return statistics.median(ratios)


def bench_vs_pingpong(runs=5):
    """netlab bench against pingpong on the reference, W2, taking turns at
    going first: the median of the per-run ratios."""
    ratios = []
    c, m, s = LOADS["W2"]
    for run in range(runs):
        proc, port = start([REF, "0"])
        try:
            for first in ([True, False] if run % 2 else [False, True]):
                if first:
                    ours = bench(port, LOADS["W2"])
                else:
                    pp = float(subprocess.run(LOAD_CPU + [PINGPONG, str(port), str(c), str(m),
                                                          str(s)],
                                              stdout=subprocess.PIPE, check=True).stdout)
        finally:
            stop(proc)
        ratios.append(ours / pp)
    return statistics.median(ratios)


def compare_ranks():
    """compare at its default load: event loops on top, sequential blocked."""
    good = 0
    for _ in range(RUNS):
        out = subprocess.run([NETLAB, "compare", "--json"], stdout=subprocess.PIPE,
                             check=False)
        rows = sorted(json.loads(out.stdout), key=lambda r: -r["msgs_per_sec"])
        top = {r["design"] for r in rows[:3]}
        seq = [r for r in rows if r["design"] == "sequential"][0]
        order = " > ".join(r["design"] for r in rows)
        ok = top == {"epoll", "poll", "select"} and seq["blocked"]
        note("  compare: %s%s" % (order, "" if ok else "  (not as the table)"))
        good += ok
    return good


def verdict(ok, text):
    print("%s  %s" % ("PASS" if ok else "FAIL", text))


def w4_only():
    for d in sys.argv[5:] or W4_DESIGNS:
        print(d, w4(d), flush=True)


def main():
    if sys.argv[4:5] == ["w4"]:
        return w4_only()
    began = time.monotonic()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # servers inherit it
    med = statistics.median
    ratios, speed = throughput()
    note("start-to-listening times")
    starts = start_times()
    w4s = {}
    for d in W4_DESIGNS:
        note("W4: 10,000 idle connections to %s" % d)
        w4s[d] = w4(d)
    note("log cost, bench against pingpong, compare's ranking")
    cost = {d: log_cost(d) for d in ("epoll", "threaded")}
    drive = bench_vs_pingpong()
    ranks = compare_ranks()

    print("\nmake bench: every design at -qq, driven by netlab bench%s; ratio = "
          "design / echo_ref run before and after it, median of %d runs"
          % (" on core 0, servers on core 1" if TWO_CORES else "", RUNS))
    print("%-13s %6s %6s %10s %10s %9s  %s" % ("design", "W2", "W3", "W2 msg/s",
                                              "W3 msg/s", "start ms", "W4 (10,000 idle)"))
    for d in DESIGNS + ["reference"]:
        r = ratios.get(d, {"W2": [1], "W3": [1]})
        w = w4s.get(d)
        w4text = ""
        if w:
            w4text = "%d held, new client %s, %d answered, %.1f MiB" % (
                w["held"], "%.2f ms" % w["wait_ms"] if w["wait_ms"] is not None else "-",
                w["answered"], w["mib"]) + ("  (%s)" % w["error"] if "error" in w else "")
        print("%-13s %6.2f %6.2f %10.0f %10.0f %9s  %s" % (
            d, med(r["W2"]), med(r["W3"]), med(speed[d]["W2"]), med(speed[d]["W3"]),
            "%.1f" % starts[d] if d in starts else "", w4text))
    print()
    loops = ["epoll", "poll", "select"]
    verdict(all(med(ratios[d][w]) >= 0.95 for d in loops for w in LOADS),
            "epoll, poll, select >= 0.95 at W2 and W3: " + ", ".join(
                "%s %.2f/%.2f" % (d, med(ratios[d]["W2"]), med(ratios[d]["W3"])) for d in loops))
    verdict(all(med(ratios[d]["W2"]) >= 0.55 for d in ("threaded", "pool")),
            "threaded, pool >= 0.55 at W2: threaded %.2f, pool %.2f"
            % (med(ratios["threaded"]["W2"]), med(ratios["pool"]["W2"])))
    verdict(med(ratios["fork"]["W3"]) >= 0.2, "fork >= 0.2 at W3: %.2f" % med(ratios["fork"]["W3"]))
    for d in W4_DESIGNS:
        w = w4s[d]
        if d == "fork":  # its target: every one of the 10,000 answered
            verdict(w["held"] == 10000 and w["answered"] == 10000,
                    "W4 fork: all 10,000 held (%d) and answered (%d)" % (w["held"], w["answered"]))
            continue
        verdict(w["held"] == 10000 and w["answered"] == 10000 and w["wait_ms"] is not None
                and w["wait_ms"] <= 10,
                "W4 %s: all 10,000 held (%d), a new client answered within 10 ms (%s), "
                "all answered (%d)" % (d, w["held"], "%.2f ms" % w["wait_ms"]
                                       if w["wait_ms"] is not None else "none", w["answered"]))
    verdict(drive >= 0.95, "netlab bench drives the reference >= 0.95 as hard as pingpong: %.2f"
            % drive)
    verdict(ranks == RUNS, "compare ranks the event loops first and sequential blocked: "
            "%d runs of %d" % (ranks, RUNS))
    verdict(all(c <= 2 for c in cost.values()), "the full log to a file costs <= 2x -qq, "
            "100 clients: " + ", ".join("%s %.2fx" % kv for kv in cost.items()))
    print("(%.0f s in all)" % (time.monotonic() - began))


def cleanup(*_):
    for proc in list(running):
        stop(proc)
    sys.exit(130)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, cleanup)
    signal.signal(signal.SIGTERM, cleanup)
    try:
        main()
    finally:
        for p in list(running):
            stop(p)
